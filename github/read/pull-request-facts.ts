/**
 * Facts about a pull request. The webhook payload gives title, body, labels and author for free;
 * the closing issues come from one GraphQL query, asked only when the rules need them, and
 * remembered per head commit. Whether it changes governance files: governance-changes.ts.
 */
import type { PullRequestInfo, WorkItem } from "../../core/engine/facts.js";
import { type GitHubClient, graphqlTolerating, type RepoRef } from "../transport/client.js";
import { ISSUE_FIELDS, type IssueNode, toWorkItem } from "./work-items.js";

/** The pull request fields of a webhook payload the rules read. */
export interface PullRequestPayload {
  number: number;
  title: string;
  body?: string | null;
  draft?: boolean;
  merged_at?: string | null;
  /** When the pull request last changed: recent ones get their checks first when creations wait. */
  updated_at?: string | null;
  user?: { login?: string } | null;
  labels?: ({ name?: string } | string | null)[];
  head: { sha: string; repo?: { owner?: { login?: string }; name?: string } | null };
  base: { ref: string; repo?: { default_branch?: string } };
}

/** Label names from a payload's labels (objects, names, or the odd null). */
export function labelNames(labels: readonly ({ name?: string } | string | null)[] | undefined): string[] {
  return (labels ?? []).map((l) => (typeof l === "string" ? l : (l?.name ?? ""))).filter(Boolean);
}

/** The payload's pull request, as the rules see it. */
export function pullRequestFromPayload(pr: PullRequestPayload): PullRequestInfo {
  return {
    number: pr.number,
    title: pr.title ?? "",
    body: pr.body ?? null,
    labels: labelNames(pr.labels),
    author: pr.user?.login ?? "",
    ...(pr.draft !== undefined ? { draft: pr.draft } : {}),
    ...(pr.merged_at ? { mergedAt: pr.merged_at } : {}),
  };
}

const CLOSING_KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\s*:)?\s+#(\d{1,9})\b/gi;

/**
 * Issue numbers a body closes with GitHub's keywords ("Fixes #12", "closes: #3"), in this repo.
 *
 * @example closingReferences("Fixes #12 and resolves #4") // [12, 4]
 */
export function closingReferences(body: string | null | undefined): number[] {
  const numbers = new Set<number>();
  for (const match of (body ?? "").slice(0, 65_536).matchAll(CLOSING_KEYWORD)) {
    numbers.add(Number(match[1]));
    if (numbers.size >= 20) break;
  }
  return [...numbers];
}

export interface PullRequestDetails {
  closingIssues: WorkItem[];
}

/** The one GraphQL query for a pull request's closing issues. */
export function pullRequestQuery(referenced: readonly number[]): string {
  const refs = referenced
    .map((n) => `ref${n}: issueOrPullRequest(number: ${n}) { ... on Issue { ${ISSUE_FIELDS} } }`)
    .join("\n    ");
  return `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      closingIssuesReferences(first: 20) { nodes { ${ISSUE_FIELDS} } }
    }
    ${refs}
  }
}`;
}

/** Reads a pull request's closing issues (linked, and `Fixes #N` in its body) with one GraphQL query. */
export async function fetchPullRequestDetails(
  client: GitHubClient,
  repo: RepoRef,
  pr: { number: number; body: string | null },
): Promise<PullRequestDetails> {
  const referenced = closingReferences(pr.body);
  type Result = {
    repository: {
      pullRequest: {
        closingIssuesReferences: { nodes: IssueNode[] };
      } | null;
    } & Record<string, Partial<IssueNode> | null>;
  };
  const data = await graphqlTolerating<Result>(
    client,
    pullRequestQuery(referenced),
    {
      owner: repo.owner,
      repo: repo.repo,
      number: pr.number,
    },
    // `Fixes #N` naming no issue or pull request: that alias is null, the rest still counts.
    (alias) => /^ref\d+$/.test(alias),
  );
  const pull = data.repository.pullRequest;
  const issues = new Map<number, WorkItem>();
  for (const node of pull?.closingIssuesReferences.nodes ?? []) issues.set(node.number, toWorkItem(node));
  for (const n of referenced) {
    const node = data.repository[`ref${n}`] as IssueNode | null | undefined;
    // A referenced pull request (not an issue) comes back as an empty object.
    if (node && typeof node.number === "number") issues.set(node.number, toWorkItem(node));
  }
  return { closingIssues: [...issues.values()] };
}

/** Pull request `number` as it is now (for a re-run): the payload's fields, and when it last changed. */
export async function readPullRequest(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<PullRequestPayload & { updated_at?: string }> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: number,
  });
  return data as unknown as PullRequestPayload & { updated_at?: string };
}
