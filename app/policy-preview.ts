/**
 * The policy preview of a pull request on the org's `.github` repository, as a queued job per pull
 * request in this process: a newer head supersedes the preview that is running (it stops at its
 * next repository and its check run is completed `cancelled`) and any that is waiting (it never
 * starts), so that only the newest proposal is judged to its end.
 */
import type { Context } from "probot";
import {
  governPolicyPullRequest,
  type PolicyPullRequest,
  Superseded,
} from "../github/flows/policy-pull-request.js";
import { POLICY_REPO } from "../github/read/config.js";
import { describeError, type RepoRef } from "../github/transport/client.js";
import { depsFor, type Shared } from "./shared.js";

/** The pull request actions that may change the proposed policy. */
export const PREVIEW_ACTIONS: ReadonlySet<string> = new Set(["opened", "synchronize", "reopened"]);

interface Job {
  controller: AbortController;
  done: Promise<void>;
}

/** One job per key at a time; a newer job supersedes the running and the waiting one. */
export function createLatestWins() {
  const jobs = new Map<string, Job>();
  return async (key: string, head: string, job: (signal: AbortSignal) => Promise<void>): Promise<void> => {
    const previous = jobs.get(key);
    const controller = new AbortController();
    let finish = () => {};
    const entry: Job = { controller, done: new Promise<void>((resolve) => (finish = resolve)) };
    jobs.set(key, entry);
    try {
      if (previous) {
        previous.controller.abort(new Superseded(head));
        await previous.done;
      }
      // Superseded while it waited: it never starts.
      if (controller.signal.aborted) return;
      await job(controller.signal);
    } finally {
      if (jobs.get(key) === entry) jobs.delete(key);
      finish();
    }
  };
}

export type LatestWins = ReturnType<typeof createLatestWins>;

/**
 * Previews the policy a pull request delivery proposes, when it is one that may; a re-run asked for
 * on the preview's check run (`rerun`) previews its pull request's head again.
 */
export async function previewPolicyPullRequest(
  context: Context,
  shared: Shared,
  queue: LatestWins,
  pr: PolicyPullRequest,
  options: { rerun?: boolean } = {},
): Promise<void> {
  const repo: RepoRef = context.repo();
  const action = (context.payload as { action?: string }).action ?? "";
  if (repo.repo.toLowerCase() !== POLICY_REPO || !(options.rerun || PREVIEW_ACTIONS.has(action))) return;
  const visibleToAll =
    (context.payload as { repository?: { private?: boolean } }).repository?.private !== true;
  const key = `${repo.owner}/${repo.repo}#${pr.number}`.toLowerCase();
  await queue(key, pr.head.sha, async (signal) => {
    try {
      const result = await governPolicyPullRequest(depsFor(context, shared), repo, pr, {
        visibleToAll,
        signal,
        log: context.log,
      });
      context.log.info(
        {
          event: context.name,
          id: context.id,
          subject: `policy preview #${pr.number}`,
          ...("skipped" in result ? { skipped: result.skipped } : {}),
          ...("superseded" in result ? { superseded: result.superseded } : {}),
          ...("preview" in result
            ? {
                conclusion: result.preview.conclusion,
                repositories: result.preview.repositories,
                startFailing: result.preview.startFailing.length,
                stopFailing: result.preview.stopFailing.length,
                unbatched: result.tally.unbatched,
              }
            : {}),
        },
        "policy previewed",
      );
    } catch (error) {
      // Superseded before its check run was created: nothing to say on GitHub.
      if (signal.aborted && signal.reason instanceof Superseded) return;
      context.log.error(
        {
          event: context.name,
          id: context.id,
          subject: `policy preview #${pr.number}`,
          reason: describeError(error),
        },
        "policy preview failed",
      );
      throw error;
    }
  });
}

/** The pull request of a re-requested preview check run (GitHub lists the open ones it belongs to). */
export function pullOfCheckRun(checkRun: {
  head_sha: string;
  pull_requests?: { number: number; base: { ref: string } }[] | null;
}): PolicyPullRequest | undefined {
  const pull = checkRun.pull_requests?.[0];
  return pull
    ? { number: pull.number, head: { sha: checkRun.head_sha }, base: { ref: pull.base.ref } }
    : undefined;
}
