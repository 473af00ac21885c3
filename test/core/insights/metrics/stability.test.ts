import { describe, expect, it } from "vitest";
import {
  type IncidentSignal,
  type RevertSignal,
  stability,
} from "../../../../core/insights/metrics/stability.js";
import { pooledStability } from "../../../../core/insights/metrics/stability-pool.js";
import {
  isHotfix,
  isPatchBump,
  namedTags,
  revertedCommits,
  revertedPulls,
} from "../../../../core/insights/metrics/stability-signals.js";
import { HOUR, NOW, rel } from "./helpers.js";

/**
 * The hand-worked example of docs/metrics.md ("Stability"): `now` 2026-06-15T12:00Z, 90 days
 * (2026-03-18 to 2026-06-15), the default settings (48 h, `*hotfix*`, `incident`).
 */
const RELEASES = [
  rel("v0.9.0", "2026-03-10T10:00:00Z"), // before the window, with its own patch next day
  rel("v0.9.1", "2026-03-11T10:00:00Z"),
  rel("v1.0.0", "2026-05-01T10:00:00Z"), // fails: v1.0.1 is a patch 24 h later
  rel("v1.0.1", "2026-05-02T10:00:00Z"),
  rel("v1.1.0", "2026-05-10T10:00:00Z"), // fails: v1.2.0 is titled "Hotfix…" 23 h later
  rel("v1.2.0", "2026-05-11T09:00:00Z", { name: "HOTFIX for search" }),
  rel("v1.3.0", "2026-05-20T10:00:00Z"), // fails: #7 reverted by #9 before v1.4.0
  rel("v1.4.0", "2026-05-24T10:00:00Z"),
  rel("v1.5.0", "2026-06-01T10:00:00Z", { sha: "c0ffee01" }), // fails: commit 5a5a5a5 reverted
  rel("deploy-0601", "2026-06-01T11:00:00Z", { sha: "c0ffee01" }), // the same commit: one deployment
  rel("v1.6.0", "2026-06-06T10:00:00Z"), // fails: incident #20, closed 6 h after it was opened
  rel("v1.7.0", "2026-06-10T10:00:00Z"), // fails: incident #21, still open
  rel("v1.7.1", "2026-06-14T10:00:00Z"), // a patch, but 96 h later: not a hotfix of v1.7.0
  rel("v1.8.0-rc.1", "2026-06-15T08:00:00Z", { prerelease: true }),
];
const MERGED = [
  { number: 4, mergedAt: "2026-05-03T10:00:00Z" }, // shipped by v1.1.0
  { number: 7, mergedAt: "2026-05-19T10:00:00Z" }, // shipped by v1.3.0
];
const REVERTS: RevertSignal[] = [
  { at: "2026-05-21T10:00:00Z", pull: 7, by: "pull request #9" },
  { at: "2026-06-05T10:00:00Z", sha: "5a5a5a5a", revertedAt: "2026-05-30T10:00:00Z", by: "commit 6b6b6b6" },
  // #4 was reverted only after v1.2.0 had shipped: v1.1.0 is not failed by it.
  { at: "2026-05-15T10:00:00Z", pull: 4, by: "pull request #13" },
];
const INCIDENTS: IncidentSignal[] = [
  { number: 20, createdAt: "2026-06-06T12:00:00Z", closedAt: "2026-06-06T18:00:00Z", tags: ["v1.6.0"] },
  { number: 21, createdAt: "2026-06-11T08:00:00Z", tags: ["v1.7.0"] },
  { number: 22, createdAt: "2026-06-16T08:00:00Z", tags: ["v1.7.1"] }, // after now
];

describe("stability: the hand-worked example", () => {
  const s = stability({
    releases: RELEASES,
    merged: MERGED,
    reverts: REVERTS,
    incidents: INCIDENTS,
    now: NOW,
  });

  it("counts 10 deployments in the window and 6 failures: a rate of 0.6", () => {
    expect(s.window).toEqual({ from: "2026-03-18", to: "2026-06-15", days: 90 });
    expect(s.deployments).toBe(10);
    expect(s.failures).toBe(6);
    expect(s.changeFailureRate).toBe(0.6);
    expect(s.unread).toEqual([]);
  });

  it("names each failed release with its cause, evidence and restore time", () => {
    expect(s.failed.map((f) => [f.tag, f.causes, f.evidence, f.restoreHours])).toEqual([
      ["v1.0.0", ["hotfix"], ["v1.0.1 is a patch 24 h later"], 24],
      ["v1.1.0", ["hotfix"], ["v1.2.0 is a hotfix 23 h later"], 23],
      ["v1.3.0", ["revert"], ["pull request #9 reverts #7"], 96],
      ["v1.5.0", ["revert"], ["commit 6b6b6b6 reverts commit 5a5a5a5"], 120],
      ["v1.6.0", ["incident"], ["incident #20"], 6],
      ["v1.7.0", ["incident"], ["incident #21"], null],
    ]);
    expect(s.failed[4]?.restoredAt).toBe("2026-06-06T18:00:00.000Z");
  });

  it("restores: 6, 23, 24, 96, 120 h → median 24, p90 96 + 0.6 × 24 = 110.4; one still open", () => {
    expect(s.restored).toBe(5);
    expect(s.open).toBe(1);
    expect(s.timeToRestore).toEqual({ medianHours: 24, p90Hours: 110.4 });
  });

  it("says which signals were not read, rather than counting them as none", () => {
    const partial = stability({ releases: RELEASES, merged: MERGED, incidents: INCIDENTS, now: NOW });
    expect(partial.unread).toEqual(["reverts"]);
    expect(partial.failures).toBe(4);
  });

  it("without deduplication by commit, v1.5.0's revert would land after the next deployment", () => {
    const noSha = RELEASES.map(({ sha: _sha, ...r }) => r);
    const s2 = stability({
      releases: noSha,
      merged: MERGED,
      reverts: REVERTS,
      incidents: INCIDENTS,
      now: NOW,
    });
    expect(s2.deployments).toBe(11);
    expect(s2.failed.map((f) => f.tag)).not.toContain("v1.5.0");
  });

  it("follows the policy's settings: a 4-day window makes v1.7.1 a hotfix of v1.7.0", () => {
    const wide = stability({
      releases: RELEASES,
      now: NOW,
      reverts: [],
      incidents: [],
      settings: { patchWindowMs: 96 * HOUR, hotfixPatterns: ["none"], incidentLabel: "sev" },
    });
    expect(wide.failed.map((f) => f.tag)).toEqual(["v1.0.0", "v1.7.0"]);
  });

  it("has no rate without deployments", () => {
    expect(stability({ releases: [], now: NOW, reverts: [], incidents: [] })).toMatchObject({
      deployments: 0,
      failures: 0,
      changeFailureRate: null,
      timeToRestore: { medianHours: null, p90Hours: null },
    });
  });
});

describe("stability signals", () => {
  it.each([
    ["v1.4.0", "v1.4.1", true],
    ["v1.4.0", "v1.4.3", true],
    ["1.4.0", "1.4.1", true],
    ["app-v1.4.0", "app-v1.4.1", true],
    ["v1.4.1", "v1.5.0", false],
    ["v1.4.1", "v1.4.1", false],
    ["v1.4.0", "w1.4.1", false],
    ["v1.4.0", "v1.4.1-rc.1", false],
    ["v1.4", "v1.4.1", false],
    ["app-v1.4.0", "web-v1.4.1", false],
  ])("isPatchBump(%s, %s) is %s", (a, b, expected) => {
    expect(isPatchBump(a, b)).toBe(expected);
  });

  it("matches hotfix patterns on tag or title, whatever the case", () => {
    expect(isHotfix({ tag: "v2.0.1-HotFix" }, ["*hotfix*"])).toBe(true);
    expect(isHotfix({ tag: "v2.0.1", name: "Emergency fix" }, ["*hotfix*", "emergency*"])).toBe(true);
    expect(isHotfix({ tag: "v2.0.1", name: "Feature" }, ["*hotfix*"])).toBe(false);
  });

  it("reads git's revert message, full or abbreviated", () => {
    expect(
      revertedCommits('Revert "Add cache"\n\nThis reverts commit 1A2B3C4D5E6F.\nthis reverts commit abcdef0'),
    ).toEqual(["1a2b3c4d5e6f", "abcdef0"]);
    expect(revertedCommits("Revert the revert: reverts commit 1a2b3c4")).toEqual([]);
  });

  it("reads a revert pull request's references to this repository's pull requests only", () => {
    const body = "Reverts acme/shop#41\nSee #40, other/repo#39 and https://github.com/acme/shop/pull/38";
    expect(revertedPulls({ title: 'Revert "Add cache"', body }, "acme/shop")).toEqual([38, 40, 41]);
    expect(revertedPulls({ title: "Add cache", body }, "acme/shop")).toEqual([]);
    expect(revertedPulls({ title: "Reverted nothing #3", body: null }, "acme/shop")).toEqual([]);
  });

  it("finds tags named as whole words", () => {
    const tags = ["v1.4", "v1.4.0", "v1.4.0-beta", "deploy-1"];
    expect(namedTags("Checkout down since v1.4.0.", tags)).toEqual(["v1.4.0"]);
    expect(namedTags("see (v1.4) and deploy-1, not deploy-10 or v1.4.0-beta2", tags)).toEqual([
      "deploy-1",
      "v1.4",
    ]);
    expect(namedTags("refs/tags/v1.4.0/x", tags)).toEqual([]);
  });
});

describe("pooledStability: a team's or an organization's figures", () => {
  it("sums deployments and failures, and pools the restore times", () => {
    const a = stability({
      releases: RELEASES,
      merged: MERGED,
      reverts: REVERTS,
      incidents: INCIDENTS,
      now: NOW,
    });
    const b = stability({
      releases: [rel("x1", "2026-06-01T00:00:00Z"), rel("x2", "2026-06-02T00:00:00Z")],
      now: NOW,
    });
    const pooled = pooledStability([a, b]);
    expect(pooled).toEqual({
      repos: 2,
      deployments: 12,
      failures: 6,
      changeFailureRate: 0.5,
      restored: 5,
      open: 1,
      timeToRestore: { medianHours: 24, p90Hours: 110.4 },
      incomplete: 1,
    });
    expect(pooledStability([]).changeFailureRate).toBeNull();
  });
});
