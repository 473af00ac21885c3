/**
 * The sweep under measurement, in a process of its own (forked by bench/sweep.ts, so that the fake
 * GitHub's work and the sweep's do not share one thread): the app's own `sweep` over every
 * installation, with Probot configured as the server configures it, against the fake at
 * POM_BENCH_FAKE_URL. The parent asks for one sweep at a time over IPC, and reads the fake's
 * counters in between:
 *
 *   parent -> { sweep: "cached" | "uncached" }   child -> { report, ms, cpuMs, rssMiB }
 *
 * "cached" runs the app's sweep (GraphQL batches) with one file cache across sweeps (the app's
 * behaviour); "uncached" is the naive baseline: every repository judged on its own over REST, as
 * a push or release event judges it, with a file cache that never finds anything.
 */
import { Probot, ProbotOctokit } from "probot";
import { type SweepReport, sweep } from "../app/sweep.js";
import { forEachLimited } from "../core/util/limited.js";
import { governRepository } from "../github/flows/govern.js";
import { emptyTally, SWEEP_CONCURRENCY } from "../github/flows/sweep.js";
import { installationRepositories, planSweep } from "../github/flows/sweep-plan.js";
import type { PullRequestDetails } from "../github/read/pull-request-facts.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import { MemoryReportStore } from "../testkit/memory-store.js";

class NoFileCache extends FileCache {
  override get(): undefined {
    return undefined;
  }
}

const url = process.env.POM_BENCH_FAKE_URL ?? "";
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
}));
const probot = new Probot({
  appId: 1,
  privateKey: process.env.POM_BENCH_PRIVATE_KEY ?? "",
  baseUrl: `${url}/api/v3`,
  Octokit,
  logLevel: "warn",
});
const cached = {
  cache: new FileCache(),
  details: new Map<string, PullRequestDetails>(),
  store: new MemoryReportStore(),
};

/** The naive sweep: per installation, the REST listing, then every repository on its own. */
async function naiveSweep(): Promise<SweepReport> {
  const report: SweepReport = { installations: 0, reports: 0, ...emptyTally() };
  const cache = new NoFileCache();
  const installations = await planSweep((await probot.auth()) as unknown as GitHubClient);
  report.installations = installations.length;
  for (const { id } of installations) {
    const client = (await probot.auth(id)) as unknown as GitHubClient;
    const repos = await installationRepositories(client);
    const active = repos.filter((r) => !r.archived);
    report.repositories += active.length;
    await forEachLimited(active, SWEEP_CONCURRENCY, async (r) => {
      const result = await governRepository(
        { client, cache, now: new Date() },
        { owner: r.owner, repo: r.name },
      );
      if (result.skipped) report.skipped++;
      else report.governed++;
      if (result.tracking) report.tracking[result.tracking] = (report.tracking[result.tracking] ?? 0) + 1;
    });
  }
  return report;
}

process.on("message", (message: { sweep?: "cached" | "uncached"; exit?: boolean }) => {
  if (message.exit) process.exit(0);
  const cpu = process.cpuUsage();
  const started = performance.now();
  (message.sweep === "uncached" ? naiveSweep() : sweep(probot, cached)).then(
    (report) => {
      const used = process.cpuUsage(cpu);
      process.send?.({
        report,
        ms: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        rssMiB: process.memoryUsage.rss() / 2 ** 20,
        cacheSize: cached.cache.size,
      });
    },
    (error: unknown) => process.send?.({ error: String((error as Error)?.stack ?? error) }),
  );
});
process.send?.({ ready: true });
