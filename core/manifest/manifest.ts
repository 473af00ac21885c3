/**
 * The repository manifest (`.github/pom.yml`) and the org policy (`.github/pom-policy.yml`):
 * typed shapes, and loaders that turn text into a value or positioned problems.
 */

import { checkOutcomes, checkProducts, checkWaiverProducts } from "./manifest-checks.js";
import type { SourceProblem } from "./problem.js";
import { checkCampaigns, checkRuleSchedules } from "./schedule-checks.js";
import { checkSchema, type SchemaName } from "./schema-check.js";
import type { Manifest, OrgPolicy } from "./types.js";
import { readYaml, type YamlSource } from "./yaml-source.js";

export type {
  Campaign,
  Exemptions,
  Manifest,
  OrgPolicy,
  Outcome,
  OutcomeStatus,
  ProductDeclaration,
  ProductInfo,
  ReleaseDeclaration,
  ReleaseSource,
  SharedDeclaration,
  TeamDeclaration,
  TeamRuleName,
  Waiver,
} from "./types.js";

/** A loaded document: on success its value and source; otherwise the problems, all of them. */
export type Loaded<T> =
  | { ok: true; value: T; source: YamlSource }
  | { ok: false; problems: SourceProblem[]; source?: YamlSource };

export { MANIFEST_PATHS, POLICY_PATH } from "./paths.js";

/**
 * Parses and validates a repository manifest.
 *
 * @example
 * const loaded = loadManifest(text, ".github/pom.yml");
 * if (!loaded.ok) for (const p of loaded.problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message}`);
 */
export function loadManifest(
  text: string,
  file: string,
  options: { files?: readonly string[] | (() => readonly string[]) } = {},
): Loaded<Manifest> {
  const files = options.files;
  return loadDocument<Manifest>("manifest", text, file, (value, source) => [
    ...(Array.isArray(value.products)
      ? checkProducts(value, source, typeof files === "function" ? files() : files)
      : [...checkOutcomes(value.outcomes, source), ...checkWaiverProducts(value, source)]),
    ...checkRuleSchedules(value, source),
  ]);
}

/** Parses and validates an org policy. */
export function loadPolicy(text: string, file: string): Loaded<OrgPolicy> {
  return loadDocument<OrgPolicy>("policy", text, file, (value, source) => [
    ...checkOutcomes(value.outcomes, source),
    ...checkRuleSchedules(value, source),
    ...checkCampaigns(value, source),
  ]);
}

function loadDocument<T>(
  schema: SchemaName,
  text: string,
  file: string,
  semantic: (value: T, source: YamlSource) => SourceProblem[],
): Loaded<T> {
  const read = readYaml(text, file);
  if (!read.ok) return { ok: false, problems: read.problems };
  const { source } = read;
  if (source.value === null || source.value === undefined) {
    const what = schema === "manifest" ? "pom.yml" : "pom-policy.yml";
    return {
      ok: false,
      source,
      problems: [
        { file, line: 1, column: 1, message: `the file is empty`, hint: `start ${what} with "version: 1"` },
      ],
    };
  }
  const value = source.value as T;
  // Semantic checks run even when the schema fails, so that one pass reports every problem.
  const problems = [...checkSchema(schema, source), ...semantic(value, source)].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  if (problems.length > 0) return { ok: false, problems, source };
  return { ok: true, value, source };
}
