/**
 * Validates a parsed YAML document against the project's JSON Schemas and turns the validator's
 * errors into positioned problems a person understands (expected vs found, "did you mean").
 */
import type { ErrorObject } from "ajv/dist/2020.js";
import { isRuleId, RULE_IDS } from "../engine/types.js";
import { describeValue, parseDuration } from "./duration.js";
import type { SourceProblem } from "./problem.js";
import type { SchemaName, ValidatorName } from "./schema-compile.js";
import { withinMatchingAlternative, withPropertyNames } from "./schema-errors.js";
import { closestMatch, suggestionHint } from "./suggest.js";
import * as generated from "./validators.generated.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

export type { SchemaName };

/** A validator as ajv makes it: true or false, and the errors of the last call that failed. */
export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The validators, generated from schemas/ by `npm run validators` (nothing is compiled at start). */
let validators: Record<ValidatorName, Validator> = {
  manifest: generated.manifest as Validator,
  manifestSingle: generated.manifestSingle as Validator,
  manifestProducts: generated.manifestProducts as Validator,
  policy: generated.policy as Validator,
};

/**
 * Replaces the validators `checkSchema` runs (the benchmark compares the generated ones with ones
 * compiled at start, see core/manifest/schema-compile.ts); returns the previous ones.
 */
export function useValidators(next: Record<ValidatorName, Validator>): Record<ValidatorName, Validator> {
  const previous = validators;
  validators = next;
  return previous;
}

/** Messages for pattern failures, keyed by the last path segment (or its parent for list items). */
const PATTERN_MESSAGES: Record<string, string> = {
  github: 'expected an owning GitHub team as "org/team-slug", such as "acme/payments"',
  product_manager: "expected a GitHub login such as alice (a leading @ is accepted)",
  designer: "expected a GitHub login such as bob (a leading @ is accepted)",
  tech_lead: "expected a GitHub login such as carol (a leading @ is accepted)",
  id: "expected an outcome id of letters and digits, optionally joined by - _ or ., such as OKR-3 or CHK-12",
};

const DURATION_KEYS = new Set(["cadence", "max_cadence"]);

/**
 * Checks `source` against a schema.
 *
 * @example checkSchema("manifest", source) // [] when the manifest is valid
 */
export function checkSchema(name: SchemaName, source: YamlSource): SourceProblem[] {
  const validate = validators[validatorFor(name, source.value)];
  if (validate(source.value)) return [];
  const all = withinMatchingAlternative(
    withPropertyNames(validate.errors ?? []).filter((e) => e.keyword !== "propertyNames"),
  );
  // A misspelt key (`tem:`) also makes its intended key missing; report it once, as the misspelling.
  const errors = all.filter((e) => !(e.keyword === "required" && isMisspelt(e, all)));
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const key = error.instancePath + (error.propertyName ? `#${error.propertyName}` : "");
    byPath.set(key, [...(byPath.get(key) ?? []), error]);
  }
  const problems: SourceProblem[] = [];
  for (const group of byPath.values()) {
    // A type error explains everything else wrong at that path; otherwise report each keyword once.
    const typeError = group.find((e) => e.keyword === "type");
    const chosen = typeError ? [typeError] : dedupeKeywords(group);
    for (const error of chosen) problems.push(describe(error, source));
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The validator of a document: a manifest is checked against the form it chose, the one with
 * products when it has a `products` key, the single form otherwise (so that a manifest of the
 * single form gets the errors and hints it always got).
 */
function validatorFor(name: SchemaName, value: unknown): ValidatorName {
  if (name === "policy") return "policy";
  const isMapping = typeof value === "object" && value !== null && !Array.isArray(value);
  return isMapping && Object.hasOwn(value, "products") ? "manifestProducts" : "manifestSingle";
}

function isMisspelt(required: ErrorObject, errors: ErrorObject[]): boolean {
  const missing = String((required.params as { missingProperty?: unknown }).missingProperty);
  return errors.some(
    (e) =>
      e.keyword === "additionalProperties" &&
      e.instancePath === required.instancePath &&
      closestMatch(String((e.params as { additionalProperty?: unknown }).additionalProperty), [
        ...Object.keys(propertiesAt(e.parentSchema)),
      ]) === missing,
  );
}

function dedupeKeywords(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.keyword}:${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Renders a path as users write it: `outcomes[2].id`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function describe(error: ErrorObject, source: YamlSource): SourceProblem {
  const path = pathOf(error.instancePath);
  const shown = formatPath(path);
  const where = shown === "" ? "the top level" : shown;
  const value = valueAt(source.value, path);
  const params = error.params as Record<string, unknown>;
  const last = path.at(-1);
  const problem = (at: SourceProblem | ReturnType<YamlSource["locate"]>, message: string, hint?: string) => ({
    ...at,
    message,
    ...(hint ? { hint } : {}),
    path: shown,
  });

  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(propertiesAt(error.parentSchema));
      return problem(
        source.locate([...path, key], { key: true }),
        `unknown key "${key}" in ${where}`,
        suggestionHint(key, allowed),
      );
    }
    case "required": {
      const missing = String(params.missingProperty);
      const at =
        path.length === 0 ? { file: source.file, line: 1, column: 1 } : source.locate(path, { key: true });
      return problem(at, `missing required key "${missing}" in ${where}`, `add ${missing}: to ${where}`);
    }
    case "type":
      if (typeof last === "string" && DURATION_KEYS.has(last)) {
        const parsed = parseDuration(value);
        const hint = typeof value === "number" ? `add a unit, for example "${value}d"` : undefined;
        return problem(source.locate(path), `${where}: ${parsed.ok ? "" : parsed.message}`, hint);
      }
      return problem(
        source.locate(path),
        `${where}: expected ${article(String(params.type))}; found ${describeValue(value)}`,
      );
    case "enum": {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map(String);
      if (error.propertyName !== undefined) {
        const name = error.propertyName;
        return problem(
          source.locate([...path, name], { key: true }),
          `unknown rule id "${name}" in ${where}`,
          suggestionHint(name, allowed),
        );
      }
      if (typeof value === "string" && allowed.length === RULE_IDS.length && allowed.every(isRuleId)) {
        return problem(
          source.locate(path),
          `${where}: unknown rule id "${value}"`,
          suggestionHint(value, allowed),
        );
      }
      return problem(
        source.locate(path),
        `${where}: expected one of ${allowed.join(", ")}; found ${describeValue(value)}`,
        typeof value === "string" ? suggestionHint(value, allowed) : undefined,
      );
    }
    case "anyOf": {
      const types = ((params.types as string[] | undefined) ?? []).flatMap((t) => t.split(","));
      const level = path.at(-2) === "rules";
      const expected = level
        ? "error, warn or off, or a schedule of dates"
        : article([...new Set(types)].join(","));
      return problem(
        source.locate(path),
        `${where}: expected ${expected}; found ${describeValue(value)}`,
        level ? "write a level, or a schedule such as { warn: 2027-01-01, error: 2027-03-01 }" : undefined,
      );
    }
    case "const":
      return problem(
        source.locate(path),
        `${where}: expected ${JSON.stringify(params.allowedValue)}; found ${describeValue(value)}`,
      );
    case "pattern": {
      if (typeof last === "string" && DURATION_KEYS.has(last)) {
        const parsed = parseDuration(value);
        if (!parsed.ok) return problem(source.locate(path), `${where}: ${parsed.message}`);
        // Readable but not in the canonical spelling the schema (and editors) accept: "Weekly", "014d".
        return problem(
          source.locate(path),
          `${where}: expected a duration written in lower case such as 36h, 14d, 2w or weekly; found ${describeValue(value)}`,
          `did you mean "${parsed.text}"?`,
        );
      }
      const parent = typeof last === "number" ? path.at(-2) : last;
      const expected = PATTERN_MESSAGES[String(parent)] ?? `expected text matching ${String(params.pattern)}`;
      return problem(source.locate(path), `${where}: ${expected}; found ${describeValue(value)}`);
    }
    case "format": {
      const expected =
        params.format === "date"
          ? "a date written YYYY-MM-DD"
          : params.format === "uri"
            ? "an absolute URL"
            : params.format;
      return problem(source.locate(path), `${where}: expected ${expected}; found ${describeValue(value)}`);
    }
    case "minLength":
      return problem(source.locate(path), `${where}: must not be empty`);
    case "maxLength":
      return problem(source.locate(path), `${where}: is longer than the limit of ${params.limit} characters`);
    case "maxItems":
      return problem(source.locate(path), `${where}: has more than the limit of ${params.limit} entries`);
    case "uniqueItems":
      return problem(source.locate([...path, Number(params.i)]), `${where}: lists the same value twice`);
    default:
      return problem(source.locate(path), `${where}: ${error.message ?? "is not valid"}`);
  }
}

function propertiesAt(schema: unknown): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ?? {};
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping (key: value lines)",
    array: "a list",
    string: "text",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return type
    .split(",")
    .map((t) => words[t] ?? t)
    .join(" or ");
}
