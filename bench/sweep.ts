/**
 * The daily sweep over `sweepRepos` synthetic repositories in three installations, with the
 * app's sweep (app/sweep.ts: GraphQL batches of 50 repositories, see github/flows/sweep.ts), run in a
 * worker process (bench/sweep-worker.ts) against the fake GitHub in this one. Three sweeps:
 *
 * 1. first: as after a restart (tracking issues of the late repositories are opened);
 * 2. second: a day later, the steady state (issues unchanged);
 * 3. naive: every repository judged on its own over REST with no file cache.
 *
 * The target of the design budgets is N/50 + one per installation, for judging the repositories;
 * the organization report's histories (about N/50 more GraphQL queries) are counted apart, and so
 * are the custom property lists (REST, ⌈repositories of the owner / 100⌉ per owner).
 */
import { fork } from "node:child_process";
import { type RecordedRequest, startFakeGitHub } from "../testkit/fake-github/server.js";
import { type CallFigures, perEvent } from "./api-calls.js";
import type { Context } from "./config.js";
import { SWEEP_ORGS, sweepSeed } from "./seed.js";
import { round } from "./stats.js";

export interface SweepRun {
  name: string;
  repositories: number;
  governed: number;
  failed: number;
  tracking: Record<string, number>;
  wallSeconds: number;
  /** CPU seconds of the sweeping process. */
  cpuSeconds: number;
  calls: {
    total: number;
    rateLimited: number;
    notModified: number;
    graphql: number;
    writes: number;
    /** Of `graphql`: the queries that read histories for the organization report (merged pull requests). */
    report: number;
    /** Of `graphql`: the queries that read reverts and incidents for the change failure rate. */
    stability: number;
    /**
     * REST reads of custom property values (not in GraphQL): each owner's list, 100 repositories a
     * request, for ownership.team's comparison with the property `team`.
     */
    customProperties: number;
  };
  perRepo: CallFigures;
  /** Requests per repository by operation, the largest first. */
  operations: { operation: string; perRepo: number }[];
  workerRssMiB: number;
}

export interface SweepResult {
  repositories: number;
  installations: number;
  /** N/50 + installations. */
  targetCalls: number;
  /** Σ ⌈repositories of the owner / 100⌉: the custom property lists a sweep needs. */
  propertyCalls: number;
  runs: SweepRun[];
  problems: string[];
}

interface WorkerAnswer {
  ready?: boolean;
  error?: string;
  report?: { repositories: number; governed: number; failed: number; tracking: Record<string, number> };
  ms?: number;
  cpuMs?: number;
  rssMiB?: number;
}

/** Whether a request reads reverts and incidents (github/insights/stability-read.ts). */
function readsStability(r: RecordedRequest): boolean {
  const query = (r.body as { query?: unknown } | undefined)?.query;
  return r.operation === "POST /graphql" && typeof query === "string" && query.includes("incidents: issues(");
}

/** Whether a request is one of the organization report's history queries (github/insights/insights-query.ts). */
function readsHistory(r: RecordedRequest): boolean {
  const query = (r.body as { query?: unknown } | undefined)?.query;
  return r.operation === "POST /graphql" && typeof query === "string" && query.includes("states: [MERGED]");
}

function operationsOf(requests: readonly RecordedRequest[], repos: number): SweepRun["operations"] {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.status === 304 ? "304 " : ""}${r.operation ?? `${r.method} ${r.path}`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([operation, n]) => ({ operation, perRepo: round(n / repos, 3) }));
}

export async function measureSweep(context: Context): Promise<SweepResult> {
  const { sweepRepos } = context.sizes;
  const fake = await startFakeGitHub(sweepSeed(sweepRepos, Date.now(), context.publicKey));
  const worker = fork(context.sweepWorker, [], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      POM_BENCH_FAKE_URL: fake.url,
      POM_BENCH_PRIVATE_KEY: context.privateKey,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const answers: WorkerAnswer[] = [];
  const waiting: ((answer: WorkerAnswer) => void)[] = [];
  worker.on("message", (message: WorkerAnswer) => {
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else answers.push(message);
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const next = (timeoutMs: number) =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      const queued = answers.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(
        () => reject(new Error(`the sweep worker gave no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      exited.then(() => reject(new Error("the sweep worker exited")));
    });
  const problems: string[] = [];
  const runs: SweepRun[] = [];
  try {
    const ready = await next(30_000);
    if (!ready.ready) throw new Error(`the sweep worker did not start: ${ready.error ?? ""}`);
    for (const [name, mode] of [
      ["first (after a restart)", "cached"],
      ["second (the next day)", "cached"],
      ["naive (per repository, REST)", "uncached"],
    ] as const) {
      context.log(`sweep: ${name}, ${sweepRepos} repositories`);
      fake.reset();
      worker.send({ sweep: mode });
      const answer = await next(300_000);
      if (answer.error || !answer.report) throw new Error(`the sweep failed: ${answer.error}`);
      const requests = [...fake.requests];
      const repos = Math.max(1, answer.report.repositories);
      const perRepo = perEvent(requests, repos);
      const counts = fake.counts();
      runs.push({
        name,
        repositories: answer.report.repositories,
        governed: answer.report.governed,
        failed: answer.report.failed,
        tracking: answer.report.tracking,
        wallSeconds: round((answer.ms ?? 0) / 1000, 2),
        cpuSeconds: round((answer.cpuMs ?? 0) / 1000, 2),
        calls: {
          total: counts.total,
          rateLimited: counts.rateLimited,
          notModified: counts.notModified,
          graphql: counts.graphql,
          writes: counts.writes,
          report: requests.filter(readsHistory).length,
          stability: requests.filter(readsStability).length,
          customProperties: requests.filter((r) => r.operation?.endsWith("/properties/values")).length,
        },
        perRepo,
        operations: operationsOf(requests, repos),
        workerRssMiB: round(answer.rssMiB ?? Number.NaN),
      });
      problems.push(...fake.problems.slice(0, 20 - problems.length));
    }
  } finally {
    if (worker.connected) worker.send({ exit: true });
    const timer = setTimeout(() => worker.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    await fake.close();
  }
  return {
    repositories: runs[0]?.repositories ?? sweepRepos,
    installations: SWEEP_ORGS.length,
    targetCalls: Math.ceil(sweepRepos / 50) + SWEEP_ORGS.length,
    propertyCalls: SWEEP_ORGS.reduce(
      (sum, _org, o) => sum + Math.ceil(Math.ceil((sweepRepos - o) / SWEEP_ORGS.length) / 100),
      0,
    ),
    runs,
    problems,
  };
}
