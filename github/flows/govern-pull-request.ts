/**
 * The pull request's flow, evaluation plus its check run, in a module of its own: the action loads
 * only the flow of its mode, and a pull request check is the one whose start-up time matters most.
 */
import { publishCheckRun } from "../publish/check-run.js";
import type { PullRequestPayload } from "../read/pull-request-facts.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import type { GovernResult, PublishOptions } from "./govern-result.js";
import { evaluatePullRequest } from "./pull-request.js";

/** Pull request: one check run on the head commit. */
export async function governPullRequest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  options: PublishOptions = {},
): Promise<GovernResult> {
  const outcome = await evaluatePullRequest(deps, repo, pr);
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  if (options.checkRun === false) return { evaluation: outcome.evaluation };
  const check = await publishCheckRun(
    deps.client,
    repo,
    {
      sha: pr.head.sha,
      verdict: outcome.evaluation,
      externalId: `pr:${pr.number}`,
      ...(outcome.inputs ? { inputs: outcome.inputs } : {}),
      ...(options.force ? { force: true } : {}),
      ...(outcome.proposedPath ? { files: new Set([outcome.proposedPath]) } : { files: new Set() }),
    },
    deps.checks,
  );
  return { evaluation: outcome.evaluation, checkRunId: check.id, checkWrite: check.write };
}
