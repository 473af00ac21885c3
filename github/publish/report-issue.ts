/**
 * The organization report as one pinned issue in the account's `.github` repository, for an org
 * policy with `report: issue`: opened and pinned once, edited only when its content changes (a
 * hash in a hidden marker; the body carries no timestamp), reopened if someone closed it, never
 * duplicated, and closed when the policy stops asking for it. Only an issue the app opened (a
 * bot's, with the marker) is ever edited; the number of the one it keeps is remembered with the
 * stored report, so that a removed label does not make it open another. The lifecycle itself is
 * owned-issue.ts's; this file says what the issue says and pins it.
 */
import type { OrgReport } from "../../core/insights/report/build.js";
import { renderReportMarkdown } from "../../core/render/report-markdown.js";
import type { Serialise } from "../../core/util/serial.js";
import { POLICY_REPO } from "../read/config.js";
import { describeError, type GitHubClient } from "../transport/client.js";
import { contentHash, hashMarker } from "./owned.js";
import { type OwnedIssueKind, retireOwnedIssue, syncOwnedIssue } from "./owned-issue.js";

export const REPORT_ISSUE_TITLE = "POM governance report";
export const REPORT_LABEL = "pom-governance-report";
export const REPORT_MARKER = "<!-- pom-governance:report -->";
const HASH_NAME = "report-hash";
/** Room for the markers and the footer within GitHub's 65,536 characters. */
const BODY_LIMIT = 65_000;

/** A person may quote the marker in an issue of the org's `.github` repository: only a bot's counts. */
const REPORT_ISSUE: OwnedIssueKind = {
  marker: REPORT_MARKER,
  hashName: HASH_NAME,
  label: REPORT_LABEL,
  botOnly: true,
  scope: "report",
};

export type ReportIssueAction = "opened" | "reopened" | "updated" | "unchanged";

export interface ReportIssueResult {
  action: ReportIssueAction;
  number: number;
  /** Why the issue could not be pinned, when it could not (it is kept up to date all the same). */
  pinProblem?: string;
}

/** The issue's body for `report`, and the hash of what it says. */
export function reportIssueContent(report: OrgReport): { body: string; hash: string } {
  const markdown = renderReportMarkdown(report, { stable: true, limit: BODY_LIMIT });
  const hash = contentHash(markdown);
  const body = [
    REPORT_MARKER,
    hashMarker(HASH_NAME, hash),
    markdown,
    "",
    "<sub>Kept up to date by POM governance after each sweep (org policy `report: issue`): edited when the figures change. Do not edit it by hand; set `report: off` to stop it.</sub>",
  ].join("\n");
  return { body, hash };
}

/**
 * Opens, edits or reopens the report issue of `report.org` to match `report`, and pins it when it
 * is opened or reopened (a closed issue may have been unpinned with it).
 *
 * @example await syncReportIssue(client, report) // { action: "unchanged", number: 7 }
 */
export async function syncReportIssue(
  client: GitHubClient,
  report: OrgReport,
  /** The issue kept last time (from the report store), looked at first. */
  known?: number,
  /** One at a time across processes too (replicas sharing Redis). */
  across?: Serialise,
): Promise<ReportIssueResult> {
  if (!report.org) throw new Error("the report issue needs the report's org");
  const repo = { owner: report.org, repo: POLICY_REPO };
  const { body, hash } = reportIssueContent(report);
  const goal = { content: { title: REPORT_ISSUE_TITLE, body, hash } };
  const options = { ...(known === undefined ? {} : { known }), ...(across ? { across } : {}) };
  const { action, issue } = await syncOwnedIssue(client, repo, REPORT_ISSUE, goal, options);
  // A goal with content is always met by an open issue: never "closed" or "none".
  if (!issue || action === "closed" || action === "none") throw new Error(`report issue: ${action}`);
  const result: ReportIssueResult = { action, number: issue.number };
  return action === "opened" || action === "reopened" ? withPin(client, result, issue.node_id ?? "") : result;
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
  return retireOwnedIssue(client, { owner: org, repo: POLICY_REPO }, REPORT_ISSUE, known, across);
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
