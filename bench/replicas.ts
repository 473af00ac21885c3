/**
 * The sweep as BullMQ jobs on 1 and on 3 replicas (real `node dist/app/server.js` processes)
 * sharing a throwaway Redis, against the fake GitHub with `sweepRepos` repositories in ten
 * organizations (ten installations). Each variant starts one run by hand and times it until the
 * ten reports are kept; Redis memory is read before and after (the reports, the kept jobs).
 * With Probot's throttle on (one POST a second per installation, shared through Redis), as in
 * production, and off, which shows what the replicas' own CPU can do.
 */
import { type AppProcess, startApp, waitFor } from "../testkit/app-process.js";
import { startFakeGitHub } from "../testkit/fake-github/server.js";
import { redisServerMissing, startRedisServer } from "../testkit/redis-server.js";
import { scaleSeed } from "../testkit/scale-seed.js";
import type { Context } from "./config.js";
import { serverEnv } from "./config.js";
import { round } from "./stats.js";

export interface ReplicaRun {
  replicas: number;
  throttle: boolean;
  repositories: number;
  wallSeconds: number;
  /** Repositories one replica sweeps in an hour at this pace. */
  reposPerReplicaHour: number;
  rateLimitedCalls: number;
  graphql: number;
  writes: number;
  /** Redis memory the run added (reports and kept jobs), in MiB, and per 1,000 repositories. */
  redisMiB: number;
  redisMiBPer1000: number;
  /** Of it, the stored organization reports (what stays: the jobs' results go with the jobs). */
  reportsMiBPer1000: number;
  /** Every replica took part. */
  replicasWorking: number;
}

export interface ReplicasResult {
  runs: ReplicaRun[];
  problems: string[];
  skipped?: string;
}

const ORGS = 10;
const TOKEN = "bench-dashboard-token-0123456789";

async function usedMemory(url: string): Promise<number> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url);
  const info = await redis.info("memory");
  redis.disconnect();
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Bytes Redis holds for the keys matching `pattern` (MEMORY USAGE of each). */
async function keysMemory(url: string, pattern: string): Promise<number> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url);
  let total = 0;
  for (const key of await redis.keys(pattern)) total += Number(await redis.memory("USAGE", key)) || 0;
  redis.disconnect();
  return total;
}

export async function measureReplicas(context: Context): Promise<ReplicasResult> {
  const missing = redisServerMissing();
  if (missing) return { runs: [], problems: [], skipped: missing };
  const perOrg = Math.max(1, Math.round(context.sizes.sweepRepos / ORGS));
  const redis = await startRedisServer();
  const runs: ReplicaRun[] = [];
  const problems: string[] = [];
  try {
    for (const throttle of [true, false]) {
      for (const count of [1, 3]) {
        // A fresh GitHub each time: every variant opens the same tracking issues.
        const fake = await startFakeGitHub(scaleSeed(ORGS, perOrg, Date.now(), context.publicKey));
        context.log(`replicas: ${count}, throttle ${throttle ? "on" : "off"}, ${ORGS * perOrg} repositories`);
        const prefix = `bench${count}${throttle ? "t" : "f"}`;
        const env = serverEnv(context, fake.host, {
          REDIS_URL: redis.url,
          POM_REDIS_PREFIX: prefix,
          POM_DASHBOARD_TOKEN: TOKEN,
          POM_GITHUB_THROTTLE: throttle ? "on" : "off",
        });
        const replicas: AppProcess[] = await Promise.all(
          Array.from({ length: count }, (_, k) => startApp(`bench-replica-${k}`, env)),
        );
        try {
          const before = await usedMemory(redis.url);
          const started = Date.now();
          const auth = { authorization: `Bearer ${TOKEN}` };
          const res = await fetch(`${replicas[0]?.url}/pom/sweep/run`, { method: "POST", headers: auth });
          const { runId } = (await res.json()) as { runId: string };
          await waitFor(
            `the reports of ${runId}`,
            async () => {
              const status = (await (
                await fetch(`${replicas[0]?.url}/pom/sweep.json`, { headers: auth })
              ).json()) as {
                lastReports: { runId: string }[];
              };
              return status.lastReports.filter((r) => r.runId === runId).length === ORGS;
            },
            600_000,
            200,
          );
          const seconds = (Date.now() - started) / 1000;
          const added = (await usedMemory(redis.url)) - before;
          const reports = await keysMemory(redis.url, `${prefix}:report:*`);
          const counts = fake.counts();
          const repos = ORGS * perOrg;
          runs.push({
            replicas: count,
            throttle,
            repositories: repos,
            wallSeconds: round(seconds, 1),
            reposPerReplicaHour: Math.round((repos / seconds / count) * 3600),
            rateLimitedCalls: counts.rateLimited,
            graphql: counts.graphql,
            writes: counts.writes,
            redisMiB: round(added / 2 ** 20, 2),
            redisMiBPer1000: round((added / 2 ** 20 / repos) * 1000, 2),
            reportsMiBPer1000: round((reports / 2 ** 20 / repos) * 1000, 2),
            replicasWorking: replicas.filter((r) => r.logs().some((l) => l.msg === "sweep batch judged"))
              .length,
          });
          problems.push(...fake.problems.slice(0, 5));
          for (const r of replicas)
            for (const l of r
              .logs()
              .filter((x) => x.level >= 50)
              .slice(0, 3))
              problems.push(`${r.name}: ${l.msg}`);
        } finally {
          await Promise.all(replicas.map((r) => r.stop()));
          await fake.close();
        }
      }
    }
  } finally {
    await redis.stop();
  }
  return { runs, problems };
}
