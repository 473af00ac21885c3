/**
 * Redelivery of failed deliveries: GitHub never redelivers on its own, so a delivery our server
 * could not take (a 5xx, or no answer in time) is lost unless someone asks. One run reads the
 * app's delivery log back to the previous run's high-water mark (GitHub's three-day window on a
 * first run), finds the GUIDs whose every attempt failed in passing (read/deliveries.ts), and asks
 * GitHub once per GUID to deliver it again (`POST /app/hook/deliveries/{id}/attempts`). A GUID is
 * claimed in the memory before it is asked for, so that nothing is asked for twice, also by
 * another replica; a request GitHub did not take gives its claim back and holds the mark, so the
 * next run tries again. A redelivered GUID that was already handled writes nothing (the app's
 * delivery ledger), and one the ledger knows as handled is not asked for at all.
 *
 * Costs: ⌈attempts read / 100⌉ list calls, plus one call per failed GUID.
 */

import { type FailedDelivery, failedDeliveries, readDeliveries } from "../read/deliveries.js";
import type { GitHubClient } from "../transport/client.js";
import { statusOf } from "../transport/client.js";

/** GitHub keeps, and redelivers, deliveries for three days. */
export const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/**
 * How far before the mark a run reads again: an attempt can take a few minutes to show in the log,
 * and one that shows late must not fall between two runs.
 */
export const MARK_OVERLAP_MS = 5 * 60 * 1000;

/** What the runs remember: the mark, and the GUIDs asked for (for three days). */
export interface RedeliveryMemory {
  /** The newest attempt the last run read (an ISO time), if any. */
  mark(): Promise<string | undefined>;
  setMark(at: string): Promise<void>;
  /** Claims `guid` for one request: false when it was claimed before. */
  claim(guid: string): Promise<boolean>;
  /** Gives a claim back (GitHub did not take the request). */
  unclaim(guid: string): Promise<void>;
}

export interface RedeliveryOptions {
  now: Date;
  /** Whether the app already handled delivery `guid` (its ledger): such a GUID is not asked for. */
  handled?: (guid: string) => Promise<boolean>;
  log?: { warn(fields: object, message: string): void };
}

export interface RedeliveryReport {
  /** List calls made. */
  pages: number;
  /** Attempts read. */
  attempts: number;
  /** GUIDs whose every attempt failed in passing. */
  failed: number;
  /** GUIDs asked for in this run. */
  requested: string[];
  /** Failed GUIDs asked for before (here or by another replica). */
  already: number;
  /** Failed GUIDs the app had handled after all (answered late): not asked for. */
  handled: number;
  /** Requests GitHub refused for good (4xx: e.g. too old), or did not take (tried again next run). */
  refused: number;
  retryLater: number;
  /** The mark this run leaves for the next. */
  mark?: string;
}

/**
 * One run: reads the log, asks for each failed GUID once, and moves the mark.
 *
 * @example const report = await redeliverFailed(await app.auth(), memory, { now: new Date() })
 */
export async function redeliverFailed(
  appClient: GitHubClient,
  memory: RedeliveryMemory,
  options: RedeliveryOptions,
): Promise<RedeliveryReport> {
  const windowStart = options.now.getTime() - REDELIVERY_WINDOW_MS;
  const mark = await memory.mark();
  const since = mark ? Math.max(windowStart, Date.parse(mark) - MARK_OVERLAP_MS) : windowStart;
  const log = await readDeliveries(appClient, new Date(since));
  const failed = failedDeliveries(log.attempts, new Date(windowStart));
  const report: RedeliveryReport = {
    pages: log.pages,
    attempts: log.attempts.length,
    failed: failed.length,
    requested: [],
    already: 0,
    handled: 0,
    refused: 0,
    retryLater: 0,
  };
  let holdAt: string | undefined;
  for (const delivery of failed) {
    const outcome = await askOnce(appClient, memory, delivery, options);
    if (outcome === "requested") report.requested.push(delivery.guid);
    else if (outcome === "later") {
      report.retryLater++;
      holdAt ??= delivery.firstAt;
    } else report[outcome]++;
  }
  // The newest attempt read, unless a request must be made again: then no later than its delivery.
  const newest = log.attempts.reduce<string | undefined>(
    (at, a) => (!at || Date.parse(a.deliveredAt) > Date.parse(at) ? a.deliveredAt : at),
    mark,
  );
  const next = holdAt && (!newest || Date.parse(holdAt) < Date.parse(newest)) ? holdAt : newest;
  if (next && next !== mark) await memory.setMark(next);
  if (next) report.mark = next;
  return report;
}

async function askOnce(
  appClient: GitHubClient,
  memory: RedeliveryMemory,
  delivery: FailedDelivery,
  options: RedeliveryOptions,
): Promise<"requested" | "already" | "handled" | "refused" | "later"> {
  if (await options.handled?.(delivery.guid)) return "handled";
  if (!(await memory.claim(delivery.guid))) return "already";
  try {
    await appClient.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
      delivery_id: delivery.newest.id,
    });
    return "requested";
  } catch (error) {
    const status = statusOf(error);
    const fields = {
      guid: delivery.guid,
      delivery: delivery.newest.id,
      event: delivery.newest.event,
      status,
    };
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      // Too old, or gone: asking again will not help. The claim stays.
      options.log?.warn(fields, "redelivery: GitHub refused to redeliver a failed delivery");
      return "refused";
    }
    await memory.unclaim(delivery.guid);
    options.log?.warn(fields, "redelivery: the request failed; the next run asks again");
    return "later";
  }
}
