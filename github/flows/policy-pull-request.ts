/**
 * A pull request on the org's `.github` repository that changes the org policy gets the "POM
 * policy preview" check: the proposed policy validated, every repository of the installation
 * judged under the policy as it stands and as proposed (policy-preview.ts), the check run written
 * in progress first, then completed. Whether the pull request changes the policy is told by blob
 * ids (read/governance-changes.ts), as for a manifest: a policy that differs from the default
 * branch only because the default branch moved on is not the pull request's change.
 */
import type { PolicyPreview } from "../../core/insights/preview.js";
import { POLICY_PATH } from "../../core/manifest/manifest.js";
import {
  failPreviewCheck,
  finishPreviewCheck,
  startPreviewCheck,
  supersedePreviewCheck,
} from "../publish/preview-check.js";
import { POLICY_REPO } from "../read/config.js";
import type { PullRequestRefs } from "../read/governance-changes.js";
import { describeError, type RepoRef } from "../transport/client.js";
import type { RepoFile } from "../transport/file-cache.js";
import type { Logger, PipelineDeps } from "./deps.js";
import { type PreviewTally, previewPolicy } from "./policy-preview.js";
import { governanceChanges } from "./pull-request.js";
import { installationSelection } from "./sweep-plan.js";

/** Why a preview stopped: a newer head of the same pull request is previewed instead. */
export class Superseded extends Error {
  constructor(readonly by: string) {
    super(`superseded by ${by.slice(0, 7)}`);
    this.name = "Superseded";
  }
}

export interface PolicyPullRequest extends PullRequestRefs {
  number: number;
}

export type PolicyPreviewResult =
  | { skipped: string }
  | { checkRunId: number; preview: PolicyPreview; tally: PreviewTally }
  | { checkRunId: number; superseded: string };

/**
 * The org policy as the pull request proposes it, when the pull request changes it (null text: it
 * deletes it); undefined when it does not. Costs a conditional read of each copy and, only when
 * the head's copy differs from the default branch's, a comparison and one GraphQL query.
 */
export async function proposedPolicyOf(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PolicyPullRequest,
): Promise<{ file: RepoFile | null } | undefined> {
  if (repo.repo.toLowerCase() !== POLICY_REPO) return undefined;
  // The default branch's copy first: its ETag makes an unchanged head's copy a free 304.
  await deps.cache.read(deps.client, { owner: repo.owner, repo: POLICY_REPO }, POLICY_PATH);
  const head = await deps.cache.readAtCommit(deps.client, repo, POLICY_PATH, pr.head.sha);
  if (head.sameAsDefault) return undefined;
  const changed = await governanceChanges(deps, repo, pr, [POLICY_PATH], [POLICY_PATH]);
  return changed.has(POLICY_PATH) ? { file: head.file } : undefined;
}

/**
 * Previews the org policy a pull request proposes, when it proposes one, and publishes the check.
 * `signal` aborted with {@link Superseded}: the run is completed `cancelled`, naming the newer head.
 * A preview that GitHub's faults keep from being made completes the run as failed and throws, so
 * that the delivery is tried again.
 */
export async function governPolicyPullRequest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PolicyPullRequest,
  options: { visibleToAll: boolean; signal?: AbortSignal; log?: Logger } = { visibleToAll: true },
): Promise<PolicyPreviewResult> {
  const proposal = await proposedPolicyOf(deps, repo, pr);
  if (!proposal) return { skipped: "the pull request does not change the org policy" };
  options.signal?.throwIfAborted();
  const selection = await installationSelection(deps.client);
  const checkRunId = await startPreviewCheck(deps.client, repo, { sha: pr.head.sha, pull: pr.number });
  const tally: PreviewTally = { unbatched: 0 };
  let preview: PolicyPreview;
  try {
    preview = await previewPolicy(
      deps,
      { account: repo.owner, selection },
      {
        file: POLICY_PATH,
        text: proposal.file?.text ?? null,
        ...(proposal.file?.invalid ? { invalid: proposal.file.invalid } : {}),
        pull: pr.number,
        head: pr.head.sha,
      },
      { ...(options.signal ? { signal: options.signal } : {}), ...(options.log ? { log: options.log } : {}) },
      tally,
    );
  } catch (error) {
    const reason = options.signal?.reason;
    if (options.signal?.aborted && reason instanceof Superseded) {
      await supersedePreviewCheck(deps.client, repo, checkRunId, reason.by);
      return { checkRunId, superseded: reason.by };
    }
    await failPreviewCheck(deps.client, repo, checkRunId, describeError(error));
    throw error;
  }
  await finishPreviewCheck(deps.client, repo, checkRunId, preview, {
    namePrivate: !options.visibleToAll,
    fullList: `pom policy preview --policy ${POLICY_PATH} --org ${repo.owner} --format json`,
  });
  return { checkRunId, preview, tally };
}
