/**
 * The redelivery schedule (POM_REDELIVERY_CRON, UTC, default every 10 minutes; `off` disables it).
 * On each tick, in this replica's turn (with Redis, one replica per tick: redis/redelivery.ts), it
 * asks GitHub to redeliver the deliveries our server failed (github/flows/redeliver.ts), then
 * judges again the work that failed after its delivery was acknowledged (failed-work.ts).
 *
 * Why a per-replica cron and a Redis claim per tick, not a BullMQ scheduler as for the sweep: the
 * job is a few calls long, so it needs no queue, worker or stalled-job recovery (and no more
 * connections); a tick that nobody ran (its replica died) loses nothing, because the next run reads
 * the log back to the mark; and whatever happens, the GUID claims keep a GUID from being asked for
 * twice.
 */
import { Cron } from "croner";
import type { Probot } from "probot";
import { type RedeliveryReport, redeliverFailed } from "../github/flows/redeliver.js";
import { describeSubject, rejudge } from "../github/flows/rejudge-subject.js";
import { describeError, type GitHubClient, statusOf } from "../github/transport/client.js";
import { expired, type FailedWork, type FailedWorkStore } from "./failed-work.js";
import type { RedeliveryState } from "./redelivery-memory.js";
import { pipelineDeps, type Shared } from "./shared.js";

export const DEFAULT_REDELIVERY_CRON = "*/10 * * * *";

export interface FailedWorkReport {
  /** Records judged again. */
  rejudged: number;
  /** Records that failed again, kept for the next run. */
  keptAgain: number;
  /** Records dropped: handled since, gone (404, 410, 422), or past three days. */
  dropped: number;
}

/** Subjects that cannot be judged again however often it is tried. */
const GONE = new Set([404, 410, 422]);

/** Judges again every record of `store`; those that fail again are kept for the next run. */
export async function retryFailedWork(
  app: Probot,
  shared: Shared,
  store: FailedWorkStore,
  now: Date,
): Promise<FailedWorkReport> {
  const report: FailedWorkReport = { rejudged: 0, keptAgain: 0, dropped: 0 };
  for (const work of await store.takeAll()) {
    const fields = {
      repo: `${work.owner}/${work.repo}`,
      subject: describeSubject(work.subject),
      delivery: work.delivery,
    };
    // Its delivery came again (by hand, or asked for) and was handled: nothing left to do.
    if (await shared.deliveries?.handled(work.delivery)) {
      report.dropped++;
      continue;
    }
    try {
      const client = (await app.auth(work.installationId)) as unknown as GitHubClient;
      await rejudge(
        pipelineDeps(shared, client, now, { fresh: true }),
        { owner: work.owner, repo: work.repo },
        work.subject,
      );
      report.rejudged++;
      app.log.info({ ...fields, tries: work.tries + 1 }, "failed work judged again");
    } catch (error) {
      const again: FailedWork = { ...work, tries: work.tries + 1 };
      const status = statusOf(error);
      if ((status !== undefined && GONE.has(status)) || expired(again, now.getTime())) {
        report.dropped++;
        app.log.error({ ...fields, reason: describeError(error) }, "failed work given up");
        continue;
      }
      await store.keep(again);
      report.keptAgain++;
      app.log.warn(
        { ...fields, reason: describeError(error), tries: again.tries },
        "failed work failed again; kept",
      );
    }
  }
  return report;
}

export type RedeliveryRun = Partial<RedeliveryReport> & Partial<FailedWorkReport>;

/** One run of the job: redeliveries, then the failed work. One part failing does not stop the other. */
export async function redeliveryRun(
  app: Probot,
  shared: Shared,
  state: RedeliveryState,
  now = new Date(),
): Promise<RedeliveryRun> {
  let run: RedeliveryRun = {};
  try {
    const appClient = (await app.auth()) as unknown as GitHubClient;
    const deliveries = shared.deliveries;
    run = await redeliverFailed(appClient, state.memory, {
      now,
      ...(deliveries ? { handled: (guid: string) => deliveries.handled(guid) } : {}),
      log: app.log,
    });
  } catch (error) {
    app.log.error(
      { reason: describeError(error) },
      "redelivery: the failed deliveries could not be read or asked for",
    );
  }
  if (shared.failedWork) {
    try {
      run = { ...run, ...(await retryFailedWork(app, shared, shared.failedWork, now)) };
    } catch (error) {
      app.log.error({ reason: describeError(error) }, "redelivery: the failed work could not be read");
    }
  }
  return run;
}

/**
 * Starts the schedule unless `expression` is "off"; returns a stop function.
 *
 * @example const stop = scheduleRedelivery(app, shared, process.env.POM_REDELIVERY_CRON)
 */
export function scheduleRedelivery(app: Probot, shared: Shared, expression: string | undefined): () => void {
  const cron = (expression ?? DEFAULT_REDELIVERY_CRON).trim();
  const state = shared.redelivery;
  if (cron === "off" || !state) {
    app.log.info("redelivery of failed deliveries is off (POM_REDELIVERY_CRON=off)");
    return () => {};
  }
  const job = new Cron(
    cron,
    { timezone: "UTC", protect: true, catch: (error) => app.log.error({ err: error }, "redelivery failed") },
    async (self) => {
      const now = new Date();
      // The tick as scheduled (not as late as it fired): every replica names it alike.
      const tick = self.previousRuns(1, new Date(now.getTime() + 1))[0] ?? now;
      let run: RedeliveryRun = {};
      const outcome = await state.turns(tick, async () => {
        run = await redeliveryRun(app, shared, state, now);
      });
      const fields = { tick: tick.toISOString(), outcome };
      if (outcome === "ran") {
        const { requested = [], ...counts } = run;
        const guids = requested.length > 0 ? { guids: requested.slice(0, 20) } : {};
        app.log.info({ ...fields, ...counts, requested: requested.length, ...guids }, "redelivery run");
      } else if (outcome === "busy")
        app.log.warn(fields, "a redelivery run is still going; this tick is skipped");
    },
  );
  app.log.info({ cron, next: job.nextRun()?.toISOString() }, "redelivery of failed deliveries scheduled");
  return () => job.stop();
}
