/**
 * outcome.stale read live against the loopback fake GitHub: one GraphQL query per repository (merged
 * pull requests, issues updated since the limit's start, releases with their notes), asked only
 * when the rule is on, checked against GitHub's public schema; a repository with the rule off costs
 * exactly what it did. The sweep's batch reads it per repository the same way.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Evaluation } from "../../../core/engine/evaluate.js";
import { evaluateRepository } from "../../../github/flows/subjects.js";
import { judgeBatched } from "../../../github/flows/sweep.js";
import { batchedPages, type OwnerContext } from "../../../github/read/batch-pages.js";
import { ACTIVITY_QUERY } from "../../../github/read/outcome-activity.js";
import type { BatchedRepo } from "../../../github/read/repo-batch.js";
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
const ON = manifestYaml({ rules: { "outcome.stale": "warn" } });
const OFF = manifestYaml();

let fake: FakeGitHub;
let client: GitHubClient;

/** A governed repository with a fresh release; `extra` adds its pull requests, issues, releases. */
function repo(name: string, manifest: string, extra: Partial<SeedRepo> = {}): SeedRepo {
  return {
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifest, ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [{ sha: `${name.length}`.padStart(40, "a"), message: "Initial commit", date: ago(3) }],
    ...extra,
    releases: [{ tag: "v1.0.0", publishedAt: ago(2), body: "Fixes" }, ...(extra.releases ?? [])],
  };
}

const merged = (number: number, title: string, days: number) => ({
  number,
  title,
  mergedAt: ago(days),
  state: "closed" as const,
});

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      repo("traced", ON, { pulls: [merged(1, "CHK-12: one-page form", 10)] }),
      repo("untraced", OFF, { pulls: [merged(1, "CHK-12: one-page form", 10)] }),
      repo("quiet", ON, {
        pulls: [merged(1, "CHK-12: one-page form", 80), merged(2, "Tidy", 5)],
        issues: [{ number: 3, title: "Plan CHK-12", state: "closed", createdAt: ago(90), closedAt: ago(70) }],
      }),
      repo("closed", ON, {
        issues: [
          {
            number: 4,
            title: "Form copy",
            body: "For CHK-12.",
            state: "closed",
            createdAt: ago(100),
            closedAt: ago(3),
          },
        ],
      }),
      repo("notes", ON, { releases: [{ tag: "v1.1.0", publishedAt: ago(1), body: "Outcomes: CHK-12" }] }),
      repo("busy", ON, {
        pulls: Array.from({ length: 101 }, (_, i) => merged(10 + i, `Change ${i}`, 1 + (i % 20))),
      }),
    ],
    teams: [{ org: "acme", slug: "payments", members: ["alice", "bob", "carol"] }],
  });
  client = installationClient(fake, "ghs_outcome_activity");
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => fake.reset());

const isActivity = (r: { operation?: string; body?: unknown }) =>
  r.operation === "POST /graphql" && (r.body as { query?: string }).query === ACTIVITY_QUERY;

async function judged(name: string): Promise<Evaluation> {
  const outcome = await evaluateRepository(
    { client, cache: new FileCache(), now: NOW },
    { owner: "acme", repo: name },
  );
  if (outcome.kind !== "evaluated") throw new Error(`not evaluated: ${JSON.stringify(outcome)}`);
  return outcome.evaluation;
}

const stale = (evaluation: Evaluation) => evaluation.findings.filter((f) => f.rule === "outcome.stale");

describe("outcome.stale read live", () => {
  it("asks GitHub a query its public schema accepts", () => {
    expect(schemaProblems(ACTIVITY_QUERY)).toEqual([]);
  });

  it("passes on a merged pull request naming the outcome, for exactly one GraphQL query more than with the rule off", async () => {
    const off = await judged("untraced");
    const offCounts = fake.counts();
    expect(stale(off)).toEqual([]);
    expect(fake.requests.filter(isActivity)).toEqual([]);
    fake.reset();

    const on = await judged("traced");
    const onCounts = fake.counts();
    const [finding] = stale(on);
    expect(finding).toMatchObject({ status: "pass", level: "warn" });
    expect(finding?.evidence).toContain("CHK-12: last named by pull request #1 on 2026-06-05");
    expect(fake.requests.filter(isActivity)).toHaveLength(1);
    expect(onCounts.graphql).toBe(offCounts.graphql + 1);
    expect(onCounts.total).toBe(offCounts.total + 1);
    expect(fake.problems).toEqual([]);
  });

  it("fails naming the outcome when its last traced work is older than 60 days", async () => {
    const [finding] = stale(await judged("quiet"));
    expect(finding?.status).toBe("fail");
    // #1 (80 days back) is read, being among the newest 100 merged; #3, last updated 70 days back,
    // is not: only issues updated since the limit's start are asked for.
    expect(finding?.message).toBe(
      "CHK-12 has had no traced work in the last 60 days (the newest found: pull request #1, 80 days ago)",
    );
    expect(finding?.evidence).toContain("CHK-12: last named by pull request #1 on 2026-03-27");
  });

  it("counts an issue closed within the limit, however old, and a release's notes", async () => {
    const [closed] = stale(await judged("closed"));
    expect(closed).toMatchObject({ status: "pass" });
    expect(closed?.evidence).toContain("CHK-12: last named by issue #4 on 2026-06-12");
    const [notes] = stale(await judged("notes"));
    expect(notes?.evidence).toContain("CHK-12: last named by release v1.1.0 on 2026-06-14");
  });

  it("is unknown when 100 merged pull requests in the limit name nothing: the reading stops short of 60 days", async () => {
    const [finding] = stale(await judged("busy"));
    expect(finding?.status).toBe("unknown");
    expect(finding?.message).toMatch(
      /^nothing read names CHK-12 within 60 days, and what was read reaches back only to 2026-0[56]-/,
    );
    expect(fake.requests.filter(isActivity)).toHaveLength(1);
  });

  it("is unknown with the reason, never a pass, when GitHub fails the query", async () => {
    fake.inject({ match: isActivity, status: 502, times: Number.POSITIVE_INFINITY });
    try {
      const [finding] = stale(await judged("traced"));
      expect(finding?.status).toBe("unknown");
      expect(finding?.message).toContain("the recent pull requests, issues and releases");
    } finally {
      fake.clearFaults();
    }
  });
});

async function batchedRepo(name: string): Promise<{ batched: BatchedRepo; owner: OwnerContext }> {
  const pages = batchedPages(client, { account: "acme", selection: "all", listRepositories: async () => [] });
  for await (const page of pages) {
    const batched = page.repos.find((r) => r.repo.repo === name);
    if (batched) return { batched, owner: page.owner };
  }
  throw new Error(`the batch listed no acme/${name}`);
}

describe("outcome.stale in a sweep's batch", () => {
  it("reads one query for a repository with the rule on, and nothing more for one with it off", async () => {
    const deps = { client, cache: new FileCache(), now: NOW };
    const off = await batchedRepo("untraced");
    const on = await batchedRepo("traced");
    fake.reset();
    const offResult = await judgeBatched(deps, off.batched, off.owner);
    const offCounts = fake.counts();
    expect(fake.requests.filter(isActivity)).toEqual([]);
    expect(offResult.evaluation?.findings.some((f) => f.rule === "outcome.stale")).toBe(false);
    fake.reset();
    const onResult = await judgeBatched(deps, on.batched, on.owner);
    expect(fake.requests.filter(isActivity)).toHaveLength(1);
    expect(fake.counts().total).toBe(offCounts.total + 1);
    expect(onResult.evaluation?.findings.find((f) => f.rule === "outcome.stale")?.status).toBe("pass");
  });
});
