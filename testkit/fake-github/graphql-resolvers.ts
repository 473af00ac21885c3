/**
 * The fake's GraphQL resolver graph: the state as GitHub's GraphQL types (Repository, Commit,
 * Issue, PullRequest, Ref, Release, Blob, Organization, Team), with connections paginated the
 * way GitHub paginates them (`first`/`last` up to 100, `after` cursors).
 */

import { checkSuitesOf, mergeQueueOf, timelineOf } from "./graphql-pulls.js";
import { fileOf, reviewsOf } from "./graphql-reviews.js";
import {
  type FakeCommit,
  type FakeIssue,
  type FakeRepo,
  type FakeState,
  type FakeTeam,
  shaOf,
} from "./state.js";

export type Resolver = { __typename: string } & Record<string, unknown>;
export type Args = Record<string, unknown>;

/** A problem with the query itself: the whole request fails. */
export class QueryError extends Error {}
/** A missing object: its field is null and the response carries a NOT_FOUND error. */
export class NotFound extends Error {}

/** Connection arguments as GitHub enforces them: `first` (or `last`) between 1 and 100. */
function window<T>(
  args: Args,
  items: readonly T[],
  connection: string,
): { nodes: T[]; more: boolean; start: number } {
  const first = (args.first ?? args.last) as number | null | undefined;
  if (typeof first !== "number") {
    throw new QueryError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`,
    );
  }
  if (first > 100 || first < 0) {
    throw new QueryError(
      `Requesting ${first} records on the \`${connection}\` connection exceeds the \`first\` limit of 100 records.`,
    );
  }
  const after = typeof args.after === "string" ? indexOfCursor(args.after) + 1 : 0;
  const rest = items.slice(after);
  const nodes =
    args.last !== undefined && args.first === undefined ? rest.slice(-first) : rest.slice(0, first);
  return { nodes, more: rest.length > nodes.length, start: after };
}

/** GitHub's cursors are opaque base64 strings; the fake's encode the item's index. */
function cursorAt(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function indexOfCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match) throw new QueryError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

function connectionOf<T>(
  args: Args,
  items: readonly T[],
  name: string,
  node: (item: T) => unknown,
  edge: (item: T) => Record<string, unknown> = () => ({}),
) {
  const { nodes, more, start } = window(args, items, name);
  return {
    __typename: `${name[0]?.toUpperCase()}${name.slice(1)}Connection`,
    totalCount: items.length,
    nodes: nodes.map(node),
    edges: nodes.map((n, i) => ({
      __typename: "Edge",
      node: node(n),
      cursor: cursorAt(start + i),
      ...edge(n),
    })),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: more,
      hasPreviousPage: start > 0,
      endCursor: nodes.length > 0 ? cursorAt(start + nodes.length - 1) : null,
      startCursor: nodes.length > 0 ? cursorAt(start) : null,
    },
  };
}

function actor(login: string): Resolver {
  return { __typename: login.endsWith("[bot]") ? "Bot" : "User", login };
}

function commitNode(repo: FakeRepo, commit: FakeCommit): Resolver {
  const index = repo.commits.indexOf(commit);
  return {
    __typename: "Commit",
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
    messageHeadline: commit.message.split("\n", 1)[0] ?? "",
    committedDate: commit.date,
    authoredDate: commit.date,
    author: { __typename: "GitActor", name: commit.author, date: commit.date, user: actor(commit.author) },
    history: (args: Args) => {
      const since = typeof args.since === "string" ? Date.parse(args.since) : Number.NEGATIVE_INFINITY;
      const until = typeof args.until === "string" ? Date.parse(args.until) : Number.POSITIVE_INFINITY;
      const line = index >= 0 ? repo.commits.slice(0, index + 1).reverse() : [commit];
      const rows = line.filter((c) => Date.parse(c.date) >= since && Date.parse(c.date) <= until);
      return connectionOf(args, rows, "commitHistory", (c) => commitNode(repo, c));
    },
  };
}

function commitFor(repo: FakeRepo, sha: string): FakeCommit {
  return (
    repo.commits.find((c) => c.sha === sha) ?? {
      sha,
      message: "(commit)",
      date: "2020-01-01T00:00:00Z",
      author: "octocat",
    }
  );
}

function issueNode(repo: FakeRepo, issue: FakeIssue): Resolver {
  const base: Resolver = {
    __typename: issue.pull ? "PullRequest" : "Issue",
    id: `I_${repo.id}_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state.toUpperCase(),
    createdAt: issue.created_at,
    closedAt: issue.closed_at,
    updatedAt: issue.updated_at,
    ...(issue.pull
      ? {}
      : { isPinned: issue.pinned ?? false, stateReason: issue.state_reason?.toUpperCase() ?? null }),
    author: actor(issue.author),
    labels: (args: Args) =>
      connectionOf(args, issue.labels, "label", (name) => ({ __typename: "Label", name, color: "ededed" })),
  };
  const pull = issue.pull;
  if (!pull)
    return { ...base, timelineItems: timelineOf(repo, issue, connectionOf, (p) => issueNode(repo, p)) };
  return {
    ...base,
    changedFiles: pull.files.length,
    commits: (args: Args) =>
      connectionOf(args, [pull.headSha], "pullRequestCommit", (sha) => ({
        __typename: "PullRequestCommit",
        commit: {
          ...commitNode(repo, commitFor(repo, sha)),
          file: fileOf(repo, sha),
          checkSuites: checkSuitesOf(repo, sha, connectionOf),
        },
      })),
    mergedAt: pull.mergedAt,
    merged: pull.mergedAt !== null,
    mergeCommit: pull.mergeCommit ? commitNode(repo, commitFor(repo, pull.mergeCommit)) : null,
    isDraft: pull.draft,
    headRefOid: pull.headSha,
    headRefName: pull.headRef,
    baseRefName: pull.baseRef ?? repo.defaultBranch,
    reviews: reviewsOf(repo, pull.reviews, connectionOf, (sha) => commitNode(repo, commitFor(repo, sha))),
    closingIssuesReferences: (args: Args) => {
      const issues = pull.closingIssues.flatMap((n) => repo.issues.filter((i) => i.number === n && !i.pull));
      return connectionOf(args, issues, "issue", (i) => issueNode(repo, i));
    },
    files: (args: Args) =>
      connectionOf(args, pull.files, "pullRequestChangedFile", (path) => ({
        __typename: "PullRequestChangedFile",
        path,
        additions: 1,
        deletions: 0,
        changeType: "MODIFIED",
      })),
  };
}

function repositoryNode(state: FakeState, repo: FakeRepo): Resolver {
  const headSha = state.headSha(repo);
  const find = (n: unknown) => repo.issues.find((i) => i.number === n);
  return {
    __typename: "Repository",
    id: `R_${repo.id}`,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isArchived: repo.archived,
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    owner: { __typename: "Organization", login: repo.owner },
    defaultBranchRef: {
      __typename: "Ref",
      name: repo.defaultBranch,
      prefix: "refs/heads/",
      target: commitNode(repo, commitFor(repo, headSha)),
    },
    pullRequest: ({ number }: Args) => {
      const issue = find(number);
      if (!issue?.pull)
        throw new NotFound(`Could not resolve to a PullRequest with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    issue: ({ number }: Args) => {
      const issue = find(number);
      if (!issue || issue.pull)
        throw new NotFound(`Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    issueOrPullRequest: ({ number }: Args) => {
      const issue = find(number);
      if (!issue)
        throw new NotFound(`Could not resolve to an issue or pull request with the number of ${number}.`);
      return issueNode(repo, issue);
    },
    object: ({ expression }: Args) => {
      // "HEAD:path" or "<ref>:path": a blob of the tree at that ref.
      const match = /^([^:]+):(.+)$/.exec(String(expression ?? ""));
      if (!match) return null;
      const [, ref = "", path = ""] = match;
      const files = state.filesAt(repo, ref === "HEAD" ? undefined : ref);
      const text = files?.get(path);
      if (text === undefined) return null;
      return {
        __typename: "Blob",
        oid: shaOf(`blob ${text}`),
        text,
        byteSize: Buffer.byteLength(text),
        isBinary: false,
        isTruncated: false,
      };
    },
    releases: (args: Args) => {
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const rows = [...repo.releases].sort((a, b) =>
        order.field === "NAME"
          ? String(a.name).localeCompare(String(b.name))
          : Date.parse(a.created_at) - Date.parse(b.created_at),
      );
      if (order.direction === "DESC") rows.reverse();
      return connectionOf(args, rows, "release", (r) => ({
        __typename: "Release",
        tagName: r.tag_name,
        name: r.name,
        description: r.body,
        isDraft: r.draft,
        isPrerelease: r.prerelease,
        publishedAt: r.published_at,
        createdAt: r.created_at,
        tagCommit: (() => {
          const tag = repo.tags.get(r.tag_name);
          return tag ? commitNode(repo, commitFor(repo, tag.sha)) : null;
        })(),
      }));
    },
    mergeQueue: mergeQueueOf(repo, connectionOf, (p) => issueNode(repo, p)),
    pullRequests: (args: Args) => {
      const states = Array.isArray(args.states) ? args.states.map((s) => String(s)) : [];
      const stateOf = (i: FakeIssue) => (i.pull?.mergedAt ? "MERGED" : i.state.toUpperCase());
      const rows = repo.issues.filter((i) => i.pull && (states.length === 0 || states.includes(stateOf(i))));
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const field = order.field === "UPDATED_AT" ? "updated_at" : "created_at";
      const sorted = [...rows].sort(
        (a, b) => Date.parse(a[field]) - Date.parse(b[field]) || a.number - b.number,
      );
      if (order.direction === "DESC") sorted.reverse();
      return connectionOf(args, sorted, "pullRequest", (i) => issueNode(repo, i));
    },
    issues: (args: Args) => {
      const labels = Array.isArray(args.labels) ? args.labels.map((l) => String(l).toLowerCase()) : [];
      const states = Array.isArray(args.states) ? args.states.map((s) => String(s).toLowerCase()) : [];
      // filterBy.since: issues updated at or after it, as GitHub filters them.
      const since = Date.parse(String((args.filterBy as { since?: string } | null)?.since ?? ""));
      const rows = repo.issues.filter(
        (i) =>
          !i.pull &&
          (states.length === 0 || states.includes(i.state)) &&
          (labels.length === 0 || i.labels.some((l) => labels.includes(l.toLowerCase()))) &&
          (Number.isNaN(since) || Date.parse(i.updated_at) >= since),
      );
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const sorted = [...rows].sort((a, b) =>
        order.field === "UPDATED_AT"
          ? Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.number - b.number
          : a.number - b.number,
      );
      if (order.direction === "DESC") sorted.reverse();
      return connectionOf(args, sorted, "issue", (i) => issueNode(repo, i));
    },
    refs: (args: Args) => {
      const prefix = String(args.refPrefix ?? "");
      if (!prefix.endsWith("/")) throw new QueryError("refPrefix must end with a slash");
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const refs =
        prefix === "refs/tags/"
          ? [...repo.tags.entries()].map(([name, tag]) => {
              const commit = commitNode(repo, commitFor(repo, tag.sha));
              const target = tag.date
                ? {
                    __typename: "Tag",
                    oid: shaOf(`tag object ${name}`),
                    tagger: { __typename: "GitActor", date: tag.date, name: "octocat" },
                    target: commit,
                  }
                : commit;
              return { name, date: tag.date ?? String(commit.committedDate), target };
            })
          : prefix === "refs/heads/"
            ? [{ name: repo.defaultBranch, date: "", target: commitNode(repo, commitFor(repo, headSha)) }]
            : [];
      if (order.field === "ALPHABETICAL") refs.sort((a, b) => a.name.localeCompare(b.name));
      else if (order.field === "TAG_COMMIT_DATE")
        refs.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
      if (order.direction === "DESC") refs.reverse();
      return connectionOf(args, refs, "ref", (r) => ({
        __typename: "Ref",
        name: r.name,
        prefix,
        target: r.target,
      }));
    },
  };
}

const GRAPHQL_PERMISSION: Record<string, string> = {
  admin: "ADMIN",
  maintain: "MAINTAIN",
  push: "WRITE",
  triage: "TRIAGE",
  pull: "READ",
};

function teamNode(state: FakeState, installationId: number, team: FakeTeam): Resolver {
  const repos = [...team.repos.entries()].flatMap(([fullName, permission]) => {
    const repo = state.repos.get(fullName);
    return repo && state.canSee(installationId, repo) ? [{ repo, permission }] : [];
  });
  return {
    __typename: "Team",
    id: `T_${team.id}`,
    databaseId: team.id,
    slug: team.slug,
    name: team.name,
    combinedSlug: `${team.org}/${team.slug}`,
    members: (args: Args) => connectionOf(args, team.members, "teamMember", (login) => actor(login)),
    repositories: (args: Args) =>
      connectionOf(
        args,
        repos,
        "teamRepository",
        (r) => repositoryNode(state, r.repo),
        (r) => ({ __typename: "TeamRepositoryEdge", permission: GRAPHQL_PERMISSION[r.permission] }),
      ),
  };
}

function ownerNode(state: FakeState, installationId: number, login: string): Resolver {
  const installation = [...state.installations.values()].find(
    (i) => i.id === installationId && i.account.toLowerCase() === login.toLowerCase(),
  );
  const visible = [...state.repos.values()]
    .filter((r) => r.owner.toLowerCase() === login.toLowerCase() && state.canSee(installationId, r))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    __typename: "Organization",
    login,
    repositories: (args: Args) => connectionOf(args, visible, "repository", (r) => repositoryNode(state, r)),
    teams: (args: Args) => {
      const teams = installation
        ? [...state.teams.values()]
            .filter((t) => t.org.toLowerCase() === login.toLowerCase())
            .sort((a, b) => a.slug.localeCompare(b.slug))
        : [];
      return connectionOf(args, teams, "team", (t) => teamNode(state, installationId, t));
    },
    team: ({ slug }: Args) => {
      const team = state.findTeam(login, String(slug));
      return team && installation ? teamNode(state, installationId, team) : null;
    },
  };
}

/** The query root as installation `installationId` sees the state. */
export function rootNode(state: FakeState, installationId: number): Resolver {
  const visible = (repo: FakeRepo | undefined) => repo && state.canSee(installationId, repo);
  const byId = (id: unknown) => {
    const repo = [...state.repos.values()].find((r) => `R_${r.id}` === id);
    return repo && visible(repo) ? repositoryNode(state, repo) : null;
  };
  const hasAccount = (login: string) =>
    [...state.repos.values()].some((r) => r.owner.toLowerCase() === login.toLowerCase());
  // `repositoryOwner` is null for an unknown login; `organization` is a NOT_FOUND error.
  const owner = ({ login }: Args) =>
    hasAccount(String(login)) ? ownerNode(state, installationId, String(login)) : null;
  const organization = ({ login }: Args) => {
    if (!hasAccount(String(login)))
      throw new NotFound(`Could not resolve to an Organization with the login of '${login}'.`);
    return ownerNode(state, installationId, String(login));
  };
  return {
    __typename: "Query",
    repository: ({ owner: login, name }: Args) => {
      const repo = state.findRepo(String(login), String(name));
      if (!repo || !visible(repo)) {
        throw new NotFound(`Could not resolve to a Repository with the name '${login}/${name}'.`);
      }
      return repositoryNode(state, repo);
    },
    repositoryOwner: owner,
    organization,
    nodes: ({ ids }: Args) => (Array.isArray(ids) ? ids : []).map(byId),
    node: ({ id }: Args) => byId(id),
    rateLimit: { __typename: "RateLimit", cost: 1, limit: 5000, remaining: 4999, used: 1 },
  };
}

/** The most issues GitHub pins in one repository. */
export const MAX_PINNED = 3;

/** The mutations the app sends: `pinIssue` (the organization report issue). */
export function mutationRoot(state: FakeState, installationId: number): Resolver {
  return {
    __typename: "Mutation",
    pinIssue: ({ input }: Args) => {
      const issueId = String((input as { issueId?: unknown } | null)?.issueId ?? "");
      const match = /^I_(\d+)_(\d+)$/.exec(issueId);
      const repo = [...state.repos.values()].find((r) => match && r.id === Number(match[1]));
      const issue = repo?.issues.find((i) => match && i.number === Number(match[2]) && !i.pull);
      if (!repo || !issue || !state.canSee(installationId, repo))
        throw new NotFound(`Could not resolve to a node with the global id of '${issueId}'`);
      const pinned = repo.issues.filter((i) => i.pinned && i !== issue).length;
      if (!issue.pinned && pinned >= MAX_PINNED)
        throw new QueryError(`You can't pin more than ${MAX_PINNED} issues in a repository.`);
      issue.pinned = true;
      return { __typename: "PinIssuePayload", issue: issueNode(repo, issue) };
    },
  };
}
