/**
 * The scheduled sweep: every installation, every repository, repository rules and the tracking
 * issue. Bounded concurrency; one repository's failure is logged and the rest go on; a sweep that
 * starts while another still runs is skipped, so overlapping sweeps never double-write.
 */
import { Cron } from "croner";
import type { Probot } from "probot";
import type { GitHubClient } from "../github/client.js";
import { governRepository } from "../github/govern.js";
import type { Shared } from "./handlers.js";

export const DEFAULT_SWEEP_CRON = "0 6 * * *";
const CONCURRENCY = 4;

export interface SweepReport {
  installations: number;
  repositories: number;
  governed: number;
  skipped: number;
  failed: number;
  tracking: Record<string, number>;
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function listAll<T>(client: GitHubClient, route: string, key: string | undefined): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data } = await client.request(route as "GET /app/installations", { per_page: 100, page });
    const rows = (key ? (data as unknown as Record<string, T[]>)[key] : (data as unknown as T[])) ?? [];
    all.push(...rows);
    if (rows.length < 100) break;
  }
  return all;
}

/** One sweep over every repository the app is installed on. */
export async function sweep(app: Probot, shared: Shared): Promise<SweepReport> {
  const report: SweepReport = {
    installations: 0,
    repositories: 0,
    governed: 0,
    skipped: 0,
    failed: 0,
    tracking: {},
  };
  const appClient = (await app.auth()) as unknown as GitHubClient;
  const installations = await listAll<{ id: number; account?: { login?: string } | null }>(
    appClient,
    "GET /app/installations",
    undefined,
  );
  report.installations = installations.length;
  for (const installation of installations) {
    let client: GitHubClient;
    let repos: { name: string; owner: { login: string }; archived?: boolean }[];
    try {
      client = (await app.auth(installation.id)) as unknown as GitHubClient;
      repos = await listAll(client, "GET /installation/repositories", "repositories");
    } catch (error) {
      report.failed++;
      app.log.error(
        { err: error, installation: installation.id },
        "sweep: could not list the installation's repositories",
      );
      continue;
    }
    const active = repos.filter((r) => !r.archived);
    report.repositories += active.length;
    await forEachLimited(active, CONCURRENCY, async (r) => {
      const repo = { owner: r.owner.login, repo: r.name };
      try {
        const result = await governRepository(
          { client, cache: shared.cache, ...(shared.details ? { details: shared.details } : {}) },
          repo,
          { tracking: true },
        );
        if (result.skipped) report.skipped++;
        else report.governed++;
        if (result.tracking) report.tracking[result.tracking] = (report.tracking[result.tracking] ?? 0) + 1;
      } catch (error) {
        report.failed++;
        app.log.error(
          { err: error, repo: `${repo.owner}/${repo.repo}` },
          "sweep: a repository failed; the sweep goes on",
        );
      }
    });
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
