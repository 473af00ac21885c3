/**
 * What the change failure rate needs beyond the report's history (docs/metrics.md, "Stability"):
 * the full messages of the default branch's commits ("This reverts commit <sha>" is in the body,
 * not the headline) and the issues with the incident label. Read only for repositories with a
 * release in the window, 50 repositories per GraphQL query, one query per 50: a list longer than
 * its page is cut, and the cut is named.
 */
import type { IncidentSignal, RevertSignal } from "../../core/insights/metrics/stability.js";
import { namedTags, revertedCommits } from "../../core/insights/metrics/stability-signals.js";
import { describeError, type GitHubClient, type RepoRef } from "../transport/client.js";

export const STABILITY_BATCH = 50;
/** Commits read per repository: the newest, back to `since`. */
export const COMMITS_PAGE = 100;
/** Incident issues read per repository: the newest by creation. */
export const INCIDENTS_PAGE = 50;
/** The longest issue text searched for tags (GitHub caps a body at 65,536 characters). */
const MAX_TEXT = 70_000;

export interface StabilityTarget {
  ref: RepoRef;
  nodeId: string;
  /** From when commits are read: the history's start. */
  since: Date;
  /** The repository's release tags, to find the ones an incident names. */
  tags: readonly string[];
  /** Merge commits of the merged pull requests read, to their numbers. */
  mergeCommits?: ReadonlyMap<string, number>;
}

export interface StabilityRead {
  /** Reverts found in commit messages; absent when the commits could not be read. */
  commitReverts?: RevertSignal[];
  /** Absent when the issues could not be read. */
  incidents?: IncidentSignal[];
  gaps: string[];
}

interface CommitNode {
  oid: string;
  committedDate: string;
  message: string;
}
interface IncidentNode {
  number: number;
  title: string;
  body: string | null;
  createdAt: string;
  closedAt: string | null;
}
interface SignalsNode {
  defaultBranchRef: {
    target: { history?: { pageInfo: { hasNextPage: boolean }; nodes: CommitNode[] } } | null;
  } | null;
  incidents: { pageInfo: { hasNextPage: boolean }; nodes: IncidentNode[] };
}

/** One query for `targets` (at most STABILITY_BATCH), each under its alias `r<i>`. */
export function stabilityQuery(targets: readonly Pick<StabilityTarget, "nodeId" | "since">[]): string {
  const parts = targets.map(
    (t, i) => `r${i}: node(id: ${JSON.stringify(t.nodeId)}) { ... on Repository {
    defaultBranchRef { target { ... on Commit {
      history(first: ${COMMITS_PAGE}, since: ${JSON.stringify(t.since.toISOString())}) { pageInfo { hasNextPage } nodes { oid committedDate message } }
    } } }
    incidents: issues(first: ${INCIDENTS_PAGE}, labels: [$label], orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage } nodes { number title body createdAt closedAt }
    }
  } }`,
  );
  return `query($label: String!) {\n  ${parts.join("\n  ")}\n}`;
}

const key = (ref: RepoRef) => `${ref.owner}/${ref.repo}`.toLowerCase();

/**
 * The revert commits and incidents of `targets`, by "owner/name" in lower case. A batch GitHub
 * refuses leaves its repositories without them (and says why), never with none.
 *
 * @example await readStabilitySignals(client, targets, "incident")
 */
export async function readStabilitySignals(
  client: GitHubClient,
  targets: readonly StabilityTarget[],
  label: string,
): Promise<Map<string, StabilityRead>> {
  const out = new Map<string, StabilityRead>();
  for (let start = 0; start < targets.length; start += STABILITY_BATCH) {
    const batch = targets.slice(start, start + STABILITY_BATCH);
    let data: Record<string, SignalsNode | null>;
    try {
      data = await client.graphql<Record<string, SignalsNode | null>>(stabilityQuery(batch), { label });
    } catch (error) {
      const gap = `reverts and incidents not read: ${describeError(error)}`;
      for (const t of batch) out.set(key(t.ref), { gaps: [gap] });
      continue;
    }
    for (const [i, t] of batch.entries()) {
      const node = data[`r${i}`];
      out.set(
        key(t.ref),
        node
          ? signalsOf(t, node, label)
          : { gaps: ["reverts and incidents not read: GitHub returned no repository"] },
      );
    }
  }
  return out;
}

function signalsOf(target: StabilityTarget, node: SignalsNode, label: string): StabilityRead {
  const gaps: string[] = [];
  const history = node.defaultBranchRef?.target?.history;
  const commits = history?.nodes ?? [];
  if (history?.pageInfo.hasNextPage)
    gaps.push(
      `only the newest ${commits.length} commits were searched for reverts (back to ${commits.at(-1)?.committedDate.slice(0, 10)})`,
    );
  const issues = node.incidents.nodes;
  if (node.incidents.pageInfo.hasNextPage)
    gaps.push(`only the newest ${issues.length} issues labelled "${label}" were read`);
  return {
    commitReverts: commitReverts(commits, target.mergeCommits),
    incidents: issues.map((n) => incidentOf(n, target.tags)),
    gaps,
  };
}

/** The reverts in commit messages, placed where the reverted commit is known. */
function commitReverts(
  commits: readonly CommitNode[],
  mergeCommits?: ReadonlyMap<string, number>,
): RevertSignal[] {
  const out: RevertSignal[] = [];
  for (const c of commits) {
    for (const sha of revertedCommits(c.message)) {
      const by = `commit ${c.oid.slice(0, 7)}`;
      const pull = [...(mergeCommits ?? [])].find(([oid]) => oid.startsWith(sha))?.[1];
      if (pull !== undefined) {
        out.push({ at: c.committedDate, pull, by });
        continue;
      }
      const reverted = commits.find((o) => o.oid.toLowerCase().startsWith(sha));
      out.push({ at: c.committedDate, sha, ...(reverted ? { revertedAt: reverted.committedDate } : {}), by });
    }
  }
  return out;
}

function incidentOf(node: IncidentNode, tags: readonly string[]): IncidentSignal {
  const text = `${node.title}\n${node.body ?? ""}`.slice(0, MAX_TEXT);
  return {
    number: node.number,
    createdAt: node.createdAt,
    ...(node.closedAt ? { closedAt: node.closedAt } : {}),
    tags: namedTags(text, tags),
  };
}
