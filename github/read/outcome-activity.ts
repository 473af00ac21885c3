/**
 * A repository's recent work for outcome.stale, read live in one GraphQL query: the newest 100
 * merged pull requests and the 100 issues updated last since the window's start, and the newest 50
 * releases (with their notes, whatever `release.source` says). Read only when the rule is on; a
 * sweep reads it per repository too (its pages do not carry work items' bodies).
 */
import type { FactReaders } from "../../core/engine/fact-source.js";
import type { OutcomeActivity, TracedWork } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import { labelNames } from "./pull-request-facts.js";

const DAY_MS = 86_400_000;
export const ACTIVITY_ITEMS = 100;
export const ACTIVITY_RELEASES = 50;

export const ACTIVITY_QUERY = `query($owner: String!, $repo: String!, $since: DateTime!) {
  repository(owner: $owner, name: $repo) {
    pullRequests(first: ${ACTIVITY_ITEMS}, states: [MERGED], orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { number title body mergedAt updatedAt labels(first: 20) { nodes { name } } }
    }
    issues(first: ${ACTIVITY_ITEMS}, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { number title body createdAt closedAt updatedAt labels(first: 20) { nodes { name } } }
    }
    releases(first: ${ACTIVITY_RELEASES}, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes { tagName name description isDraft publishedAt createdAt }
    }
  }
}`;

type Labels = { nodes: ({ name: string } | null)[] } | null;
type Page<T> = { pageInfo: { hasNextPage: boolean }; nodes: (T | null)[] };
type ActivityResult = {
  repository: {
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
  } | null;
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

/** The work of `repo` that may name outcomes, since `days` before `now`. */
export async function fetchOutcomeActivity(
  client: GitHubClient,
  repo: RepoRef,
  days: number,
  now: Date,
): Promise<OutcomeActivity> {
  const start = now.getTime() - days * DAY_MS;
  const data = await client.graphql<ActivityResult>(ACTIVITY_QUERY, {
    owner: repo.owner,
    repo: repo.repo,
    since: new Date(start).toISOString(),
  });
  const r = data.repository;
  if (!r) throw new Error(`${repo.owner}/${repo.repo} was not found`);
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

/**
 * The reader of `outcomeActivity` for one repository under `config`, as of `now` (the engine asks
 * for it only when outcome.stale is on).
 *
 * @example factSource(activityReaders(client, repo, config, now)).read(["outcomeActivity"])
 */
export function activityReaders(
  client: GitHubClient,
  repo: RepoRef,
  config: Pick<EffectiveConfig, "staleDays">,
  now: Date,
): FactReaders {
  return {
    outcomeActivity: () =>
      readFact(
        "the recent pull requests, issues and releases",
        () => fetchOutcomeActivity(client, repo, config.staleDays.value, now),
        "issues: read, pull_requests: read",
      ),
  };
}
