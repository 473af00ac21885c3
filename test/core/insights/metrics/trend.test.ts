import { describe, expect, it } from "vitest";
import { orgMetrics } from "../../../../core/insights/metrics/org.js";
import { repoMetrics } from "../../../../core/insights/metrics/repo.js";
import { orgSnapshot, trendSeries } from "../../../../core/insights/metrics/trend.js";
import { DAY, NOW, rel } from "./helpers.js";

describe("trendSeries", () => {
  it("puts null on days without a snapshot and keeps the latest snapshot of a day", () => {
    const t = trendSeries([
      { at: "2026-06-04T20:00:00Z", metrics: { repos: 5, share: 0.5 } },
      { at: "2026-06-01", metrics: { repos: 3, share: 0.25 } },
      { at: "2026-06-04T08:00:00Z", metrics: { repos: 4, share: 0.4 } },
      { at: "2026-06-03T12:00:00Z", metrics: { repos: 4 } },
    ]);
    expect(t).toEqual({
      days: ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"],
      series: {
        repos: [3, null, 4, 5],
        share: [0.25, null, null, 0.5],
      },
      skipped: 0,
    });
  });

  it("takes each snapshot's UTC day (23:30 at -02:00 is the next day)", () => {
    const t = trendSeries([
      { at: "2026-06-01T23:30:00-02:00", metrics: { x: 1 } },
      { at: "2026-06-01T00:30:00+02:00", metrics: { x: 2 } },
    ]);
    expect(t.days).toEqual(["2026-05-31", "2026-06-01", "2026-06-02"]);
    expect(t.series.x).toEqual([2, null, 1]);
  });

  it("keeps the later of two snapshots taken at the same moment", () => {
    const at = "2026-06-01T10:00:00Z";
    const t = trendSeries([
      { at, metrics: { x: 1 } },
      { at, metrics: { x: 2 } },
    ]);
    expect(t.series.x).toEqual([2]);
  });

  it("turns null, NaN and missing values into gaps", () => {
    const t = trendSeries([
      { at: "2026-06-01", metrics: { a: null, b: Number.NaN, c: 1 } },
      { at: "2026-06-02", metrics: { c: 2 } },
    ]);
    expect(t.series).toEqual({ a: [null, null], b: [null, null], c: [1, 2] });
  });

  it("spans from..to when given, skipping snapshots outside and unreadable ones", () => {
    const t = trendSeries(
      [
        { at: "2026-05-30", metrics: { x: 0 } },
        { at: "2026-06-02", metrics: { x: 2 } },
        { at: "someday", metrics: { x: 9 } },
      ],
      { from: "2026-06-01", to: "2026-06-04" },
    );
    expect(t).toEqual({
      days: ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"],
      series: { x: [null, 2, null, null] },
      skipped: 2,
    });
  });

  it("is empty for no snapshots, or a range that ends before it starts", () => {
    expect(trendSeries([])).toEqual({ days: [], series: {}, skipped: 0 });
    expect(
      trendSeries([{ at: "2026-06-02", metrics: { x: 1 } }], { from: "2026-06-03", to: "2026-06-01" }),
    ).toEqual({
      days: [],
      series: {},
      skipped: 1,
    });
  });

  it("keeps at most 3660 days, the latest", () => {
    const t = trendSeries([
      { at: "2000-01-01", metrics: { x: 1 } },
      { at: "2026-06-01", metrics: { x: 2 } },
    ]);
    expect(t.days.length).toBe(3660);
    expect(t.days.at(-1)).toBe("2026-06-01");
    expect(t.skipped).toBe(1);
  });
});

describe("orgSnapshot", () => {
  it("turns two days of org metrics into trend lines", () => {
    const org = (now: Date, days: number) =>
      orgMetrics([
        repoMetrics({
          repo: "acme/a",
          now,
          cadenceMs: 14 * DAY,
          releases: [rel("v1", new Date(now.getTime() - days * DAY).toISOString())],
          pullRequests: [{ number: 1, mergedAt: "2026-06-10T00:00:00Z", trace: "outcome" }],
        }),
      ]);
    const later = new Date(NOW.getTime() + 2 * DAY);
    const t = trendSeries([orgSnapshot(org(NOW, 1), NOW), orgSnapshot(org(later, 3), later)]);
    expect(t.days).toEqual(["2026-06-15", "2026-06-16", "2026-06-17"]);
    expect(t.series["release.daysSinceLastRelease.median"]).toEqual([1, null, 3]);
    expect(t.series["traceability.tracedShare"]).toEqual([1, null, 1]);
    expect(t.series["ownership.completeShare"]).toEqual([null, null, null]);
    expect(Object.keys(t.series)).toEqual([
      "leadTime.medianHours.median",
      "leadTime.p90Hours.median",
      "ownership.completeShare",
      "release.cadenceCoverage.mean",
      "release.daysSinceLastRelease.median",
      "release.deploymentDaysPerWeek.median",
      "release.tier.elite",
      "release.tier.high",
      "release.tier.low",
      "release.tier.medium",
      "repos",
      "stability.changeFailureRate",
      "stability.timeToRestore.medianHours",
      "traceability.tracedShare",
      "traceability.tracedShareOfGoverned",
    ]);
  });
});
