/**
 * The repository manifest (`.github/pom.yml`) and the org policy (`.github/pom-policy.yml`):
 * typed shapes, and loaders that turn text into a value or positioned problems.
 */

import type { Level, RuleId } from "../engine/types.js";
import type { SourceProblem } from "./problem.js";
import type { LevelSpec, ScheduleSpec } from "./schedule.js";
import { checkCampaigns, checkRuleSchedules } from "./schedule-checks.js";
import { checkSchema, type SchemaName } from "./schema-check.js";
import { readYaml, type YamlSource } from "./yaml-source.js";

export type OutcomeStatus = "active" | "achieved" | "dropped";

export interface Outcome {
  id: string;
  title?: string;
  metric?: string;
  target?: string | number;
  due?: string;
  status?: OutcomeStatus;
  link?: string;
}

export interface Exemptions {
  labels?: string[];
  authors?: string[];
}

export interface Waiver {
  rule: RuleId;
  until: string;
  reason: string;
  /** The day it was granted (YYYY-MM-DD): required under the org policy's `waivers.max_days`. */
  granted?: string;
}

/** An org rollout: its rules warn until the deadline and block from it, unless `levels` says otherwise. */
export interface Campaign {
  id: string;
  title: string;
  rules: RuleId[];
  deadline: string;
  levels?: ScheduleSpec;
}

export type ReleaseSource = "releases" | "tags" | "deployments";

export interface Manifest {
  version: 1;
  product: {
    name: string;
    description?: string;
    lifecycle?: "experimental" | "production" | "deprecated" | "retired";
  };
  team: {
    name: string;
    github: string;
    product_manager?: string;
    designer?: string;
    tech_lead?: string;
    contact?: string;
  };
  release?: { cadence?: string; source?: ReleaseSource; tag_pattern?: string; environment?: string };
  outcomes?: Outcome[];
  rules?: Partial<Record<RuleId, LevelSpec>>;
  exemptions?: Exemptions;
  waivers?: Waiver[];
}

/** The team rules, set in the org policy only (core/insights/teams). */
export type TeamRuleName = "team.focus" | "team.load" | "team.roles_shared" | "team.trio";

export interface OrgPolicy {
  version: 1;
  manifest?: Level;
  rules?: Partial<Record<RuleId, LevelSpec>> & Partial<Record<TeamRuleName, Level>>;
  locked?: RuleId[];
  campaigns?: Campaign[];
  release?: { max_cadence?: string };
  outcomes?: Outcome[];
  exemptions?: Exemptions;
  limits?: {
    "team.focus"?: number;
    "team.load"?: number;
    "team.roles_shared"?: number;
    "outcome.stale"?: string;
  };
  maturity?: { cadence_coverage?: number; traced_share?: number; change_failure_rate?: number | "off" };
  /** Where the app publishes the organization report: a pinned issue in `.github`, or nowhere. */
  report?: "issue" | "off";
  /** How the change failure rate tells a failed release (docs/metrics.md). */
  stability?: { patch_window?: string; hotfix_patterns?: string[]; incident_label?: string };
  /** The team (org/team-slug) whose approval changes of ownership, the policy and waivers need. */
  governance_team?: string;
  /** What waivers need to be honoured: an approval by the governance team, a maximum length. */
  waivers?: { require_approval?: boolean; max_days?: number };
}

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
export function loadManifest(text: string, file: string): Loaded<Manifest> {
  return loadDocument<Manifest>("manifest", text, file, (value, source) => [
    ...checkOutcomes(value.outcomes, source),
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

/** Outcome ids must be unique (case-insensitively, as references match them that way). */
function checkOutcomes(outcomes: Outcome[] | undefined, source: YamlSource): SourceProblem[] {
  const seen = new Map<string, number>();
  const problems: SourceProblem[] = [];
  if (!Array.isArray(outcomes)) return problems;
  outcomes.forEach((outcome, index) => {
    if (typeof outcome?.id !== "string") return;
    const key = outcome.id.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    problems.push({
      ...source.locate(["outcomes", index, "id"]),
      message: `outcome id "${outcome.id}" is declared twice (first as outcomes[${first}])`,
      hint: "give each outcome its own id",
      path: `outcomes[${index}].id`,
    });
  });
  return problems;
}
