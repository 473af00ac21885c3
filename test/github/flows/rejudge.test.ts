/**
 * Re-judging open pull requests against the loopback fake GitHub, with the clock injected: what a
 * re-judgement costs (an issue edit that changes no verdict, a manifest change over 60 open pull
 * requests), and a verdict that changes with time alone (a waiver running out overnight) rewritten
 * by the next sweep, the others left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governIssue } from "../../../github/flows/govern.js";
import { rejudgeDependants, rejudgeOpenPulls } from "../../../github/flows/rejudge.js";
import { emptyTally, sweepInstallation } from "../../../github/flows/sweep.js";
import { MemoryCheckLedger } from "../../../github/publish/check-ledger.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";

const DAY = 86_400_000;
const TODAY = new Date("2026-06-15T12:00:00Z");
const TOMORROW = new Date(TODAY.getTime() + DAY);
const log = { info: () => {}, warn: () => {}, error: () => {} };

const manifest = (patch: Record<string, unknown> = {}) =>
  stringify({
    version: 1,
    product: { name: "Busy" },
    team: { name: "Core", github: "acme/core" },
    release: { cadence: "14d" },
    outcomes: [{ id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "active" }],
    ...patch,
  });

let fake: FakeGitHub;
let client: GitHubClient;
let cache: FileCache;
let checks: MemoryCheckLedger;
const deps = (now: Date): PipelineDeps => ({ client, cache, checks, now });
const rateLimited = () =>
  fake.requests.filter(
    (r) => r.status !== 304 && r.operation !== "POST /app/installations/{installation_id}/access_tokens",
  );
const writes = () => fake.requests.filter((r) => r.method !== "GET" && r.operation !== "POST /graphql");

beforeAll(async () => {
  const at = new Date(TODAY.getTime() - DAY).toISOString();
  const pulls = Array.from({ length: 60 }, (_, i) => ({
    number: 100 + i,
    title: i % 2 === 0 ? `CHK-12: change ${i}` : `Change ${i}`,
    body: i === 1 ? "Fixes #7" : "",
    headSha: shaOf(`busy pr ${i}`),
    files: [`src/f${i}.ts`],
    ...(i === 1 ? { closingIssues: [7] } : {}),
  }));
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "busy",
        files: { ".github/pom.yml": manifest(), ".github/CODEOWNERS": "* @acme/core\n" },
        commits: [{ message: "Initial commit", date: at }],
        releases: [{ tag: "v1.0.0", publishedAt: at }],
        issues: [{ number: 7, title: "Checkout is slow", body: "## Problem\nslow" }],
        pulls,
      },
      {
        owner: "acme",
        name: "waived",
        // Waived through today: the pull request without an outcome is waived, until tomorrow.
        files: {
          ".github/pom.yml": manifest({
            waivers: [{ rule: "outcome.pull_request", until: "2026-06-15", reason: "migration" }],
          }),
        },
        commits: [{ message: "Initial commit", date: at }],
        releases: [{ tag: "v1.0.0", publishedAt: at }],
        pulls: [
          { number: 1, title: "No outcome yet", body: "", headSha: shaOf("waived 1"), files: ["a.ts"] },
          { number: 2, title: "CHK-12: with one", body: "", headSha: shaOf("waived 2"), files: ["b.ts"] },
        ],
      },
    ],
    teams: [
      { org: "acme", slug: "core", members: ["erin"], repos: { "acme/busy": "push", "acme/waived": "push" } },
    ],
  });
  client = installationClient(fake, "ghs_rejudge");
  cache = new FileCache();
  checks = new MemoryCheckLedger();
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

describe("re-judging open pull requests", () => {
  it("gives every open pull request a check once, then costs a manifest change 1 + ⌈60/50⌉ reads and a write only where a check changes", async () => {
    const busy = { owner: "acme", repo: "busy" };
    const first = await rejudgeOpenPulls(deps(TODAY), busy, log);
    expect(first).toEqual({ judged: 60, written: 60, failed: 0 });

    // The cadence changes: every pull request's inputs change (the manifest), no check's content.
    fake.state.repo("acme/busy").files.set(".github/pom.yml", manifest({ release: { cadence: "7d" } }));
    cache.invalidate(busy);
    fake.reset();
    const second = await rejudgeOpenPulls(deps(TODAY), busy, log);
    expect(second).toEqual({ judged: 60, written: 0, failed: 0 });
    const reads = rateLimited().filter((r) => r.method === "GET" || r.operation === "POST /graphql");
    // The manifest (changed: one full read for all 60), the policy (remembered missing), two
    // pages of pull requests: 1 + ⌈60/50⌉.
    expect(reads.map((r) => r.operation).sort()).toEqual(
      ["GET /repos/{owner}/{repo}/contents/{path}", "POST /graphql", "POST /graphql"].sort(),
    );
    expect(writes()).toEqual([]);

    // CHK-12 is achieved: the 30 pull requests naming it now fail, each edited in place once.
    fake.state.repo("acme/busy").files.set(
      ".github/pom.yml",
      manifest({
        outcomes: [{ id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "achieved" }],
      }),
    );
    cache.invalidate(busy);
    fake.reset();
    await rejudgeOpenPulls(deps(TODAY), busy, log);
    const named = fake.state
      .repo("acme/busy")
      .checkRuns.filter((r) => /^pr:1\d\d:/.test(r.external_id ?? ""));
    expect(named).toHaveLength(60);
    expect(new Set(named.map((r) => r.conclusion))).toEqual(new Set(["failure"]));
    expect(
      writes().every((r) => r.operation === "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ).toBe(true);
  });

  it("costs an issue edit that changes no verdict at most 2 rate-limited calls, and no write", async () => {
    const busy = { owner: "acme", repo: "busy" };
    const issue = { number: 7, title: "Checkout is slow", body: "## Problem\nstill slow", labels: [] };
    await governIssue(deps(TODAY), busy, issue);
    await rejudgeDependants(deps(TODAY), busy, 7, log);
    fake.reset();
    // Edited again: the payload shows the label the first judgement added.
    await governIssue(deps(TODAY), busy, {
      ...issue,
      body: "## Problem\nslow still",
      labels: ["pom: needs outcome"],
    });
    const tally = await rejudgeDependants(deps(TODAY), busy, 7, log);
    expect(tally).toEqual({ judged: 1, written: 0, failed: 0 });
    expect(rateLimited().length).toBeLessThanOrEqual(2);
    expect(writes()).toEqual([]);
  });
});

describe("a verdict that changes with time", () => {
  it("is rewritten by the next sweep once a waiver has run out, and only that one", async () => {
    const sweep = (now: Date) =>
      sweepInstallation(deps(now), { id: 1, account: "acme", selection: "all" }, emptyTally(), log, {
        tracking: false,
        pulls: {},
      });
    const runs = (n: number) =>
      fake.state.repo("acme/waived").checkRuns.filter((r) => r.head_sha === shaOf(`waived ${n}`));

    await sweep(TODAY);
    // Waived: shown as such, and it does not fail the check.
    expect(runs(1).map((r) => r.conclusion)).toEqual(["success"]);
    expect(runs(1)[0]?.output.summary).toMatch(/waived/);
    expect(runs(2).map((r) => r.conclusion)).toEqual(["success"]);

    fake.reset();
    await sweep(TOMORROW);
    expect(runs(1).map((r) => r.conclusion)).toEqual(["failure"]);
    const written = writes().filter((r) => r.path.includes("/repos/acme/waived/check-runs"));
    expect(written).toHaveLength(1);
  });
});
