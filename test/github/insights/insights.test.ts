/**
 * The report's histories read from the loopback fake GitHub: 50 repositories per query, lists
 * followed only while they reach into the window, a failed batch read again repository by
 * repository, and what still cannot be read named as a gap, never reported as no activity.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readHistories } from "../../../github/insights/insights.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { type FakeGitHub, type FaultRequest, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { orgSeed, repoName } from "../../core/insights/report/org-seed.js";
import { installationClient } from "../../helpers/fake-client.js";

const TOKEN = "ghs_insights";
const NOW = new Date("2026-06-15T12:00:00Z");
const SINCE = new Date("2026-03-18T00:00:00Z");
const DAY = 86_400_000;
let fake: FakeGitHub;
let client: GitHubClient;

const repos = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const name = repoName(i);
    return { ref: { owner: "acme", repo: name }, nodeId: `R_${fake.state.repo(`acme/${name}`).id}` };
  });
const isBatch = (r: FaultRequest) =>
  r.operation === "POST /graphql" && String((r.body as { query?: string }).query).includes("nodes(ids:");

beforeAll(async () => {
  const seed = orgSeed(8, NOW);
  // svc-00 merged 120 more pull requests in the window: three pages of them.
  const busy = seed.repos?.[0];
  busy?.pulls?.push(
    ...Array.from({ length: 120 }, (_, k) => ({
      number: 200 + k,
      title: `CHK-12 step ${k}`,
      mergedAt: new Date(NOW.getTime() - (k % 80) * DAY - 3_600_000).toISOString(),
      state: "closed" as const,
    })),
  );
  // svc-01 releases every 7 days: 85 and 92 days before NOW, around the window's start (89 days
  // back). #300, merged between them, shipped in the window; #301, merged before 92, did not.
  seed.repos?.[1]?.pulls?.push(
    {
      number: 300,
      title: "CHK-12 late",
      mergedAt: new Date(NOW.getTime() - 90.5 * DAY).toISOString(),
      state: "closed",
    },
    {
      number: 301,
      title: "CHK-12 old",
      mergedAt: new Date(NOW.getTime() - 95 * DAY).toISOString(),
      state: "closed",
    },
  );
  fake = await startFakeGitHub(seed);
  client = installationClient(fake, TOKEN);
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => fake.reset());

describe("readHistories", () => {
  it("reads many repositories in one query, and the merged pull requests of the window only", async () => {
    const histories = await readHistories(client, repos(4).slice(1), SINCE);
    expect(fake.counts().graphql).toBe(1);
    const h = histories.get("acme/svc-01");
    expect(h?.gaps).toEqual([]);
    // Six merged in the window and #300 (merged before it, released in it: its lead time counts);
    // not #301, released before the window, nor the one merged 120 days back, nor the open one.
    expect(h?.pulls?.map((p) => p.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 300]);
    expect(h?.pulls?.find((p) => p.number === 3)?.closingIssues?.map((i) => i.number)).toEqual([100]);
    expect(h?.releases?.length).toBeGreaterThan(10);
    expect(fake.problems).toEqual([]);
  });

  it("follows a long list page by page while it reaches into the window", async () => {
    const histories = await readHistories(client, repos(1), SINCE);
    expect(histories.get("acme/svc-00")?.pulls).toHaveLength(126);
    // The batch, then five more pages of svc-00's 128 merged pull requests (25 a page).
    expect(fake.counts().graphql).toBe(6);
  });

  it("reads the repositories of a failed batch one by one", async () => {
    fake.inject({ match: isBatch, status: 502, times: Number.POSITIVE_INFINITY });
    const histories = await readHistories(client, repos(4).slice(1), SINCE);
    for (const name of ["svc-02", "svc-03"]) {
      expect(histories.get(`acme/${name}`)?.gaps, name).toEqual([]);
      expect(histories.get(`acme/${name}`)?.pulls, name).toHaveLength(6);
    }
    expect(histories.get("acme/svc-01")?.pulls).toHaveLength(7);
    expect(fake.counts().graphql).toBe(1 + 3);
  });

  it("names what still cannot be read as a gap, for that repository alone", async () => {
    fake.inject({ match: isBatch, status: 502, times: Number.POSITIVE_INFINITY });
    fake.inject({
      match: "POST /graphql",
      repo: "acme/svc-02",
      status: 502,
      times: Number.POSITIVE_INFINITY,
    });
    const histories = await readHistories(client, repos(4).slice(1), SINCE);
    const failed = histories.get("acme/svc-02");
    expect(failed?.pulls).toBeUndefined();
    expect(failed?.releases).toBeUndefined();
    expect(failed?.gaps).toEqual(["history not read: GitHub answered 502"]);
    expect(histories.get("acme/svc-03")?.pulls).toHaveLength(6);
  });
});
