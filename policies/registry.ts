/**
 * The rule registry: every rule of the catalogue, in the order reports list them.
 * Adding a rule = one file (or one export) + one line here + its schema entry + its doc row.
 */
import { defaultLevels } from "../core/engine/evaluate.js";
import type { Rule } from "../core/engine/rule.js";
import type { RuleId } from "../core/engine/types.js";
import { configOf, type EffectiveConfig } from "../core/manifest/config.js";
import type { Loaded, Manifest, OrgPolicy } from "../core/manifest/manifest.js";
import { manifestPresent, manifestValid } from "./manifest.js";
import {
  outcomeDeclared,
  outcomeIssue,
  outcomeOverdue,
  outcomePullRequest,
  outcomeRelease,
} from "./outcome.js";
import { outcomeStale } from "./outcome-stale.js";
import { ownershipCodeowners, ownershipRoles, ownershipTeam } from "./ownership.js";
import { ownershipPaths } from "./ownership-paths.js";
import { problemIssue } from "./problem.js";
import { manifestProtected } from "./protected.js";
import { releaseCadence, releaseUnreleased } from "./release.js";

export const RULES: readonly Rule[] = [
  manifestValid,
  manifestPresent,
  ownershipTeam,
  ownershipRoles,
  ownershipCodeowners,
  releaseCadence,
  releaseUnreleased,
  outcomePullRequest,
  outcomeIssue,
  problemIssue,
  outcomeRelease,
  outcomeDeclared,
  outcomeOverdue,
  outcomeStale,
  manifestProtected,
  ownershipPaths,
];

export const DEFAULT_LEVELS = defaultLevels(RULES);

/** The rules that judge a repository: what a SARIF file of the repository's findings declares. */
export const REPO_RULES: readonly Rule[] = RULES.filter((r) => r.subjects.includes("repo"));

/**
 * The effective configuration of a judgement: the registry's defaults <- the org policy <- the
 * repository manifest, with the policy's locks, scheduled levels read on the UTC day of `now`
 * (the judgement's one clock). Resolved once per judgement, then passed along.
 *
 * @example effectiveConfig(manifest, policy, now).levels["release.cadence"].value // "error"
 */
export function effectiveConfig(
  manifest: Loaded<Manifest> | null | undefined,
  policy: Loaded<OrgPolicy> | null | undefined,
  now: Date,
): EffectiveConfig {
  return configOf(DEFAULT_LEVELS, manifest, policy, now);
}

/** The rule with this id. */
export function findRule(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id} in the registry`);
  return rule;
}
