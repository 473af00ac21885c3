/**
 * The history behind the insights report, read live: for each repository its releases and the
 * pull requests merged into its default branch since the window began, many repositories per
 * GraphQL query (insights-query.ts). A list is followed page by page only while it still reaches
 * into the window. What cannot be read is left out with the reason, never reported as zero.
 */
import { oneReleasePerTag } from "../../core/domain/releases.js";
import type { Evaluation } from "../../core/engine/evaluate.js";
import type { Facts, PullRequestInfo, ReleaseInfo } from "../../core/engine/facts.js";
import { DAY_MS } from "../../core/insights/metrics/time.js";
import { type RepoInsights, repoInsights } from "../../core/insights/report/insights.js";
import { tracePullRequests } from "../../core/insights/report/trace.js";
import { RULES } from "../../policies/registry.js";
import type { TrustedConfig } from "../read/config.js";
import { describeError, type GitHubClient, type RepoRef } from "../transport/client.js";
import {
  continuationQuery,
  INSIGHTS_BATCH,
  INSIGHTS_NODES_QUERY,
  INSIGHTS_REPO_QUERY,
  type InsightsNode,
  type PullNode,
  type PullsPage,
  type ReleasesPage,
  toMergedPull,
  toRelease,
} from "./insights-query.js";

/** Pages followed per list and repository at most; a longer list is cut and the cut is named. */
export const MAX_PAGES = 20;
/**
 * How far before the window merged pull requests are read: a release early in the window is
 * credited with the changes it shipped that were merged before the window (lead time counts a
 * pull request at its first release in the window), back to the release before the window and
 * at most this far. A change that waited longer is not measured.
 */
export const LEAD_TIME_LOOKBACK_MS = 90 * DAY_MS;
/**
 * Releases are listed by creation; one created this long before the window but published in it
 * (a draft that waited) is still found.
 */
const RELEASE_SLACK_MS = 30 * DAY_MS;

export interface RepoHistory {
  /** GitHub releases (all read: the newest before the window matters too). */
  releases?: ReleaseInfo[];
  /** Pull requests merged into the default branch since `pullsSince`. */
  pulls?: PullRequestInfo[];
  /** From when merged pull requests were read (before the window: see LEAD_TIME_LOOKBACK_MS). */
  pullsSince?: Date;
  /** The merge commit of each merged pull request read, to its number (a reverted commit may be one). */
  mergeCommits?: Map<string, number>;
  gaps: string[];
}

const key = (ref: RepoRef) => `${ref.owner}/${ref.repo}`.toLowerCase();

/**
 * The histories of `repos`, 50 per query. When a batch fails (GitHub's limits on one query's
 * size or time, a passing fault), its repositories are read one by one; what still cannot be
 * read is left without history, with the reason as a gap.
 */
export async function readHistories(
  client: GitHubClient,
  repos: readonly { ref: RepoRef; nodeId: string }[],
  since: Date,
): Promise<Map<string, RepoHistory>> {
  const out = new Map<string, RepoHistory>();
  for (let start = 0; start < repos.length; start += INSIGHTS_BATCH) {
    const batch = repos.slice(start, start + INSIGHTS_BATCH);
    let nodes: (InsightsNode | null)[];
    try {
      ({ nodes } = await client.graphql<{ nodes: (InsightsNode | null)[] }>(INSIGHTS_NODES_QUERY, {
        ids: batch.map((r) => r.nodeId),
      }));
    } catch {
      for (const r of batch) out.set(key(r.ref), await readHistory(client, r.ref, since));
      continue;
    }
    for (const [i, r] of batch.entries()) {
      const node = nodes[i];
      out.set(
        key(r.ref),
        node
          ? await follow(client, r.ref, node, since)
          : { gaps: ["history not read: GitHub returned no repository"] },
      );
    }
  }
  return out;
}

/** The history of one repository, by name. */
export async function readHistory(client: GitHubClient, ref: RepoRef, since: Date): Promise<RepoHistory> {
  try {
    const { repository } = await client.graphql<{ repository: InsightsNode | null }>(INSIGHTS_REPO_QUERY, {
      owner: ref.owner,
      name: ref.repo,
    });
    if (!repository) return { gaps: ["history not read: GitHub returned no repository"] };
    return await follow(client, ref, repository, since);
  } catch (error) {
    return { gaps: [`history not read: ${describeError(error)}`] };
  }
}

interface Page<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: N[];
}

/**
 * Every node of a list from its first page on, while `more` says the oldest node read still
 * reaches far enough back, at most MAX_PAGES pages (the cut is named in `gaps`); undefined, with
 * the reason in `gaps`, when a page could not be read.
 */
async function readPages<N>(
  first: Page<N>,
  next: (after: string) => Promise<Page<N>>,
  more: (oldest: N) => boolean,
  gaps: string[],
  say: { cut: (read: N[]) => string; failed: string },
): Promise<N[] | undefined> {
  const read: N[] = [];
  let page = first;
  for (let n = 1; ; n++) {
    read.push(...page.nodes);
    const oldest = page.nodes[page.nodes.length - 1];
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || !oldest || !more(oldest)) return read;
    if (n >= MAX_PAGES) {
      gaps.push(say.cut(read));
      return read;
    }
    try {
      page = await next(page.pageInfo.endCursor);
    } catch (error) {
      gaps.push(`${say.failed}: ${describeError(error)}`);
      return undefined;
    }
  }
}

async function follow(
  client: GitHubClient,
  ref: RepoRef,
  node: InsightsNode,
  since: Date,
): Promise<RepoHistory> {
  const gaps: string[] = [];
  const sinceMs = since.getTime();
  const next =
    <P extends ReleasesPage | PullsPage>(list: "releases" | "pullRequests") =>
    async (after: string) => {
      const data = await client.graphql<{ repository: Record<string, P> | null }>(
        continuationQuery(list, after),
        { owner: ref.owner, name: ref.repo },
      );
      const page = data.repository?.[list];
      if (!page) throw new Error("GitHub returned no repository");
      return page;
    };

  const releases = (
    await readPages(
      node.releases,
      next<ReleasesPage>("releases"),
      (oldest) => !(Date.parse(oldest.createdAt) < sinceMs - RELEASE_SLACK_MS),
      gaps,
      { cut: (read) => `only the newest ${read.length} releases were read`, failed: "releases not read" },
    )
  )?.map(toRelease);

  // Back to the last release before the window (its changes were shipped by it), at most the lookback.
  const before = (releases ?? [])
    .map((r) => Date.parse(r.publishedAt))
    .filter((at) => at < sinceMs)
    .reduce((latest, at) => Math.max(latest, at), Number.NEGATIVE_INFINITY);
  const pullsSinceMs = Math.max(sinceMs - LEAD_TIME_LOOKBACK_MS, Math.min(before, sinceMs));
  const branch = node.defaultBranchRef?.name;
  const kept = (pr: PullNode) =>
    pr.baseRefName === branch && (pr.mergedAt ? Date.parse(pr.mergedAt) : Number.NaN) >= pullsSinceMs;
  const pullNodes = (
    await readPages(
      node.pullRequests,
      next<PullsPage>("pullRequests"),
      // Ordered by last update: once one was last updated before that, every later one was
      // merged before it too (a merge is an update).
      (oldest) => !(Date.parse(oldest.updatedAt) < pullsSinceMs),
      gaps,
      {
        cut: (read) =>
          `only the ${read.filter(kept).length} most recently updated merged pull requests were read`,
        failed: "merged pull requests not read",
      },
    )
  )?.filter(kept);
  const pulls = pullNodes?.map(toMergedPull);
  const mergeCommits = new Map(
    (pullNodes ?? []).flatMap((p) =>
      p.mergeCommit?.oid ? [[p.mergeCommit.oid.toLowerCase(), p.number] as const] : [],
    ),
  );
  return {
    ...(releases ? { releases } : {}),
    ...(pulls ? { pulls, pullsSince: new Date(pullsSinceMs), mergeCommits } : {}),
    gaps,
  };
}

/** Why a repository has no history: without a valid manifest none is read. */
export const NO_MANIFEST_HISTORY: RepoHistory = { gaps: ["no valid manifest: no history read"] };

/**
 * One repository's insights from its judgement and history. Releases come from the history for
 * `release.source: releases`, and from the facts the judgement read for tags and deployments.
 */
export function insightsOf(
  repo: RepoRef,
  judged: { evaluation: Evaluation; trusted?: TrustedConfig; facts?: Facts },
  history: RepoHistory,
  now: Date,
): RepoInsights {
  const { evaluation } = judged;
  const trusted = judged.trusted ?? { manifest: null, policy: null };
  const facts = judged.facts ?? {};
  const fromFacts = facts.releases?.ok ? facts.releases.value : undefined;
  // With products, each product's releases by its own source (the facts) beside the GitHub
  // releases the history read: each product's row picks its own by tag pattern.
  const releases = evaluation.config.products
    ? history.releases || fromFacts
      ? oneReleasePerTag(history.releases ?? [], fromFacts ?? [])
      : undefined
    : evaluation.config.releaseSource.value === "releases"
      ? history.releases
      : fromFacts;
  const gaps = [...history.gaps];
  if (evaluation.config.releaseSource.value !== "releases" && facts.releases && !facts.releases.ok)
    gaps.push(`releases not read: ${facts.releases.reason}`);
  return repoInsights({
    repo: `${repo.owner}/${repo.repo}`,
    checkedAt: now,
    verdict: evaluation,
    config: evaluation.config,
    releases,
    merged: history.pulls
      ? tracePullRequests(
          { manifest: trusted.manifest, policy: trusted.policy, pullRequests: history.pulls, now },
          RULES,
        )
      : undefined,
    ...(history.pullsSince ? { historySince: history.pullsSince } : {}),
    gaps,
    ...(facts.teamMembers?.ok ? { teamMembers: facts.teamMembers.value } : {}),
  });
}
