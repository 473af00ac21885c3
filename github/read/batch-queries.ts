/**
 * The sweep's GraphQL queries (see repo-batch.ts): one page of an owner's repositories, chosen
 * repositories by node id, and more of an owner's teams, each with continuations of teams that
 * have more than 100 repositories. All are checked against GitHub's public schema in the tests.
 */
import { CODEOWNERS_PATHS } from "../../core/domain/codeowners.js";
import { MANIFEST_PATHS, POLICY_PATH } from "../../core/manifest/manifest.js";
import { POLICY_REPO } from "./config.js";

/** Repositories per query: GitHub allows 100 per connection; 50 keeps a query's cost and size modest. */
export const BATCH_SIZE = 50;
/** Newest releases and commits read per repository; fewer than needed means a per-repository read. */
export const RELEASES_READ = 20;
export const COMMITS_READ = 30;

const blob = (alias: string, path: string) =>
  `${alias}: object(expression: ${JSON.stringify(`HEAD:${path}`)}) { ... on Blob { text isTruncated byteSize } }`;

/**
 * Which of the facts a page may carry are asked for: those the rules the org policy leaves on
 * declare (a repository whose manifest turns more on reads the rest on its own).
 */
export interface BatchFields {
  codeowners: boolean;
  releases: boolean;
  history: boolean;
  teams: boolean;
  /**
   * Where the org policy turns outcome.stale on: the start (ISO 8601) of its limit, for the
   * recent work each page's governed repositories are asked in one more query (outcome-activity.ts).
   */
  activitySince?: string;
}

export const ALL_FIELDS: BatchFields = { codeowners: true, releases: true, history: true, teams: true };

function repoFields(fields: BatchFields): string {
  return [
    "id name isArchived isPrivate owner { login }",
    ...MANIFEST_PATHS.map((p, i) => blob(`manifest${i}`, p)),
    ...(fields.codeowners ? CODEOWNERS_PATHS.map((p, i) => blob(`codeowners${i}`, p)) : []),
    ...(fields.releases
      ? [
          `releases(first: ${RELEASES_READ}, orderBy: { field: CREATED_AT, direction: DESC }) {
          pageInfo { hasNextPage }
          nodes { tagName name isDraft isPrerelease publishedAt createdAt }
        }`,
        ]
      : []),
    ...(fields.history
      ? [
          `defaultBranchRef { target { ... on Commit {
          history(first: ${COMMITS_READ}) { pageInfo { hasNextPage } nodes { oid committedDate messageHeadline } }
        } } }`,
        ]
      : []),
    `issues(first: 10, labels: [$label], states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
          nodes { number body state stateReason }
        }`,
  ].join("\n        ");
}

const TEAM_REPOS = "pageInfo { hasNextPage endCursor } edges { permission node { nameWithOwner } }";

const TEAMS = `teams(first: 100, after: $teamsAfter) {
        pageInfo { hasNextPage endCursor }
        nodes {
          slug databaseId
          members(first: 100, membership: ALL) { pageInfo { hasNextPage } nodes { login } }
          direct: members(first: 100, membership: IMMEDIATE) { pageInfo { hasNextPage } nodes { login } }
          repositories(first: 100) { ${TEAM_REPOS} }
        }
      }`;

const POLICY_PART = `policy: repository(owner: $owner, name: ${JSON.stringify(POLICY_REPO)}) { ${blob("file", POLICY_PATH)} }`;

function ownerPart(fields: BatchFields): string {
  return fields.teams
    ? `owner: repositoryOwner(login: $owner) { ... on Organization { ${TEAMS} } }\n  ${POLICY_PART}`
    : POLICY_PART;
}

/** Declares $teamsAfter when the first page lists the owner's teams (GitHub refuses an unused variable). */
const teamsVariable = (first: boolean, fields: BatchFields) =>
  first && fields.teams ? ", $teamsAfter: String" : "";

/** A team's repositories after `after`, for teams with more than 100, asked beside a page. */
export interface TeamContinuation {
  slug: string;
  after: string;
}

function continuations(more: readonly TeamContinuation[]): string {
  return more
    .map(
      (c, i) => `more${i}: organization(login: $owner) { team(slug: ${JSON.stringify(c.slug)}) {
    repositories(first: 100, after: ${JSON.stringify(c.after)}) { ${TEAM_REPOS} }
  } }`,
    )
    .join("\n  ");
}

/** The query for one page of an owner's repositories (an installation on all of them). */
export function ownerPageQuery(
  first: boolean,
  more: readonly TeamContinuation[] = [],
  fields: BatchFields = ALL_FIELDS,
): string {
  return `query($owner: String!, $after: String, $label: String!${teamsVariable(first, fields)}) {
  listing: repositoryOwner(login: $owner) {
    repositories(first: ${BATCH_SIZE}, after: $after, ownerAffiliations: [OWNER], orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${repoFields(fields)} }
    }
  }
  ${first ? ownerPart(fields) : ""}
  ${continuations(more)}
}`;
}

/** The query for chosen repositories by node id (an installation on selected repositories). */
export function nodesQuery(
  first: boolean,
  more: readonly TeamContinuation[] = [],
  fields: BatchFields = ALL_FIELDS,
): string {
  // GitHub refuses a declared variable that the query does not use.
  const owner = first || more.length > 0 ? ", $owner: String!" : "";
  return `query($ids: [ID!]!, $label: String!${owner}${teamsVariable(first, fields)}) {
  nodes(ids: $ids) { ... on Repository { ${repoFields(fields)} } }
  ${first ? ownerPart(fields) : ""}
  ${continuations(more)}
}`;
}

/** More of an owner's teams (beyond the first 100), and more of some teams' repositories. */
export function teamsQuery(teamsAfter: string | undefined, more: readonly TeamContinuation[] = []): string {
  return `query($owner: String!${teamsAfter ? ", $teamsAfter: String" : ""}) {
  ${teamsAfter ? `owner: repositoryOwner(login: $owner) { ... on Organization { ${TEAMS} } }` : ""}
  ${continuations(more)}
}`;
}
