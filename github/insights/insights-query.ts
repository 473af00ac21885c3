/**
 * The insights report's GraphQL reads: per repository its releases and its merged pull requests
 * (newest activity first, with the text, labels and closing issues the outcome rule reads), 50
 * repositories per query, and the continuation of one repository's list where it goes on.
 */
import type { PullRequestInfo, ReleaseInfo } from "../../core/engine/facts.js";
import { ISSUE_FIELDS, type IssueNode, toWorkItem } from "../read/work-items.js";

/** Repositories per query, as in the sweep. */
export const INSIGHTS_BATCH = 50;
/**
 * Merged pull requests per page. With their labels and closing issues' labels, a query of 50
 * repositories stays under GitHub's 500,000-node limit (which the test suite's fake GitHub
 * enforces, testkit/fake-github/node-limit.ts).
 */
export const PULLS_PAGE = 25;
/** Closing issues read per merged pull request (a pull request traces through any of them). */
export const CLOSING_ISSUES = 5;
export const RELEASES_PAGE = 100;

const RELEASES = (after: string | null) =>
  `releases(first: ${RELEASES_PAGE}${after ? `, after: ${JSON.stringify(after)}` : ""}, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { tagName name isDraft isPrerelease publishedAt createdAt tagCommit { oid } }
    }`;

const PULLS = (after: string | null) =>
  `pullRequests(first: ${PULLS_PAGE}${after ? `, after: ${JSON.stringify(after)}` : ""}, states: [MERGED], orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${ISSUE_FIELDS} mergedAt updatedAt baseRefName mergeCommit { oid } closingIssuesReferences(first: ${CLOSING_ISSUES}) { nodes { ${ISSUE_FIELDS} } } }
    }`;

/** Both lists of each repository of `ids`. */
export const INSIGHTS_NODES_QUERY = `query($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Repository { id nameWithOwner defaultBranchRef { name } ${RELEASES(null)} ${PULLS(null)} } }
}`;

/** Both lists of one repository by name (`pom check --github`, and a repository the batch lacked). */
export const INSIGHTS_REPO_QUERY = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { id nameWithOwner defaultBranchRef { name } ${RELEASES(null)} ${PULLS(null)} }
}`;

/** The next page of one list of one repository. */
export function continuationQuery(list: "releases" | "pullRequests", after: string): string {
  return `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { ${list === "releases" ? RELEASES(after) : PULLS(after)} }
}`;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface ReleaseNode {
  tagName: string;
  name?: string | null;
  tagCommit?: { oid: string } | null;
  isDraft: boolean;
  isPrerelease: boolean;
  publishedAt: string | null;
  createdAt: string;
}
export type PullNode = IssueNode & {
  mergedAt: string | null;
  updatedAt: string;
  baseRefName: string;
  mergeCommit?: { oid: string } | null;
  closingIssuesReferences: { nodes: IssueNode[] } | null;
};
export interface ReleasesPage {
  pageInfo: PageInfo;
  nodes: ReleaseNode[];
}
export interface PullsPage {
  pageInfo: PageInfo;
  nodes: PullNode[];
}
export interface InsightsNode {
  id: string;
  nameWithOwner: string;
  defaultBranchRef: { name: string } | null;
  releases: ReleasesPage;
  pullRequests: PullsPage;
}

export function toRelease(node: ReleaseNode): ReleaseInfo {
  return {
    tag: node.tagName,
    ...(node.name ? { name: node.name } : {}),
    publishedAt: node.publishedAt ?? node.createdAt,
    ...(node.tagCommit?.oid ? { sha: node.tagCommit.oid } : {}),
    ...(node.isDraft ? { draft: true } : {}),
    ...(node.isPrerelease ? { prerelease: true } : {}),
  };
}

export function toMergedPull(node: PullNode): PullRequestInfo {
  return {
    ...toWorkItem(node),
    ...(node.mergedAt ? { mergedAt: node.mergedAt } : {}),
    closingIssues: (node.closingIssuesReferences?.nodes ?? []).map(toWorkItem),
  };
}
