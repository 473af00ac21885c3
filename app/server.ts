/**
 * `npm start`: runs the app with Probot's server. Configuration comes from the environment (see
 * .env.example); without APP_ID and PRIVATE_KEY, Probot serves its setup page to register the app.
 */
import { ProbotOctokit, run } from "probot";
import pomGovernance from "./index.js";

// Probot's throttling spaces writes a second apart, as GitHub asks of integrations. It can be
// turned off against a local fake GitHub (tests); see Pitfall: `defaults` must use the function form.
const throttle = process.env.POM_GITHUB_THROTTLE !== "off";
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: throttle },
}));

await run(pomGovernance, { Octokit });
