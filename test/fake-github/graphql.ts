/**
 * The fake's GraphQL endpoint: a small parser for the query language (operations, variables,
 * aliases, arguments, inline fragments) and an executor over a resolver graph built from the
 * state. It answers any query made of the types and fields below, in GitHub's shapes, and fails
 * the way GitHub does: NOT_FOUND errors beside partial data for a missing repository, pull request
 * or issue; a failed query for an unknown field, an undeclared variable, or a connection read
 * without `first`/`last` or with more than 100.
 */
import { type FakeCommit, type FakeIssue, type FakeRepo, type FakeState, shaOf } from "./state.js";

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

/** A problem with the query itself: the whole request fails. */
class QueryError extends Error {}
/** A missing object: its field is null and the response carries a NOT_FOUND error. */
class NotFound extends Error {}

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

type Resolver = { __typename: string } & Record<string, unknown>;
type Args = Record<string, unknown>;

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

/** Connection arguments as GitHub enforces them: `first` (or `last`) between 1 and 100. */
function window<T>(args: Args, items: readonly T[], connection: string): { nodes: T[]; more: boolean } {
  const first = (args.first ?? args.last) as number | null | undefined;
  if (typeof first !== "number") {
    throw new QueryError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`,
    );
  }
  if (first > 100 || first < 0) {
    throw new QueryError(
      `Requesting ${first} records on the \`${connection}\` connection exceeds the \`first\` limit of 100 records.`,
    );
  }
  const nodes =
    args.last !== undefined && args.first === undefined ? items.slice(-first) : items.slice(0, first);
  return { nodes, more: items.length > nodes.length };
}

function connectionOf<T>(args: Args, items: readonly T[], name: string, node: (item: T) => unknown) {
  const { nodes, more } = window(args, items, name);
  return {
    __typename: `${name[0]?.toUpperCase()}${name.slice(1)}Connection`,
    totalCount: items.length,
    nodes: nodes.map(node),
    edges: nodes.map((n) => ({ __typename: "Edge", node: node(n), cursor: null })),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: more,
      hasPreviousPage: false,
      endCursor: null,
      startCursor: null,
    },
  };
}

function actor(login: string): Resolver {
  return { __typename: login.endsWith("[bot]") ? "Bot" : "User", login };
}

function commitNode(repo: FakeRepo, commit: FakeCommit): Resolver {
  const index = repo.commits.indexOf(commit);
  return {
    __typename: "Commit",
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
    messageHeadline: commit.message.split("\n", 1)[0] ?? "",
    committedDate: commit.date,
    authoredDate: commit.date,
    author: { __typename: "GitActor", name: commit.author, date: commit.date, user: actor(commit.author) },
    history: (args: Args) => {
      const since = typeof args.since === "string" ? Date.parse(args.since) : Number.NEGATIVE_INFINITY;
      const until = typeof args.until === "string" ? Date.parse(args.until) : Number.POSITIVE_INFINITY;
      const line = index >= 0 ? repo.commits.slice(0, index + 1).reverse() : [commit];
      const rows = line.filter((c) => Date.parse(c.date) >= since && Date.parse(c.date) <= until);
      return connectionOf(args, rows, "commitHistory", (c) => commitNode(repo, c));
    },
  };
}

function commitFor(repo: FakeRepo, sha: string): FakeCommit {
  return (
    repo.commits.find((c) => c.sha === sha) ?? {
      sha,
      message: "(commit)",
      date: "2020-01-01T00:00:00Z",
      author: "octocat",
    }
  );
}

function issueNode(repo: FakeRepo, issue: FakeIssue): Resolver {
  const base: Resolver = {
    __typename: issue.pull ? "PullRequest" : "Issue",
    id: `I_${repo.id}_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state.toUpperCase(),
    createdAt: issue.created_at,
    author: actor(issue.author),
    labels: (args: Args) =>
      connectionOf(args, issue.labels, "label", (name) => ({ __typename: "Label", name, color: "ededed" })),
  };
  const pull = issue.pull;
  if (!pull) return base;
  return {
    ...base,
    mergedAt: pull.mergedAt,
    merged: pull.mergedAt !== null,
    isDraft: pull.draft,
    headRefOid: pull.headSha,
    headRefName: pull.headRef,
    baseRefName: repo.defaultBranch,
    closingIssuesReferences: (args: Args) => {
      const issues = pull.closingIssues.flatMap((n) => repo.issues.filter((i) => i.number === n && !i.pull));
      return connectionOf(args, issues, "issue", (i) => issueNode(repo, i));
    },
    files: (args: Args) =>
      connectionOf(args, pull.files, "pullRequestChangedFile", (path) => ({
        __typename: "PullRequestChangedFile",
        path,
        additions: 1,
        deletions: 0,
        changeType: "MODIFIED",
      })),
  };
}

function repositoryNode(repo: FakeRepo, headSha: string): Resolver {
  const find = (n: unknown) => repo.issues.find((i) => i.number === n);
  return {
    __typename: "Repository",
    id: `R_${repo.id}`,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isArchived: repo.archived,
    owner: { __typename: "Organization", login: repo.owner },
    defaultBranchRef: {
      __typename: "Ref",
      name: repo.defaultBranch,
      prefix: "refs/heads/",
      target: commitNode(repo, commitFor(repo, headSha)),
    },
    pullRequest: ({ number }: Args) => {
      const issue = find(number);
      if (!issue?.pull)
        throw new NotFound(`Could not resolve to a PullRequest with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    issue: ({ number }: Args) => {
      const issue = find(number);
      if (!issue || issue.pull)
        throw new NotFound(`Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    issueOrPullRequest: ({ number }: Args) => {
      const issue = find(number);
      if (!issue)
        throw new NotFound(`Could not resolve to an issue or pull request with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    refs: (args: Args) => {
      const prefix = String(args.refPrefix ?? "");
      if (!prefix.endsWith("/")) throw new QueryError("refPrefix must end with a slash");
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const refs =
        prefix === "refs/tags/"
          ? [...repo.tags.entries()].map(([name, tag]) => {
              const commit = commitNode(repo, commitFor(repo, tag.sha));
              const target = tag.date
                ? {
                    __typename: "Tag",
                    oid: shaOf(`tag object ${name}`),
                    tagger: { __typename: "GitActor", date: tag.date, name: "octocat" },
                    target: commit,
                  }
                : commit;
              return { name, date: tag.date ?? String(commit.committedDate), target };
            })
          : prefix === "refs/heads/"
            ? [{ name: repo.defaultBranch, date: "", target: commitNode(repo, commitFor(repo, headSha)) }]
            : [];
      if (order.field === "ALPHABETICAL") refs.sort((a, b) => a.name.localeCompare(b.name));
      else if (order.field === "TAG_COMMIT_DATE")
        refs.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
      if (order.direction === "DESC") refs.reverse();
      return connectionOf(args, refs, "ref", (r) => ({
        __typename: "Ref",
        name: r.name,
        prefix,
        target: r.target,
      }));
    },
  };
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
    const op = parseQuery(query);
    if (op.type !== "query") return fail(`the fake answers queries only, not ${op.type}`);
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
    const root: Resolver = {
      __typename: "Query",
      repository: ({ owner, name }: Args) => {
        const repo = state.findRepo(String(owner), String(name));
        if (!repo || !state.canSee(installationId, repo)) {
          throw new NotFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
        }
        return repositoryNode(repo, state.headSha(repo));
      },
      rateLimit: { __typename: "RateLimit", cost: 1, limit: 5000, remaining: 4999, used: 1 },
    };
    const { data, errors } = execute(op, root, vars);
    return { response: errors.length > 0 ? { data, errors } : { data }, problems: [] };
  } catch (error) {
    if (error instanceof QueryError) return fail(error.message);
    throw error;
  }
}
