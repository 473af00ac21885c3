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

/**
 * A repository with two products, acme/shop: Checkout (acme/payments) released every 7 days on
 * checkout-v* tags, Search (acme/discovery) every 30 days on search-v* tags, overdue.
 */
export function syntheticMonorepo(now = REPORT_NOW): RepoInsights {
  const tags = (prefix: string, every: number, offset: number) =>
    Array.from({ length: Math.floor(90 / every) }, (_, k) => ({
      tag: `${prefix}-v1.${k}.0`,
      publishedAt: new Date(now.getTime() - (k * every + offset) * DAY).toISOString(),
    }));
  const shared = finding("ownership.paths", "pass", "warn");
  const checkout = [shared, { ...finding("release.cadence", "pass"), product: "Checkout" }];
  const search = [shared, { ...finding("release.cadence", "fail"), product: "Search" }];
  const product = (name: string, team: string, cadenceDays: number, findings: Finding[]) => ({
    product: name,
    conclusion: findings.some((f) => f.status === "fail") ? ("failure" as const) : ("success" as const),
    findings,
    team,
    teamName: name === "Checkout" ? "Payments" : "Discovery",
    cadence: { text: `${cadenceDays}d`, ms: cadenceDays * DAY },
    tagPattern: `${name.toLowerCase()}-v*`,
    activeOutcomes: [],
  });
  return {
    repo: "acme/shop",
    checkedAt: now.toISOString(),
    conclusion: "failure",
    findings: [...checkout, search[1] as Finding],
    hasManifest: true,
    cadence: { text: "14d", ms: 14 * DAY },
    activeOutcomes: [],
    releases: [...tags("checkout", 7, 1), ...tags("search", 30, 40)],
    products: [
      product("Checkout", "acme/payments", 14, checkout),
      product("Search", "acme/discovery", 7, search),
    ],
  };
}
