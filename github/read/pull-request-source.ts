/**
 * A pull request's facts as readers for the engine's fact source: the pull request itself from
 * the webhook payload (free), its closing issues from one GraphQL query, read only when the title,
 * body and labels name no outcome, and remembered per head commit and closing references.
 */
import type { FactReaders } from "../../core/engine/fact-source.js";
import { known } from "../../core/engine/facts.js";
import { setNewest } from "../../core/util/bounded-map.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import { readChangedFiles } from "./changed-files.js";
import {
  closingReferences,
  fetchPullRequestDetails,
  type PullRequestDetails,
  type PullRequestPayload,
  pullRequestFromPayload,
} from "./pull-request-facts.js";

/** Details a process keeps (the newest). */
const DETAILS_KEPT = 2_000;

/**
 * The readers of pull request `pr` of `repo`; `memo` keeps the details between events (a label or
 * a title edit on the same head commit and body reuses the query).
 *
 * @example factSource(pullRequestReaders(client, repo, payload.pull_request)).read(["pullRequest"])
 */
export function pullRequestReaders(
  client: GitHubClient,
  repo: RepoRef,
  pr: PullRequestPayload,
  memo?: Map<string, PullRequestDetails>,
): FactReaders {
  const key = `${repo.owner}/${repo.repo}#${pr.number}@${pr.head.sha}:${closingReferences(pr.body).join(",")}`;
  return {
    pullRequest: () => known(pullRequestFromPayload(pr)),
    closingIssues: async () => {
      const details = await readFact(
        "the pull request's closing issues",
        async () => {
          const cached = memo?.get(key);
          if (cached) return cached;
          const fetched = await fetchPullRequestDetails(client, repo, {
            number: pr.number,
            body: pr.body ?? null,
          });
          if (memo) setNewest(memo, key, fetched, DETAILS_KEPT);
          return fetched;
        },
        "pull_requests: read",
      );
      return details.ok ? known(details.value.closingIssues) : details;
    },
    // Asked only in a repository with products (a rule's productFacts).
    changedFiles: () => readChangedFiles(client, repo, pr.number),
  };
}
