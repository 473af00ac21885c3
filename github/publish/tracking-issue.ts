/**
 * One tracking issue per repository for its standing problems (cadence, ownership, outcomes):
 * opened once, edited only when its content changes (a hash in a hidden marker), closed when the
 * repository complies, never duplicated.
 */
import { createHash } from "node:crypto";
import type { Verdict } from "../../core/engine/types.js";
import { renderMarkdown } from "../../core/render/markdown.js";
import { createSerialiser, inTurn, type Serialise } from "../../core/util/serial.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";

export const TRACKING_LABEL = "pom-governance";
export const TRACKING_MARKER = "<!-- pom-governance:tracking -->";
const HASH_MARKER = /<!-- pom-governance:hash:([0-9a-f]+) -->/;

export type TrackingAction = "opened" | "updated" | "unchanged" | "closed" | "none";

export interface IssueRow {
  number: number;
  body?: string | null;
  pull_request?: unknown;
}

/** The tracking issue's title and body for a verdict with problems. */
export function trackingContent(verdict: Verdict): { title: string; body: string; hash: string } {
  const problems = verdict.findings.filter((f) => f.status === "fail");
  const shown: Verdict = { conclusion: verdict.conclusion, findings: problems };
  const title = `POM governance: ${problems.length} problem${problems.length === 1 ? "" : "s"} in this repository`;
  const table = renderMarkdown(shown, {
    title: "Where this repository drifts from its manifest",
    limit: 60_000,
  });
  // The hash covers which rules fail, not their wording: messages carry ages ("20d old") that change
  // every day, and an issue edited by every sweep would train people to ignore it.
  const identity = problems.map(
    (f) => `${f.rule}:${f.level}:${f.location?.file ?? ""}:${f.location?.line ?? ""}`,
  );
  const hash = createHash("sha256").update(identity.join("\n")).digest("hex").slice(0, 16);
  const body = [
    TRACKING_MARKER,
    `<!-- pom-governance:hash:${hash} -->`,
    table,
    "",
    "<sub>Kept up to date by POM governance: this issue is edited when the set of failing rules changes and closed when the repository complies. Figures are as of the last edit.</sub>",
  ].join("\n");
  return { title, body, hash };
}

/** Closes an issue the app owns: "completed" when its problems are solved, "not_planned" for a duplicate. */
export async function closeIssue(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  reason: "completed" | "not_planned",
): Promise<void> {
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: number,
    state: "closed",
    state_reason: reason,
  });
}

/** The open tracking issues of a repository (normally one). */
export async function findTrackingIssues(client: GitHubClient, repo: RepoRef): Promise<IssueRow[]> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/issues", {
    owner: repo.owner,
    repo: repo.repo,
    labels: TRACKING_LABEL,
    state: "open",
    per_page: 100,
  });
  // Oldest first: should there ever be two, the one people have been following is kept.
  return (data as IssueRow[])
    .filter((i) => !i.pull_request && i.body?.includes(TRACKING_MARKER))
    .sort((a, b) => a.number - b.number);
}

/**
 * Syncs of one repository's tracking issue run one at a time in a process: a push, a release and
 * the sweep judging the same repository at once would otherwise each find no issue and each open
 * one.
 */
const oneAtATime = createSerialiser();

/**
 * Opens, edits or closes the tracking issue to match `verdict` (the repository rules). Findings
 * that could not be decided keep an open issue open but never open or close one by themselves.
 */
export function syncTrackingIssue(
  client: GitHubClient,
  repo: RepoRef,
  verdict: Verdict,
  /** The open tracking issues, when already read (the sweep reads them in its batch query). */
  open?: readonly IssueRow[],
  /** One at a time across processes too (replicas sharing Redis). */
  across?: Serialise,
): Promise<TrackingAction> {
  const key = `${repo.owner}/${repo.repo}`.toLowerCase();
  const task = async () =>
    sync(client, repo, verdict, open ?? (await findTrackingIssues(client, repo)), open === undefined);
  return inTurn(oneAtATime, across, "tracking", key, task);
}

async function sync(
  client: GitHubClient,
  repo: RepoRef,
  verdict: Verdict,
  open: readonly IssueRow[],
  fresh: boolean,
): Promise<TrackingAction> {
  const problems = verdict.findings.filter((f) => f.status === "fail");
  const undecided = verdict.findings.some((f) => f.status === "unknown");
  // A list read before this sync had its turn may miss an issue opened meanwhile: it is read
  // again before a new one is opened.
  if (!fresh && open.length === 0 && problems.length > 0)
    return sync(client, repo, verdict, await findTrackingIssues(client, repo), true);
  const [current, ...duplicates] = open;
  // Should an earlier race have opened two, the extra ones are closed as duplicates.
  for (const extra of duplicates) await closeIssue(client, repo, extra.number, "not_planned");
  if (problems.length === 0) {
    if (!current || undecided) return "none";
    await closeIssue(client, repo, current.number, "completed");
    return "closed";
  }
  const content = trackingContent(verdict);
  if (!current) {
    await client.request("POST /repos/{owner}/{repo}/issues", {
      owner: repo.owner,
      repo: repo.repo,
      title: content.title,
      body: content.body,
      labels: [TRACKING_LABEL],
    });
    return "opened";
  }
  if (HASH_MARKER.exec(current.body ?? "")?.[1] === content.hash) return "unchanged";
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: current.number,
    title: content.title,
    body: content.body,
    // The list may be older than a close by a concurrent push or release (the sweep reads it
    // with its batch): problems mean an open issue.
    state: "open",
  });
  return "updated";
}
