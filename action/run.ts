/**
 * The action: the runner's inputs and event in, the shared pipeline of github/ run, its verdict
 * reported as a job summary, annotations, outputs, a SARIF file (repository modes) and the step's
 * exit status.
 *
 * Start-up is part of the design budget (a pull request check within 2× a trivial Node action):
 * this module loads only what every mode needs, each mode's flow is imported when it runs
 * (govern.ts), and so are the reporting and the SARIF writer, after the verdict is in. Requests go
 * through `wholeFetch` (node:http) rather than Node's fetch, whose undici costs more to load than
 * the rest of a pull request check (docs/performance.md).
 */
import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { Octokit } from "@octokit/core";
import { blocks, FAIL_ON, type FailOn } from "../core/engine/verdict.js";
import { MANIFEST_PATHS } from "../core/manifest/paths.js";
import type { PipelineDeps } from "../github/flows/deps.js";
import { describeError, type RepoRef, statusOf } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import { fetchOptionsFromEnv, githubFetch } from "../github/transport/http.js";
import { wholeFetch } from "../github/transport/whole-fetch.js";
import { type Governed, governMode } from "./govern.js";
import { MODE_INPUTS, type Mode, modeFor } from "./mode.js";

/** Reads a choice input, refusing anything else with a clear message. */
function choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name).trim() || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`input ${name} must be one of ${allowed.join(", ")}; got "${value}"`);
  }
  return value as T;
}

function repository(): RepoRef {
  const [owner = "", repo = ""] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo)
    throw new Error("GITHUB_REPOSITORY is not set (owner/repo); is this running in GitHub Actions?");
  return { owner, repo };
}

function readEvent(): Record<string, unknown> {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return {};
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** The modes whose findings are the repository's, which a SARIF file carries (pull requests get check runs). */
const SARIF_MODES: ReadonlySet<Mode> = new Set(["repo", "sweep"]);

/**
 * One debug line per request: method, URL, status and time. Every non-2xx answer goes there too,
 * also the 404s and 304s the checks expect (no org policy, no CODEOWNERS in one of its places, an
 * unchanged file): what matters becomes a finding.
 */
function logRequests(octokit: Octokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    const started = Date.now();
    const { method, url } = octokit.request.endpoint.parse(options);
    const done = (status: number | string) =>
      core.debug(`${method} ${url} - ${status} in ${Date.now() - started}ms`);
    try {
      const response = await request(options);
      done(response.status);
      return response;
    } catch (error) {
      done(statusOf(error) ?? describeError(error));
      throw error;
    }
  });
}

function client(token: string): Octokit {
  const octokit = new Octokit({
    auth: token,
    baseUrl: process.env.GITHUB_API_URL ?? "https://api.github.com",
    userAgent: "pom-governance-action",
    request: { fetch: githubFetch({ ...fetchOptionsFromEnv(process.env), fetch: wholeFetch }) },
    log: {
      debug: (message: string) => core.debug(message),
      info: (message: string) => core.debug(message),
      warn: (message: string) => core.info(message),
      error: (message: string) => core.debug(message),
    },
  });
  logRequests(octokit);
  return octokit;
}

/** Runs the action; resolves with the exit code it set. */
export async function run(): Promise<number> {
  try {
    const token = core.getInput("token", { required: true });
    const failOn = choice<FailOn>("fail-on", FAIL_ON, "error");
    const modeInput = choice("mode", MODE_INPUTS, "auto");
    const eventName = process.env.GITHUB_EVENT_NAME ?? "";
    const mode = modeFor(modeInput, eventName);
    if (!mode) throw new Error(`cannot tell what to check for the event "${eventName}"; set the mode input`);
    const manifest = core.getInput("manifest").trim() || MANIFEST_PATHS[0];
    const checkRun = core.getBooleanInput("check-run");
    const sarif = core.getInput("sarif").trim();
    const repo = repository();
    const deps: PipelineDeps = {
      client: client(token),
      cache: new FileCache(),
      // The action run's one clock: every judgement of this run reads it.
      now: new Date(),
      manifestPaths: manifest === MANIFEST_PATHS[0] ? MANIFEST_PATHS : [manifest],
    };
    const event = readEvent();
    let governed: Governed;
    let unpublished: string | undefined;
    try {
      governed = await governMode(mode, deps, repo, event, checkRun);
    } catch (error) {
      // The verdict still reaches the summary, annotations, outputs and exit status without the
      // check run: a token that may not write checks (a fork's pull request, 403) only warns; any
      // other failure to publish fails the step after the report, with GitHub's reason.
      if (!checkRun) throw error;
      core.warning(
        `the check run could not be published (${describeError(error)}); reporting in the job only`,
      );
      governed = await governMode(mode, deps, repo, event, false);
      if (statusOf(error) !== 403) unpublished = describeError(error);
    }
    const { result } = governed;
    if (sarif && !SARIF_MODES.has(mode)) {
      core.notice(
        `POM governance: no SARIF file in mode ${mode}: it carries the repository's findings (push and sweep modes)`,
      );
    }
    if (result.skipped && governed.governed) {
      core.notice(`POM governance: nothing to check (${result.skipped})`);
      core.setOutput("conclusion", "success");
      core.setOutput("findings", "[]");
      return 0;
    }
    if (!result.evaluation) {
      const message = `${repo.owner}/${repo.repo} has no ${manifest} and its organization no pom-policy.yml: nothing to govern`;
      core.setOutput("conclusion", "failure");
      core.setOutput("findings", "[]");
      if (failOn === "never") core.warning(message);
      else core.setFailed(`${message}. Add a manifest (\`npx pom init\`) or remove this step.`);
      return failOn === "never" ? 0 : 1;
    }
    const { evaluation } = result;
    const failing = blocks(evaluation.findings, failOn);
    const { report } = await import("./report.js");
    report(evaluation, `POM governance (${mode.replace("_", " ")}): ${evaluation.conclusion}`, { failing });
    if (sarif && SARIF_MODES.has(mode)) {
      const { writeSarif } = await import("./sarif.js");
      const written = writeSarif(sarif, evaluation, manifest);
      core.info(`POM governance: wrote ${written.results} SARIF result(s) to ${sarif}`);
    }
    core.info(
      `POM governance: ${evaluation.conclusion} (${evaluation.findings.length} findings, mode ${mode})`,
    );
    if (failing) {
      core.setFailed(`POM governance: rules failed at the fail-on level "${failOn}"; see the job summary`);
      return 1;
    }
    if (unpublished) {
      core.setFailed(`POM governance: the check run could not be published: ${unpublished}`);
      return 1;
    }
    return 0;
  } catch (error) {
    // GitHub's answers in words; anything else (a bad input, a missing event) as it was said.
    const reason =
      statusOf(error) !== undefined ? describeError(error) : ((error as Error).message ?? String(error));
    core.setFailed(`POM governance could not run: ${reason}`);
    return 1;
  }
}
