/**
 * Whole flows, evaluation plus publication, for each kind of subject. The app calls these from
 * webhooks and the scheduler; the action calls the same ones from a workflow run.
 */
import { CODEOWNERS_PATHS } from "../../core/domain/codeowners.js";
import { MANIFEST_PATHS } from "../../core/manifest/paths.js";
import { publishCheckRun } from "../publish/check-run.js";
import { publishIssueFeedback } from "../publish/issue-feedback.js";
import { syncTrackingIssue, type TrackingAction } from "../publish/tracking-issue.js";
import { labelNames } from "../read/pull-request-facts.js";
import type { releaseFromPayload } from "../read/release-source.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import type { GovernResult, PublishOptions } from "./govern-result.js";
import { evaluateIssue, evaluateRelease, evaluateRepository, type IssuePayload } from "./subjects.js";

export { governPullRequest } from "./govern-pull-request.js";
export type { GovernResult, PublishOptions } from "./govern-result.js";

/** Files of the repository that repository findings may point into (the org policy lives elsewhere). */
const REPO_FILES: ReadonlySet<string> = new Set([...MANIFEST_PATHS, ...CODEOWNERS_PATHS]);

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
