/**
 * An installation's (or organization's) repositories judged as the sweep judges them, then their
 * histories read in batches, giving the insights of every governed repository: what `pom report
 * --org` prints and what the app's sweep keeps for the dashboard.
 */

import { DAY_MS, dayWindow } from "../../core/insights/metrics/time.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import type { TeamState } from "../../core/insights/teams/history.js";
import type { Loaded, OrgPolicy } from "../../core/manifest/manifest.js";
import type { Logger, PipelineDeps } from "../flows/deps.js";
import type { GovernResult } from "../flows/govern.js";
import {
  emptyTally,
  type SweepOptions,
  type SweepTally,
  type SweptInstallation,
  sweepInstallation,
} from "../flows/sweep.js";
import type { OwnerContext } from "../read/batch-pages.js";
import { describeError, type RepoRef } from "../transport/client.js";
import { insightsOf, NO_MANIFEST_HISTORY, type RepoHistory, readHistories } from "./insights.js";
import { INSIGHTS_BATCH } from "./insights-query.js";
import { addStability } from "./stability-insights.js";
import { owningTeams } from "./team-snapshot.js";

export interface GatheredInsights {
  insights: RepoInsights[];
  tally: SweepTally;
  /** The org policy the repositories were judged under (null: none the installation can see). */
  policy: Loaded<OrgPolicy> | null;
  /** Repositories that could not be judged, with why. */
  failed: { repo: string; reason: string }[];
  /** The owning teams with their direct members and trio, for the durability history; absent when the teams could not be read. */
  teams?: { teams: TeamState[]; unlisted: string[] };
}

export interface InsightsOptions extends Omit<SweepOptions, "onJudged"> {
  now: Date;
  /** The report's window, in days; histories are read from its first day. */
  windowDays: number;
  /** Progress: repositories judged so far, then histories read so far of how many. */
  onProgress?: (event: { phase: "judged" | "history"; done: number; total?: number }) => void;
}

/** The first moment of a report's window. */
export function windowStart(now: Date, windowDays: number): Date {
  return new Date(dayWindow(now, windowDays).first * DAY_MS);
}

/**
 * Sweeps `installation` (publishing tracking issues unless told not to) and gathers the insights
 * of each repository judged, and the org policy they were judged under (null: none, or none the
 * installation can see).
 *
 * @example const { insights } = await gatherInsights(deps, installation, log, { now, windowDays: 90, tracking: false })
 */
export async function gatherInsights(
  deps: PipelineDeps,
  installation: SweptInstallation,
  log: Logger,
  options: InsightsOptions,
  tally: SweepTally = emptyTally(),
): Promise<GatheredInsights> {
  const judged: { ref: RepoRef; nodeId: string; result: GovernResult }[] = [];
  const failed: { repo: string; reason: string }[] = [];
  const { onProgress, now, windowDays, ...sweep } = options;
  let owner: OwnerContext | undefined = sweep.owner;
  await sweepInstallation(deps, installation, tally, log, {
    ...sweep,
    onOwner: (context) => {
      owner = context;
      sweep.onOwner?.(context);
    },
    onJudged: (repo, result) => {
      judged.push({ ...repo, result });
      onProgress?.({ phase: "judged", done: judged.length });
    },
    onFailed: (repo, error, wasJudged) => {
      if (!wasJudged) failed.push({ repo, reason: describeError(error) });
      sweep.onFailed?.(repo, error, wasJudged);
    },
  });
  const since = windowStart(now, windowDays);
  const histories = new Map<string, RepoHistory>();
  const withHistory = judged.filter((j) => j.result.trusted?.manifest?.ok);
  for (let start = 0; start < withHistory.length; start += INSIGHTS_BATCH) {
    const part = withHistory.slice(start, start + INSIGHTS_BATCH);
    for (const [k, v] of await readHistories(deps.client, part, since)) histories.set(k, v);
    onProgress?.({
      phase: "history",
      done: Math.min(start + INSIGHTS_BATCH, withHistory.length),
      total: withHistory.length,
    });
  }
  const subjects = judged.flatMap(({ ref, nodeId, result }) => {
    if (!result.evaluation) return [];
    const read = histories.get(`${ref.owner}/${ref.repo}`.toLowerCase());
    const history =
      read ?? (result.trusted?.manifest?.ok ? { gaps: ["history not read"] } : NO_MANIFEST_HISTORY);
    const insights = insightsOf(ref, { ...result, evaluation: result.evaluation }, history, now);
    return [{ ref, nodeId, insights, ...(read ? { history: read } : {}) }];
  });
  // Every repository of an account is judged under the same org policy: as the sweep read it.
  const policy = judged.find((j) => j.result.trusted)?.result.trusted?.policy ?? null;
  // Reverts and incidents, for the repositories whose history was read (a valid manifest).
  await addStability(
    deps.client,
    subjects.filter((s) => s.history),
    policy?.ok ? policy.value : null,
    { now, windowDays },
  );
  const insights = subjects.map((s) => s.insights);
  const manifests = judged.flatMap(({ ref, result }) =>
    result.trusted?.manifest?.ok
      ? [{ repo: `${ref.owner}/${ref.repo}`, manifest: result.trusted.manifest.value }]
      : [],
  );
  const teams = owningTeams(installation.account, manifests, owner?.teams);
  return { insights, tally, policy, failed, ...(teams ? { teams } : {}) };
}
