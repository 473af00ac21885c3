/**
 * `npm start`: runs the app with Probot's server. Configuration comes from the environment (see
 * .env.example); without APP_ID and PRIVATE_KEY, Probot serves its setup page to register the app.
 */
import { existsSync } from "node:fs";
import { run } from "probot";
import pomGovernance from "./index.js";
import { stopOnSignal } from "./lifecycle.js";
import { createLog } from "./log.js";
import { serverOctokit } from "./octokit.js";
import { serverTimeouts, setServerTimeouts } from "./server-timeouts.js";

// Probot reads .env itself, but only once it runs; the settings read here come first. Variables
// already in the environment win over the file.
if (existsSync(".env")) process.loadEnvFile(".env");

const log = await createLog(process.env);
const confirmTimeouts = setServerTimeouts(serverTimeouts(process.env), log);
const Octokit = serverOctokit(process.env, log);
// Probot would open a throttle connection of its own for REDIS_URL; serverOctokit brings one.
const { REDIS_URL: _redis, ...probotEnv } = process.env;
const server = await run(pomGovernance, { Octokit, log, env: probotEnv });
confirmTimeouts();

stopOnSignal("SIGTERM", server, log);
