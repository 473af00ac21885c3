/** The pull requests a release contains: the commits since the previous release, then one query. */

import { mergedPullNumber } from "../../core/domain/merge-commits.js";
import { qualifyingReleases } from "../../core/domain/releases.js";
import type { FactReaders } from "../../core/engine/fact-source.js";
import { known, type PullRequestInfo, type ReleaseInfo } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, graphqlTolerating, type RepoRef, readFact } from "../transport/client.js";
import { fetchReleases } from "./release-source.js";
import { ISSUE_FIELDS, type IssueNode, toWorkItem } from "./work-items.js";

/** At most this many pull requests are read for one release. */
export const MAX_RELEASE_PULLS = 100;

/**
 * Pull request numbers named by merge commits ("Merge pull request #12 from …") and squash commits
 * ("Title (#12)") in commit messages.
 *
 * @example pullNumbersFromMessages(["Merge pull request #12 from a/b", "Fix (#9)\n\nbody"]) // [12, 9]
 */
export function pullNumbersFromMessages(messages: readonly string[]): number[] {
  const numbers = new Set<number>();
  for (const message of messages) {
    const number = mergedPullNumber(message);
    if (number !== undefined) numbers.add(number);
    if (numbers.size >= MAX_RELEASE_PULLS) break;
  }
  return [...numbers];
}

type PullNode = IssueNode & { mergedAt: string | null; closingIssuesReferences: { nodes: IssueNode[] } };

/** The query for the pull requests `numbers` with their closing issues. */
export function pullRequestsQuery(numbers: readonly number[]): string {
  const fields = `${ISSUE_FIELDS} mergedAt closingIssuesReferences(first: 10) { nodes { ${ISSUE_FIELDS} } }`;
  return `query($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    ${numbers.map((n) => `pr${n}: pullRequest(number: ${n}) { ${fields} }`).join("\n    ")}
  }
}`;
}

/** Reads the pull requests `numbers` with their closing issues in one GraphQL query. */
export async function fetchPullRequests(
  client: GitHubClient,
  repo: RepoRef,
  numbers: readonly number[],
): Promise<PullRequestInfo[]> {
  if (numbers.length === 0) return [];
  const query = pullRequestsQuery(numbers);
  type Result = { repository: Record<string, PullNode | null> };
  const data = await graphqlTolerating<Result>(
    client,
    query,
    { owner: repo.owner, repo: repo.repo },
    // "Fix crash (#12)" where #12 is an issue: that alias is null, the other pull requests count.
    (alias) => /^pr\d+$/.test(alias),
  );
  return numbers.flatMap((n) => {
    const node = data.repository[`pr${n}`];
    if (!node) return [];
    return [
      {
        ...toWorkItem(node),
        ...(node.mergedAt ? { mergedAt: node.mergedAt } : {}),
        closingIssues: node.closingIssuesReferences.nodes.map(toWorkItem),
      },
    ];
  });
}

/** The pull requests merged between two tags (or, without a previous tag, up to `tag`). */
export async function fetchReleasePullRequests(
  client: GitHubClient,
  repo: RepoRef,
  previousTag: string | undefined,
  tag: string,
): Promise<PullRequestInfo[]> {
  if (!previousTag) return [];
  const { data } = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner: repo.owner,
    repo: repo.repo,
    basehead: `${previousTag}...${tag}`,
    // No per_page: unpaginated, compare lists up to 250 commits; per_page is capped at 100.
  });
  const commits = (data as { commits?: { commit: { message: string } }[] }).commits ?? [];
  return fetchPullRequests(client, repo, pullNumbersFromMessages(commits.map((c) => c.commit.message)));
}

/**
 * A release's facts as readers for the engine's fact source: the release from the webhook payload,
 * the repository's releases (for the gap to the previous one), and the pull requests between the
 * previous qualifying release and this one.
 *
 * @example factSource(releaseReaders(client, repo, config, payload.release)).read(["release"])
 */
export function releaseReaders(
  client: GitHubClient,
  repo: RepoRef,
  config: EffectiveConfig,
  current: ReleaseInfo,
): FactReaders {
  return {
    release: () => known(current),
    releases: () => readFact("the releases", () => fetchReleases(client, repo, config), "contents: read"),
    releasePullRequests: async (get) => {
      const releases = await get("releases");
      const at = Date.parse(current.publishedAt);
      const previous = releases?.ok
        ? qualifyingReleases(config, releases.value).find(
            (r) => r.tag !== current.tag && Date.parse(r.publishedAt) <= at,
          )
        : undefined;
      return readFact(
        "the pull requests in the release",
        () => fetchReleasePullRequests(client, repo, previous?.tag, current.tag),
        "pull_requests: read",
      );
    },
  };
}
