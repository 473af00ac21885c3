/**
 * The pull request's flow, evaluation plus its check run, in a module of its own: the action loads
 * only the flow of its mode, and a pull request check is the one whose start-up time matters most.
 */
import { type CheckLedger, checkKey } from "../publish/check-ledger.js";
import { publishCheckRun } from "../publish/check-run.js";
import type { HeadCheck } from "../read/open-pulls.js";
import type { PullRequestPayload } from "../read/pull-request-facts.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import type { GovernResult, PublishOptions } from "./govern-result.js";
import { evaluatePullRequest, type KnownPullFacts } from "./pull-request.js";

/** Pull request: one check run on the head commit. */
export async function governPullRequest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  options: PublishOptions & {
    /** Facts the query that found the pull request brought. */
    known?: KnownPullFacts;
    /** The check run its head has, as that query found it. */
    current?: HeadCheck;
  } = {},
): Promise<GovernResult> {
  const outcome = await evaluatePullRequest(deps, repo, pr, options.known);
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  if (options.checkRun === false) return { evaluation: outcome.evaluation };
  const { current } = options;
  // The check on the head was written for these very inputs: it shows this verdict already.
  if (current?.inputs && outcome.inputs?.startsWith(current.inputs) && !options.force)
    return { evaluation: outcome.evaluation, checkRunId: current.id, checkWrite: "unchanged" };
  if (current && deps.checks) await knowCheck(deps.checks, repo, pr, current);
  const check = await publishCheckRun(
    deps.client,
    repo,
    {
      sha: pr.head.sha,
      verdict: outcome.evaluation,
      externalId: `pr:${pr.number}`,
      ...(pr.updated_at ? { updatedAt: pr.updated_at } : {}),
      ...(outcome.inputs ? { inputs: outcome.inputs } : {}),
      ...(options.force ? { force: true } : {}),
      ...(outcome.proposedPath ? { files: new Set([outcome.proposedPath]) } : { files: new Set() }),
    },
    deps.checks,
  );
  return { evaluation: outcome.evaluation, checkRunId: check.id, checkWrite: check.write };
}

/** Tells the ledger of a check run a query found on the head, so that it is edited, not duplicated. */
async function knowCheck(ledger: CheckLedger, repo: RepoRef, pr: PullRequestPayload, current: HeadCheck) {
  const key = checkKey(repo, pr.head.sha, `pr:${pr.number}`);
  if (await ledger.get(key)) return;
  // What it shows is unknown here: any verdict differs from it, and is written over it.
  await ledger.set(key, { id: current.id, output: "", annotated: current.annotated });
}
