/**
 * After a sweep of one account: its organization report built from the insights the sweep
 * gathered (with the stored history for the trend lines), kept in the report store, and, when
 * the org policy says `report: issue`, published as the pinned issue in its `.github` repository.
 * The policy is the one the sweep read (in its first batch), so this costs no further read.
 */
import type { Loaded, OrgPolicy } from "../core/manifest.js";
import { buildReport, type OrgReport } from "../core/report/build.js";
import type { RepoInsights } from "../core/report/insights.js";
import type { ReportStore } from "../core/report/store.js";
import { describeError } from "./client.js";
import type { Logger, PipelineDeps } from "./pipeline.js";
import { type ReportIssueResult, syncReportIssue } from "./report-issue.js";

export interface KeptReport {
  report: OrgReport;
  /** What happened to the pinned issue; absent when the policy does not ask for one. */
  issue?: ReportIssueResult;
  /** Why the issue was not synced, when the policy could not be read or GitHub refused. */
  issueProblem?: string;
}

/**
 * Builds, stores and (if asked) publishes the report of `org`.
 *
 * @example await keepOrgReport(deps, store, log, { org: "acme", insights, policy, now, windowDays: 90 })
 */
export async function keepOrgReport(
  deps: PipelineDeps,
  store: ReportStore,
  log: Logger,
  input: {
    org: string;
    insights: readonly RepoInsights[];
    /** The org policy the sweep judged the repositories under. */
    policy: Loaded<OrgPolicy> | null;
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
  });
  await store.save(report);
  const kept: KeptReport = { report };
  const { policy } = input;
  if (policy && !policy.ok)
    kept.issueProblem = "the org policy is not valid (its problems are reported on every repository)";
  else if (policy?.value.report === "issue") {
    try {
      kept.issue = await syncReportIssue(deps.client, report);
    } catch (error) {
      kept.issueProblem = `the report issue could not be published: ${describeError(error)}`;
    }
  }
  if (kept.issueProblem) log.warn({ org: input.org, reason: kept.issueProblem }, "report issue not synced");
  if (kept.issue?.pinProblem)
    log.warn({ org: input.org, reason: kept.issue.pinProblem }, "report issue kept, but not pinned");
  return kept;
}
