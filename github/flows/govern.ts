/**
 * Whole flows, evaluation plus publication, for each kind of subject. The app calls these from
 * webhooks and the scheduler; the action calls the same ones from a workflow run.
 */
import { CODEOWNERS_PATHS } from "../../core/domain/codeowners.js";
import type { Evaluation } from "../../core/engine/evaluate.js";
import type { Facts } from "../../core/engine/facts.js";
import { MANIFEST_PATHS } from "../../core/manifest/manifest.js";
import { type CheckLedger, checkKey } from "../publish/check-ledger.js";
import { type CheckWrite, publishCheckRun } from "../publish/check-run.js";
import { type IssueFeedbackResult, publishIssueFeedback } from "../publish/issue-feedback.js";
import { syncTrackingIssue, type TrackingAction } from "../publish/tracking-issue.js";
import type { TrustedConfig } from "../read/config.js";
import type { HeadCheck } from "../read/open-pulls.js";
import { labelNames, type PullRequestPayload } from "../read/pull-request-facts.js";
import type { releaseFromPayload } from "../read/release-source.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import { evaluatePullRequest, type KnownPullFacts } from "./pull-request.js";
import { evaluateIssue, evaluateRelease, evaluateRepository, type IssuePayload } from "./subjects.js";

/** Files of the repository that repository findings may point into (the org policy lives elsewhere). */
const REPO_FILES: ReadonlySet<string> = new Set([...MANIFEST_PATHS, ...CODEOWNERS_PATHS]);

export interface PublishOptions {
  /** Publish a check run (default yes; the action makes it optional). */
  checkRun?: boolean;
  /** Write the check run even when GitHub already shows this verdict ("Re-run"). */
  force?: boolean;
}

export interface GovernResult {
  skipped?: string;
  evaluation?: Evaluation;
  /** For a repository: the configuration and facts it was judged on (the insights report reads them). */
  trusted?: TrustedConfig;
  facts?: Facts;
  checkRunId?: number;
  /** What publishing the check run wrote. */
  checkWrite?: CheckWrite;
  feedback?: IssueFeedbackResult;
  tracking?: TrackingAction;
}

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
      updatedAt: pr.updated_at,
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

/** Issue: labels and one sticky comment. */
export async function governIssue(
  deps: PipelineDeps,
  repo: RepoRef,
  issue: IssuePayload,
): Promise<GovernResult> {
  const outcome = await evaluateIssue(deps, repo, issue);
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  const labels = labelNames(issue.labels);
  const feedback = await publishIssueFeedback(
    deps.client,
    repo,
    { number: issue.number, labels },
    outcome.evaluation,
  );
  return { evaluation: outcome.evaluation, feedback };
}

/** The commit a tag points at. */
export async function resolveCommit(deps: PipelineDeps, repo: RepoRef, ref: string): Promise<string> {
  const { data } = await deps.client.request("GET /repos/{owner}/{repo}/commits/{ref}", {
    owner: repo.owner,
    repo: repo.repo,
    ref,
    headers: { accept: "application/vnd.github.sha" },
  });
  return String(data).trim();
}

/**
 * Release: a check run on the release commit; after every qualifying release the repository is
 * judged again so that its tracking issue is updated or closed.
 */
export async function governRelease(
  deps: PipelineDeps,
  repo: RepoRef,
  release: Parameters<typeof releaseFromPayload>[0],
  options: PublishOptions = {},
): Promise<GovernResult> {
  const outcome = await evaluateRelease(deps, repo, release);
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  const check =
    options.checkRun === false
      ? undefined
      : await publishCheckRun(
          deps.client,
          repo,
          {
            sha: await resolveCommit(deps, repo, release.tag_name),
            verdict: outcome.evaluation,
            externalId: `release:${release.tag_name}`,
            ...(options.force ? { force: true } : {}),
          },
          deps.checks,
        );
  const cadence = outcome.evaluation.findings.find((f) => f.rule === "release.cadence");
  let tracking: TrackingAction | undefined;
  // Judge the repository again after every qualifying release, not only a timely one: the release
  // that ends an overdue period always comes late itself, and it is the one that should close the
  // cadence tracking issue.
  if (cadence && cadence.status !== "skip") {
    // The releases were read for the release's own rules: the same list serves the repository's.
    const repoOutcome = await evaluateRepository(deps, repo, {
      ...(outcome.releases ? { releases: outcome.releases } : {}),
    });
    if (repoOutcome.kind === "evaluated")
      tracking = await syncTrackingIssue(deps.client, repo, repoOutcome.evaluation, undefined, deps.across);
  }
  return {
    evaluation: outcome.evaluation,
    ...(check ? { checkRunId: check.id, checkWrite: check.write } : {}),
    ...(tracking ? { tracking } : {}),
  };
}

/** Repository: a check run on `sha` when given, and the tracking issue. */
export async function governRepository(
  deps: PipelineDeps,
  repo: RepoRef,
  options: { sha?: string; tracking?: boolean; force?: boolean } = {},
): Promise<GovernResult> {
  const outcome = await evaluateRepository(deps, repo);
  if (outcome.kind === "skipped") return { skipped: outcome.reason };
  const result: GovernResult = {
    evaluation: outcome.evaluation,
    ...(outcome.trusted ? { trusted: outcome.trusted } : {}),
    ...(outcome.facts ? { facts: outcome.facts } : {}),
  };
  if (options.sha) {
    const check = await publishCheckRun(
      deps.client,
      repo,
      {
        sha: options.sha,
        verdict: outcome.evaluation,
        externalId: "repo",
        files: REPO_FILES,
        ...(options.force ? { force: true } : {}),
      },
      deps.checks,
    );
    result.checkRunId = check.id;
    result.checkWrite = check.write;
  }
  if (options.tracking !== false)
    result.tracking = await syncTrackingIssue(deps.client, repo, outcome.evaluation, undefined, deps.across);
  return result;
}
