/**
 * The fake's GraphQL for a pull request's reviews (`PullRequest.reviews` with `states`, oldest
 * first, as GitHub lists them) and the files of a commit (`Commit.file(path:)`, a TreeEntry with
 * the blob id): a commit the repository seeds a tree for has that tree, any other the default
 * branch's, as the fake's REST contents route answers.
 */
import { type FakeRepo, type FakeReview, shaOf } from "./state.js";

type Args = Record<string, unknown>;
type Connection = <T>(args: Args, items: readonly T[], name: string, node: (item: T) => unknown) => unknown;

/** `Commit.file(path:)` of commit `sha`: its TreeEntry (null where the commit has no such file). */
export function fileOf(repo: FakeRepo, sha: string) {
  return ({ path }: Args) => {
    const text = (repo.filesAt.get(sha) ?? repo.files).get(String(path ?? ""));
    if (text === undefined) return null;
    return {
      __typename: "TreeEntry",
      path,
      oid: shaOf(`blob ${text}`),
      type: "blob",
    };
  };
}

/** `PullRequest.reviews` of `reviews`, filtered by `states`. */
export function reviewsOf(
  repo: FakeRepo,
  reviews: readonly FakeReview[],
  connection: Connection,
  commitOf: (sha: string) => Record<string, unknown>,
) {
  return (args: Args) => {
    const states = Array.isArray(args.states) ? args.states.map(String) : [];
    const rows = reviews.filter((r) => states.length === 0 || states.includes(r.state));
    return connection(args, rows, "pullRequestReview", (r) => ({
      __typename: "PullRequestReview",
      id: `PRR_${r.id}`,
      databaseId: r.id,
      state: r.state,
      submittedAt: r.submittedAt,
      author: { __typename: "User", login: r.login },
      commit: r.commit ? { ...commitOf(r.commit), file: fileOf(repo, r.commit) } : null,
    }));
  };
}
