/**
 * The rule registry: every rule of the catalogue, in the order reports list them.
 * Adding a rule = one file (or one export) + one line here + its schema entry + its doc row.
 */
import { defaultLevels } from "../core/engine/evaluate.js";
import type { Rule } from "../core/engine/rule.js";
import type { RuleId } from "../core/engine/types.js";
import { manifestPresent, manifestValid } from "./manifest.js";
import { outcomeDeclared, outcomeIssue, outcomePullRequest, outcomeRelease } from "./outcome.js";
import { ownershipCodeowners, ownershipRoles, ownershipTeam } from "./ownership.js";
import { problemIssue } from "./problem.js";
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
];

export const DEFAULT_LEVELS = defaultLevels(RULES);

/** The rule with this id. */
export function findRule(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id} in the registry`);
  return rule;
}
