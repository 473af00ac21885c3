/**
 * A validator for SARIF 2.1.0 logs, from the committed schema (see README.md beside this file),
 * shared by the renderer's, the CLI's and the action's tests.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | undefined;

/**
 * The schema's validator. The schema is JSON Schema draft-04: its draft-04 `id` and `$schema` are
 * set aside for ajv 8, and its patterns are compiled without the `u` flag (the language-tag
 * pattern has a stray bracket that a Unicode regular expression refuses).
 */
export function sarifValidator(): ValidateFunction {
  if (compiled) return compiled;
  const {
    $schema: _draft,
    id: _id,
    ...schema
  } = JSON.parse(readFileSync(new URL("./sarif-schema-2.1.0.json", import.meta.url), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** The schema's complaints about `log`, as short lines; empty when it is valid SARIF 2.1.0. */
export function sarifProblems(log: unknown): string[] {
  const validate = sarifValidator();
  if (validate(log)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}
