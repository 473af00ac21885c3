/**
 * `npm start`: runs the app with Probot's server. Configuration comes from the environment (see
 * .env.example); without APP_ID and PRIVATE_KEY, Probot serves its setup page to register the app.
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { ProbotOctokit, run } from "probot";
import { fetchOptionsFromEnv, githubFetch } from "../github/http.js";
import pomGovernance from "./index.js";
import { shutdown } from "./lifecycle.js";
import { createLog } from "./log.js";

// Probot reads .env itself, but only once it runs; the settings read here come first. Variables
// already in the environment win over the file.
if (existsSync(".env")) process.loadEnvFile(".env");

// Probot's throttling spaces writes a second apart, as GitHub asks of integrations. It can be
// turned off against a local fake GitHub (tests). `defaults` must use the function form, or
// Probot overwrites the throttle options.
const throttle = process.env.POM_GITHUB_THROTTLE !== "off";
// Every request goes through githubFetch (github/http.ts): bounded in time, retried a bounded
// number of times where that is safe, so that a stalled connection cannot leave a check hanging
// and an outage becomes an `unknown` finding. Probot's own retry plugin would retry on top (also
// writes that may have been carried out), so it is off. Read once: a malformed value stops start-up.
const fetchOptions = fetchOptionsFromEnv(process.env);
type Log = { warn?: (fields: object, message: string) => void };
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  // Which replica asked, for GitHub's logs and ours.
  userAgent: `pom-governance (${hostname()}; pid ${process.pid})`,
  retry: { enabled: false },
  // githubFetch has already waited what GitHub asked for, within its bounds; the throttling
  // plugin may try once more after a short wait, never sit out an hour-long reset.
  throttle: {
    ...(options.throttle as object),
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

const server = await run(pomGovernance, { Octokit, log: await createLog(process.env) });

// Probot stops on SIGINT only; containers send SIGTERM. Stop taking requests, then let the
// sweep finish (or hand back) the jobs in hand and close Redis, then exit.
process.once("SIGTERM", () => {
  server
    .stop()
    .then(() => shutdown())
    .then((failed) => {
      for (const problem of failed) console.error(`shutdown: ${problem}`);
      process.exit(failed.length === 0 ? 0 : 1);
    })
    .catch(() => process.exit(1));
});
