import { describe, expect, it } from "vitest";
import type { DoraTier } from "../../../../core/insights/metrics/dora.js";
import type { LeadTime } from "../../../../core/insights/metrics/lead-time.js";
import { orgMetrics, type RepoMetrics } from "../../../../core/insights/metrics/org.js";
import type { OwnershipCoverage } from "../../../../core/insights/metrics/ownership.js";
import type { ReleaseFrequency } from "../../../../core/insights/metrics/release-frequency.js";
import { repoMetrics } from "../../../../core/insights/metrics/repo.js";
import { type Traceability, traceShares } from "../../../../core/insights/metrics/traceability.js";
import { DAY, finding, NOW, rel } from "./helpers.js";

const WINDOW = { from: "2026-03-18", to: "2026-06-15", days: 90 };

function frequency(
  tier: DoraTier,
  perWeek: number,
  daysSince: number | null,
  gap: number,
  coverage: number,
): ReleaseFrequency {
  return {
    window: WINDOW,
    releases: 0,
    deploymentDays: 0,
    deploymentDaysPerWeek: perWeek,
    tier,
    tierThresholds: "DORA 2023",
    lastRelease: daysSince === null ? null : { tag: "v1", publishedAt: "2026-06-01T00:00:00Z" },
    daysSinceLastRelease: daysSince,
    longestGapDays: gap,
    cadence: { ms: 14 * DAY, coveredDays: 0, coverage },
  };
}

function lead(pullRequests: number, medianHours: number | null, p90Hours: number | null): LeadTime {
  return { window: WINDOW, releases: 1, pullRequests, skipped: 0, medianHours, p90Hours };
}

function trace(
  counts: [number, number, number, number, number, number],
  byOutcome: [string, number][],
): Traceability {
  const [pullRequests, traced, exempt, waived, untraced, unknown] = counts;
  const c = { pullRequests, traced, exempt, waived, untraced, unknown };
  return {
    window: WINDOW,
    ...c,
    ...traceShares(c),
    byOutcome: byOutcome.map(([id, n]) => ({ id, pullRequests: n })),
  };
}

function owned(
  manifest: OwnershipCoverage["manifest"],
  rules: OwnershipCoverage["rules"][keyof OwnershipCoverage["rules"]][],
): OwnershipCoverage {
  const [mv, team, roles, codeowners] = rules;
  const passed = rules.filter((r) => r === "pass").length;
  return {
    manifest,
    rules: {
      "manifest.valid": mv ?? null,
      "ownership.team": team ?? null,
      "ownership.roles": roles ?? null,
      "ownership.codeowners": codeowners ?? null,
    },
    passed,
    complete: passed === 4,
  };
}

const repos: RepoMetrics[] = [
  {
    repo: "acme/a",
    releaseFrequency: frequency("high", 1.01, 0.5, 10, 1),
    leadTime: lead(4, 10, 20),
    traceability: trace(
      [10, 8, 1, 0, 1, 0],
      [
        ["CHK-12", 5],
        ["OKR-3", 3],
      ],
    ),
    ownership: owned("valid", ["pass", "pass", "pass", "pass"]),
  },
  {
    repo: "acme/b",
    releaseFrequency: frequency("low", 0, null, 90, 0),
    leadTime: lead(0, null, null),
    traceability: trace([0, 0, 0, 0, 0, 0], []),
    ownership: owned("absent", [null, null, null, null]),
  },
  {
    repo: "acme/c",
    releaseFrequency: frequency("medium", 0.23, 20.5, 40, 0.5),
    leadTime: lead(2, 30, 50),
    traceability: trace([5, 2, 0, 1, 1, 1], [["CHK-12", 2]]),
    ownership: owned("valid", ["pass", "unknown", "pass", "fail"]),
  },
];

describe("orgMetrics", () => {
  it("summarises the repositories' figures (hand-computed)", () => {
    expect(orgMetrics(repos)).toEqual({
      repos: 3,
      releaseFrequency: {
        repos: 3,
        tiers: { elite: 0, high: 1, medium: 1, low: 1 },
        tierThresholds: "DORA 2023",
        deploymentDaysPerWeek: { n: 3, mean: 0.41, median: 0.23 }, // 1.24 / 3 = 0.4133
        daysSinceLastRelease: { n: 2, mean: 10.5, median: 10.5 }, // b never released
        neverReleased: 1,
        longestGapDays: { n: 3, mean: 46.7, median: 40 }, // 140 / 3 = 46.67
        cadenceCoverage: { n: 3, mean: 0.5, median: 0.5 },
      },
      leadTime: {
        repos: 2, // b measured nothing
        pullRequests: 6,
        medianHours: { n: 2, mean: 20, median: 20 },
        p90Hours: { n: 2, mean: 35, median: 35 },
      },
      // No repository here has stability figures: nothing pooled, and no rate.
      stability: {
        repos: 0,
        deployments: 0,
        failures: 0,
        changeFailureRate: null,
        restored: 0,
        open: 0,
        timeToRestore: { medianHours: null, p90Hours: null },
        incomplete: 0,
      },
      traceability: {
        repos: 3,
        pullRequests: 15,
        traced: 10,
        exempt: 1,
        waived: 1,
        untraced: 2,
        unknown: 1,
        tracedShare: 0.667,
        exemptShare: 0.067,
        waivedShare: 0.067,
        untracedShare: 0.133,
        tracedShareOfGoverned: 0.714, // 10 / 14
        byOutcome: [
          { id: "CHK-12", pullRequests: 7 },
          { id: "OKR-3", pullRequests: 3 },
        ],
      },
      ownership: {
        repos: 3,
        complete: 1,
        completeShare: 0.333,
        manifest: { valid: 2, invalid: 0, absent: 1, unknown: 0 },
        rules: {
          "manifest.valid": { pass: 2, fail: 0, skip: 0, waived: 0, unknown: 0, none: 1 },
          "ownership.team": { pass: 1, fail: 0, skip: 0, waived: 0, unknown: 1, none: 1 },
          "ownership.roles": { pass: 2, fail: 0, skip: 0, waived: 0, unknown: 0, none: 1 },
          "ownership.codeowners": { pass: 1, fail: 1, skip: 0, waived: 0, unknown: 0, none: 1 },
        },
      },
    });
  });

  it("gives an empty organization zero counts and null summaries", () => {
    const org = orgMetrics([]);
    expect(org.repos).toBe(0);
    expect(org.releaseFrequency.deploymentDaysPerWeek).toEqual({ n: 0, mean: null, median: null });
    expect(org.leadTime).toEqual({
      repos: 0,
      pullRequests: 0,
      medianHours: { n: 0, mean: null, median: null },
      p90Hours: { n: 0, mean: null, median: null },
    });
    expect(org.traceability.tracedShare).toBeNull();
    expect(org.ownership).toMatchObject({ repos: 0, complete: 0, completeShare: null });
  });

  it("summarises each section over the repositories that have it", () => {
    const org = orgMetrics([{ repo: "x" }, repos[0] as RepoMetrics]);
    expect(org.repos).toBe(2);
    expect(org.releaseFrequency.repos).toBe(1);
    expect(org.traceability.repos).toBe(1);
    expect(org.ownership.repos).toBe(1);
  });
});

describe("repoMetrics", () => {
  it("computes the sections whose facts are present and leaves the others out", () => {
    const m = repoMetrics({
      repo: "acme/checkout",
      now: NOW,
      cadenceMs: 14 * DAY,
      releases: [rel("v1", "2026-06-10T12:00:00Z")],
      findings: [finding("manifest.valid", "pass")],
      hasManifest: true,
    });
    expect(Object.keys(m)).toEqual(["repo", "releaseFrequency", "stability", "ownership"]);
    // Reverts and incidents were not given: the figures say so rather than counting none.
    expect(m.stability).toMatchObject({ deployments: 1, failures: 0, unread: ["reverts", "incidents"] });
    expect(m.releaseFrequency).toMatchObject({ deploymentDays: 1, tier: "low", daysSinceLastRelease: 5 });
    expect(m.ownership).toMatchObject({ manifest: "valid", passed: 1 });
  });

  it("passes the window and tag pattern to every section", () => {
    const m = repoMetrics({
      repo: "acme/checkout",
      now: NOW,
      windowDays: 7,
      cadenceMs: DAY,
      tagPattern: "v*",
      releases: [rel("nightly", "2026-06-14T00:00:00Z"), rel("v1", "2026-06-01T00:00:00Z")],
      releaseContents: [
        {
          release: rel("v2", "2026-06-12T00:00:00Z"),
          pullRequests: [{ number: 1, mergedAt: "2026-06-11T00:00:00Z" }],
        },
      ],
      pullRequests: [
        { number: 1, mergedAt: "2026-06-11T00:00:00Z", trace: "outcome", outcomes: ["CHK-12"] },
        { number: 2, mergedAt: "2026-06-01T00:00:00Z", trace: "none" },
      ],
      activeOutcomes: ["CHK-12"],
    });
    expect(m.releaseFrequency).toMatchObject({
      window: { days: 7 },
      releases: 0,
      lastRelease: { tag: "v1" },
    });
    expect(m.leadTime).toMatchObject({ window: { days: 7 }, medianHours: 24 });
    expect(m.traceability).toMatchObject({
      pullRequests: 1,
      traced: 1,
      byOutcome: [{ id: "CHK-12", pullRequests: 1 }],
    });
    expect(m.ownership).toBeUndefined();
  });
});

describe("the metrics are JSON", () => {
  it("survive a JSON round trip unchanged (no undefined, NaN or Infinity)", async () => {
    const metrics = await import("../../../../core/insights/metrics/index.js");
    const repo = metrics.repoMetrics({
      repo: "acme/checkout",
      now: NOW,
      cadenceMs: 14 * DAY,
      releases: [],
      releaseContents: [],
      pullRequests: [],
      findings: [],
    });
    const org = metrics.orgMetrics([repo]);
    const matrix = metrics.complianceMatrix([{ repo: "acme/checkout", findings: [] }]);
    const trend = metrics.trendSeries([metrics.orgSnapshot(org, NOW)]);
    for (const value of [repo, org, matrix, trend]) {
      expect(JSON.parse(JSON.stringify(value))).toStrictEqual(value);
    }
  });
});
