/**
 * The sweep across replicas: a BullMQ queue in Redis, a job scheduler for the cron (one per
 * queue: however many replicas start, one run is made per tick), and on every replica a worker
 * with bounded concurrency. A replica that dies leaves its jobs locked until the lock expires;
 * the others' stalled-job check then takes them back. `close` stops taking jobs and waits for
 * those in hand (up to a deadline, after which they are left to that check).
 */
import { FlowProducer, type Job, Queue, Worker } from "bullmq";
import type { Probot } from "probot";
import { wholeSetting } from "../../core/util/settings.js";
import { BATCH_SIZE } from "../../github/read/batch-queries.js";
import { closeAll, connect, type RedisSettings } from "../redis/connection.js";
import type { Shared } from "../shared.js";
import { Batcher } from "./batcher.js";
import {
  type JobSettings,
  QUEUE,
  REPO,
  REPORT,
  type RepoJobData,
  type RepoJobResult,
  RUN,
  runJobOptions,
  SCHEDULER,
} from "./jobs.js";
import { judgeBatch, type ProcessorDeps, planRun } from "./processors.js";
import { keepReport } from "./report-job.js";
import { otherRunGoing, type RunBook } from "./runs.js";
import { sweepStatus } from "./status.js";

/** A run asked for while another is still going. */
export class RunBusyError extends Error {
  constructor(readonly going: string) {
    super(`run ${going} is still going`);
  }
}

export interface QueueSettings extends JobSettings {
  /**
   * Jobs one replica holds at once (default 200: four batches, so that one installation waiting on
   * its rate limit does not hold up the others).
   */
  concurrency: number;
  /** How long a job's lock lasts without renewal: how soon a dead replica's jobs are taken back. */
  lockMs: number;
  /** How often a replica looks for jobs whose lock expired. */
  stalledCheckMs: number;
  /** How long a batch waits for more jobs of its installation. */
  batchWaitMs: number;
  /** How long `close` waits for the jobs in hand before leaving them. */
  shutdownMs: number;
}

/** The queue's settings from the environment (see docs/deploy.md). */
export function queueSettings(env: NodeJS.ProcessEnv): QueueSettings {
  const setting = (name: string, fallback: number, min = 1) => wholeSetting(env, name, min) ?? fallback;
  return {
    concurrency: setting("POM_SWEEP_CONCURRENCY", 4 * BATCH_SIZE),
    attempts: setting("POM_JOB_ATTEMPTS", 3),
    backoffMs: setting("POM_JOB_BACKOFF_MS", 30_000, 0),
    lockMs: setting("POM_JOB_LOCK_MS", 30_000, 1_000),
    stalledCheckMs: setting("POM_JOB_STALLED_CHECK_MS", 30_000, 500),
    batchWaitMs: setting("POM_BATCH_WAIT_MS", 250, 0),
    shutdownMs: setting("POM_SHUTDOWN_TIMEOUT_MS", 25_000, 0),
  };
}

export interface DistributedSweep {
  /** Counts, the next run, the last reports and the failed jobs with their reasons. */
  status(): Promise<object>;
  /** Asks for a run now (an operator, a test); the same `runId` twice is one run. */
  runNow(runId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts this replica's part of the sweep.
 *
 * @example const sweep = await startDistributedSweep(app, shared, redis, process.env.POM_SWEEP_CRON, queueSettings(process.env))
 */
export async function startDistributedSweep(
  app: Probot,
  shared: Shared,
  redis: RedisSettings,
  cron: string,
  settings: QueueSettings,
): Promise<DistributedSweep> {
  // No command timeout on these: a large installation's flow is one long MULTI, and a command
  // given up on by the client may still be carried out by Redis.
  const queueConnection = connect(redis, "queue", true);
  const flowConnection = connect(redis, "flow", true);
  const workerConnection = connect(redis, "worker", true);
  const connections = [queueConnection, flowConnection, workerConnection];
  const queue = new Queue(QUEUE, { connection: queueConnection, prefix: redis.prefix });
  const flow = new FlowProducer({ connection: flowConnection, prefix: redis.prefix });
  const book: RunBook = { queue, redis: queueConnection, prefix: redis.prefix };
  const deps: ProcessorDeps = { app, shared, book, flow, settings };
  const batcher = new Batcher<RepoJobResult>(judgeBatch(deps), {
    size: BATCH_SIZE,
    waitMs: settings.batchWaitMs,
  });

  const worker = new Worker(
    QUEUE,
    async (job: Job) => {
      if (job.name === RUN) return planRun(deps, job);
      if (job.name === REPORT) return keepReport(deps, job);
      if (job.name === REPO) {
        const data = job.data as RepoJobData;
        return batcher.add(
          { id: data.installationId, account: data.account, runId: data.runId },
          { owner: data.owner, name: data.name, nodeId: data.nodeId },
        );
      }
      throw new Error(`unknown job ${job.name}`);
    },
    {
      connection: workerConnection,
      prefix: redis.prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockMs,
      stalledInterval: settings.stalledCheckMs,
      maxStalledCount: 2,
      autorun: false,
    },
  );
  worker.on("failed", (job, error) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    app.log.warn(
      {
        job: job?.id,
        kind: job?.name,
        ...(job?.name === REPO ? { repo: `${job.data.owner}/${job.data.name}` } : {}),
        attempt: job?.attemptsMade,
        reason: error.message,
      },
      final ? "sweep job failed for good" : "sweep job failed; it will be tried again",
    );
  });
  worker.on("error", (error) => app.log.error({ err: error }, "sweep worker error"));
  worker.on("stalled", (jobId) =>
    app.log.warn({ job: jobId }, "sweep job stalled (its replica went away); taken back"),
  );

  if (cron === "off") {
    // The schedule is the queue's, not this replica's: "off" removes it for all of them.
    await queue.removeJobScheduler(SCHEDULER);
    app.log.info(
      "sweeps are off (POM_SWEEP_CRON=off): the shared schedule is removed for every replica; this one still works on jobs",
    );
  } else {
    await upsertSchedule(queue, cron, settings);
    app.log.info(
      { cron, queue: `${redis.prefix}:${QUEUE}`, concurrency: settings.concurrency },
      "sweeps scheduled in Redis",
    );
  }
  worker.run().catch((error: unknown) => app.log.error({ err: error }, "sweep worker stopped"));

  let closing: Promise<void> | undefined;
  return {
    status: () => sweepStatus(queue),
    runNow: async (runId) => {
      const going = await otherRunGoing(book);
      if (going) throw new RunBusyError(going);
      // A run asked for by hand and not planned yet holds BullMQ's deduplication id: another
      // added meanwhile gets that job back instead of a new one.
      const jobId = `manual-${runId}`;
      const job = await queue.add(
        RUN,
        { runId },
        { ...runJobOptions(settings), jobId, deduplication: { id: "manual-run" } },
      );
      if (job.id !== jobId) throw new RunBusyError(String(job.id).replace(/^manual-/, ""));
    },
    close: () => {
      closing ??= (async () => {
        // Stop taking jobs and wait for those in hand; past the deadline, leave them: their
        // locks expire and the other replicas take them back, as if this one had died.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), settings.shutdownMs);
        });
        const graceful = worker.close().then(
          () => "done" as const,
          () => "done" as const,
        );
        const finished = await Promise.race([graceful, deadline]);
        clearTimeout(timer);
        if (finished === "late") {
          app.log.warn(
            { waiting: batcher.waiting, lockMs: settings.lockMs },
            "sweep jobs still running at shutdown are left to the other replicas (taken back once their locks expire)",
          );
          // worker.close(true) would wait for the same jobs: cut the connections instead.
          for (const c of connections) c.disconnect();
          return;
        }
        await Promise.all([queue.close(), flow.close()]);
        await closeAll(connections);
      })();
      return closing;
    },
  };
}

/**
 * Upserts the shared schedule. Replicas that start together upsert it at the same moment, and
 * BullMQ then refuses all but one with "job ID already exists" for the tick's job: the schedule
 * exists, as the others wanted; a second attempt confirms it (another error is thrown).
 */
async function upsertSchedule(queue: Queue, cron: string, settings: QueueSettings): Promise<void> {
  const upsert = () =>
    queue.upsertJobScheduler(
      SCHEDULER,
      { pattern: cron, tz: "UTC" },
      { name: RUN, data: {}, opts: runJobOptions(settings) },
    );
  try {
    await upsert();
  } catch (error) {
    if (!/job ID already exists/i.test((error as Error)?.message ?? "")) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    await upsert().catch((again: unknown) => {
      if (!/job ID already exists/i.test((again as Error)?.message ?? "")) throw again;
    });
  }
}
