/**
 * Re-judging open pull requests whose verdict may have changed with no event of their own: an
 * issue they close or reference was edited, the manifest or the org policy changed, a dated level
 * or a waiver took effect, or their check was lost. The query that finds them brings their facts;
 * a pull request whose check was written for its current inputs is not written again.
 */

import { forEachLimited } from "../../core/util/limited.js";
import { dependantPulls, type OpenPull, openPulls } from "../read/open-pulls.js";
import { readPullRequest } from "../read/pull-request-facts.js";
import { describeError, type RepoRef } from "../transport/client.js";
import type { Logger, PipelineDeps } from "./deps.js";
import { governPullRequest } from "./govern.js";

/** Pull requests re-judged at once. */
const CONCURRENCY = 4;

export interface RejudgeTally {
  /** Pull requests judged again. */
  judged: number;
  /** Of those, the ones whose check was written (created or edited). */
  written: number;
  failed: number;
}

export function emptyRejudgeTally(): RejudgeTally {
  return { judged: 0, written: 0, failed: 0 };
}

/**
 * Judges `pulls` again and writes the checks whose verdict's inputs changed (or that are missing);
 * one pull request's failure is logged and the others go on.
 */
export async function rejudgePulls(
  deps: PipelineDeps,
  repo: RepoRef,
  pulls: readonly OpenPull[],
  log: Logger,
  tally: RejudgeTally = emptyRejudgeTally(),
): Promise<RejudgeTally> {
  await forEachLimited(pulls, CONCURRENCY, async (pull) => {
    try {
      // A list the query cut short is read whole: the pull request as it is now, judged live.
      const result = pull.truncated
        ? await governPullRequest(deps, repo, await readPullRequest(deps.client, repo, pull.payload.number), {
            ...(pull.check ? { current: pull.check } : {}),
          })
        : await governPullRequest(deps, repo, pull.payload, {
            known: { closingIssues: pull.closingIssues, files: pull.files },
            ...(pull.check ? { current: pull.check } : {}),
          });
      if (result.skipped) return;
      tally.judged++;
      if (result.checkWrite === "created" || result.checkWrite === "updated") tally.written++;
    } catch (error) {
      tally.failed++;
      log.warn(
        { repo: `${repo.owner}/${repo.repo}`, pr: pull.payload.number, reason: describeError(error) },
        "re-judging a pull request failed; the next sweep tries again",
      );
    }
  });
  return tally;
}

/** Re-judges the open pull requests that reference issue `number` or are linked to it. */
export async function rejudgeDependants(
  deps: PipelineDeps,
  repo: RepoRef,
  number: number,
  log: Logger,
  appId?: number,
): Promise<RejudgeTally> {
  return rejudgePulls(deps, repo, await dependantPulls(deps.client, repo, number, appId), log);
}

/** Re-judges every open pull request of `repo` (after its manifest changed, say). */
export async function rejudgeOpenPulls(
  deps: PipelineDeps,
  repo: RepoRef,
  log: Logger,
  appId?: number,
): Promise<RejudgeTally> {
  return rejudgePulls(deps, repo, await openPulls(deps.client, repo, appId), log);
}
