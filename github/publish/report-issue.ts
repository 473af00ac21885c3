/**
 * The organization report as one pinned issue in the account's `.github` repository, for an org
 * policy with `report: issue`: opened and pinned once, edited only when its content changes (a
 * hash in a hidden marker; the body carries no timestamp), reopened if someone closed it, never
 * duplicated, and closed when the policy stops asking for it. Only an issue the app opened (a
 * bot's, with the marker) is ever edited; the number of the one it keeps is remembered with the
 * stored report, so that a removed label does not make it open another.
 */
import { createHash } from "node:crypto";
import type { OrgReport } from "../../core/insights/report/build.js";
import { renderReportMarkdown } from "../../core/render/report-markdown.js";
import { createSerialiser, inTurn, type Serialise } from "../../core/util/serial.js";
import { POLICY_REPO } from "../read/config.js";
import { describeError, type GitHubClient, type RepoRef, statusOf } from "../transport/client.js";
import { closeIssue } from "./tracking-issue.js";

export const REPORT_ISSUE_TITLE = "POM governance report";
export const REPORT_LABEL = "pom-governance-report";
export const REPORT_MARKER = "<!-- pom-governance:report -->";
const HASH_MARKER = /<!-- pom-governance:report-hash:([0-9a-f]+) -->/;
/** Room for the markers and the footer within GitHub's 65,536 characters. */
const BODY_LIMIT = 65_000;

export type ReportIssueAction = "opened" | "reopened" | "updated" | "unchanged";

export interface ReportIssueResult {
  action: ReportIssueAction;
  number: number;
  /** Why the issue could not be pinned, when it could not (it is kept up to date all the same). */
  pinProblem?: string;
}

interface IssueRow {
  number: number;
  node_id: string;
  state: string;
  body?: string | null;
  user?: { type?: string } | null;
  pull_request?: unknown;
}

/** The issue's body for `report`, and the hash of what it says. */
export function reportIssueContent(report: OrgReport): { body: string; hash: string } {
  const markdown = renderReportMarkdown(report, { stable: true, limit: BODY_LIMIT });
  const hash = createHash("sha256").update(markdown).digest("hex").slice(0, 16);
  const body = [
    REPORT_MARKER,
    `<!-- pom-governance:report-hash:${hash} -->`,
    markdown,
    "",
    "<sub>Kept up to date by POM governance after each sweep (org policy `report: issue`): edited when the figures change. Do not edit it by hand; set `report: off` to stop it.</sub>",
  ].join("\n");
  return { body, hash };
}

const oneAtATime = createSerialiser();

/**
 * Opens, edits or reopens the report issue of `report.org` to match `report`.
 *
 * @example await syncReportIssue(client, report) // { action: "unchanged", number: 7 }
 */
export function syncReportIssue(
  client: GitHubClient,
  report: OrgReport,
  /** The issue kept last time (from the report store), looked at first. */
  known?: number,
  /** One at a time across processes too (replicas sharing Redis). */
  across?: Serialise,
): Promise<ReportIssueResult> {
  if (!report.org) throw new Error("the report issue needs the report's org");
  const repo = { owner: report.org, repo: POLICY_REPO };
  const task = () => sync(client, repo, report, known);
  const key = report.org.toLowerCase();
  return inTurn(oneAtATime, across, "report", key, task);
}

/**
 * Closes the report issue kept last time, once the org policy no longer asks for it (`report:
 * off`, or no policy): figures left standing would go stale.
 *
 * @example await retireReportIssue(client, "acme", 7) // "closed"
 */
export function retireReportIssue(
  client: GitHubClient,
  org: string,
  known: number,
  across?: Serialise,
): Promise<"closed" | "none"> {
  const repo = { owner: org, repo: POLICY_REPO };
  const task = async () => {
    const issue = await readOurs(client, repo, known);
    if (issue?.state !== "open") return "none" as const;
    await closeIssue(client, repo, known, "not_planned");
    return "closed" as const;
  };
  const key = org.toLowerCase();
  return inTurn(oneAtATime, across, "report", key, task);
}

/** Whether the app opened `issue`: a bot's, with the marker (a person who copies it is left alone). */
const isOurs = (issue: IssueRow) =>
  !issue.pull_request && issue.user?.type === "Bot" && (issue.body?.includes(REPORT_MARKER) ?? false);

/** Issue `number` when it is still the app's report issue (not deleted, transferred or replaced). */
async function readOurs(client: GitHubClient, repo: RepoRef, number: number): Promise<IssueRow | undefined> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: number,
    });
    const issue = data as IssueRow;
    return isOurs(issue) ? issue : undefined;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

async function findReportIssues(client: GitHubClient, repo: RepoRef): Promise<IssueRow[]> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/issues", {
    owner: repo.owner,
    repo: repo.repo,
    labels: REPORT_LABEL,
    state: "all",
    sort: "created",
    direction: "asc",
    per_page: 100,
  });
  return (data as IssueRow[]).filter(isOurs).sort((a, b) => a.number - b.number);
}

async function sync(
  client: GitHubClient,
  repo: RepoRef,
  report: OrgReport,
  known: number | undefined,
): Promise<ReportIssueResult> {
  const { body, hash } = reportIssueContent(report);
  // The issue kept last time, even if someone took its label off; else a search by label.
  let current = known === undefined ? undefined : await readOurs(client, repo, known);
  if (!current) {
    const found = await findReportIssues(client, repo);
    // The one people have been following: the oldest open one, else the oldest closed one.
    current = found.find((i) => i.state === "open") ?? found[0];
    for (const extra of found) {
      if (extra !== current && extra.state === "open")
        await closeIssue(client, repo, extra.number, "not_planned");
    }
  }
  if (!current) {
    const { data } = await client.request("POST /repos/{owner}/{repo}/issues", {
      owner: repo.owner,
      repo: repo.repo,
      title: REPORT_ISSUE_TITLE,
      body,
      labels: [REPORT_LABEL],
    });
    const created = data as IssueRow;
    return withPin(client, { action: "opened", number: created.number }, created.node_id);
  }
  const closed = current.state !== "open";
  if (!closed && HASH_MARKER.exec(current.body ?? "")?.[1] === hash)
    return { action: "unchanged", number: current.number };
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: current.number,
    title: REPORT_ISSUE_TITLE,
    body,
    state: "open",
  });
  const result: ReportIssueResult = { action: closed ? "reopened" : "updated", number: current.number };
  // A closed issue may have been unpinned with it: a reopened one is pinned again.
  return closed ? withPin(client, result, current.node_id) : result;
}

/** Pins the issue; a failure (three issues pinned already, say) is reported, not thrown. */
async function withPin(
  client: GitHubClient,
  result: ReportIssueResult,
  nodeId: string,
): Promise<ReportIssueResult> {
  try {
    await client.graphql(
      `mutation($issueId: ID!) { pinIssue(input: { issueId: $issueId }) { issue { number } } }`,
      { issueId: nodeId },
    );
    return result;
  } catch (error) {
    return { ...result, pinProblem: describeError(error) };
  }
}
