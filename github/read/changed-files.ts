/**
 * The files a pull request changes, for a repository with products: GraphQL pages of 100, up to
 * the 3,000 files GitHub lists; past that the list is unavailable (the products a pull request
 * touches are then unknown, never guessed).
 */
import { type Fact, known, unavailable } from "../../core/engine/facts.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";

/** GitHub lists at most this many files of a pull request. */
export const MAX_CHANGED_FILES = 3_000;
const PAGE = 100;

const QUERY = `query($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      changedFiles
      files(first: ${PAGE}, after: $after) { nodes { path } pageInfo { hasNextPage endCursor } }
    }
  }
}`;

interface Page {
  repository: {
    pullRequest: {
      changedFiles: number;
      files: {
        nodes: { path: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      } | null;
    } | null;
  };
}

/** A pull request's changed files, paged; unavailable past {@link MAX_CHANGED_FILES}. */
export async function readChangedFiles(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<Fact<string[]>> {
  let over = 0;
  const read = await readFact(
    "the pull request's changed files",
    async () => {
      const paths: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_CHANGED_FILES / PAGE; page++) {
        const data: Page = await client.graphql<Page>(QUERY, {
          owner: repo.owner,
          repo: repo.repo,
          number,
          after,
        });
        const pull = data.repository.pullRequest;
        if (!pull) throw new Error(`pull request #${number} was not found`);
        if (pull.changedFiles > MAX_CHANGED_FILES) {
          over = pull.changedFiles;
          return [];
        }
        paths.push(...(pull.files?.nodes ?? []).map((n) => n.path));
        if (!pull.files?.pageInfo.hasNextPage) return paths;
        after = pull.files.pageInfo.endCursor;
      }
      return paths;
    },
    "pull_requests: read",
  );
  if (over > 0) {
    return unavailable(
      `it changes ${over} files; GitHub lists at most ${MAX_CHANGED_FILES}`,
      undefined,
      "split the pull request, so that the products it touches can be told",
      true,
    );
  }
  return read.ok ? known(read.value) : read;
}
