/**
 * Several replicas: three app processes (`node dist/app/server.js`) sharing one real Redis and one
 * loopback fake GitHub with 2,000 repositories in ten organizations. Counted at the fake: every
 * repository is judged exactly once per run, whichever replica took it; GitHub is asked no faster
 * than Probot's shared throttle allows (one POST a second per installation, across replicas);
 * webhook deliveries work on every replica; and a replica killed mid-sweep (SIGKILL) leaves its
 * jobs to the others, which finish the run without duplicating a tracking issue.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, startApp, waitFor } from "../../testkit/app-process.js";
import type { FakeGitHub, RecordedRequest } from "../../testkit/fake-github/server.js";
import { isLate, orgName, PULL, repoName } from "../../testkit/scale-seed.js";
import { deliver, exampleOf, openPullRequest } from "../../testkit/webhooks.js";
import { REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";
import { replicaEnv, startScaleFake, tearDown } from "./harness.js";

const ORGS = 10;
const PER_ORG = 200;
const TOKEN = "scale-dashboard-token-0123456789";
const SECRET = "scale-webhook-secret";

if (!REDIS_URL) console.warn(`skipping the several-replica tests: ${REDIS_MISSING}`);

/** How often each repository was judged: its node id in a judging batch (not a history query). */
function judgedCounts(requests: readonly RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.operation !== "POST /graphql" || r.status !== 200) continue;
    const body = r.body as { query?: string; variables?: { ids?: string[] } };
    // The insights query (merged pull requests) and the sweep's reading of open pull requests
    // also ask by node ids; neither judges the repository.
    const query = body.query ?? "";
    if (!query.includes("nodes(ids:") || /states: \[(MERGED|OPEN)\]/.test(query)) continue;
    for (const id of body.variables?.ids ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe.skipIf(!REDIS_URL)("three replicas sharing one Redis", () => {
  const prefix = testPrefix("replicas");
  let fake: FakeGitHub;
  let replicas: AppProcess[] = [];
  let env: Record<string, string>;
  let nodeIds: string[];

  const bearer = { authorization: `Bearer ${TOKEN}` };
  const status = async (replica: AppProcess) =>
    (await (await fetch(`${replica.url}/pom/sweep.json`, { headers: bearer })).json()) as {
      lastReports: { runId: string; org: string; repos: number; failed: number }[];
      failed: unknown[];
    };
  /** Starts a run from `replica` and waits for its ten reports. */
  const run = async (replica: AppProcess, watcher: AppProcess, during?: () => Promise<void>) => {
    const res = await fetch(`${replica.url}/pom/sweep/run`, { method: "POST", headers: bearer });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    await during?.();
    const reports = await waitFor(
      `the ten reports of ${runId}`,
      async () => {
        const kept = (await status(watcher)).lastReports.filter((r) => r.runId === runId);
        return kept.length === ORGS ? kept : undefined;
      },
      150_000,
      500,
    );
    return { runId, reports };
  };
  const trackingIssues = (org: string, i: number) =>
    fake.state
      .repo(`${org}/${repoName(i)}`)
      .issues.filter((issue) => issue.state === "open" && issue.labels.includes("pom-governance"));

  beforeAll(async () => {
    let privateKey: string;
    ({ fake, privateKey } = await startScaleFake(ORGS, PER_ORG));
    nodeIds = [...fake.state.repos.values()].map((r) => `R_${r.id}`);
    env = replicaEnv(fake, privateKey, prefix, {
      WEBHOOK_SECRET: SECRET,
      // Runs are started by hand here; the scheduler has its own test.
      POM_SWEEP_CRON: "off",
      POM_DASHBOARD_TOKEN: TOKEN,
      // A killed replica's jobs come back after 10 s instead of 30 (checked every second); a
      // shorter lock is renewed too late on a busy machine, and a job would then run twice.
      POM_JOB_LOCK_MS: "10000",
      POM_JOB_STALLED_CHECK_MS: "1000",
      POM_JOB_BACKOFF_MS: "500",
      // Each replica may hold every job of a run, so that all ten installations go at once, each
      // at its own rate.
      POM_SWEEP_CONCURRENCY: "700",
      // A replica may hold a run's jobs of several installations, each paced at one write a
      // second: finishing them on SIGTERM can take longer than the default 25 s, after which
      // they would be left to the others (the shutdown test covers that).
      POM_SHUTDOWN_TIMEOUT_MS: "150000",
    });
    replicas = await Promise.all(["a", "b", "c"].map((name) => startApp(`replica-${name}`, env)));
  }, 120_000);

  afterAll(() => tearDown(replicas, fake, prefix));

  it("takes webhook deliveries on every replica", async () => {
    for (const [o, replica] of replicas.entries()) {
      const org = orgName(o);
      const payload = openPullRequest(
        exampleOf("pull_request", "opened"),
        { owner: org, name: repoName(0), defaultBranch: "main" },
        { number: PULL.number, title: PULL.title, sha: PULL.headSha, body: "Serves OKR-1." },
      );
      payload.installation.id = o + 1;
      const delivery = await deliver(replica.url, "pull_request", payload, { secret: SECRET });
      expect(delivery.status, delivery.text).toBe(200);
      const runs = fake.state
        .repo(`${org}/${repoName(0)}`)
        .checkRuns.filter((c) => c.head_sha === PULL.headSha);
      expect(runs.map((c) => c.conclusion)).toEqual(["success"]);
    }
  });

  it("judges every one of the 2,000 repositories exactly once per run, on all three replicas", async () => {
    fake.reset();
    const { reports } = await run(replicas[0] as AppProcess, replicas[1] as AppProcess, async () => {
      // One run at a time: another asked for meanwhile, on another replica, is refused.
      const again = await fetch(`${(replicas[2] as AppProcess).url}/pom/sweep/run`, {
        method: "POST",
        headers: bearer,
      });
      expect(again.status).toBe(409);
    });
    const counts = judgedCounts(fake.requests);
    expect(counts.size).toBe(ORGS * PER_ORG);
    expect(nodeIds.filter((id) => counts.get(id) !== 1)).toEqual([]);
    // The open pull requests of a governed repository are read once per run too.
    const pullReads = new Map<string, number>();
    for (const r of fake.requests) {
      const body = r.body as { query?: string; variables?: { ids?: string[] } };
      if (r.operation !== "POST /graphql" || !body.query?.includes("states: [OPEN]")) continue;
      for (const id of body.variables?.ids ?? []) pullReads.set(id, (pullReads.get(id) ?? 0) + 1);
    }
    expect(pullReads.size).toBeGreaterThan(0);
    expect([...pullReads].filter(([, n]) => n !== 1)).toEqual([]);
    expect(reports.map((r) => [r.repos, r.failed])).toEqual(Array(ORGS).fill([PER_ORG, 0]));
    // The work was shared: every replica judged batches.
    for (const replica of replicas)
      expect(
        replica.logs().filter((l) => l.msg === "sweep batch judged").length,
        replica.name,
      ).toBeGreaterThan(0);
    // One tracking issue per late repository, none elsewhere.
    for (let o = 0; o < ORGS; o++)
      for (const i of [0, 1, PER_ORG - 1])
        expect(trackingIssues(orgName(o), i), `${orgName(o)} ${i}`).toHaveLength(isLate(i) ? 1 : 0);
    expect(fake.problems).toEqual([]);
  }, 200_000);

  it("asks each installation no faster than Probot's shared throttle: one POST a second", () => {
    const posts = new Map<number, { at: number; by: string }[]>();
    for (const r of fake.requests) {
      if (r.method !== "POST" || r.auth.kind !== "installation" || r.operation?.includes("access_tokens"))
        continue;
      const rows = posts.get(r.auth.installationId) ?? [];
      rows.push({ at: r.at, by: /pid \d+/.exec(String(r.headers["user-agent"]))?.[0] ?? "?" });
      posts.set(r.auth.installationId, rows);
    }
    expect(posts.size).toBe(ORGS);
    const senders = new Set<string>();
    for (const [installation, rows] of posts) {
      rows.sort((x, y) => x.at - y.at);
      for (const row of rows) senders.add(row.by);
      // Bottleneck lets one POST go a second; a request's arrival here also carries its sender's
      // event-loop delay, so single gaps vary. No five-second window holds more than six.
      for (const [k, row] of rows.entries()) {
        const within = rows.slice(k).filter((r) => r.at < row.at + 5_000).length;
        expect(within, `installation ${installation} from ${row.at} ms`).toBeLessThanOrEqual(6);
      }
      // On average a second apart; the first and last arrivals carry their senders' delays too,
      // which on a loaded machine take a few tens of milliseconds off the span.
      const span = (rows.at(-1)?.at ?? 0) - (rows[0]?.at ?? 0);
      expect(span / (rows.length - 1), `installation ${installation}`).toBeGreaterThanOrEqual(900);
    }
    // The spacing held across processes: the POSTs came from all three replicas.
    expect(senders.size).toBe(3);
  });

  it("finishes a run when a replica is killed mid-sweep, without duplicating an issue", async () => {
    fake.reset();
    // The late repositories' issues were closed (by hand, say): this run opens them again, so a
    // job run twice would show as two.
    for (let o = 0; o < ORGS; o++) for (const issue of trackingIssues(orgName(o), 0)) issue.state = "closed";
    const [a, b, c] = replicas as [AppProcess, AppProcess, AppProcess];
    const before = c.logs().filter((l) => l.msg === "sweep batch started").length;
    const { reports } = await run(a, b, async () => {
      await waitFor(
        "replica c to start a batch",
        () => c.logs().filter((l) => l.msg === "sweep batch started").length > before,
        60_000,
        20,
      );
      c.child.kill("SIGKILL");
    });
    expect(c.alive()).toBe(false);
    expect(reports.map((r) => [r.repos, r.failed])).toEqual(Array(ORGS).fill([PER_ORG, 0]));
    const counts = judgedCounts(fake.requests);
    expect(nodeIds.filter((id) => (counts.get(id) ?? 0) < 1)).toEqual([]);
    // c's jobs were taken back by the others once their locks expired. (Its share of an
    // installation's shared throttle comes back later: Octokit's throttling lets a clustered
    // request's slot expire after 60 s, which can hold that installation up as long.)
    const stalled = [a, b].flatMap((r) => r.logs().filter((l) => /stalled/.test(l.msg)));
    expect(stalled.length).toBeGreaterThan(0);
    for (let o = 0; o < ORGS; o++) expect(trackingIssues(orgName(o), 0), orgName(o)).toHaveLength(1);
    expect(fake.problems).toEqual([]);
    // A delivery still works on the survivors.
    const payload = openPullRequest(
      exampleOf("pull_request", "opened"),
      { owner: orgName(1), name: repoName(0), defaultBranch: "main" },
      { number: PULL.number, title: PULL.title, sha: PULL.headSha, body: "Serves OKR-1." },
    );
    payload.installation.id = 2;
    expect((await deliver(b.url, "pull_request", payload, { secret: SECRET })).status).toBe(200);
  }, 200_000);

  it("lets a replica stopped with SIGTERM finish the jobs in its hands, then exit cleanly", async () => {
    fake.reset();
    const [a, b] = replicas as [AppProcess, AppProcess];
    const count = (msg: string) => b.logs().filter((l) => l.msg === msg).length;
    const started = count("sweep batch started");
    const { reports } = await run(a, a, async () => {
      await waitFor("replica b to start a batch", () => count("sweep batch started") > started, 60_000, 20);
      b.child.kill("SIGTERM");
      await waitFor("replica b to exit", () => !b.alive(), 150_000, 50);
    });
    expect(b.exitCode()).toBe(0);
    // Every batch it started, it finished; nothing was left for the others to take back.
    // (On a mismatch, what the replica warned of says why.)
    const warned = b.logs().filter((l) => l.level >= 40 && !/stalled/.test(l.msg));
    expect(count("sweep batch judged"), JSON.stringify(warned).slice(0, 2_000)).toBe(
      count("sweep batch started"),
    );
    expect(b.logs().some((l) => /left to the other replicas/.test(l.msg))).toBe(false);
    expect(reports.map((r) => [r.repos, r.failed])).toEqual(Array(ORGS).fill([PER_ORG, 0]));
    for (let o = 0; o < ORGS; o++) expect(trackingIssues(orgName(o), 0), orgName(o)).toHaveLength(1);
    expect(fake.problems).toEqual([]);
  }, 330_000);
});
