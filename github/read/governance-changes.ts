/**
 * Which governance files (manifest, CODEOWNERS, org policy) a pull request changes, whatever the
 * number of other files it touches. GitHub lists a pull request's files a page at a time and at most
 * 3,000 of them, so the list cannot decide it: each path's blob at the head commit is compared
 * instead, first with the default branch (unchanged there means the pull request proposes nothing
 * new for that path), then, for the paths that differ, with the merge base. A path that differs
 * from the default branch only because the default branch moved on after the branch was cut is not
 * the pull request's change; one that differs from the merge base is, and a deletion is a change.
 */
import { type GitHubClient, graphqlTolerating, type RepoRef } from "../transport/client.js";

export interface PullRequestRefs {
  head: { sha: string };
  /** The branch the pull request merges into. */
  base: { ref: string };
}

/** One `object(expression:)` alias per path, at one revision. */
function blobQuery(paths: readonly string[], revisions: readonly string[]): string {
  const vars = revisions.flatMap((_, r) => paths.map((_, p) => `$e${r}_${p}: String!`));
  const fields = revisions.flatMap((_, r) =>
    paths.map((_, p) => `o${r}_${p}: object(expression: $e${r}_${p}) { oid }`),
  );
  return `query($owner: String!, $repo: String!, ${vars.join(", ")}) {
  repository(owner: $owner, name: $repo) {
    ${fields.join("\n    ")}
  }
}`;
}

/** The blob id of each path at each revision (null where the path does not exist there). */
async function blobIds(
  client: GitHubClient,
  repo: RepoRef,
  paths: readonly string[],
  revisions: readonly string[],
): Promise<(string | null)[][]> {
  const variables: Record<string, string> = { owner: repo.owner, repo: repo.repo };
  revisions.forEach((rev, r) => {
    paths.forEach((path, p) => {
      variables[`e${r}_${p}`] = `${rev}:${path}`;
    });
  });
  type Result = { repository: Record<string, { oid: string } | null> };
  const data = await graphqlTolerating<Result>(
    client,
    blobQuery(paths, revisions),
    variables,
    // A revision without the path answers null, sometimes with a NOT_FOUND error beside it.
    (alias) => /^o\d+_\d+$/.test(alias),
  );
  return revisions.map((_, r) => paths.map((_, p) => data.repository[`o${r}_${p}`]?.oid ?? null));
}

/** The commit the pull request's branch was cut from (or last merged its base at). */
async function mergeBase(client: GitHubClient, repo: RepoRef, pr: PullRequestRefs): Promise<string> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner: repo.owner,
    repo: repo.repo,
    // The base branch as it is now: the merge base is the newest commit the head shares with it.
    basehead: `${pr.base.ref}...${pr.head.sha}`,
    // Only the merge base is read: one commit of the list keeps the answer small.
    per_page: 1,
  });
  const sha = (data as { merge_base_commit?: { sha?: unknown } }).merge_base_commit?.sha;
  if (typeof sha !== "string" || sha === "") throw new Error("GitHub's comparison named no merge base");
  return sha;
}

/**
 * The subset of `paths` the pull request changes (adds, edits or deletes). Costs one GraphQL query
 * when the head has every path as the default branch has it; otherwise one comparison (REST) and a
 * query for the merge base's copies. Paths in `differFromDefault` are already known to differ at the
 * head (a conditional read told): they skip the first query. Failures are thrown for the caller.
 *
 * @example await changedGovernancePaths(client, repo, pr, [".github/pom.yml", "pom.yml"]) // Set {".github/pom.yml"}
 */
export async function changedGovernancePaths(
  client: GitHubClient,
  repo: RepoRef,
  pr: PullRequestRefs,
  paths: readonly string[],
  differFromDefault: readonly string[] = [],
): Promise<Set<string>> {
  const unknown = paths.filter((p) => !differFromDefault.includes(p));
  const differing = paths.filter((p) => differFromDefault.includes(p));
  if (unknown.length > 0) {
    // "HEAD" in a revision expression is the repository's HEAD: its default branch.
    const [atHead = [], atDefault = []] = await blobIds(client, repo, unknown, [pr.head.sha, "HEAD"]);
    differing.push(...unknown.filter((_, i) => atHead[i] !== atDefault[i]));
  }
  if (differing.length === 0) return new Set();
  const base = await mergeBase(client, repo, pr);
  const [atHead = [], atBase = []] = await blobIds(client, repo, differing, [pr.head.sha, base]);
  return new Set(differing.filter((_, i) => atHead[i] !== atBase[i]));
}
