/**
 * The flow of one mode, loaded when that mode runs: a pull request check loads the pull request's
 * flow and not the repository readers, the tracking issue or the issue feedback (each `import()`
 * below is a module the bundle initialises only when it is reached; docs/performance.md).
 */
import type { PipelineDeps } from "../github/flows/deps.js";
import { isDefaultBranchPush, isPublishedRelease } from "../github/flows/event-filters.js";
import type { GovernResult } from "../github/flows/govern-result.js";
import type { MergeGroupPayload } from "../github/flows/merge-group.js";
import type { IssuePayload } from "../github/flows/subjects.js";
import type { PullRequestPayload } from "../github/read/pull-request-facts.js";
import type { ReleaseRow } from "../github/read/release-source.js";
import type { RepoRef } from "../github/transport/client.js";
import type { Mode } from "./mode.js";

/** What the flow did, and whether the repository has anything to govern (a manifest or an org policy). */
export interface Governed {
  result: GovernResult;
  /** False when neither a manifest nor an org policy was found: nothing to judge. */
  governed: boolean;
}

/** Runs the flow of `mode` on the event's subject; `checkRun` publishes a check run where the mode has one. */
export async function governMode(
  mode: Mode,
  deps: PipelineDeps,
  repo: RepoRef,
  event: Record<string, unknown>,
  checkRun: boolean,
): Promise<Governed> {
  const result = await flow(mode, deps, repo, event, checkRun);
  if (!result.skipped) return { result, governed: true };
  const { NOT_GOVERNED } = await import("../github/flows/trusted.js");
  return { result, governed: result.skipped !== NOT_GOVERNED };
}

async function flow(
  mode: Mode,
  deps: PipelineDeps,
  repo: RepoRef,
  event: Record<string, unknown>,
  checkRun: boolean,
): Promise<GovernResult> {
  const need = <T>(key: string): T => {
    const value = event[key];
    if (!value)
      throw new Error(
        `mode ${mode} needs a ${key} in the event payload (event: ${process.env.GITHUB_EVENT_NAME})`,
      );
    return value as T;
  };
  switch (mode) {
    case "pull_request": {
      const { governPullRequest } = await import("../github/flows/govern-pull-request.js");
      return governPullRequest(deps, repo, need<PullRequestPayload>("pull_request"), { checkRun });
    }
    case "merge_group": {
      const { governMergeGroup } = await import("../github/flows/merge-group.js");
      return governMergeGroup(deps, repo, need<MergeGroupPayload>("merge_group"), { checkRun });
    }
    case "issue": {
      const { governIssue } = await import("../github/flows/govern.js");
      return governIssue(deps, repo, need<IssuePayload>("issue"));
    }
    case "release": {
      const release = need<ReleaseRow>("release");
      if (!isPublishedRelease(release)) return { skipped: "a draft release is not a release yet" };
      const { governRelease } = await import("../github/flows/govern.js");
      return governRelease(deps, repo, release, { checkRun });
    }
    case "repo": {
      if (process.env.GITHUB_EVENT_NAME === "push" && !isDefaultBranchPush(event)) {
        return { skipped: "the repository rules judge the default branch; this push is to another branch" };
      }
      const sha = checkRun ? (process.env.GITHUB_SHA ?? (event.after as string | undefined)) : undefined;
      const { governRepository } = await import("../github/flows/govern.js");
      return governRepository(deps, repo, { ...(sha ? { sha } : {}), tracking: true });
    }
    case "sweep": {
      const { governRepository } = await import("../github/flows/govern.js");
      return governRepository(deps, repo, { tracking: true });
    }
  }
}
