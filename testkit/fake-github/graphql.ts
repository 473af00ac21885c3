/**
 * The fake's GraphQL endpoint: a small parser for the query language (operations, variables,
 * aliases, arguments, inline fragments) and an executor over a resolver graph built from the
 * state. It answers any query made of the types and fields below, in GitHub's shapes, and fails
 * the way GitHub does: NOT_FOUND errors beside partial data for a missing repository, pull request
 * or issue; a failed query for an unknown field, an undeclared variable, or a connection read
 * without `first`/`last` or with more than 100.
 */
import {
  type Args,
  mutationRoot,
  NotFound,
  QueryError,
  type Resolver,
  rootNode,
} from "./graphql-resolvers.js";
import { schemaProblems } from "./graphql-schema.js";
import { nodeLimitProblem } from "./node-limit.js";
import type { FakeState } from "./state.js";

type Value =
  | { kind: "var"; name: string }
  | { kind: "const"; value: unknown }
  | { kind: "list"; items: Value[] }
  | { kind: "object"; fields: Record<string, Value> };

interface FieldNode {
  kind: "field";
  alias?: string;
  name: string;
  args: Record<string, Value>;
  selections?: Selection[];
}
type Selection = FieldNode | { kind: "fragment"; on: string; selections: Selection[] };

interface VariableDefinition {
  name: string;
  type: string;
  nonNull: boolean;
}
interface Operation {
  type: string;
  variables: VariableDefinition[];
  used: Set<string>;
  selections: Selection[];
}

const TOKEN =
  /\s+|,|#[^\n]*|(\.\.\.|[{}()[\]:!$=@]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:\\.|[^"\\\n])*"|[_A-Za-z][_0-9A-Za-z]*)/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new QueryError(`Parse error on "${source.slice(at, at + 20)}" at offset ${at}`);
    if (match[1]) tokens.push(match[1]);
  }
  return tokens;
}

/** Parses one operation (no named fragments, no directives: the app uses neither). */
export function parseQuery(source: string): Operation {
  const tokens = tokenize(source);
  let i = 0;
  const used = new Set<string>();
  const peek = () => tokens[i];
  const next = () => {
    const token = tokens[i++];
    if (token === undefined) throw new QueryError("Parse error: unexpected end of query");
    return token;
  };
  const expect = (wanted: string) => {
    const token = next();
    if (token !== wanted) throw new QueryError(`Parse error: expected "${wanted}", got "${token}"`);
  };
  const name = () => {
    const token = next();
    if (!/^[_A-Za-z]/.test(token)) throw new QueryError(`Parse error: expected a name, got "${token}"`);
    return token;
  };
  const type = (): string => {
    let text: string;
    if (peek() === "[") {
      next();
      text = `[${type()}]`;
      expect("]");
    } else text = name();
    if (peek() === "!") {
      next();
      text += "!";
    }
    return text;
  };
  const value = (): Value => {
    const token = next();
    if (token === "$") {
      const variable = name();
      used.add(variable);
      return { kind: "var", name: variable };
    }
    if (token === "[") {
      const items: Value[] = [];
      while (peek() !== "]") items.push(value());
      next();
      return { kind: "list", items };
    }
    if (token === "{") {
      const fields: Record<string, Value> = {};
      while (peek() !== "}") {
        const key = name();
        expect(":");
        fields[key] = value();
      }
      next();
      return { kind: "object", fields };
    }
    if (token.startsWith('"')) return { kind: "const", value: JSON.parse(token) };
    if (/^-?\d/.test(token)) return { kind: "const", value: Number(token) };
    if (token === "true" || token === "false") return { kind: "const", value: token === "true" };
    if (token === "null") return { kind: "const", value: null };
    if (/^[_A-Za-z]/.test(token)) return { kind: "const", value: token }; // an enum value
    throw new QueryError(`Parse error: unexpected "${token}"`);
  };
  const selectionSet = (): Selection[] => {
    expect("{");
    const selections: Selection[] = [];
    while (peek() !== "}") {
      if (peek() === "...") {
        next();
        if (next() !== "on") throw new QueryError("Parse error: named fragments are not supported");
        selections.push({ kind: "fragment", on: name(), selections: selectionSet() });
        continue;
      }
      let fieldName = name();
      let alias: string | undefined;
      if (peek() === ":") {
        next();
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek() === "(") {
        next();
        while (peek() !== ")") {
          const key = name();
          expect(":");
          args[key] = value();
        }
        next();
      }
      selections.push({
        kind: "field",
        name: fieldName,
        args,
        ...(alias ? { alias } : {}),
        ...(peek() === "{" ? { selections: selectionSet() } : {}),
      });
    }
    next();
    return selections;
  };

  let operationType = "query";
  const variables: VariableDefinition[] = [];
  if (peek() !== "{") {
    operationType = name();
    if (peek() !== "(" && peek() !== "{") name(); // the operation's name
    if (peek() === "(") {
      next();
      while (peek() !== ")") {
        expect("$");
        const variable = name();
        expect(":");
        const t = type();
        if (peek() === "=") {
          next();
          value();
        }
        variables.push({ name: variable, type: t, nonNull: t.endsWith("!") });
      }
      next();
    }
  }
  const selections = selectionSet();
  if (i < tokens.length) throw new QueryError("Parse error: more than one operation, or text after it");
  return { type: operationType, variables, used, selections };
}

function evaluate(v: Value, variables: Args): unknown {
  switch (v.kind) {
    case "var":
      return variables[v.name] ?? null;
    case "const":
      return v.value;
    case "list":
      return v.items.map((item) => evaluate(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(v.fields).map(([k, f]) => [k, evaluate(f, variables)]));
  }
}

interface GqlError {
  type?: string;
  path: (string | number)[];
  message: string;
  locations: { line: number; column: number }[];
}

function execute(op: Operation, root: Resolver, variables: Args): { data: unknown; errors: GqlError[] } {
  const errors: GqlError[] = [];
  const complete = (
    value: unknown,
    selections: Selection[] | undefined,
    path: (string | number)[],
  ): unknown => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((item, index) => complete(item, selections, [...path, index]));
    if (typeof value === "object") {
      if (!selections) throw new QueryError(`Field '${path.at(-1)}' of an object type must have selections`);
      return select(value as Resolver, selections, path);
    }
    if (selections) throw new QueryError(`Selections can't be made on scalars (field '${path.at(-1)}')`);
    return value;
  };
  const select = (object: Resolver, selections: Selection[], path: (string | number)[]) => {
    const out: Record<string, unknown> = {};
    for (const s of selections) {
      if (s.kind === "fragment") {
        if (object.__typename === s.on) Object.assign(out, select(object, s.selections, path));
        continue;
      }
      const responseKey = s.alias ?? s.name;
      if (s.name === "__typename") {
        out[responseKey] = object.__typename;
        continue;
      }
      const raw = object[s.name];
      if (raw === undefined)
        throw new QueryError(`Field '${s.name}' doesn't exist on type '${object.__typename}'`);
      const args = Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, evaluate(v, variables)]));
      try {
        const value = typeof raw === "function" ? (raw as (a: Args) => unknown)(args) : raw;
        out[responseKey] = complete(value, s.selections, [...path, responseKey]);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
        out[responseKey] = null;
        errors.push({
          type: "NOT_FOUND",
          path: [...path, responseKey],
          message: error.message,
          locations: [],
        });
      }
    }
    return out;
  };
  return { data: select(root, op.selections, []), errors };
}

export interface GraphqlResult {
  response: { data?: unknown; errors?: unknown[] };
  /** Problems with the query itself (it would fail at GitHub too). */
  problems: string[];
}

/** Answers one GraphQL request body as installation `installationId` sees the state. */
export function executeGraphql(state: FakeState, installationId: number, body: unknown): GraphqlResult {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Args | null };
  const fail = (message: string): GraphqlResult => ({
    response: { errors: [{ message, locations: [] }] },
    problems: [`GraphQL: ${message}`],
  });
  if (typeof query !== "string") return fail("A query attribute must be specified and must be a string.");
  try {
    const invalid = schemaProblems(query);
    if (invalid.length > 0) return fail(invalid.join("; "));
    const tooLarge = nodeLimitProblem(query, variables ?? {});
    if (tooLarge) return fail(tooLarge);
    const op = parseQuery(query);
    if (op.type !== "query" && op.type !== "mutation")
      return fail(`the fake answers queries and mutations only, not ${op.type}`);
    const vars = variables ?? {};
    for (const name of op.used) {
      if (!op.variables.some((v) => v.name === name))
        return fail(`Variable $${name} is used but not declared`);
    }
    for (const v of op.variables) {
      if (v.nonNull && (vars[v.name] === undefined || vars[v.name] === null)) {
        return fail(`Variable $${v.name} of type ${v.type} was provided invalid value`);
      }
    }
    const root =
      op.type === "mutation" ? mutationRoot(state, installationId) : rootNode(state, installationId);
    const { data, errors } = execute(op, root, vars);
    return { response: errors.length > 0 ? { data, errors } : { data }, problems: [] };
  } catch (error) {
    if (error instanceof QueryError) return fail(error.message);
    throw error;
  }
}
