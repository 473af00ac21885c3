/**
 * outcome.stale in a sweep: where the org policy turns the rule on, each page's governed
 * repositories have their recent work read in one more query (25 merged pull requests and 25
 * issues each); a repository whose page did not reach back the whole limit, or whose page query
 * failed, is read on its own. Where the policy leaves the rule off, no page asks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Finding } from "../../../core/engine/types.js";
import { loadPolicy } from "../../../core/manifest/manifest.js";
import { emptyTally, sweepInstallation } from "../../../github/flows/sweep.js";
import { batchFieldsFor } from "../../../github/read/batch-pages.js";
import { ACTIVITY_BATCH_QUERY, ACTIVITY_QUERY } from "../../../github/read/outcome-activity.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { schemaProblems } from "../../../testkit/fake-github/graphql-schema.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import type { SeedRepo } from "../../../testkit/fake-github/state.js";
import { installationClient } from "../../helpers/fake-client.js";
import { manifestYaml } from "../../helpers/github.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const POLICY = stringify({ version: 1, rules: { "outcome.stale": "warn" } });
const log = { info: () => {}, warn: () => {}, error: () => {} };

let fake: FakeGitHub;
let client: GitHubClient;

const merged = (number: number, title: string, days: number) => ({
  number,
  title,
  mergedAt: ago(days),
  state: "closed" as const,
});

function repo(name: string, extra: Partial<SeedRepo> = {}): SeedRepo {
  return {
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifestYaml(), ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [{ sha: `${name.length}`.padStart(40, "b"), message: "Initial commit", date: ago(3) }],
    releases: [{ tag: "v1.0.0", publishedAt: ago(2) }],
    ...extra,
  };
}

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
      repo("traced", { pulls: [merged(1, "CHK-12: one-page form", 10)] }),
      repo("quiet", { pulls: [merged(1, "Tidy", 10)] }),
      // 30 merged in 20 days: the page's 25 stop short of 60 days, so it is read on its own.
      repo("busy", {
        pulls: Array.from({ length: 30 }, (_, i) => merged(10 + i, `Change ${i}`, 1 + (i % 20))),
      }),
      { owner: "acme", name: "bare", commits: [{ message: "Initial commit", date: ago(3) }] },
    ],
    teams: [{ org: "acme", slug: "payments", members: ["alice", "bob", "carol"] }],
  });
  client = installationClient(fake, "ghs_activity_batch");
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
  fake.clearFaults();
});

const queryOf = (r: { operation?: string; body?: unknown }) =>
  r.operation === "POST /graphql" ? (r.body as { query?: string }).query : undefined;
const isBatch = (r: { operation?: string; body?: unknown }) => queryOf(r) === ACTIVITY_BATCH_QUERY;
const isSingle = (r: { operation?: string; body?: unknown }) => queryOf(r) === ACTIVITY_QUERY;
const repoOf = (r: { body?: unknown }) => (r.body as { variables?: { repo?: string } }).variables?.repo;

async function sweep(): Promise<Map<string, Finding | undefined>> {
  const found = new Map<string, Finding | undefined>();
  await sweepInstallation(
    { client, cache: new FileCache(), now: NOW },
    { id: 1, account: "acme", selection: "all" },
    emptyTally(),
    log,
    {
      tracking: false,
      onJudged: (r, result) =>
        found.set(
          r.ref.repo,
          result.evaluation?.findings.find((f) => f.rule === "outcome.stale"),
        ),
    },
  );
  return found;
}

describe("outcome.stale in a sweep", () => {
  it("asks for the recent work only where the org policy turns the rule on, from its limit", () => {
    expect(batchFieldsFor(null, NOW).activitySince).toBeUndefined();
    expect(batchFieldsFor(loadPolicy(POLICY, "p.yml"), NOW).activitySince).toBe(ago(60));
    const twoWeeks = stringify({
      version: 1,
      rules: { "outcome.stale": "warn" },
      limits: { "outcome.stale": "2w" },
    });
    expect(batchFieldsFor(loadPolicy(twoWeeks, "p.yml"), NOW).activitySince).toBe(ago(14));
    expect(schemaProblems(ACTIVITY_BATCH_QUERY)).toEqual([]);
  });

  it("reads a page's governed repositories in one query, and on its own only a repository the page cannot decide", async () => {
    const found = await sweep();
    expect(found.get("traced")).toMatchObject({ status: "pass" });
    expect(found.get("traced")?.evidence).toContain("CHK-12: last named by pull request #1 on 2026-06-05");
    expect(found.get("quiet")).toMatchObject({ status: "fail" });
    expect(found.get("busy")).toMatchObject({ status: "fail" });
    expect(fake.requests.filter(isBatch)).toHaveLength(1);
    // Only the repositories with a manifest are asked, by node id.
    const body = fake.requests.find(isBatch)?.body as { variables?: { ids?: string[] } } | undefined;
    const ids = body?.variables?.ids ?? [];
    expect(ids.sort()).toEqual(
      ["traced", "quiet", "busy"].map((n) => `R_${fake.state.repo(`acme/${n}`).id}`).sort(),
    );
    expect(fake.requests.filter(isSingle).map(repoOf)).toEqual(["busy"]);
    expect(fake.problems).toEqual([]);
  });

  it("reads each repository on its own when the page's query fails, and judges the same", async () => {
    fake.inject({ match: isBatch, status: 502, times: Number.POSITIVE_INFINITY });
    const found = await sweep();
    expect(found.get("traced")).toMatchObject({ status: "pass" });
    expect(found.get("quiet")).toMatchObject({ status: "fail" });
    expect(fake.requests.filter(isSingle).map(repoOf).sort()).toEqual(["busy", "quiet", "traced"]);
  });
});
