import { describe, expect, it } from "vitest";
import type { ReleaseInfo } from "../../../../core/engine/facts.js";
import { DORA_2023_DEPLOYMENT_FREQUENCY, doraTier } from "../../../../core/insights/metrics/dora.js";
import { releaseFrequency } from "../../../../core/insights/metrics/release-frequency.js";
import { ago, DAY, daily, HOUR, NOW, rel } from "./helpers.js";

const CADENCE = 14 * DAY;
const run = (
  releases: ReleaseInfo[],
  extra: { windowDays?: number; cadenceMs?: number; tagPattern?: string } = {},
) => releaseFrequency({ releases, now: NOW, cadenceMs: extra.cadenceMs ?? CADENCE, ...extra });

describe("releaseFrequency", () => {
  it("reports the window it used: the 90 UTC days ending with today", () => {
    expect(run([]).window).toEqual({ from: "2026-03-18", to: "2026-06-15", days: 90 });
    expect(run([], { windowDays: 7 }).window).toEqual({ from: "2026-06-09", to: "2026-06-15", days: 7 });
  });

  const cases: {
    name: string;
    releases: ReleaseInfo[];
    releasesInWindow: number;
    deploymentDays: number;
    lastTag: string | null;
    daysSince: number | null;
  }[] = [
    {
      name: "empty history",
      releases: [],
      releasesInWindow: 0,
      deploymentDays: 0,
      lastTag: null,
      daysSince: null,
    },
    {
      name: "a single release five days ago",
      releases: [rel("v1", "2026-06-10T12:00:00Z")],
      releasesInWindow: 1,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 5,
    },
    {
      name: "two releases on the same UTC day count as one deployment day",
      releases: [rel("v1", "2026-06-10T01:00:00Z"), rel("v2", "2026-06-10T23:00:00Z")],
      releasesInWindow: 2,
      deploymentDays: 1,
      lastTag: "v2",
      daysSince: 4.5,
    },
    {
      name: "23:30 UTC and 00:30 UTC the next day are two deployment days",
      releases: [rel("v1", "2026-06-09T23:30:00Z"), rel("v2", "2026-06-10T00:30:00Z")],
      releasesInWindow: 2,
      deploymentDays: 2,
      lastTag: "v2",
      daysSince: 5.5,
    },
    {
      name: "offsets are converted to UTC before the day is taken (Jun 9 23:00 UTC and Jun 10 00:30 UTC)",
      releases: [rel("v1", "2026-06-10T01:00:00+02:00"), rel("v2", "2026-06-09T20:30:00-04:00")],
      releasesInWindow: 2,
      deploymentDays: 2,
      lastTag: "v2",
      daysSince: 5.5,
    },
    {
      name: "offsets that land on one UTC day are one deployment day (Jun 9 23:00 and 20:00 UTC)",
      releases: [rel("v1", "2026-06-10T01:00:00+02:00"), rel("v2", "2026-06-09T15:00:00-05:00")],
      releasesInWindow: 2,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 5.5,
    },
    {
      name: "a release exactly 90 days ago is outside the window but is still the last release",
      releases: [rel("v1", ago(90 * DAY))],
      releasesInWindow: 0,
      deploymentDays: 0,
      lastTag: "v1",
      daysSince: 90,
    },
    {
      name: "a release exactly 89 days ago is inside the window",
      releases: [rel("v1", ago(89 * DAY))],
      releasesInWindow: 1,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 89,
    },
    {
      name: "the window's first instant (2026-03-18T00:00Z) is inside, the millisecond before is not",
      releases: [rel("v1", "2026-03-18T00:00:00.000Z"), rel("v0", "2026-03-17T23:59:59.999Z")],
      releasesInWindow: 1,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 89.5,
    },
    {
      name: "a release after now has not happened yet",
      releases: [rel("v2", "2026-06-15T13:00:00Z"), rel("v1", "2026-06-15T11:00:00Z")],
      releasesInWindow: 1,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 0,
    },
    {
      name: "drafts, pre-releases and unreadable dates do not count",
      releases: [
        rel("v3", ago(DAY), { draft: true }),
        rel("v3-rc.1", ago(2 * DAY), { prerelease: true }),
        rel("v4", "soon"),
        rel("v1", ago(3 * DAY)),
      ],
      releasesInWindow: 1,
      deploymentDays: 1,
      lastTag: "v1",
      daysSince: 3,
    },
  ];
  it.each(cases)("$name", ({ releases, releasesInWindow, deploymentDays, lastTag, daysSince }) => {
    const f = run(releases);
    expect(f.releases).toBe(releasesInWindow);
    expect(f.deploymentDays).toBe(deploymentDays);
    expect(f.lastRelease?.tag ?? null).toBe(lastTag);
    expect(f.daysSinceLastRelease).toBe(daysSince);
  });

  it("gives an empty history frequency 0, tier low, no last release and a gap of the whole window", () => {
    expect(run([])).toEqual({
      window: { from: "2026-03-18", to: "2026-06-15", days: 90 },
      releases: 0,
      deploymentDays: 0,
      deploymentDaysPerWeek: 0,
      tier: "low",
      tierThresholds: "DORA 2023",
      lastRelease: null,
      daysSinceLastRelease: null,
      longestGapDays: 90,
      cadence: { ms: CADENCE, coveredDays: 0, coverage: 0 },
    });
  });

  it("computes every figure of a single release five days ago", () => {
    // Jun 10 is day 84 of the window (Mar 18 is day 0): 84 release-free days before it, 5 after.
    // The 14d cadence holds from Jun 10 to Jun 15: 6 of 90 days.
    expect(run([rel("v1", "2026-06-10T12:00:00Z")])).toEqual({
      window: { from: "2026-03-18", to: "2026-06-15", days: 90 },
      releases: 1,
      deploymentDays: 1,
      deploymentDaysPerWeek: 0.08,
      tier: "low",
      tierThresholds: "DORA 2023",
      lastRelease: { tag: "v1", publishedAt: "2026-06-10T12:00:00Z" },
      daysSinceLastRelease: 5,
      longestGapDays: 84,
      cadence: { ms: CADENCE, coveredDays: 6, coverage: 0.067 },
    });
  });

  it("lets a tag pattern decide which tags are releases", () => {
    const releases = [rel("nightly-1", ago(DAY)), rel("v1.0.0", ago(3 * DAY))];
    expect(run(releases, { tagPattern: "v*" }).lastRelease?.tag).toBe("v1.0.0");
    expect(run(releases).lastRelease?.tag).toBe("nightly-1");
  });
});

describe("DORA 2023 tiers over deployment days", () => {
  it.each([
    [90, 90, "elite", 7],
    [65, 90, "elite", 5.06],
    [64, 90, "high", 4.98],
    [13, 90, "high", 1.01],
    [12, 90, "medium", 0.93],
    [3, 90, "medium", 0.23],
    [2, 90, "low", 0.16],
    [0, 90, "low", 0],
    [5, 7, "elite", 5],
    [4, 7, "high", 4],
    [1, 7, "high", 1],
    [1, 30, "medium", 0.23],
  ] as const)("%i deployment days in %i days: %s, %f a week", (days, windowDays, tier, perWeek) => {
    const f = run(daily(days), { windowDays });
    expect(f.deploymentDays).toBe(days);
    expect(f.tier).toBe(tier);
    expect(f.deploymentDaysPerWeek).toBe(perWeek);
  });

  it("compares in whole numbers at the exact thresholds", () => {
    expect(doraTier(450 / 7, 90)).toBe("elite");
    expect(doraTier(0, 30)).toBe("low");
    expect(doraTier(1, 31)).toBe("low");
    expect(doraTier(1, 30)).toBe("medium");
  });

  it("lists the thresholds with the report's words, best first", () => {
    expect(DORA_2023_DEPLOYMENT_FREQUENCY.map((t) => [t.tier, t.deploymentDays, t.perDays])).toEqual([
      ["elite", 5, 7],
      ["high", 1, 7],
      ["medium", 1, 30],
      ["low", 0, 1],
    ]);
  });
});

describe("longest gap", () => {
  it.each([
    ["no release: the whole window", [], 30, 30],
    ["a release every day: none", daily(30), 30, 0],
    ["only today: every day before it", daily(1), 30, 29],
    [
      "Jun 1 and Jun 15 in May 17..Jun 15: 15 days before Jun 1 beat 13 between",
      [rel("a", "2026-06-01T10:00:00Z"), rel("b", "2026-06-15T10:00:00Z")],
      30,
      15,
    ],
    [
      "May 17 and Jun 1: the 14 days up to today are the longest",
      [rel("a", "2026-05-17T10:00:00Z"), rel("b", "2026-06-01T10:00:00Z")],
      30,
      14,
    ],
  ] as const)("%s", (_name, releases, windowDays, gap) => {
    expect(run([...releases], { windowDays }).longestGapDays).toBe(gap);
  });
});

describe("cadence coverage", () => {
  it("checks each day at its last millisecond (today: at now) for a release within the cadence", () => {
    // Window Jun 9..15, cadence 1d. Jun 9: nothing yet. Jun 10: 14h old. Jun 11, 12: too old.
    // Jun 13: 2h old. Jun 14: 26h old at the day's end. Jun 15: 38h old at noon.
    const f = run([rel("a", "2026-06-10T10:00:00Z"), rel("b", "2026-06-13T22:00:00Z")], {
      windowDays: 7,
      cadenceMs: DAY,
    });
    expect(f.cadence).toEqual({ ms: DAY, coveredDays: 2, coverage: 0.286 });
  });

  it("counts a release exactly one cadence before the day's end as within it", () => {
    const f = run([rel("a", "2026-06-13T23:59:59.999Z")], { windowDays: 7, cadenceMs: DAY });
    expect(f.cadence.coveredDays).toBe(2); // Jun 13 and Jun 14 (exactly 24h at 23:59:59.999)
  });

  it("lets a release before the window cover its first days", () => {
    // 2026-03-17T12:00Z is 90 days ago; with 14d it covers days whose end is by Mar 31 12:00: Mar 18..30.
    const f = run([rel("v1", ago(90 * DAY))]);
    expect(f.cadence).toEqual({ ms: CADENCE, coveredDays: 13, coverage: 0.144 });
  });

  it("covers the whole window when a release lands every day", () => {
    expect(run(daily(90)).cadence.coverage).toBe(1);
  });

  it("handles a cadence shorter than a day", () => {
    // Today's 10:00 release is 2h old at noon; yesterday's was 14h old at that day's end.
    expect(run(daily(2), { windowDays: 2, cadenceMs: 6 * HOUR }).cadence.coveredDays).toBe(1);
  });

  it("refuses a cadence or window that is not a positive whole number of days", () => {
    expect(() => run([], { cadenceMs: 0 })).toThrow(RangeError);
    expect(() => run([], { windowDays: 0 })).toThrow(RangeError);
    expect(() => run([], { windowDays: 1.5 })).toThrow(RangeError);
  });
});
