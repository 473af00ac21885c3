/**
 * A repository's recent work for outcome.stale, read live in one GraphQL query: the newest 100
 * merged pull requests and the 100 issues updated last since the window's start, and the newest 50
 * releases (with their notes, whatever `release.source` says). Read only when the rule is on. A
 * sweep whose org policy turns it on reads 50 repositories a query with fewer items each (kept
 * apart from its judging pages: bodies are heavy), and this query where that does not reach back.
 */
import type { FactReaders } from "../../core/engine/fact-source.js";
import { type OutcomeActivity, type TracedWork, unavailable } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import { labelNames } from "./pull-request-facts.js";

const DAY_MS = 86_400_000;
export const ACTIVITY_ITEMS = 100;
export const ACTIVITY_RELEASES = 50;
/** Per repository in a sweep's activity batch (50 repositories a query): fewer, bodies being heavy. */
export const BATCH_ITEMS = 25;
export const BATCH_RELEASES = 10;

/** A repository's recent work: `items` merged pull requests and issues updated since `$since`, newest first. */
const activityFields = (items: number, releases: number) => `
    pullRequests(first: ${items}, states: [MERGED], orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { number title body mergedAt updatedAt labels(first: 20) { nodes { name } } }
    }
    issues(first: ${items}, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { number title body createdAt closedAt updatedAt labels(first: 20) { nodes { name } } }
    }
    releases(first: ${releases}, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { tagName name description isDraft publishedAt createdAt }
    }`;

export const ACTIVITY_QUERY = `query($owner: String!, $repo: String!, $since: DateTime!) {
  repository(owner: $owner, name: $repo) {${activityFields(ACTIVITY_ITEMS, ACTIVITY_RELEASES)}
  }
}`;

/** The recent work of chosen repositories by node id, for a sweep's page. */
export const ACTIVITY_BATCH_QUERY = `query($ids: [ID!]!, $since: DateTime!) {
  nodes(ids: $ids) { ... on Repository { id${activityFields(BATCH_ITEMS, BATCH_RELEASES)}
  } }
}`;

type Labels = { nodes: ({ name: string } | null)[] } | null;
type Page<T> = { pageInfo: { hasNextPage: boolean }; nodes: (T | null)[] };
type ActivityNode = {
  pullRequests: Page<{
    number: number;
    title: string;
    body: string | null;
    mergedAt: string | null;
    updatedAt: string;
    labels: Labels;
  }>;
  issues: Page<{
    number: number;
    title: string;
    body: string | null;
    createdAt: string;
    closedAt: string | null;
    updatedAt: string;
    labels: Labels;
  }>;
  releases: Page<{
    tagName: string;
    name: string | null;
    description: string | null;
    isDraft: boolean;
    publishedAt: string | null;
    createdAt: string;
  }>;
};

const later = (a: string, b: string | null) => (b && Date.parse(b) > Date.parse(a) ? b : a);

/**
 * How far back a connection read newest first reaches: everything, unless it has more and its
 * oldest row is younger than `start`; then from that row on.
 */
function reach<T>(page: Page<T>, start: number, dateOf: (row: T) => string): number {
  const rows = page.nodes.filter((n): n is T => n !== null);
  const oldest = rows.at(-1);
  if (!page.pageInfo.hasNextPage || !oldest) return start;
  return Math.max(start, Date.parse(dateOf(oldest)));
}

/** The work a repository's node holds, reaching back to `start` (ms) unless a list stops short. */
function activityOf(r: ActivityNode, start: number): OutcomeActivity {
  const work: TracedWork[] = [];
  for (const pr of r.pullRequests.nodes) {
    if (pr?.mergedAt)
      work.push({
        ref: `pull request #${pr.number}`,
        at: pr.mergedAt,
        texts: [pr.title, pr.body],
        labels: labelNames(pr.labels?.nodes),
      });
  }
  for (const issue of r.issues.nodes) {
    if (issue)
      work.push({
        ref: `issue #${issue.number}`,
        at: later(issue.createdAt, issue.closedAt),
        texts: [issue.title, issue.body],
        labels: labelNames(issue.labels?.nodes),
      });
  }
  for (const release of r.releases.nodes) {
    if (release && !release.isDraft)
      work.push({
        ref: `release ${release.tagName}`,
        at: release.publishedAt ?? release.createdAt,
        texts: [release.name, release.description],
      });
  }
  const since = Math.max(
    reach(r.pullRequests, start, (p) => p.updatedAt),
    reach(r.issues, start, (i) => i.updatedAt),
    reach(r.releases, start, (x) => x.createdAt),
  );
  return {
    work,
    since: new Date(since).toISOString(),
    readFrom: "merged pull requests, issues and releases",
  };
}

/** The work of `repo` that may name outcomes, since `days` before `now`. */
export async function fetchOutcomeActivity(
  client: GitHubClient,
  repo: RepoRef,
  days: number,
  now: Date,
): Promise<OutcomeActivity> {
  const start = now.getTime() - days * DAY_MS;
  const data = await client.graphql<{ repository: ActivityNode | null }>(ACTIVITY_QUERY, {
    owner: repo.owner,
    repo: repo.repo,
    since: new Date(start).toISOString(),
  });
  if (!data.repository) throw new Error(`${repo.owner}/${repo.repo} was not found`);
  return activityOf(data.repository, start);
}

/**
 * The recent work since `since` (ISO 8601) of the repositories with node ids `ids` (at most 50), in
 * one query: by node id; a repository GitHub does not return is left out.
 */
export async function fetchActivityBatch(
  client: GitHubClient,
  ids: readonly string[],
  since: string,
): Promise<Map<string, OutcomeActivity>> {
  const data = await client.graphql<{ nodes: ((ActivityNode & { id: string }) | null)[] }>(
    ACTIVITY_BATCH_QUERY,
    { ids, since },
  );
  const start = Date.parse(since);
  return new Map(data.nodes.flatMap((n) => (n?.pullRequests ? [[n.id, activityOf(n, start)] as const] : [])));
}

/** A sweep's repository with the recent work its page's activity query read (absent: not asked). */
export type WithActivity = { activity?: OutcomeActivity };

/**
 * The reader of `outcomeActivity` for one repository under `config`, as of `now` (the engine asks
 * for it only when outcome.stale is on).
 *
 * @example factSource(activityReaders(client, repo, config, now)).read(["outcomeActivity"])
 */
export function activityReaders(
  client: GitHubClient,
  repo: RepoRef,
  config: Pick<EffectiveConfig, "staleDays" | "manifest">,
  now: Date,
): FactReaders {
  return {
    // The rule judges only a repository with a valid manifest: for another, a query would be wasted.
    outcomeActivity: () =>
      config.manifest === undefined
        ? unavailable("the repository has no valid manifest")
        : readFact(
            "the recent pull requests, issues and releases",
            () => fetchOutcomeActivity(client, repo, config.staleDays.value, now),
            "issues: read, pull_requests: read",
          ),
  };
}
