/**
 * Open pull requests with everything their verdict depends on, in one GraphQL query for many of
 * them: title, body, labels, author, head commit, the issues they close, the files they change
 * (exact up to 100), and the "POM governance" check run on their head with the hash of its inputs
 * (in `external_id`). Found three ways: those that reference or are linked to an issue (its
 * timeline), those of a repository, and those of a merge queue's group.
 */
import type { WorkItem } from "../../core/engine/facts.js";
import { type GitHubClient, graphqlTolerating, type RepoRef } from "../transport/client.js";
import type { PullRequestPayload } from "./pull-request-facts.js";
import { type IssueNode, toWorkItem } from "./work-items.js";

/** The name of the check the app writes (publish/check-run.ts has the same). */
const CHECK = "POM governance";
/** Files read per pull request: a list this long or shorter is the whole change. */
export const FILES_READ = 100;

/** How much of each list a query reads of a pull request (the GraphQL node budget is 500,000). */
interface Limits {
  labels: number;
  closing: number;
}

/** The fields of a pull request re-judging reads. */
function pullFields(limits: Limits): string {
  const issue = `number title body author { login } labels(first: ${limits.labels}) { totalCount nodes { name } }`;
  return `number title body isDraft state updatedAt headRefOid baseRefName
      author { login }
      labels(first: ${limits.labels}) { totalCount nodes { name } }
      closingIssuesReferences(first: ${limits.closing}) { totalCount nodes { ${issue} } }
      changedFiles
      files(first: ${FILES_READ}) { nodes { path } }
      commits(last: 1) { nodes { commit { checkSuites(first: 10, filterBy: { checkName: ${JSON.stringify(CHECK)} }) {
        nodes { app { databaseId } checkRuns(last: 1, filterBy: { checkName: ${JSON.stringify(CHECK)} }) {
          nodes { databaseId externalId annotations { totalCount } }
        } }
      } } } }`;
}

/** One pull request, or a repository's 50: every label and linked issue a rule could read. */
export const PULL_FIELDS = pullFields({ labels: 50, closing: 10 });
/** 20 pull requests of each of 50 repositories: fewer labels and linked issues, truncation told. */
export const BATCH_PULL_FIELDS = pullFields({ labels: 20, closing: 5 });

type Counted<T> = { totalCount?: number; nodes: T[] } | null;

export interface PullNode extends Omit<IssueNode, "labels"> {
  labels: Counted<{ name: string }>;
  isDraft: boolean;
  state: string;
  updatedAt: string;
  headRefOid: string;
  baseRefName: string;
  closingIssuesReferences: Counted<IssueNode & { labels: Counted<{ name: string }> }>;
  changedFiles: number;
  files: { nodes: { path: string }[] } | null;
  commits: {
    nodes: {
      commit: {
        checkSuites: {
          nodes: {
            app: { databaseId: number } | null;
            checkRuns: {
              nodes: { databaseId: number; externalId: string | null; annotations: { totalCount: number } }[];
            };
          }[];
        } | null;
      };
    }[];
  } | null;
}

/** The check run the app wrote on a head commit, as re-judging needs it. */
export interface HeadCheck {
  id: number;
  /** The first hex digits of the inputs' hash it was written for, when its external id has them. */
  inputs?: string;
  annotated: boolean;
}

export interface OpenPull {
  payload: PullRequestPayload & { updated_at: string };
  /** Whether a list the rules read (labels, linked issues) was longer than the query read. */
  truncated: boolean;
  closingIssues: WorkItem[];
  /** The files it changes: `complete` when the list has them all. */
  files: { paths: string[]; complete: boolean };
  /** The app's check run on the head commit, when there is one. */
  check?: HeadCheck;
}

/** The app's check on the head (of app `appId` when given), from a pull request node. */
function headCheck(node: PullNode, appId: number | undefined): HeadCheck | undefined {
  const suites = node.commits?.nodes[0]?.commit.checkSuites?.nodes ?? [];
  const suite = suites.find((s) => appId === undefined || s.app?.databaseId === appId);
  const run = suite?.checkRuns.nodes.at(-1);
  if (!run) return undefined;
  const inputs = /^pr:\d+:([0-9a-f]+)$/.exec(run.externalId ?? "")?.[1];
  return { id: run.databaseId, ...(inputs ? { inputs } : {}), annotated: run.annotations.totalCount > 0 };
}

/** A pull request node as re-judging sees it. */
export function toOpenPull(node: PullNode, appId?: number): OpenPull {
  const files = (node.files?.nodes ?? []).map((f) => f.path);
  const check = headCheck(node, appId);
  const cut = (list: Counted<unknown>) => (list?.totalCount ?? 0) > (list?.nodes.length ?? 0);
  const closing = node.closingIssuesReferences;
  const truncated = cut(node.labels) || cut(closing) || (closing?.nodes ?? []).some((i) => cut(i.labels));
  return {
    truncated,
    payload: {
      number: node.number,
      title: node.title,
      body: node.body,
      draft: node.isDraft,
      user: { login: node.author?.login ?? "" },
      labels: (node.labels?.nodes ?? []).map((l) => ({ name: l.name })),
      head: { sha: node.headRefOid },
      base: { ref: node.baseRefName },
      updated_at: node.updatedAt,
    },
    closingIssues: (node.closingIssuesReferences?.nodes ?? []).map(toWorkItem),
    files: { paths: files, complete: node.changedFiles <= files.length },
    ...(check ? { check } : {}),
  };
}

const DEPENDANTS = `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      timelineItems(first: 100, itemTypes: [CROSS_REFERENCED_EVENT, CONNECTED_EVENT]) {
        nodes {
          ... on CrossReferencedEvent { source { ... on PullRequest { ${PULL_FIELDS} } } }
          ... on ConnectedEvent { subject { ... on PullRequest { ${PULL_FIELDS} } } }
        }
      }
    }
  }
}`;

type TimelineNode = { source?: Partial<PullNode> | null; subject?: Partial<PullNode> | null };

/**
 * The open pull requests of `repo` that reference issue `number` or are linked to it in the
 * sidebar (its timeline), with their facts: one query. An issue that no longer exists has none.
 *
 * @example (await dependantPulls(client, repo, 7)).map((p) => p.payload.number) // [12]
 */
export async function dependantPulls(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  appId?: number,
): Promise<OpenPull[]> {
  type Result = { repository: { issue: { timelineItems: { nodes: TimelineNode[] } } | null } | null };
  const data = await graphqlTolerating<Result>(
    client,
    DEPENDANTS,
    { owner: repo.owner, repo: repo.repo, number },
    // A number that is no issue (a pull request, or deleted): nothing depends on it.
    (alias) => alias === "issue",
  );
  const found = new Map<number, OpenPull>();
  for (const item of data.repository?.issue?.timelineItems.nodes ?? []) {
    const node = (item.source ?? item.subject) as PullNode | null | undefined;
    if (!node || typeof node.number !== "number" || node.state !== "OPEN") continue;
    found.set(node.number, toOpenPull(node, appId));
  }
  return [...found.values()];
}

const OPEN_PULLS = `query($owner: String!, $repo: String!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequests(states: [OPEN], first: 50, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${PULL_FIELDS} }
    }
  }
}`;

/** Every open pull request of `repo` with its facts, 50 a query, the most recently updated first. */
export async function openPulls(client: GitHubClient, repo: RepoRef, appId?: number): Promise<OpenPull[]> {
  type Result = {
    repository: {
      pullRequests: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: PullNode[] };
    } | null;
  };
  const pulls: OpenPull[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const data: Result = await client.graphql<Result>(OPEN_PULLS, {
      owner: repo.owner,
      repo: repo.repo,
      after,
    });
    const connection = data.repository?.pullRequests;
    pulls.push(...(connection?.nodes ?? []).map((n) => toOpenPull(n, appId)));
    if (!connection?.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return pulls;
}

const OPEN_PULLS_OF_REPOS = `query($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Repository {
      name owner { login }
      pullRequests(states: [OPEN], first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {
        pageInfo { hasNextPage }
        nodes { ${BATCH_PULL_FIELDS} }
      }
    }
  }
}`;

/**
 * The open pull requests of many repositories (a sweep's page of up to 50), with their facts: one
 * query, plus a query per 50 for a repository with more than 20 open.
 *
 * @example (await openPullsOfRepos(client, page, appId)).get("acme/checkout")?.length
 */
export async function openPullsOfRepos(
  client: GitHubClient,
  repos: readonly { ref: RepoRef; nodeId: string }[],
  appId?: number,
): Promise<Map<string, OpenPull[]>> {
  type RepoPulls = {
    name: string;
    owner: { login: string };
    pullRequests: { pageInfo: { hasNextPage: boolean }; nodes: PullNode[] };
  } | null;
  const found = new Map<string, OpenPull[]>();
  if (repos.length === 0) return found;
  const data = await client.graphql<{ nodes: RepoPulls[] }>(OPEN_PULLS_OF_REPOS, {
    ids: repos.map((r) => r.nodeId),
  });
  for (const node of data.nodes) {
    if (!node) continue;
    const ref = { owner: node.owner.login, repo: node.name };
    const key = `${ref.owner}/${ref.repo}`.toLowerCase();
    found.set(
      key,
      node.pullRequests.pageInfo.hasNextPage
        ? await openPulls(client, ref, appId)
        : node.pullRequests.nodes.map((n) => toOpenPull(n, appId)),
    );
  }
  return found;
}

const MERGE_QUEUE = `query($owner: String!, $repo: String!, $branch: String!) {
  repository(owner: $owner, name: $repo) {
    mergeQueue(branch: $branch) {
      entries(first: 100) { nodes { position headCommit { oid } pullRequest { ${PULL_FIELDS} } } }
    }
  }
}`;

const ONE_PULL = `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { ${PULL_FIELDS} } }
}`;

/**
 * The pull requests of a merge group: the one whose entry's head commit is the group's, and those
 * ahead of it in the queue (their changes are in the group's commit too). Without the queue (it
 * moved on), the pull request named by the group's branch (`gh-readonly-queue/<base>/pr-<N>-…`).
 *
 * @example (await mergeGroupPulls(client, repo, { head_sha, head_ref, base_ref })).map((p) => p.payload.number)
 */
export async function mergeGroupPulls(
  client: GitHubClient,
  repo: RepoRef,
  group: { head_sha: string; head_ref: string; base_ref: string },
): Promise<OpenPull[]> {
  type Entry = { position: number; headCommit: { oid: string } | null; pullRequest: PullNode | null };
  type Result = { repository: { mergeQueue: { entries: { nodes: Entry[] } } | null } | null };
  const branch = group.base_ref.replace(/^refs\/heads\//, "");
  const data = await client.graphql<Result>(MERGE_QUEUE, { owner: repo.owner, repo: repo.repo, branch });
  const entries = data.repository?.mergeQueue?.entries.nodes ?? [];
  const own = entries.find((e) => e.headCommit?.oid === group.head_sha);
  if (own)
    return entries
      .filter((e) => e.position <= own.position && e.pullRequest)
      .map((e) => toOpenPull(e.pullRequest as PullNode));
  const number = Number(/\/pr-(\d+)-/.exec(group.head_ref)?.[1]);
  if (!Number.isSafeInteger(number)) return [];
  type One = { repository: { pullRequest: PullNode | null } | null };
  // A number that is no pull request (any more) answers null with a NOT_FOUND error: no pulls,
  // which the caller reports as unknown.
  const one = await graphqlTolerating<One>(
    client,
    ONE_PULL,
    { owner: repo.owner, repo: repo.repo, number },
    (alias) => alias === "pullRequest",
  );
  const pull = one.repository?.pullRequest;
  return pull ? [toOpenPull(pull)] : [];
}
