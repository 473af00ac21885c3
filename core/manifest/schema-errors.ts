/**
 * The validator's errors made to say one thing each: an unknown key of `rules` at its key, and of
 * the alternatives of an `anyOf`, only those that apply to the value's type.
 */
import type { ErrorObject } from "ajv/dist/2020.js";

/**
 * The errors of a property name checked through a `$ref` that ajv did not inline carry no
 * `propertyName`: give it back from the `propertyNames` error they explain, so that an unknown
 * rule id in `rules` is reported at its key, with its hint, whichever way ajv compiled the schema.
 */
export function withPropertyNames(errors: ErrorObject[]): ErrorObject[] {
  const names = errors.filter((e) => e.keyword === "propertyNames");
  if (names.length === 0) return errors;
  return errors.map((e) => {
    if (e.propertyName !== undefined || e.keyword === "propertyNames") return e;
    const owner = names.find(
      (n) =>
        n.instancePath === e.instancePath && (n.params as { propertyName?: unknown }).propertyName === e.data,
    );
    return owner ? { ...e, propertyName: String(e.data) } : e;
  });
}

/**
 * Of the alternatives of an `anyOf` (a rule level: a level or a schedule), only those whose type the
 * value has explain what is wrong with it: `warnn` is a misspelt level, not a schedule. When the
 * value has none of their types, the `anyOf` error alone says what was expected.
 */
export function withinMatchingAlternative(errors: ErrorObject[]): ErrorObject[] {
  const anyOf = errors.filter((e) => e.keyword === "anyOf");
  if (anyOf.length === 0) return errors;
  const dropped = new Set<ErrorObject>();
  for (const choice of anyOf) {
    // ajv lists a choice's errors before it; a branch it compiled apart (a `$ref` not inlined)
    // has schema paths of its own, so the branch of an error is told by its schema object.
    const before = errors.slice(0, errors.indexOf(choice));
    const own = before.filter((e) => e !== choice && e.instancePath.startsWith(choice.instancePath));
    const wrongType = own.filter((e) => e.keyword === "type" && e.instancePath === choice.instancePath);
    const alternatives = Array.isArray(choice.schema) ? choice.schema.length : Number.POSITIVE_INFINITY;
    if (wrongType.length < alternatives) {
      const wrongBranches = new Set(wrongType.map((e) => e.parentSchema));
      for (const e of own) if (wrongBranches.has(e.parentSchema)) dropped.add(e);
      dropped.add(choice);
    } else {
      for (const e of own) dropped.add(e);
      choice.params = { ...choice.params, types: wrongType.map((e) => String(e.params.type)) };
    }
  }
  return errors.filter((e) => !dropped.has(e));
}
