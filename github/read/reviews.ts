/**
 * A pull request's approvals that stand, from one GraphQL query: its newest 100 opinionated
 * reviews (approved, changes requested, dismissed) with, for each reviewed commit and for the head,
 * the blob id of every governance file (`Commit.file(path:)`). An approval counts only while the
 * reviewer's latest opinion is that approval and no governance file changed between the reviewed
 * commit and the head; that comparison needs no further call.
 *
 * GraphQL rather than REST's `GET …/pulls/{n}/reviews`: the REST list names the reviewed commit but
 * not what it held, which would take another query per reviewed commit; `latestOpinionatedReviews`
 * hides a dismissal behind the reviewer's earlier approval, so the plain `reviews` list is read and
 * the latest opinion is taken here (core/domain/reviews.ts).
 */
import { type Review, type ReviewState, standingApprovals } from "../../core/domain/reviews.js";
import type { Approval } from "../../core/engine/facts.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";

/** The newest reviews read: an older approval only ever goes uncounted (never a pass it did not earn). */
const REVIEWS_READ = 100;

/** The query: reviews, and the governance files' blob ids at each reviewed commit and the head. */
export function reviewsQuery(paths: readonly string[]): string {
  const files = paths.map((path, i) => `f${i}: file(path: ${JSON.stringify(path)}) { oid }`).join(" ");
  return `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      headRefOid
      head: commits(last: 1) { nodes { commit { oid ${files} } } }
      reviews(last: ${REVIEWS_READ}, states: [APPROVED, CHANGES_REQUESTED, DISMISSED]) {
        nodes { state submittedAt author { login } commit { oid ${files} } }
      }
    }
  }
}`;
}

type Blobs = { oid: string } & Record<string, { oid: string } | null | string>;
interface ReviewsResult {
  repository: {
    pullRequest: {
      headRefOid: string;
      head: { nodes: { commit: Blobs }[] };
      reviews: {
        nodes: {
          state: ReviewState;
          submittedAt: string | null;
          author: { login: string } | null;
          commit: Blobs | null;
        }[];
      } | null;
    } | null;
  };
}

const blobsOf = (commit: Blobs, paths: readonly string[]) =>
  paths.map((_, i) => (commit[`f${i}`] as { oid: string } | null | undefined)?.oid ?? null).join(",");

/**
 * The standing approvals of pull request `number`, each with whether a governance file (one of
 * `paths`) changed after the commit it approved. Failures are thrown for the caller.
 *
 * @example await fetchApprovals(client, repo, 12, [".github/pom.yml"]) // [{ login: "ann", commit: "…", governanceChangedSince: false }]
 */
export async function fetchApprovals(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  paths: readonly string[],
): Promise<Approval[]> {
  const data = await client.graphql<ReviewsResult>(reviewsQuery(paths), {
    owner: repo.owner,
    repo: repo.repo,
    number,
  });
  const pull = data.repository.pullRequest;
  if (!pull) throw new Error(`pull request #${number} was not found`);
  const head = pull.head.nodes[0]?.commit;
  const atHead = head ? blobsOf(head, paths) : undefined;
  const byCommit = new Map<string, string>();
  const reviews: Review[] = (pull.reviews?.nodes ?? []).map((node) => {
    if (node.commit) byCommit.set(node.commit.oid, blobsOf(node.commit, paths));
    return {
      login: node.author?.login ?? "",
      state: node.state,
      commit: node.commit?.oid ?? null,
      ...(node.submittedAt ? { submittedAt: node.submittedAt } : {}),
    };
  });
  return standingApprovals(reviews).map((review) => ({
    login: review.login,
    commit: review.commit,
    ...(review.submittedAt ? { submittedAt: review.submittedAt } : {}),
    // A commit GitHub no longer knows, or a head it could not read: assume the worst.
    governanceChangedSince:
      review.commit === null || atHead === undefined || byCommit.get(review.commit) !== atHead,
  }));
}
