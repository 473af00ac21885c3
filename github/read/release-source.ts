/** Releases as `release.source` defines them: GitHub releases, git tags or deployments. */

import type { ReleaseInfo } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";

export interface ReleaseRow {
  tag_name: string;
  name?: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  published_at?: string | null;
  created_at: string | null;
  target_commitish?: string;
}

/** A GitHub release (REST shape) as the rules see it. */
export function releaseFromPayload(row: ReleaseRow): ReleaseInfo {
  return {
    tag: row.tag_name,
    ...(row.name ? { name: row.name } : {}),
    ...(row.body ? { body: row.body } : {}),
    publishedAt: row.published_at ?? row.created_at ?? "",
    draft: row.draft,
    prerelease: row.prerelease,
  };
}

const TAGS_QUERY = `query($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    refs(refPrefix: "refs/tags/", first: 100, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
      nodes {
        name
        target {
          __typename
          oid
          ... on Commit { committedDate }
          ... on Tag { tagger { date } target { oid } }
        }
      }
    }
  }
}`;

type TagNode = {
  name: string;
  target: {
    __typename: string;
    oid: string;
    committedDate?: string;
    tagger?: { date?: string } | null;
    /** For an annotated tag: the commit it points at. */
    target?: { oid?: string } | null;
  } | null;
};

/** Reads the releases of `repo` according to `release.source` (the newest 100). */
export async function fetchReleases(
  client: GitHubClient,
  repo: RepoRef,
  config: Pick<EffectiveConfig, "releaseSource" | "environment">,
): Promise<ReleaseInfo[]> {
  const source = config.releaseSource.value;
  if (source === "tags") {
    const data = await client.graphql<{ repository: { refs: { nodes: TagNode[] } } }>(TAGS_QUERY, {
      owner: repo.owner,
      repo: repo.repo,
    });
    return data.repository.refs.nodes.flatMap((node) => {
      const date = node.target?.tagger?.date ?? node.target?.committedDate;
      return date
        ? [{ tag: node.name, publishedAt: date, sha: node.target?.target?.oid ?? node.target?.oid ?? "" }]
        : [];
    });
  }
  if (source === "deployments") {
    const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", {
      owner: repo.owner,
      repo: repo.repo,
      environment: config.environment.value,
      per_page: 100,
    });
    return (data as { ref: string; sha: string; created_at: string }[]).map((d) => ({
      tag: d.ref,
      publishedAt: d.created_at,
      sha: d.sha,
    }));
  }
  const { data } = await client.request("GET /repos/{owner}/{repo}/releases", {
    owner: repo.owner,
    repo: repo.repo,
    per_page: 100,
  });
  return (data as ReleaseRow[]).map(releaseFromPayload);
}

/** The release of tag `tag` as it is now (for a re-run), as a webhook would carry it. */
export async function readRelease(client: GitHubClient, repo: RepoRef, tag: string): Promise<ReleaseRow> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/releases/tags/{tag}", {
    owner: repo.owner,
    repo: repo.repo,
    tag,
  });
  return data as unknown as ReleaseRow;
}
