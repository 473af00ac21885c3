import { describe, expect, it } from "vitest";
import { leadTime, type ReleaseContents } from "../../../../core/insights/metrics/lead-time.js";
import { HOUR, NOW, rel } from "./helpers.js";

const RELEASED = "2026-06-10T12:00:00.000Z";
const hoursBefore = (hours: number) => new Date(Date.parse(RELEASED) - hours * HOUR).toISOString();
/** One release on Jun 10 containing pull requests merged `hours` before it. */
const oneRelease = (hours: number[]): ReleaseContents[] => [
  {
    release: rel("v1", RELEASED),
    pullRequests: hours.map((h, i) => ({ number: i + 1, mergedAt: hoursBefore(h) })),
  },
];

describe("leadTime: median and p90 by linear interpolation", () => {
  it.each([
    ["no pull requests", [], null, null],
    ["one: both are that value", [5], 5, 5],
    ["two: median is their mean; p90 = 1 + 0.9 × 9", [1, 10], 5.5, 9.1],
    ["odd (1, 2, 10): median 2; p90 at h = 1.8: 2 + 0.8 × 8", [10, 1, 2], 2, 8.4],
    ["even (1, 2, 3, 10): median 2.5; p90 at h = 2.7: 3 + 0.7 × 7", [3, 10, 2, 1], 2.5, 7.9],
    ["1..10: median 5.5; p90 at h = 8.1: 9.1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9.1],
    ["equal values", [4, 4, 4], 4, 4],
    ["rounded to 1 decimal (20 minutes and 40 minutes)", [1 / 3, 2 / 3], 0.5, 0.6],
  ] as const)("%s", (_name, hours, median, p90) => {
    const l = leadTime({ releases: oneRelease([...hours]), now: NOW });
    expect(l.pullRequests).toBe(hours.length);
    expect(l.medianHours).toBe(median);
    expect(l.p90Hours).toBe(p90);
  });

  it("reports an empty history with nulls, not zeros", () => {
    expect(leadTime({ releases: [], now: NOW })).toEqual({
      window: { from: "2026-03-18", to: "2026-06-15", days: 90 },
      releases: 0,
      pullRequests: 0,
      skipped: 0,
      medianHours: null,
      p90Hours: null,
    });
  });
});

describe("leadTime: which release a pull request is measured to", () => {
  const merged = "2026-06-01T00:00:00Z";
  it.each<[string, ReleaseContents[], number | null, number]>([
    [
      "the first release that contains it, when it is in two",
      [
        { release: rel("v2", "2026-06-05T00:00:00Z"), pullRequests: [{ number: 1, mergedAt: merged }] },
        { release: rel("v1", "2026-06-02T00:00:00Z"), pullRequests: [{ number: 1, mergedAt: merged }] },
      ],
      24,
      1,
    ],
    [
      "the first qualifying release: a pre-release before it does not count",
      [
        {
          release: rel("v1-rc.1", "2026-06-02T00:00:00Z", { prerelease: true }),
          pullRequests: [{ number: 1, mergedAt: merged }],
        },
        { release: rel("v1", "2026-06-05T00:00:00Z"), pullRequests: [{ number: 1, mergedAt: merged }] },
      ],
      96,
      1,
    ],
    [
      "none, when its first release is before the window (even if a later one is inside)",
      [
        {
          release: rel("v0", "2026-03-17T12:00:00Z"),
          pullRequests: [{ number: 1, mergedAt: "2026-03-16T12:00:00Z" }],
        },
        {
          release: rel("v1", "2026-06-05T00:00:00Z"),
          pullRequests: [{ number: 1, mergedAt: "2026-03-16T12:00:00Z" }],
        },
      ],
      null,
      0,
    ],
    [
      "a release exactly 89 days ago is in the window",
      [
        {
          release: rel("v0", "2026-03-18T12:00:00Z"),
          pullRequests: [{ number: 1, mergedAt: "2026-03-18T00:00:00Z" }],
        },
      ],
      12,
      1,
    ],
    [
      "none, when the release is after now",
      [{ release: rel("v9", "2026-06-15T13:00:00Z"), pullRequests: [{ number: 1, mergedAt: merged }] }],
      null,
      0,
    ],
  ])("%s", (_name, releases, median, measuredReleases) => {
    const l = leadTime({ releases, now: NOW });
    expect(l.medianHours).toBe(median);
    expect(l.releases).toBe(measuredReleases);
  });

  it("skips pull requests without a merge time or merged after their release", () => {
    const l = leadTime({
      releases: [
        {
          release: rel("v1", RELEASED),
          pullRequests: [
            { number: 1, mergedAt: hoursBefore(2) },
            { number: 2 },
            { number: 3, mergedAt: "yesterday" },
            { number: 4, mergedAt: hoursBefore(-1) },
          ],
        },
      ],
      now: NOW,
    });
    expect(l).toMatchObject({ pullRequests: 1, skipped: 3, medianHours: 2, p90Hours: 2, releases: 1 });
  });

  it("pools the pull requests of every release in the window", () => {
    const l = leadTime({
      releases: [
        {
          release: rel("v1", "2026-06-01T00:00:00Z"),
          pullRequests: [{ number: 1, mergedAt: "2026-05-31T00:00:00Z" }],
        },
        {
          release: rel("v2", "2026-06-08T00:00:00Z"),
          pullRequests: [
            { number: 2, mergedAt: "2026-06-07T12:00:00Z" },
            { number: 3, mergedAt: "2026-06-01T00:00:00Z" },
          ],
        },
        { release: rel("v3", "2026-06-09T00:00:00Z"), pullRequests: [] },
      ],
      now: NOW,
      windowDays: 30,
    });
    // 24h, 12h, 168h: median 24, p90 at h = 1.8: 24 + 0.8 × 144 = 139.2.
    expect(l).toMatchObject({ releases: 2, pullRequests: 3, medianHours: 24, p90Hours: 139.2 });
  });

  it("honours the tag pattern", () => {
    const releases = [
      {
        release: rel("nightly", "2026-06-02T00:00:00Z"),
        pullRequests: [{ number: 1, mergedAt: "2026-06-01T00:00:00Z" }],
      },
      {
        release: rel("v1", "2026-06-03T00:00:00Z"),
        pullRequests: [{ number: 1, mergedAt: "2026-06-01T00:00:00Z" }],
      },
    ];
    expect(leadTime({ releases, now: NOW, tagPattern: "v*" }).medianHours).toBe(48);
    expect(leadTime({ releases, now: NOW }).medianHours).toBe(24);
  });

  it("measures in hours, whatever the time zones the times were written in", () => {
    const releases = [
      {
        release: rel("v1", "2026-06-02T02:00:00+02:00"),
        pullRequests: [{ number: 1, mergedAt: "2026-05-31T19:00:00-05:00" }],
      },
    ];
    expect(leadTime({ releases, now: NOW }).medianHours).toBe(24);
  });
});

describe("leadTime: deployments", () => {
  it("counts each deployment of one ref as a release of its own", () => {
    const deployed = (days: number, number: number): ReleaseContents => ({
      release: rel("main", new Date(Date.parse(RELEASED) - days * 24 * HOUR).toISOString()),
      pullRequests: [
        { number, mergedAt: new Date(Date.parse(RELEASED) - (days * 24 + 2) * HOUR).toISOString() },
      ],
    });
    const l = leadTime({ releases: [deployed(0, 1), deployed(1, 2), deployed(2, 3)], now: NOW });
    expect(l).toMatchObject({ releases: 3, pullRequests: 3, medianHours: 2 });
  });
});
