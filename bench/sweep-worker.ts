/**
 * The sweep under measurement, in a process of its own (forked by bench/sweep.ts, so that the fake
 * GitHub's work and the sweep's do not share one thread): the app's own `sweep` over every
 * installation, with Probot configured as the server configures it, against the fake at
 * POM_BENCH_FAKE_URL. The parent asks for one sweep at a time over IPC, and reads the fake's
 * counters in between:
 *
 *   parent -> { sweep: "cached" | "uncached" }   child -> { report, ms, cpuMs, rssMiB }
 *
 * "cached" reuses one file cache across sweeps (the app's behaviour); "uncached" is the naive
 * baseline, a cache that never finds anything.
 */
import { Probot, ProbotOctokit } from "probot";
import { sweep } from "../app/sweep.js";
import { FileCache } from "../github/file-cache.js";
import type { PullRequestDetails } from "../github/pull-request-facts.js";

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
const cached = { cache: new FileCache(), details: new Map<string, PullRequestDetails>() };

process.on("message", (message: { sweep?: "cached" | "uncached"; exit?: boolean }) => {
  if (message.exit) process.exit(0);
  const shared =
    message.sweep === "uncached"
      ? { cache: new NoFileCache(), details: new Map<string, PullRequestDetails>() }
      : cached;
  const cpu = process.cpuUsage();
  const started = performance.now();
  sweep(probot, shared).then(
    (report) => {
      const used = process.cpuUsage(cpu);
      process.send?.({
        report,
        ms: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        rssMiB: process.memoryUsage.rss() / 2 ** 20,
        cacheSize: shared.cache.size,
      });
    },
    (error: unknown) => process.send?.({ error: String((error as Error)?.stack ?? error) }),
  );
});
process.send?.({ ready: true });
