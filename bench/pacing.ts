/**
 * A first sweep under GitHub's limits on content creation: `pacingRepos` repositories of one
 * installation that each need a tracking issue (a third failing at error level, the rest at warning
 * level), swept in this process against the fake GitHub through an Octokit built as the server
 * builds it, its pacer on a virtual clock (testkit/paced-sweep.ts). Reported: how long the sweep
 * takes in virtual time under the pacing (and the least any schedule within the limits could
 * take), the busiest rolling minute and hour of creations, whether every issue was opened once
 * and the error-level ones first. Once with the pacer's window in memory, and once in Redis when a
 * redis-server can be started.
 */
import { Redis } from "ioredis";
import { RedisWindow } from "../app/redis/pace-window.js";
import { GITHUB_CREATE_LIMITS, MemoryWindow, type PaceLimits } from "../github/transport/pace-window.js";
import { startFakeGitHub } from "../testkit/fake-github/server.js";
import { type PacedSweep, pacedSweep } from "../testkit/paced-sweep.js";
import { redisServerMissing, startRedisServer } from "../testkit/redis-server.js";
import { orgName, scaleSeed } from "../testkit/scale-seed.js";
import { busiest } from "../testkit/virtual-clock.js";
import type { Context } from "./config.js";
import type { Budget } from "./report.js";
import { round } from "./stats.js";

export interface PacingRun {
  window: "memory" | "redis";
  repositories: number;
  /** Tracking issues opened, and repositories with more than one. */
  opened: number;
  duplicated: number;
  /** Virtual minutes from the sweep's start to its last creation, and the least the limits allow. */
  minutes: number;
  floorMinutes: number;
  busiestMinute: number;
  busiestHour: number;
  within: boolean;
  /** Every error-level issue was opened before any warning-level one. */
  errorsFirst: boolean;
  /** The longest a creation waited for its slot, virtual minutes. */
  longestWaitMinutes: number;
  realSeconds: number;
}

export interface PacingResult {
  limits: PaceLimits;
  runs: PacingRun[];
  problems: string[];
  redisSkipped?: string;
}

/** When the n-th creation could go at the earliest, if all were waiting at 0: the limits' floor. */
function floorMs(n: number, limits: PaceLimits): number {
  let now = 0;
  let admitted = 0;
  const window = new MemoryWindow(limits, () => now);
  while (admitted < n) {
    const reservation = window.reserveNow("floor", now);
    if (reservation.admitted) admitted++;
    else now += reservation.waitMs;
  }
  return now;
}

const failsAtError = (i: number) => i % 3 === 0;

async function run(
  context: Context,
  redisUrl: string | undefined,
): Promise<{ run: PacingRun; problems: string[] }> {
  const repos = context.sizes.pacingRepos;
  const now = new Date();
  const fake = await startFakeGitHub(
    scaleSeed(1, repos, now.getTime(), context.publicKey, {
      late: () => true,
      cadence: (i) => (failsAtError(i) ? undefined : "warn"),
    }),
  );
  const redis = redisUrl ? new Redis(redisUrl) : undefined;
  let swept: PacedSweep;
  try {
    swept = await pacedSweep(
      fake,
      context.privateKey,
      { id: 1, account: orgName(0) },
      {
        now,
        ...(redis
          ? {
              window: (clock) =>
                new RedisWindow(redis, `benchpace${Date.now()}`, GITHUB_CREATE_LIMITS, { now: clock.now }),
            }
          : {}),
      },
    );
  } finally {
    redis?.disconnect();
    await fake.close();
  }
  const created = fake.requests
    .filter((r) => r.operation === "POST /repos/{owner}/{repo}/issues")
    .map((r) => r.path.split("/")[5] ?? "");
  const perRepo = new Map<string, number>();
  for (const name of created) perRepo.set(name, (perRepo.get(name) ?? 0) + 1);
  const errors = Math.ceil(repos / 3);
  const limits = busiest(swept.admitted, GITHUB_CREATE_LIMITS);
  const last = swept.admitted.at(-1)?.at ?? 0;
  return {
    run: {
      window: redis ? "redis" : "memory",
      repositories: repos,
      opened: perRepo.size,
      duplicated: [...perRepo.values()].filter((n) => n > 1).length,
      minutes: round(last / 60_000, 2),
      floorMinutes: round(floorMs(repos, GITHUB_CREATE_LIMITS) / 60_000, 2),
      busiestMinute: limits.perMinute,
      busiestHour: limits.perHour,
      within: limits.within,
      errorsFirst: swept.admitted.slice(0, errors).every((a) => a.priority.rank === 0),
      longestWaitMinutes: round(Math.max(0, ...swept.admitted.map((a) => a.waitedMs)) / 60_000, 1),
      realSeconds: round(swept.realMs / 1000, 1),
    },
    problems: [...fake.problems.slice(0, 5)],
  };
}

export async function measurePacing(context: Context): Promise<PacingResult> {
  const runs: PacingRun[] = [];
  const problems: string[] = [];
  context.log(`pacing: a first sweep of ${context.sizes.pacingRepos} repositories, window in memory`);
  const inMemory = await run(context, undefined);
  runs.push(inMemory.run);
  problems.push(...inMemory.problems);
  const missing = redisServerMissing();
  if (missing) return { limits: GITHUB_CREATE_LIMITS, runs, problems, redisSkipped: missing };
  const server = await startRedisServer();
  try {
    context.log(`pacing: the same sweep, window in Redis`);
    const inRedis = await run(context, server.url);
    runs.push(inRedis.run);
    problems.push(...inRedis.problems);
  } finally {
    await server.stop();
  }
  return { limits: GITHUB_CREATE_LIMITS, runs, problems };
}

/** "3 h 06 min" */
function hoursAndMinutes(minutes: number): string {
  const whole = Math.round(minutes);
  return `${Math.floor(whole / 60)} h ${String(whole % 60).padStart(2, "0")} min`;
}

/** The design's pacing budget, held against the runs. */
export function pacingBudget(result: PacingResult): Budget {
  const kept = result.runs.every(
    (r) => r.within && r.opened === r.repositories && r.duplicated === 0 && r.errorsFirst,
  );
  return {
    budget: `pacing: a first sweep of ${result.runs[0]?.repositories ?? "?"} repos never exceeds GitHub's secondary limits (${result.limits.perMinute}/min, ${result.limits.perHour}/h)`,
    measured: result.runs
      .map(
        (r) =>
          `${r.window}: ${r.opened} issues in ${hoursAndMinutes(r.minutes)} (the limits allow no less than ${hoursAndMinutes(r.floorMinutes)}), busiest minute ${r.busiestMinute}, busiest hour ${r.busiestHour}, ${r.duplicated} duplicated, error level first: ${r.errorsFirst ? "yes" : "no"}`,
      )
      .join("; "),
    status: kept ? "met" : "not met",
  };
}

/** The phase's table for the report. */
export function pacingRows(result: PacingResult): (string | number)[][] {
  return result.runs.map((r) => [
    r.window,
    r.repositories,
    `${r.opened}${r.duplicated ? ` (${r.duplicated} duplicated)` : ""}`,
    hoursAndMinutes(r.minutes),
    hoursAndMinutes(r.floorMinutes),
    `${r.busiestMinute} / ${r.busiestHour}`,
    r.errorsFirst ? "yes" : "no",
    r.longestWaitMinutes,
    r.realSeconds,
  ]);
}

export const PACING_HEAD = [
  "window",
  "repositories",
  "issues opened",
  "virtual time to the last",
  "least the limits allow",
  "busiest minute / hour",
  "error level first",
  "longest wait (min)",
  "real s",
];
