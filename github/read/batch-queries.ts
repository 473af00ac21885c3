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

const REPO_FIELDS = `id name isArchived owner { login }
        ${MANIFEST_PATHS.map((p, i) => blob(`manifest${i}`, p)).join("\n        ")}
        ${CODEOWNERS_PATHS.map((p, i) => blob(`codeowners${i}`, p)).join("\n        ")}
        releases(first: ${RELEASES_READ}, orderBy: { field: CREATED_AT, direction: DESC }) {
          pageInfo { hasNextPage }
          nodes { tagName name isDraft isPrerelease publishedAt createdAt }
        }
        defaultBranchRef { target { ... on Commit {
          history(first: ${COMMITS_READ}) { pageInfo { hasNextPage } nodes { oid committedDate messageHeadline } }
        } } }
        issues(first: 10, labels: [$label], states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
          nodes { number body state stateReason }
        }`;

const TEAM_REPOS = "pageInfo { hasNextPage endCursor } edges { permission node { nameWithOwner } }";

const TEAMS = `teams(first: 100, after: $teamsAfter) {
        pageInfo { hasNextPage endCursor }
        nodes {
          slug
          members(first: 100, membership: ALL) { pageInfo { hasNextPage } nodes { login } }
          repositories(first: 100) { ${TEAM_REPOS} }
        }
      }`;

const OWNER_PART = `owner: repositoryOwner(login: $owner) { ... on Organization { ${TEAMS} } }
  policy: repository(owner: $owner, name: ${JSON.stringify(POLICY_REPO)}) { ${blob("file", POLICY_PATH)} }`;

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
export function ownerPageQuery(first: boolean, more: readonly TeamContinuation[] = []): string {
  return `query($owner: String!, $after: String, $label: String!${first ? ", $teamsAfter: String" : ""}) {
  listing: repositoryOwner(login: $owner) {
    repositories(first: ${BATCH_SIZE}, after: $after, ownerAffiliations: [OWNER], orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${REPO_FIELDS} }
    }
  }
  ${first ? OWNER_PART : ""}
  ${continuations(more)}
}`;
}

/** The query for chosen repositories by node id (an installation on selected repositories). */
export function nodesQuery(first: boolean, more: readonly TeamContinuation[] = []): string {
  // GitHub refuses a declared variable that the query does not use.
  const owner = first || more.length > 0 ? ", $owner: String!" : "";
  return `query($ids: [ID!]!, $label: String!${owner}${first ? ", $teamsAfter: String" : ""}) {
  nodes(ids: $ids) { ... on Repository { ${REPO_FIELDS} } }
  ${first ? OWNER_PART : ""}
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
