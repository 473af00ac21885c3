/**
 * One installation's part of the sweep: its repositories read in GraphQL batches and judged with
 * bounded concurrency. Should a batch query fail (after the client's retries), the rest of the
 * installation is read per repository over REST, as the webhook handlers do, so that a sweep
 * never skips repositories silently. The tracking issues are kept once every repository is
 * judged, worst first (publish/priority.ts): when GitHub's limits on creations make them wait,
 * the repositories failing at error level get theirs first.
 */

import { readScope, type SharedReads, shareReads } from "../../core/engine/shared-reads.js";
import type { Finding } from "../../core/engine/types.js";
import type { TeamNote } from "../../core/insights/teams/notes.js";
import { forEachLimited } from "../../core/util/limited.js";
import { worstFirst } from "../publish/priority.js";
import { syncTrackingIssue } from "../publish/tracking-issue.js";
import { batchFieldsFor, type OwnerContext } from "../read/batch-pages.js";
import { ALL_FIELDS, type BatchFields } from "../read/batch-queries.js";
import { batchedConfig, batchedReaders } from "../read/batch-source.js";
import { loadOrgPolicy, withPolicy } from "../read/config.js";
import { openPullsOfRepos } from "../read/open-pulls.js";
import { readyBatches } from "../read/ready-batches.js";
import type { BatchedRepo } from "../read/repo-batch.js";
import type { RepoRef } from "../transport/client.js";
import type { Logger, PipelineDeps } from "./deps.js";
import { type GovernResult, governRepository } from "./govern.js";
import { emptyRejudgeTally, type RejudgeTally, rejudgePulls } from "./rejudge.js";
import { evaluateRepository } from "./subjects.js";
import { installationRepositories, type PlannedInstallation } from "./sweep-plan.js";
import { sweepTeamNotes } from "./team-notes.js";

/** Repositories judged at once within an installation. */
export const SWEEP_CONCURRENCY = 4;

export interface SweepTally {
  repositories: number;
  governed: number;
  skipped: number;
  failed: number;
  /** Repositories read per repository because a batch query failed. */
  unbatched: number;
  tracking: Record<string, number>;
  /** Open pull requests judged again, and those whose check was written. */
  pulls: RejudgeTally;
}

export function emptyTally(): SweepTally {
  return {
    repositories: 0,
    governed: 0,
    skipped: 0,
    failed: 0,
    unbatched: 0,
    tracking: {},
    pulls: emptyRejudgeTally(),
  };
}

export type SweptInstallation = PlannedInstallation;

export interface SweepOptions {
  /** Keep the tracking issues (default yes; `pom report` only reads). */
  tracking?: boolean;
  /** Lists the repositories when the batches cannot (default: the installation's, over REST). */
  listRepositories?: () => Promise<{ owner: string; name: string; nodeId: string; archived: boolean }[]>;
  /** Called with every repository judged, e.g. to gather its insights. */
  onJudged?: (repo: { ref: RepoRef; nodeId: string }, result: GovernResult) => void;
  /**
   * Called with every repository that failed: not judged at all, or judged (and handed to
   * `onJudged`) but its tracking issue could not be kept.
   */
  onFailed?: (repo: string, error: unknown, judged: boolean) => void;
  /** The owner's policy and teams, when an earlier batch of this sweep read them. */
  owner?: OwnerContext;
  /** Told the owner's policy and teams once read (and completed as far as the repositories needed). */
  onOwner?: (owner: OwnerContext) => void;
  /**
   * Judge the open pull requests of the repositories judged, and write the checks that are out of
   * date or missing (a policy or manifest changed, a date passed, a check was lost); `appId` picks
   * the app's own check runs. Off unless given (`pom report` only reads).
   */
  pulls?: { appId?: number };
  /**
   * Where the organization report's team section is (the report issue's address): the tracking
   * issues of a team's repositories link there for the team's findings.
   */
  teamReport?: string;
  /**
   * Name the owning team's findings in the tracking issues (default yes). Off where the sweep
   * sees only part of the account (a queue's batch): team findings need every repository.
   */
  teamNotes?: boolean;
}

/** Sweeps one installation's repositories into `tally`. */
export async function sweepInstallation(
  deps: PipelineDeps,
  installation: SweptInstallation,
  tally: SweepTally,
  log: Logger,
  options: SweepOptions = {},
): Promise<void> {
  const { client } = deps;
  const tracking = options.tracking !== false;
  const done = new Set<string>();
  const counted = new Set<string>();
  const failed = (name: string, error: unknown, judged = false) => {
    done.add(name.toLowerCase());
    tally.failed++;
    log.error({ err: error, repo: name }, "sweep: a repository failed; the sweep goes on");
    options.onFailed?.(name, error, judged);
  };
  const writes: { findings: readonly Finding[]; write: () => Promise<void> }[] = [];
  const judgedAll: { ref: RepoRef; result: GovernResult }[] = [];
  let notes = new Map<string, TeamNote>();
  // Rank by rank: no write of a lesser rank starts before the worse ones are done.
  const keepTracking = async () => {
    if (options.teamNotes !== false) notes = sweepTeamNotes(judgedAll, deps.now);
    for (const rank of worstFirst(writes, (w) => w.findings))
      await forEachLimited(rank, SWEEP_CONCURRENCY, (w) => w.write());
  };
  /** Judges one repository, hands it over, then keeps its tracking issue once all are judged. */
  const govern = async (
    repo: { ref: RepoRef; nodeId: string },
    judge: () => Promise<GovernResult>,
    open?: BatchedRepo["tracking"],
  ) => {
    const name = `${repo.ref.owner}/${repo.ref.repo}`;
    let result: GovernResult;
    try {
      result = await judge();
    } catch (error) {
      return failed(name, error);
    }
    done.add(name.toLowerCase());
    if (result.skipped) tally.skipped++;
    else {
      tally.governed++;
      governed.push(repo);
    }
    if (result.skipped || !result.evaluation) return;
    // Handed over before anything is published: a failed write does not drop the judgement.
    options.onJudged?.(repo, result);
    if (!tracking) return;
    judgedAll.push({ ref: repo.ref, result });
    const evaluation = result.evaluation;
    writes.push({
      findings: evaluation.findings,
      write: async () => {
        try {
          const note = notes.get(name.toLowerCase());
          const team = note
            ? { note, ...(options.teamReport ? { link: options.teamReport } : {}) }
            : undefined;
          const action = await syncTrackingIssue(client, repo.ref, evaluation, open, deps.across, team);
          tally.tracking[action] = (tally.tracking[action] ?? 0) + 1;
        } catch (error) {
          failed(name, error, true);
        }
      },
    });
  };
  const listRepositories = options.listRepositories ?? (() => installationRepositories(client));
  const governed: { ref: RepoRef; nodeId: string }[] = [];
  const judge = async (repos: readonly BatchedRepo[], owner: OwnerContext) => {
    await forEachLimited(repos, SWEEP_CONCURRENCY, (batched) =>
      govern(
        { ref: batched.repo, nodeId: batched.nodeId },
        () => judgeBatched(deps, batched, owner),
        batched.tracking,
      ),
    );
    // The pull requests of the repositories this page governs, 50 repositories a query.
    if (options.pulls) await reconcilePulls(deps, governed.splice(0), tally, log, options.pulls.appId);
  };
  try {
    let context: OwnerContext | undefined;
    const batches = readyBatches(client, {
      account: installation.account,
      selection: installation.selection,
      listRepositories,
      ...(options.owner ? { owner: options.owner } : {}),
      fields: await pageFields(deps, installation.account),
    });
    for await (const batch of batches) {
      context = batch.owner;
      for (const r of batch.listed) counted.add(`${r.repo.owner}/${r.repo.repo}`.toLowerCase());
      tally.repositories += batch.listed.length;
      await judge(batch.ready, batch.owner);
    }
    if (context) options.onOwner?.(context);
    await keepTracking();
    return;
  } catch (error) {
    log.warn(
      { err: error, installation: installation.id },
      "sweep: a batch query failed; the rest of the installation is read per repository",
    );
  }
  const rest = (await listRepositories()).filter(
    (r) => !r.archived && !done.has(`${r.owner}/${r.name}`.toLowerCase()),
  );
  tally.repositories += rest.filter((r) => !counted.has(`${r.owner}/${r.name}`.toLowerCase())).length;
  tally.unbatched += rest.length;
  await forEachLimited(rest, SWEEP_CONCURRENCY, (r) => {
    const ref = { owner: r.owner, repo: r.name };
    return govern({ ref, nodeId: r.nodeId }, () => governRepository(deps, ref, { tracking: false }));
  });
  await keepTracking();
}

/**
 * One repository of a batch, judged from its page (the sweep then keeps its tracking issue). A
 * policy preview judges it under another org policy too (`policy`), with `reads` shared by both.
 */
export async function judgeBatched(
  deps: PipelineDeps,
  batched: BatchedRepo,
  owner: OwnerContext,
  options: { policy?: { text: string } | null; reads?: SharedReads } = {},
): Promise<GovernResult> {
  const read = await batchedConfig(deps.client, deps.cache, batched, owner);
  const config = options.policy !== undefined ? withPolicy(read, batched.repo, options.policy) : read;
  const outcome = await evaluateRepository(deps, batched.repo, {
    config,
    readers: (effective) => {
      const readers = batchedReaders(deps.client, deps.cache, batched, owner, effective, deps.now);
      return options.reads ? shareReads(options.reads, readScope(effective), readers) : readers;
    },
  });
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  return {
    evaluation: outcome.evaluation,
    ...(outcome.trusted ? { trusted: outcome.trusted } : {}),
    ...(outcome.facts ? { facts: outcome.facts } : {}),
  };
}

/**
 * What the pages ask for under the owner's org policy (a conditional read: free when unchanged);
 * everything when the policy cannot be read, the batch then decides on the policy it reads itself.
 */
export async function pageFields(deps: PipelineDeps, owner: string): Promise<BatchFields> {
  try {
    return batchFieldsFor(await loadOrgPolicy(deps.client, deps.cache, owner), deps.now);
  } catch {
    return ALL_FIELDS;
  }
}

/**
 * Judges the open pull requests of `repos` again and writes the checks that are out of date or
 * missing. A failed query is logged: the pull requests' own events and the next sweep remain.
 */
async function reconcilePulls(
  deps: PipelineDeps,
  repos: readonly { ref: RepoRef; nodeId: string }[],
  tally: SweepTally,
  log: Logger,
  appId: number | undefined,
): Promise<void> {
  try {
    const pulls = await openPullsOfRepos(deps.client, repos, appId);
    for (const repo of repos) {
      const open = pulls.get(`${repo.ref.owner}/${repo.ref.repo}`.toLowerCase()) ?? [];
      if (open.length > 0) await rejudgePulls(deps, repo.ref, open, log, tally.pulls);
    }
  } catch (error) {
    log.warn({ err: error, repos: repos.length }, "sweep: the open pull requests could not be read");
  }
}
