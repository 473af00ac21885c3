/**
 * The `report` job of a distributed sweep: once every repository job of an installation is done,
 * its organization report from their results, and the run's snapshot of the owning teams for the
 * membership history.
 */
import type { Job } from "bullmq";
import { DEFAULT_WINDOW_DAYS } from "../../core/insights/metrics/index.js";
import { productRows } from "../../core/insights/report/insights.js";
import { mergeBatchTeams } from "../../core/insights/teams/batch-snapshot.js";
import { recordSweep } from "../../core/insights/teams/history.js";
import { type IssueWish, keepOrgReport } from "../../github/insights/org-report.js";
import { type RepoJobResult, type ReportJobData, repoOfKey } from "./jobs.js";
import { depsFor, type ProcessorDeps } from "./processors.js";

/**
 * What the repositories' policy says of the report issue: the account's repositories are judged
 * under one policy, so they agree unless it changed during the run (then most of them win). With
 * no repository judged there is nothing to go by, and the issue is left as it is.
 */
function agreedWish(values: readonly RepoJobResult[]): IssueWish {
  const votes = new Map<IssueWish, number>();
  for (const v of values) votes.set(v.issue, (votes.get(v.issue) ?? 0) + 1);
  const [best] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  return best?.[0] ?? "keep";
}

/** A `report` job: the installation's report from its repositories' results. */
export async function keepReport(deps: ProcessorDeps, job: Job<ReportJobData>) {
  const { runId, installationId, account } = job.data;
  const values = Object.values(await job.getChildrenValues<RepoJobResult>());
  const failures = await job.getIgnoredChildrenFailures();
  const failed = Object.entries(failures).map(([key, reason]) => ({ repo: repoOfKey(key, runId), reason }));
  const issue = agreedWish(values);
  const policy = values.find((v) => v.teams)?.teams ?? null;
  const now = new Date();
  const insights = values.flatMap((v) => (v.insights ? [v.insights] : []));
  // The run's snapshot of the owning teams: the teams every batch read, the trio as one process
  // takes it. No batch read the teams (all failed): the history is left as the webhooks keep it.
  const batches = values.flatMap((v) => (v.owningTeams ? [v.owningTeams] : []));
  // A repository with products: each product's team, with its trio.
  const snapshot = batches.length > 0 ? mergeBatchTeams(batches, insights.flatMap(productRows)) : undefined;
  const store = deps.shared.teams;
  const teamHistory = await (store && snapshot
    ? store.update(account, (h) => recordSweep(h, now, snapshot.teams, snapshot.unlisted))
    : store?.load(account)
  )?.catch((error: unknown) => {
    deps.app.log.error({ err: error, org: account }, "sweep: the team history could not be kept");
    return undefined;
  });
  const kept = await keepOrgReport(
    await depsFor(deps, installationId, now),
    deps.shared.store,
    deps.app.log,
    {
      org: account,
      insights,
      issue,
      policy,
      failed,
      ...(teamHistory ? { teamHistory } : {}),
      now,
      windowDays: DEFAULT_WINDOW_DAYS,
    },
  );
  const summary = {
    runId,
    org: account,
    repos: kept.report.repos.length,
    skipped: values.filter((v) => !v.insights).length,
    failed: failed.length,
    ...(kept.issue ? { issue: kept.issue.action } : {}),
  };
  deps.app.log.info(summary, "organization report kept");
  return summary;
}
