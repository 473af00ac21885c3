/**
 * `npm start`: runs the app with Probot's server. Configuration comes from the environment (see
 * .env.example); without APP_ID and PRIVATE_KEY, Probot serves its setup page to register the app.
 */
import { ProbotOctokit, run } from "probot";
import { fetchWithTimeout } from "../github/client.js";
import pomGovernance from "./index.js";

// Probot's throttling spaces writes a second apart, as GitHub asks of integrations. It can be
// turned off against a local fake GitHub (tests). `defaults` must use the function form, or
// Probot overwrites the throttle options.
const throttle = process.env.POM_GITHUB_THROTTLE !== "off";
// A request GitHub does not answer within 30 s is abandoned (and retried by Probot's retry
// plugin), so that a stalled connection cannot leave a check hanging.
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: throttle },
  request: { ...(options.request as object), fetch: fetchWithTimeout(30_000) },
}));

const server = await run(pomGovernance, { Octokit });

// Probot stops on SIGINT only; containers send SIGTERM. Stop taking requests, then exit.
process.once("SIGTERM", () => {
  server
    .stop()
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
});
