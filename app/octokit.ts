/**
 * The Octokit the server's Probot uses: every request through githubFetch (github/transport/http.ts: bounded
 * in time, retried a bounded number of times where that is safe, so that a stalled connection
 * cannot leave a check hanging and an outage becomes an `unknown` finding), Probot's retry plugin
 * off (it would retry on top, also writes that may have been carried out), and Probot's
 * throttling: writes a second apart, as GitHub asks of integrations, clustered through Redis when
 * the replicas share one (see redis/throttle.ts); it can be turned off against a local fake GitHub
 * (POM_GITHUB_THROTTLE=off, tests). Content-creating requests wait for their installation's
 * pacer first (pacing.ts: GitHub's limits of 80 a minute and 500 an hour), outside the throttle.
 * `defaults` must use the function form, or Probot overwrites the throttle options.
 */
import { hostname } from "node:os";
import type { Logger } from "pino";
import { ProbotOctokit } from "probot";
import { fetchOptionsFromEnv, githubFetch } from "../github/transport/http.js";
import type { Pacer } from "../github/transport/pacer.js";
import { pacing } from "../github/transport/pacing.js";
import { onShutdown } from "./lifecycle.js";
import { serverPacer } from "./pacing.js";
import { redisSettings } from "./redis/connection.js";
import { clusteredThrottle } from "./redis/throttle.js";

type Log = { warn?: (fields: object, message: string) => void };

/**
 * The Octokit class for `env`. A malformed setting stops start-up. `pacer` replaces the one `env`
 * sets up (tests and the benchmark bring one with a virtual clock).
 */
export function serverOctokit(
  env: NodeJS.ProcessEnv,
  log: Logger,
  pacer: Pacer | undefined = serverPacer(env, log),
): typeof ProbotOctokit {
  const throttle = env.POM_GITHUB_THROTTLE !== "off";
  const fetchOptions = fetchOptionsFromEnv(env);
  const redis = redisSettings(env);
  const clustered =
    throttle && redis
      ? clusteredThrottle(
          redis,
          (error) => log.warn({ err: error }, "redis: the shared throttle failed"),
          (local) =>
            local
              ? log.warn(
                  "redis is away: GitHub requests are throttled by this replica alone until it is back",
                )
              : log.info("redis is back: GitHub requests are throttled across replicas again"),
        )
      : undefined;
  if (clustered) onShutdown("throttle connection", () => clustered.close());
  // The pacing plugin comes after Probot's: its hook runs first, before the throttle and the token.
  const Base = (pacer ? ProbotOctokit.plugin(pacing(pacer)) : ProbotOctokit) as typeof ProbotOctokit;
  return Base.defaults((options: Record<string, unknown>) => ({
    ...options,
    // Which replica asked, for GitHub's logs and ours.
    userAgent: `pom-governance (${hostname()}; pid ${process.pid})`,
    retry: { enabled: false },
    // githubFetch has already waited what GitHub asked for, within its bounds; the throttling
    // plugin may try once more after a short wait, never sit out an hour-long reset.
    throttle: {
      ...(options.throttle as object),
      ...(clustered?.options ?? {}),
      enabled: throttle,
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryAfter <= 60 && retryCount < 1,
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryAfter <= 60 && retryCount < 1,
    },
    request: {
      ...(options.request as object),
      fetch: githubFetch({
        ...fetchOptions,
        onRetry: (notice) => (options.log as Log | undefined)?.warn?.(notice, "retrying a GitHub request"),
      }),
    },
  }));
}
