/**
 * How the JSON Schemas of schemas/ become validators: one ajv configuration for both uses of it.
 * `npm run validators` (scripts/validators.mjs) turns it into the standalone code that
 * core/manifest/schema-check.ts runs (core/manifest/validators.generated.ts, committed); `compileValidators()`
 * compiles the same validators when called, which only the benchmark does, to compare the two.
 * Nothing on a runtime path imports this module: it would load ajv's compiler.
 */
import { Ajv2020, type Options, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import manifestSchema from "../../schemas/pom.schema.json" with { type: "json" };
import policySchema from "../../schemas/pom-policy.schema.json" with { type: "json" };

export type SchemaName = "manifest" | "policy";

type JsonSchema = { [key: string]: unknown };

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/** The schemas by name, and the ajv options their validators are made with. */
export const SCHEMAS: Record<SchemaName, { $id: string }> = {
  manifest: manifestSchema,
  policy: policySchema,
};
/**
 * The validators generated and run, by name, with the schema (or part of it) each validates: the
 * manifest as a whole, and each of its two forms alone. The loader picks the form by the presence
 * of `products`, so that its errors stay those of one form: ajv's `oneOf` reports every branch's
 * errors at once, and a misspelt key would get no "did you mean" hint.
 */
export const VALIDATOR_REFS = {
  manifest: manifestSchema.$id,
  manifestSingle: `${manifestSchema.$id}#/$defs/single`,
  manifestProducts: `${manifestSchema.$id}#/$defs/multi`,
  policy: policySchema.$id,
} as const;

export type ValidatorName = keyof typeof VALIDATOR_REFS;

export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  verbose: true,
  inlineRefs: 8,
} as const satisfies Options;

/** An ajv instance with the formats and both schemas added; `code` for standalone generation. */
export function createAjv(code?: Options["code"]): Ajv2020 {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...(code ? { code } : {}) });
  addFormats(ajv);
  for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema as JsonSchema);
  return ajv;
}

/** Every validator, compiled now (what every process did before the standalone code). */
export function compileValidators(): Record<ValidatorName, ValidateFunction> {
  const ajv = createAjv();
  const get = (name: ValidatorName): ValidateFunction => {
    const fn = ajv.getSchema(VALIDATOR_REFS[name]);
    if (!fn) throw new Error(`schema ${VALIDATOR_REFS[name]} did not compile`);
    return fn;
  };
  return {
    manifest: get("manifest"),
    manifestSingle: get("manifestSingle"),
    manifestProducts: get("manifestProducts"),
    policy: get("policy"),
  };
}
