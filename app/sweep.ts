/**
 * The scheduled sweep: every installation, every repository (read in GraphQL batches, see
 * github/sweep.ts), repository rules and the tracking issue. One repository's failure is logged
 * and the rest go on; a sweep that starts while another still runs is skipped, so overlapping
 * sweeps never double-write.
 */
import { Cron } from "croner";
import type { Probot } from "probot";
import type { GitHubClient } from "../github/client.js";
import { emptyTally, listAll, type SweepTally, sweepInstallation } from "../github/sweep.js";
import type { Shared } from "./handlers.js";

export const DEFAULT_SWEEP_CRON = "0 6 * * *";

export interface SweepReport extends SweepTally {
  installations: number;
}

/** One sweep over every repository the app is installed on. */
export async function sweep(app: Probot, shared: Shared): Promise<SweepReport> {
  const report: SweepReport = { installations: 0, ...emptyTally() };
  const appClient = (await app.auth()) as unknown as GitHubClient;
  const installations = await listAll<{
    id: number;
    account?: { login?: string } | null;
    repository_selection?: string;
  }>(appClient, "GET /app/installations");
  report.installations = installations.length;
  for (const installation of installations) {
    try {
      const client = (await app.auth(installation.id)) as unknown as GitHubClient;
      await sweepInstallation(
        { client, cache: shared.cache, ...(shared.details ? { details: shared.details } : {}) },
        {
          id: installation.id,
          account: installation.account?.login ?? "",
          selection: installation.repository_selection === "selected" ? "selected" : "all",
        },
        report,
        app.log,
      );
    } catch (error) {
      report.failed++;
      app.log.error(
        { err: error, installation: installation.id },
        "sweep: could not list the installation's repositories",
      );
    }
  }
  return report;
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
