/**
 * Checks of the shape of JSON read back (check results, reports): each names the path of the
 * first value that does not fit and what was expected there.
 */

export type Path = (string | number)[];
export type Check = (value: unknown, path: Path) => [Path, string] | undefined;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const isTime = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));

export const fields =
  (spec: Record<string, Check>, optional: readonly string[] = []): Check =>
  (value, path) => {
    if (!isObject(value)) return [path, "expected an object"];
    for (const [name, check] of Object.entries(spec)) {
      if (!(name in value)) {
        if (optional.includes(name)) continue;
        return [path, `"${name}" is missing`];
      }
      const problem = check(value[name], [...path, name]);
      if (problem) return problem;
    }
    return undefined;
  };
export const list =
  (item: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return [path, "expected a list"];
    for (const [i, v] of value.entries()) {
      const problem = item(v, [...path, i]);
      if (problem) return problem;
    }
    return undefined;
  };
export const string: Check = (v, path) => (typeof v === "string" ? undefined : [path, "expected a string"]);
export const time: Check = (v, path) => (isTime(v) ? undefined : [path, "expected an ISO 8601 time"]);
export const day: Check = (v, path) =>
  typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && isTime(v)
    ? undefined
    : [path, "expected a day, YYYY-MM-DD"];
export const count: Check = (v, path) =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? undefined : [path, "expected a whole number"];
export const positive: Check = (v, path) =>
  typeof v === "number" && Number.isInteger(v) && v > 0
    ? undefined
    : [path, "expected a whole number above 0"];
export const oneOf =
  (values: readonly string[]): Check =>
  (v, path) =>
    typeof v === "string" && values.includes(v) ? undefined : [path, `expected one of ${values.join(", ")}`];
export const anything: Check = () => undefined;
