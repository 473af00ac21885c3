/**
 * One run at a time, as the one-process sweep (a run that would start while another is still
 * going is skipped): a run is going while its installations' `report` jobs wait for their
 * repositories (BullMQ's own "waiting-children" state), or while it is being planned (a short
 * Redis lock, SET NX with an expiry, so that two runs planned at the same moment do not both go).
 * Which installations a run has planned is kept in a Redis set, so that a `run` job tried again
 * plans each installation once, whatever became of the jobs since.
 */
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { execAll } from "../redis/connection.js";
import { releaseLock } from "../redis/lock.js";
import { REPORT, type ReportJobData } from "./jobs.js";

/** Where the runs' own keys live: a Redis connection and the deployment's prefix. */
export interface RunBook {
  queue: Queue;
  redis: Redis;
  prefix: string;
}

/** Held by the run being planned (its id). */
const planningKey = (prefix: string) => `${prefix}:sweep:planning`;
/** How long the planning lock holds if its replica dies while planning. */
const PLANNING_LOCK_MS = 10 * 60 * 1000;
/** How long a run's set of planned installations is kept. */
const PLANNED_TTL_SECONDS = 2 * 24 * 3600;

/** The id of another run still going, if there is one. */
export async function otherRunGoing(book: RunBook, runId?: string): Promise<string | undefined> {
  const { queue, redis, prefix } = book;
  const planning = await redis.get(planningKey(prefix));
  if (planning && planning !== runId) return planning;
  const parents = await queue.getJobs(["waiting-children"], 0, 10_000);
  const other = parents.find((j) => j.name === REPORT && (j.data as ReportJobData).runId !== runId);
  return other ? (other.data as ReportJobData).runId : undefined;
}

/**
 * Runs `plan` holding the planning lock for `runId`; returns the run that holds it instead, when
 * another one does.
 */
export async function whilePlanning<T>(
  book: RunBook,
  runId: string,
  plan: () => Promise<T>,
): Promise<{ planned: T } | { busy: string }> {
  const { redis, prefix } = book;
  const key = planningKey(prefix);
  const taken = await redis.set(key, runId, "PX", PLANNING_LOCK_MS, "NX");
  if (taken !== "OK") {
    const holder = await redis.get(key);
    if (holder !== runId) return { busy: holder ?? "another run" };
  }
  try {
    return { planned: await plan() };
  } finally {
    await releaseLock(redis, key, runId);
  }
}

/** Whether `installationId` was already planned for `runId`; marks it planned when not. */
export async function planOnce(
  book: RunBook,
  runId: string,
  installationId: number,
  add: () => Promise<void>,
) {
  const { redis, prefix } = book;
  const key = `${prefix}:sweep:run:${runId}:planned`;
  if (await redis.sismember(key, String(installationId))) return false;
  await add();
  await execAll(redis.multi().sadd(key, String(installationId)).expire(key, PLANNED_TTL_SECONDS));
  return true;
}
