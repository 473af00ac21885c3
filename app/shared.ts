/**
 * What the app shares between deliveries and sweeps (caches, ledgers, the report store, the lock
 * across replicas), and the flows' dependencies built from it for one entry, with its clock.
 */
import type { Context } from "probot";
import type { ReportStore } from "../core/insights/report/store.js";
import type { TeamHistoryStore } from "../core/insights/teams/store.js";
import type { PipelineDeps } from "../github/flows/deps.js";
import type { CheckLedger } from "../github/publish/check-ledger.js";
import type { GitHubClient } from "../github/transport/client.js";
import type { FileCache } from "../github/transport/file-cache.js";
import type { DeliveryLedger } from "./delivery-ledger.js";
import type { FailedWorkStore } from "./failed-work.js";
import type { RedeliveryState } from "./redelivery-memory.js";

export interface Shared {
  cache: FileCache;
  /** The check runs already written (edited in place, not duplicated). */
  checks?: CheckLedger;
  /** The deliveries already handled (a redelivery of one writes nothing). */
  deliveries?: DeliveryLedger;
  details: PipelineDeps["details"];
  changes?: PipelineDeps["changes"];
  /** Where the sweeps keep the organization reports (the dashboard reads them). */
  store: ReportStore;
  /** The owning teams' membership history (sweeps and membership and team webhooks). */
  teams?: TeamHistoryStore;
  /** One at a time across replicas (with Redis). */
  across?: PipelineDeps["across"];
  /** The app's id (APP_ID): its own check runs are told from other apps' by it. */
  appId?: number;
  /** Work that failed after its delivery was acknowledged, judged again on the redelivery schedule. */
  failedWork?: FailedWorkStore;
  /** The redelivery job's memory and turns. */
  redelivery?: RedeliveryState;
  /** Sweeps one installation now (after its org policy changed), when the app sweeps. */
  resweep?: (installationId: number) => Promise<void>;
}

/** The flows' dependencies: `client`, with what the app shares between deliveries and sweeps. */
export function pipelineDeps(
  shared: Shared,
  client: GitHubClient,
  now: Date,
  options: { fresh?: boolean } = {},
): PipelineDeps {
  return {
    client,
    cache: shared.cache,
    now,
    ...(shared.checks ? { checks: shared.checks } : {}),
    ...(shared.across ? { across: shared.across } : {}),
    // A re-run must see what changed outside the pull request (a linked issue's labels).
    ...(shared.details && !options.fresh ? { details: shared.details } : {}),
    // Which governance files a head changes against its base never changes: kept even for a re-run.
    ...(shared.changes ? { changes: shared.changes } : {}),
  };
}

/** The flows' dependencies for a delivery: its clock starts here, once. */
export function depsFor(context: Context, shared: Shared, options: { fresh?: boolean } = {}): PipelineDeps {
  return pipelineDeps(shared, context.octokit as unknown as GitHubClient, new Date(), options);
}
