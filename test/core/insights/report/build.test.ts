import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../../core/insights/metrics/index.js";
import { buildReport, releaseContents } from "../../../../core/insights/report/build.js";
import { daysAddedBy, HISTORY_DAYS, mergeHistory } from "../../../../core/insights/report/history.js";
import type { RepoInsights } from "../../../../core/insights/report/insights.js";
import { REPORT_NOW, syntheticRepos } from "./fixtures.js";

const NOW = REPORT_NOW; // 2026-06-15T12:00Z
const DAY = 86_400_000;
const ago = (days: number, hours = 0) =>
  new Date(NOW.getTime() - days * DAY - hours * 3_600_000).toISOString();

function insights(overrides: Partial<RepoInsights> = {}): RepoInsights {
  return {
    repo: "acme/checkout",
    checkedAt: NOW.toISOString(),
    conclusion: "success",
    findings: [],
    hasManifest: true,
    cadence: { text: "14d", ms: 14 * DAY },
    activeOutcomes: ["CHK-12"],
    ...overrides,
  };
}

describe("releaseContents: what each release contains, told by time", () => {
  it("credits a pull request to the first qualifying release at or after its merge", () => {
    const releases = [
      { tag: "v2", publishedAt: ago(1) },
      { tag: "v2-rc", publishedAt: ago(3), prerelease: true },
      { tag: "v1", publishedAt: ago(10) },
    ];
    const merged = [
      { number: 1, mergedAt: ago(12) },
      { number: 2, mergedAt: ago(10) }, // merged the moment v1 was published: in v1
      { number: 3, mergedAt: ago(5) }, // the pre-release does not count: first released by v2
      { number: 4, mergedAt: ago(0, 1) }, // not released yet
    ];
    const contents = releaseContents(releases, merged, undefined);
    expect(contents.map((c) => [c.release.tag, c.pullRequests.map((p) => p.number)])).toEqual([
      ["v1", [1, 2]],
      ["v2", [3]],
    ]);
  });

  it("keeps to the tag pattern", () => {
    const releases = [
      { tag: "web-1", publishedAt: ago(2) },
      { tag: "v1", publishedAt: ago(1) },
    ];
    const contents = releaseContents(releases, [{ number: 1, mergedAt: ago(3) }], "v*");
    expect(contents.map((c) => [c.release.tag, c.pullRequests.length])).toEqual([["v1", 1]]);
  });
});

describe("buildReport", () => {
  it("measures lead time and traceability from the history, and says which thresholds it used", () => {
    const report = buildReport({
      now: NOW,
      repos: [
        insights({
          releases: [{ tag: "v1", publishedAt: ago(1) }],
          merged: [
            { number: 1, mergedAt: ago(3), trace: "outcome", outcomes: ["CHK-12"] },
            { number: 2, mergedAt: ago(2), trace: "none" },
          ],
        }),
      ],
    });
    const row = report.repos[0];
    expect(row?.metrics.leadTime).toMatchObject({ pullRequests: 2, medianHours: 36, p90Hours: 45.6 });
    expect(row?.metrics.traceability).toMatchObject({ pullRequests: 2, traced: 1, tracedShare: 0.5 });
    expect(row?.gaps).toEqual([]);
    expect(report.tierThresholds.name).toBe("DORA 2023");
    expect(report.tierThresholds.tiers.map((t) => t.tier)).toEqual(["elite", "high", "medium", "low"]);
  });

  it("leaves traceability out when the pull requests came from git history without their text", () => {
    const report = buildReport({
      now: NOW,
      repos: [
        insights({
          releases: [{ tag: "v1", publishedAt: ago(1) }],
          merged: [{ number: 1, mergedAt: ago(3) }],
        }),
      ],
    });
    const row = report.repos[0];
    expect(row?.metrics.traceability).toBeUndefined();
    expect(row?.metrics.leadTime?.pullRequests).toBe(1);
    expect(row?.gaps).toEqual(["pull requests read from git history only: no traceability"]);
    expect(report.metrics.traceability.repos).toBe(0);
  });

  it("leaves out the sections whose history could not be read, and says so", () => {
    const report = buildReport({
      now: NOW,
      repos: [insights({ gaps: ["history not read: 502 Bad Gateway"] })],
    });
    const row = report.repos[0];
    expect(row?.metrics.releaseFrequency).toBeUndefined();
    expect(row?.metrics.leadTime).toBeUndefined();
    expect(row?.gaps).toEqual([
      "history not read: 502 Bad Gateway",
      "releases not read: no release figures",
      "merged pull requests not read: no lead time or traceability",
    ]);
    expect(report.metrics.releaseFrequency.repos).toBe(0);
  });

  it("counts a repository found twice with its latest check", () => {
    const older = insights({ checkedAt: ago(2), conclusion: "failure" });
    const newer = insights({ checkedAt: ago(1), conclusion: "success" });
    const report = buildReport({ now: NOW, repos: [newer, older] });
    expect(report.repos.map((r) => [r.repo, r.conclusion])).toEqual([["acme/checkout", "success"]]);
  });

  it("puts the window's qualifying releases on the timeline, oldest first", () => {
    const report = buildReport({
      now: NOW,
      windowDays: 30,
      repos: [
        insights({
          tagPattern: "v*",
          releases: [
            { tag: "v3", publishedAt: ago(2) },
            { tag: "v0", publishedAt: ago(40) }, // before the window
            { tag: "v2", publishedAt: "2026-06-01T10:00:00+02:00" },
            { tag: "nightly", publishedAt: ago(3) }, // not the pattern
            { tag: "v4", publishedAt: ago(-1) }, // after now
          ],
        }),
      ],
    });
    expect(report.repos[0]?.timeline).toEqual([
      { tag: "v2", at: "2026-06-01T08:00:00.000Z" },
      { tag: "v3", at: ago(2) },
    ]);
    expect(report.window).toEqual({ from: "2026-05-17", to: "2026-06-15", days: 30 });
    // The first gap of the timeline starts at v0, the last qualifying release before the window.
    expect(report.repos[0]?.releasedBefore).toEqual({ tag: "v0", at: ago(40) });
  });

  it("credits a release early in the window with a change merged before it (lead time)", () => {
    const report = buildReport({
      now: NOW,
      windowDays: 30,
      repos: [
        insights({
          releases: [
            { tag: "v2", publishedAt: ago(25) }, // in the window
            { tag: "v1", publishedAt: ago(50) },
          ],
          merged: [
            { number: 1, mergedAt: ago(35), trace: "outcome", outcomes: ["CHK-12"] }, // before the window
            { number: 2, mergedAt: ago(26), trace: "none" },
          ],
          historySince: ago(50),
        }),
      ],
    });
    const row = report.repos[0];
    // Both are measured at v2: 10 days and 1 day; traceability counts the one merged in the window.
    expect(row?.metrics.leadTime).toMatchObject({ pullRequests: 2, releases: 1, medianHours: 132 });
    expect(row?.metrics.traceability).toMatchObject({ pullRequests: 1, traced: 0 });
    expect(row?.gaps).toEqual([]);
  });

  it("says where the history does not cover the window, or the check is older than the report", () => {
    const hundred = Array.from({ length: 100 }, (_, k) => ({ tag: `v${k}`, publishedAt: ago(k * 0.5) }));
    const report = buildReport({
      now: NOW,
      windowDays: 90,
      repos: [
        insights({
          checkedAt: ago(3),
          releases: hundred,
          merged: [],
          historySince: ago(40),
        }),
      ],
    });
    expect(report.repos[0]?.gaps).toEqual([
      "checked 3 days before the report: later releases and merges are not counted",
      "merged pull requests were read from 2026-05-06 only: earlier ones in the window are not counted",
      "only the newest 100 releases were read (back to 2026-04-27): earlier ones in the window are not counted",
    ]);
  });

  it("sorts repositories by name and lists failing rules once each, in catalogue order", () => {
    const fail = (rule: "release.cadence" | "manifest.valid") => ({
      rule,
      status: "fail" as const,
      level: "error" as const,
      message: "",
      fix: "",
      evidence: [],
    });
    const report = buildReport({
      now: NOW,
      repos: [
        insights({
          repo: "acme/b",
          findings: [fail("release.cadence"), fail("manifest.valid"), fail("manifest.valid")],
        }),
        insights({ repo: "acme/a" }),
      ],
    });
    expect(report.repos.map((r) => r.repo)).toEqual(["acme/a", "acme/b"]);
    expect(report.repos[1]?.failing).toEqual(["manifest.valid", "release.cadence"]);
  });

  it("reports an organization without repositories without failing", () => {
    const report = buildReport({ now: NOW, repos: [] });
    expect(report.repos).toEqual([]);
    expect(report.metrics.repos).toBe(0);
    expect(report.trend.days).toEqual(["2026-06-15"]);
  });

  it("adds today's snapshot to the earlier history, for the trend lines", () => {
    const history: Snapshot[] = [
      { at: "2026-06-13T06:00:00Z", metrics: { repos: 20 } },
      { at: "2026-06-14T06:00:00Z", metrics: { repos: 22 } },
    ];
    const report = buildReport({ now: NOW, repos: syntheticRepos(24), history });
    expect(report.history.map((s) => s.at)).toEqual([...history.map((s) => s.at), NOW.toISOString()]);
    expect(report.trend.days).toEqual(["2026-06-13", "2026-06-14", "2026-06-15"]);
    expect(report.trend.series.repos).toEqual([20, 22, 24]);
  });
});

describe("mergeHistory", () => {
  it("keeps one snapshot per UTC day, the latest, and drops unreadable ones", () => {
    const merged = mergeHistory(
      [
        { at: "2026-06-14T23:30:00-02:00", metrics: { repos: 1 } }, // June 15, 01:30 UTC
        { at: "not a time", metrics: { repos: 2 } },
        { at: "2026-06-14T10:00:00Z", metrics: { repos: 3 } },
      ],
      { at: "2026-06-15T12:00:00Z", metrics: { repos: 4 } },
    );
    expect(merged.map((s) => s.metrics.repos)).toEqual([3, 4]);
  });

  it(`keeps the newest ${HISTORY_DAYS} days`, () => {
    const earlier = Array.from({ length: 500 }, (_, i) => ({
      at: new Date(NOW.getTime() - (500 - i) * DAY).toISOString(),
      metrics: { repos: i },
    }));
    const merged = mergeHistory(earlier, { at: NOW.toISOString(), metrics: { repos: 500 } });
    expect(merged).toHaveLength(HISTORY_DAYS);
    expect(merged[merged.length - 1]?.metrics.repos).toBe(500);
    expect(merged[0]?.metrics.repos).toBe(101);
  });
});

describe("daysAddedBy", () => {
  it("when every earlier snapshot is from the report's UTC day, it adds no day", () => {
    const earlier = [
      { at: "2026-06-15T00:10:00Z", metrics: { repos: 1 } },
      { at: "2026-06-15T23:59:00+00:00", metrics: { repos: 2 } },
    ];
    expect(daysAddedBy(earlier, new Date("2026-06-15T12:00:00Z"))).toEqual([]);
  });

  it("when snapshots come from other days, it names each of those days once, by UTC day", () => {
    const earlier = [
      { at: "2026-06-14T23:30:00-02:00", metrics: {} }, // June 15, 01:30 UTC: the report's own day
      { at: "2026-06-13T08:00:00Z", metrics: {} },
      { at: "2026-06-13T09:00:00Z", metrics: {} },
      { at: "not a time", metrics: {} },
    ];
    expect(daysAddedBy(earlier, new Date("2026-06-15T12:00:00Z"))).toEqual(["2026-06-13"]);
  });
});
