/**
 * Reverts and incidents read from the loopback fake GitHub for the change failure rate: the full
 * commit messages and the incident issues of the repositories that released in the window, 50
 * repositories per query, and a refused query named as a gap, never read as "no failures".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stability } from "../../../core/insights/metrics/stability.js";
import type { RepoInsights } from "../../../core/insights/report/insights.js";
import { readHistories } from "../../../github/insights/insights.js";
import { addStability, type StabilitySubject } from "../../../github/insights/stability-insights.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import type { SeedRepo } from "../../../testkit/fake-github/state.js";
import { installationClient } from "../../helpers/fake-client.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const SINCE = new Date("2026-03-18T00:00:00Z");
const sha = (c: string) => c.repeat(40);
const [A0, M7, R9, B1, C1, C2] = ["a", "b", "c", "d", "e", "f"].map(sha) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

/** The shop of docs/metrics.md's example, as GitHub holds it. */
const SHOP: SeedRepo = {
  owner: "acme",
  name: "shop",
  commits: [
    { sha: A0, message: "Initial", date: "2026-05-01T00:00:00Z" },
    { sha: M7, message: "Add search (#7)", date: "2026-05-19T10:00:00Z" },
    {
      sha: R9,
      message: `Revert "Add search" (#9)\n\nThis reverts commit ${M7}.`,
      date: "2026-05-21T10:00:00Z",
    },
    { sha: B1, message: "Bump", date: "2026-05-24T09:00:00Z" },
    { sha: C1, message: "Add cache", date: "2026-05-30T10:00:00Z" },
    {
      sha: C2,
      message: `Revert "Add cache"\n\nThis reverts commit ${C1.slice(0, 12)}.`,
      date: "2026-06-05T10:00:00Z",
    },
  ],
  releases: [
    { tag: "v1.3.0", publishedAt: "2026-05-20T10:00:00Z", target: M7 },
    { tag: "v1.4.0", publishedAt: "2026-05-24T10:00:00Z", target: B1 },
    { tag: "v1.5.0", publishedAt: "2026-06-01T10:00:00Z", target: C1 },
    { tag: "v1.6.0", publishedAt: "2026-06-06T10:00:00Z", target: C2 },
  ],
  pulls: [
    { number: 7, title: "Add search", mergedAt: "2026-05-19T10:00:00Z", state: "closed", mergeCommit: M7 },
    {
      number: 9,
      title: 'Revert "Add search"',
      body: "Reverts acme/shop#7",
      mergedAt: "2026-05-21T10:00:00Z",
      state: "closed",
      mergeCommit: R9,
    },
  ],
  issues: [
    {
      number: 20,
      title: "Checkout down after v1.6.0",
      labels: ["incident"],
      state: "closed",
      createdAt: "2026-06-06T12:00:00Z",
      closedAt: "2026-06-06T18:00:00Z",
    },
    { number: 21, title: "Typo in v1.5.0 notes", labels: ["bug"], createdAt: "2026-06-02T00:00:00Z" },
  ],
};
/** Released last in February: no release in the window, nothing to fail, nothing read. */
const QUIET: SeedRepo = {
  owner: "acme",
  name: "quiet",
  commits: [{ message: "Initial", date: "2026-02-01T00:00:00Z" }],
  releases: [{ tag: "v0.1.0", publishedAt: "2026-02-02T00:00:00Z" }],
};
const busy = (i: number): SeedRepo => ({
  owner: "acme",
  name: `busy-${String(i).padStart(3, "0")}`,
  commits: [{ message: "Initial", date: "2026-06-01T00:00:00Z" }],
  releases: [{ tag: "v1.0.0", publishedAt: "2026-06-02T00:00:00Z" }],
});

let fake: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  fake = await startFakeGitHub({ repos: [SHOP, QUIET, ...Array.from({ length: 118 }, (_, i) => busy(i))] });
  client = installationClient(fake, "ghs_stability");
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

async function subjectsOf(names: readonly string[]): Promise<StabilitySubject[]> {
  const refs = names.map((name) => ({
    ref: { owner: "acme", repo: name },
    nodeId: `R_${fake.state.repo(`acme/${name}`).id}`,
  }));
  const histories = await readHistories(client, refs, SINCE);
  return refs.map((r) => {
    const history = histories.get(`acme/${r.ref.repo}`);
    const insights = {
      repo: `acme/${r.ref.repo}`,
      releases: history?.releases,
      gaps: [],
    } as unknown as RepoInsights;
    return { ...r, insights, ...(history ? { history } : {}) };
  });
}

describe("addStability", () => {
  it("reads reverts and incidents in one query, and only for repositories that released in the window", async () => {
    const subjects = await subjectsOf(["shop", "quiet"]);
    fake.reset();
    await addStability(client, subjects, null, { now: NOW, windowDays: 90 });
    expect(fake.counts().graphql).toBe(1);
    expect(fake.problems).toEqual([]);
    const [shop, quiet] = subjects.map((s) => s.insights);
    expect(quiet?.reverts).toEqual([]);
    expect(quiet?.incidents).toEqual([]);
    // From the merged pull requests (#9, titled "Revert …"), then from the commit messages, newest
    // first: C2 reverts C1 (a commit of its own, placed by its date), R9 reverts #7's merge commit.
    expect(shop?.reverts).toEqual([
      { at: "2026-05-21T10:00:00Z", pull: 7, by: "pull request #9" },
      {
        at: "2026-06-05T10:00:00Z",
        sha: C1.slice(0, 12),
        revertedAt: "2026-05-30T10:00:00Z",
        by: "commit fffffff",
      },
      { at: "2026-05-21T10:00:00Z", pull: 7, by: "commit ccccccc" },
    ]);
    expect(shop?.incidents?.map((i) => [i.number, i.tags, i.closedAt])).toEqual([
      [20, ["v1.6.0"], "2026-06-06T18:00:00Z"],
    ]);
    expect(shop?.gaps).toEqual([]);

    // The figures from what was read: v1.3.0 (reverted #7), v1.5.0 (reverted commit) and v1.6.0
    // (incident #20) failed, of 4 deployments; restored in 96, 120 and 6 hours.
    const s = stability({
      releases: shop?.releases ?? [],
      merged: [{ number: 7, mergedAt: "2026-05-19T10:00:00Z" }],
      ...(shop?.reverts ? { reverts: shop.reverts } : {}),
      ...(shop?.incidents ? { incidents: shop.incidents } : {}),
      now: NOW,
    });
    expect(s.failed.map((f) => [f.tag, f.causes, f.restoreHours])).toEqual([
      ["v1.3.0", ["revert"], 96],
      ["v1.5.0", ["revert"], 120],
      ["v1.6.0", ["incident"], 6],
    ]);
    expect(s.failed[0]?.evidence).toEqual(["pull request #9 reverts #7", "commit ccccccc reverts #7"]);
    expect(s.changeFailureRate).toBe(0.75);
  });

  it("costs one query per 50 repositories that released in the window", async () => {
    const names = [
      "shop",
      "quiet",
      ...Array.from({ length: 118 }, (_, i) => `busy-${String(i).padStart(3, "0")}`),
    ];
    const subjects = await subjectsOf(names);
    fake.reset();
    await addStability(
      client,
      subjects,
      { version: 1, stability: { incident_label: "sev1" } },
      { now: NOW, windowDays: 90 },
    );
    // 119 released in the window (all but quiet): ⌈119/50⌉ = 3.
    expect(fake.counts().graphql).toBe(3);
    expect(subjects[0]?.insights.stability?.incidentLabel).toBe("sev1");
    expect(subjects[0]?.insights.incidents).toEqual([]); // #20 is labelled incident, not sev1
  });

  it("names a refused query as a gap and leaves the signals unread, never empty", async () => {
    const subjects = await subjectsOf(["shop"]);
    fake.inject({
      match: (r) => String((r.body as { query?: string }).query).includes("incidents: issues"),
      status: 502,
      times: Number.POSITIVE_INFINITY,
    });
    try {
      await addStability(client, subjects, null, { now: NOW, windowDays: 90 });
    } finally {
      fake.clearFaults();
    }
    const shop = subjects[0]?.insights;
    expect(shop?.reverts).toBeUndefined();
    expect(shop?.incidents).toBeUndefined();
    expect(shop?.gaps?.[0]).toMatch(/^reverts and incidents not read: /);
  });
});
