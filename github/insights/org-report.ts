/**
 * After a sweep of one account: its organization report built from the insights the sweep
 * gathered (with the stored history for the trend lines), kept in the report store, and, when
 * the org policy says `report: issue`, published as the pinned issue in its `.github` repository.
 * The policy is the one the sweep read (in its first batch), so this costs no further read.
 */

import { buildReport, type OrgReport } from "../../core/insights/report/build.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import type { ReportStore } from "../../core/insights/report/store.js";
import type { TeamHistory } from "../../core/insights/teams/history.js";
import type { Loaded, OrgPolicy } from "../../core/manifest/manifest.js";
import type { Logger, PipelineDeps } from "../flows/deps.js";
import { type ReportIssueResult, retireReportIssue, syncReportIssue } from "../publish/report-issue.js";
import { describeError } from "../transport/client.js";

/**
 * What the org policy says of the report issue: "unknown" when it is not valid, "keep" when there
 * was nothing to go by (no repository judged); in both cases the issue is left as it is.
 */
export type IssueWish = "issue" | "off" | "unknown" | "keep";

/** The report issue `policy` asks for (no policy: none). */
export function issueWish(policy: Loaded<OrgPolicy> | null): IssueWish {
  if (policy && !policy.ok) return "unknown";
  return policy?.value.report === "issue" ? "issue" : "off";
}

export interface KeptReport {
  report: OrgReport;
  /** What happened to the pinned issue; absent when the policy does not ask for one. */
  issue?: ReportIssueResult;
  /** Why the issue was not synced, when the policy could not be read or GitHub refused. */
  issueProblem?: string;
  /** What became of the issue kept before, once the policy no longer asks for one. */
  retired?: "closed" | "none";
}

/**
 * Builds, stores and (if asked) publishes the report of `org`.
 *
 * @example await keepOrgReport(deps, store, log, { org: "acme", insights, issue: issueWish(policy), now, windowDays: 90 })
 */
export async function keepOrgReport(
  deps: PipelineDeps,
  store: ReportStore,
  log: Logger,
  input: {
    org: string;
    insights: readonly RepoInsights[];
    /** What the org policy the repositories were judged under says of the report issue. */
    issue: IssueWish;
    /** Repositories the sweep could not judge. */
    failed?: readonly { repo: string; reason: string }[];
    /** The org policy they were judged under: the team rules' levels and limits. */
    policy?: OrgPolicy | null;
    /** The owning teams' membership history, when one is kept: the durability figures. */
    teamHistory?: TeamHistory;
    now: Date;
    windowDays: number;
  },
): Promise<KeptReport> {
  const previous = await store.latest(input.org);
  const report = buildReport({
    repos: input.insights,
    now: input.now,
    windowDays: input.windowDays,
    org: input.org,
    history: previous?.history ?? [],
    ...(input.failed ? { failed: input.failed } : {}),
    ...(input.policy ? { policy: input.policy } : {}),
    ...(input.teamHistory ? { teamHistory: input.teamHistory } : {}),
  });
  const kept: KeptReport = { report };
  const known = previous?.issue?.number;
  if (input.issue === "unknown" || input.issue === "keep") {
    if (input.issue === "unknown")
      kept.issueProblem = "the org policy is not valid (its problems are reported on every repository)";
    // Nothing is decided about the issue until the policy can be read again.
    if (previous?.issue) report.issue = previous.issue;
  } else if (input.issue === "issue") {
    try {
      kept.issue = await syncReportIssue(deps.client, report, known, deps.across);
      report.issue = { number: kept.issue.number };
    } catch (error) {
      kept.issueProblem = `the report issue could not be published: ${describeError(error)}`;
      if (previous?.issue) report.issue = previous.issue;
    }
  } else if (known !== undefined) {
    try {
      kept.retired = await retireReportIssue(deps.client, input.org, known, deps.across);
    } catch (error) {
      kept.issueProblem = `the report issue the policy no longer asks for could not be closed: ${describeError(error)}`;
      report.issue = { number: known };
    }
  }
  await store.save(report);
  if (kept.issueProblem) log.warn({ org: input.org, reason: kept.issueProblem }, "report issue not synced");
  if (kept.issue?.pinProblem)
    log.warn({ org: input.org, reason: kept.issue.pinProblem }, "report issue kept, but not pinned");
  return kept;
}
