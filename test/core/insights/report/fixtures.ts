/**
 * Synthetic repositories for the report tests: deterministic releases, merged pull requests and
 * findings that vary in every dimension the dashboard shows (tiers, conclusions, traces, gaps).
 */

import type { Finding, RuleId, Status } from "../../../../core/engine/types.js";
import type { RepoInsights } from "../../../../core/insights/report/insights.js";

export const REPORT_NOW = new Date("2026-06-15T12:00:00Z");
const DAY = 86_400_000;

const finding = (rule: RuleId, status: Status, level: "error" | "warn" = "error"): Finding => ({
  rule,
  status,
  level,
  message: `${rule} ${status}`,
  fix: status === "pass" ? "" : "fix it",
  evidence: [],
});

/** `count` repositories named acme/svc-00.. with varied histories. */
export function syntheticRepos(count: number, now = REPORT_NOW): RepoInsights[] {
  return Array.from({ length: count }, (_, i) => {
    const every = [1, 3, 7, 20, 45][i % 5] as number; // days between releases
    const releases = Array.from({ length: Math.floor(120 / every) }, (_, k) => ({
      tag: `v1.${k}.0`,
      publishedAt: new Date(now.getTime() - (k * every + (i % 3)) * DAY - 3_600_000).toISOString(),
    }));
    const traces = ["outcome", "outcome", "none", "exempt", "outcome", "waived"] as const;
    const merged = Array.from({ length: 6 + (i % 7) }, (_, k) => {
      const trace = traces[(i + k) % traces.length] as (typeof traces)[number];
      return {
        number: k + 1,
        mergedAt: new Date(now.getTime() - (k * 9 + 2) * DAY - (i % 5) * 3_600_000).toISOString(),
        trace,
        ...(trace === "outcome" ? { outcomes: [k % 2 === 0 ? "CHK-12" : "OKR-3"] } : {}),
      };
    });
    const cadenceFails = every > 14;
    const findings: Finding[] = [
      finding("manifest.valid", "pass"),
      finding("ownership.team", i % 4 === 3 ? "fail" : "pass"),
      finding("ownership.roles", i % 6 === 5 ? "fail" : "pass", "warn"),
      finding("ownership.codeowners", i % 3 === 2 ? "unknown" : "pass", "warn"),
      finding("release.cadence", cadenceFails ? "fail" : "pass"),
      finding("release.unreleased", i % 5 === 1 ? "fail" : "pass", "warn"),
      finding("outcome.declared", i % 8 === 7 ? "waived" : "pass", "warn"),
    ];
    const failsError = findings.some((f) => f.status === "fail" && f.level === "error");
    const failsWarn = findings.some((f) => f.status === "fail");
    return {
      repo: `acme/svc-${String(i).padStart(2, "0")}`,
      checkedAt: now.toISOString(),
      conclusion: failsError ? "failure" : failsWarn ? "neutral" : "success",
      findings,
      hasManifest: true,
      product: `Service ${i}`,
      team: `acme/team-${i % 4}`,
      cadence: { text: "14d", ms: 14 * DAY },
      tagPattern: "v*",
      activeOutcomes: ["CHK-12", "OKR-3", "GROW-1"],
      releases,
      merged,
    };
  });
}
