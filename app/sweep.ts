/**
 * The scheduled sweep: every installation, every repository (read in GraphQL batches, see
 * github/flows/sweep.ts), repository rules and the tracking issue; then each account's organization
 * report, kept in the report store for the dashboard (and published as a pinned issue when the
 * org policy asks). One repository's failure is logged and the rest go on; a sweep that starts
 * while another still runs is skipped, so overlapping sweeps never double-write.
 */
import { Cron } from "croner";
import type { Probot } from "probot";
import { DEFAULT_WINDOW_DAYS } from "../core/insights/metrics/index.js";
import { recordSweep } from "../core/insights/teams/history.js";
import type { PipelineDeps } from "../github/flows/deps.js";
import { emptyTally, type SweepTally } from "../github/flows/sweep.js";
import { type PlannedInstallation, planSweep } from "../github/flows/sweep-plan.js";
import { type GatheredInsights, gatherInsights } from "../github/insights/org-insights.js";
import { issueWish, keepOrgReport } from "../github/insights/org-report.js";
import type { GitHubClient } from "../github/transport/client.js";
import { pipelineDeps, type Shared } from "./shared.js";

export const DEFAULT_SWEEP_CRON = "0 6 * * *";

export interface SweepReport extends SweepTally {
  installations: number;
  /** Organization reports kept (one per account whose repositories could be listed). */
  reports: number;
}

/** One sweep over every repository the app is installed on. */
export async function sweep(app: Probot, shared: Shared): Promise<SweepReport> {
  const report: SweepReport = { installations: 0, reports: 0, ...emptyTally() };
  const appClient = (await app.auth()) as unknown as GitHubClient;
  const installations = await planSweep(appClient);
  report.installations = installations.length;
  for (const installation of installations) await sweepAccount(app, shared, installation, report);
  return report;
}

/**
 * Sweeps one installation now (its org policy changed): its repositories and their open pull
 * requests judged again, its report kept. A failure is logged; the scheduled sweep remains.
 */
export async function sweepInstallationNow(
  app: Probot,
  shared: Shared,
  installationId: number,
): Promise<void> {
  try {
    const installations = await planSweep((await app.auth()) as unknown as GitHubClient);
    const installation = installations.find((i) => i.id === installationId);
    if (!installation) return;
    const report: SweepReport = { installations: 1, reports: 0, ...emptyTally() };
    await sweepAccount(app, shared, installation, report);
    app.log.info(report, "installation swept after its org policy changed");
  } catch (error) {
    app.log.error({ err: error, installation: installationId }, "sweep: the installation could not be swept");
  }
}

/** One installation: its repositories judged and measured, then its organization report kept. */
async function sweepAccount(
  app: Probot,
  shared: Shared,
  installation: PlannedInstallation,
  report: SweepReport,
): Promise<void> {
  const org = installation.account;
  const now = new Date();
  let deps: PipelineDeps;
  let gathered: GatheredInsights;
  try {
    const client = (await app.auth(installation.id)) as unknown as GitHubClient;
    deps = pipelineDeps(shared, client, now);
    const kept = (await shared.store.latest(org))?.issue?.number;
    gathered = await gatherInsights(
      deps,
      installation,
      app.log,
      {
        now,
        windowDays: DEFAULT_WINDOW_DAYS,
        pulls: shared.appId !== undefined ? { appId: shared.appId } : {},
        ...(kept !== undefined ? { teamReport: reportIssueAddress(org, kept) } : {}),
      },
      report,
    );
  } catch (error) {
    report.failed++;
    app.log.error(
      { err: error, installation: installation.id },
      "sweep: the installation could not be swept (its token or its list of repositories could not be had)",
    );
    return;
  }
  const teams = gathered.teams;
  // The history with this sweep's snapshot (or as webhooks left it, when the teams were not read).
  const teamHistory = shared.teams
    ? await (teams
        ? shared.teams.update(org, (h) => recordSweep(h, now, teams.teams, teams.unlisted))
        : shared.teams.load(org)
      ).catch((error) => {
        app.log.error({ err: error, org }, "sweep: the team history could not be kept");
        return undefined;
      })
    : undefined;
  try {
    const kept = await keepOrgReport(deps, shared.store, app.log, {
      org,
      insights: gathered.insights,
      issue: issueWish(gathered.policy),
      policy: gathered.policy?.ok ? gathered.policy.value : null,
      failed: gathered.failed,
      ...(teamHistory ? { teamHistory } : {}),
      now,
      windowDays: DEFAULT_WINDOW_DAYS,
    });
    report.reports++;
    app.log.info(
      {
        org,
        repos: kept.report.repos.length,
        failed: kept.report.failed.length,
        ...(kept.issue ? { issue: kept.issue } : {}),
        ...(kept.retired ? { retired: kept.retired } : {}),
      },
      "organization report kept",
    );
  } catch (error) {
    app.log.error({ err: error, org }, "sweep: the organization report could not be kept");
  }
}

/** A guard so that one sweep runs at a time. */
export function exclusive<T>(task: () => Promise<T>): () => Promise<T | undefined> {
  let running = false;
  return async () => {
    if (running) return undefined;
    running = true;
    try {
      return await task();
    } finally {
      running = false;
    }
  };
}

/** Starts the cron schedule unless `expression` is "off"; returns a stop function. */
export function scheduleSweeps(app: Probot, shared: Shared, expression: string | undefined): () => void {
  const cron = (expression ?? DEFAULT_SWEEP_CRON).trim();
  if (cron === "off") {
    app.log.info("sweeps are off (POM_SWEEP_CRON=off)");
    return () => {};
  }
  const once = exclusive(async () => {
    const report = await sweep(app, shared);
    app.log.info(report, "sweep finished");
    return report;
  });
  const job = new Cron(
    cron,
    { timezone: "UTC", protect: true, catch: (error) => app.log.error({ err: error }, "sweep failed") },
    async () => {
      const report = await once();
      if (!report) app.log.warn("a sweep is still running; this one is skipped");
    },
  );
  app.log.info({ cron, next: job.nextRun()?.toISOString() }, "sweeps scheduled");
  return () => job.stop();
}

/** The web address of the report issue `number` in `org`'s `.github` repository (GHE_HOST, or github.com). */
function reportIssueAddress(org: string, number: number): string {
  const host = process.env.GHE_HOST;
  const web = host ? `${process.env.GHE_PROTOCOL ?? "https"}://${host}` : "https://github.com";
  return `${web}/${encodeURIComponent(org)}/.github/issues/${number}`;
}
