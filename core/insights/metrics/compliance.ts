/**
 * The compliance matrix: repositories × rules → status, from each repository's findings, with
 * per-rule totals. Definitions: docs/metrics.md.
 */
import { type Finding, RULE_IDS, type RuleId, type Status } from "../../engine/types.js";
import { round, share } from "./stats.js";
import { emptyCounts, ruleStatus, type StatusCounts } from "./status.js";

export interface RepoFindings {
  repo: string;
  findings: readonly Finding[];
}

export interface ComplianceRow {
  repo: string;
  /** Every rule of the matrix: the worst status of its findings, or null when it was not evaluated. */
  statuses: Record<string, Status | null>;
}

export interface RuleTotals extends StatusCounts {
  /** pass / (pass + fail + waived + unknown), to 3 decimals: skipped and unevaluated cells do not count. */
  passShare: number | null;
}

export interface ComplianceMatrix {
  /** The columns, in catalogue order. */
  rules: RuleId[];
  /** One row per repository, by name (code-point order). */
  rows: ComplianceRow[];
  totals: Record<string, RuleTotals>;
}

/**
 * Builds the matrix. The columns are `rules` when given, else every rule that has a finding in
 * some repository; either way in catalogue order. Findings of the same repository named twice
 * are combined.
 *
 * @example complianceMatrix([{ repo: "acme/a", findings }]).rows[0].statuses["release.cadence"] // "fail"
 */
export function complianceMatrix(
  repos: readonly RepoFindings[],
  options: { rules?: readonly RuleId[] } = {},
): ComplianceMatrix {
  const byRepo = new Map<string, Finding[]>();
  for (const r of repos) byRepo.set(r.repo, [...(byRepo.get(r.repo) ?? []), ...r.findings]);
  const wanted = new Set<RuleId>(options.rules ?? repos.flatMap((r) => r.findings.map((f) => f.rule)));
  const rules = RULE_IDS.filter((id) => wanted.has(id));

  const rows = [...byRepo.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((repo) => {
      const findings = byRepo.get(repo) ?? [];
      return { repo, statuses: Object.fromEntries(rules.map((rule) => [rule, ruleStatus(findings, rule)])) };
    });

  const totals: Record<string, RuleTotals> = {};
  for (const rule of rules) {
    const counts = emptyCounts();
    for (const row of rows) counts[row.statuses[rule] ?? "none"]++;
    const decided = counts.pass + counts.fail + counts.waived + counts.unknown;
    const passShare = share(counts.pass, decided);
    totals[rule] = { ...counts, passShare: passShare === null ? null : round(passShare, 3) };
  }
  return { rules, rows, totals };
}
