/** Combining and counting finding statuses, for coverage and the compliance matrix. */
import type { Finding, RuleId, Status } from "../../engine/types.js";

export const STATUSES: readonly Status[] = ["pass", "fail", "skip", "waived", "unknown"];

/** How much a status weighs when one rule has several findings: the worst one speaks for the rule. */
const WEIGHT: Record<Status, number> = { pass: 0, skip: 1, waived: 2, unknown: 3, fail: 4 };

/**
 * The worst of some statuses: fail, then unknown, then waived, then skip, then pass; null for none.
 *
 * @example worstStatus(["pass", "unknown"]) // "unknown"
 */
export function worstStatus(statuses: readonly Status[]): Status | null {
  let worst: Status | null = null;
  for (const s of statuses) if (worst === null || WEIGHT[s] > WEIGHT[worst]) worst = s;
  return worst;
}

/** The status of one rule in a list of findings (the worst of its findings); null when absent. */
export function ruleStatus(findings: readonly Finding[], rule: RuleId): Status | null {
  return worstStatus(findings.filter((f) => f.rule === rule).map((f) => f.status));
}

/** How many of each status, and `none` for "not evaluated". */
export type StatusCounts = Record<Status | "none", number>;

export function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, skip: 0, waived: 0, unknown: 0, none: 0 };
}
