/**
 * Runs the COMMITTED action bundle (`node action/dist/index.cjs`) the way the Actions runner runs a
 * `node24` action: a clean environment with the runner's variables (event name and payload file,
 * repository, workspace, sha, output and summary files, API URLs, RUNNER_TEMP) and one `INPUT_*`
 * variable for every input of action.yml (name upper-cased, hyphens kept: `INPUT_FAIL-ON`), set
 * to its default unless the workflow gives a value. What comes back is what a workflow run would
 * show: the exit code, the step's outputs, its job summary and the workflow commands on stdout.
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Finding } from "../core/engine/types.js";
import type { FakeGitHub, RecordedRequest } from "./fake-github/server.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The committed bundle; POM_ACTION_BUNDLE runs the same tests against another build (an older one, say). */
export const BUNDLE = process.env.POM_ACTION_BUNDLE ?? join(ROOT, "action", "dist", "index.cjs");

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

/** action.yml, parsed. */
export const ACTION = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;

/** The variable the runner passes input `name` in: `INPUT_` + upper case, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/**
 * Every input as the runner sets it: `given` where the workflow gives a value, else the default
 * from action.yml. A default that is an expression (`${{ github.token }}`) is evaluated by the
 * runner, so the test must give that input.
 */
export function inputEnvironment(given: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(given)) {
    if (!(name in ACTION.inputs)) throw new Error(`action.yml has no input "${name}"`);
  }
  for (const [name, spec] of Object.entries(ACTION.inputs)) {
    const value = given[name] ?? spec.default ?? "";
    if (value.includes("${{")) throw new Error(`input ${name} defaults to ${value}: give it a value`);
    env[inputVariable(name)] = value;
  }
  return env;
}

/**
 * An installation access token the fake accepts for `installationId`, registered directly in its
 * state (as if it had issued it). Each run gets its own, so that the requests of runs that share a
 * fake can be told apart by their Authorization header.
 */
export function installationToken(fake: FakeGitHub, installationId: number): string {
  const token = `ghs_action${randomBytes(12).toString("hex")}`;
  fake.state.tokens.set(token, installationId);
  return token;
}

/** A workflow command from stdout: `::error file=…,line=…::message`. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
const unescapeProperty = (s: string) =>
  s
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%25/g, "%");

/** The workflow commands (`::name k=v,…::data`) in a step's stdout, in order. */
export function workflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? "").split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({ command: match[1] ?? "", properties, message: unescapeData(match[3] ?? "") });
  }
  return commands;
}

/**
 * The outputs a step wrote to its GITHUB_OUTPUT file, which @actions/core writes as
 * `name<<DELIMITER\nvalue\nDELIMITER\n`. Anything else in the file is an error.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++] ?? "";
    if (line === "" && i === lines.length) break;
    const head = /^([A-Za-z_][A-Za-z0-9_-]*)<<(\S+)$/.exec(line);
    if (!head) throw new Error(`GITHUB_OUTPUT line ${i} is not "name<<delimiter": ${JSON.stringify(line)}`);
    const [, name = "", delimiter = ""] = head;
    const value: string[] = [];
    for (;;) {
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: ${name} is not closed by ${delimiter}`);
      const next = lines[i++] ?? "";
      if (next === delimiter) break;
      value.push(next);
    }
    if (name in outputs) throw new Error(`GITHUB_OUTPUT sets ${name} twice`);
    outputs[name] = value.join("\n");
  }
  return outputs;
}

export interface RunOptions {
  fake: FakeGitHub;
  /** `owner/name`: GITHUB_REPOSITORY. */
  repository: string;
  /** GITHUB_EVENT_NAME. */
  event: string;
  /** The event payload, written to the file GITHUB_EVENT_PATH names. */
  payload: Record<string, unknown>;
  /** Inputs the workflow gives (`with:`); the rest get action.yml's defaults. `token` is required. */
  inputs: Record<string, string> & { token: string };
  /** GITHUB_SHA (default: the head of the default branch, as for schedule and workflow_dispatch). */
  sha?: string;
  /** Leave GITHUB_STEP_SUMMARY unset (a runner that does not support job summaries). */
  noSummary?: boolean;
  /** More environment variables (a workflow's `env:`). */
  env?: Record<string, string>;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the child process, in ms. */
  ms: number;
  /** The GITHUB_OUTPUT file, parsed. */
  outputs: Record<string, string>;
  /** The job summary file's text, or undefined when GITHUB_STEP_SUMMARY was not set. */
  summary: string | undefined;
  /** The files the step left in its workspace (such as a SARIF file), by path in it. */
  files: Record<string, string>;
  commands: WorkflowCommand[];
  /** `::error` and `::warning` commands. */
  errors: WorkflowCommand[];
  warnings: WorkflowCommand[];
  /** The requests this run made to the fake (told apart by its token). */
  requests: RecordedRequest[];
  /** Everything, for failure messages. */
  describe(): string;
}

function defaultHead(fake: FakeGitHub, repository: string): string {
  const [owner = "", name = ""] = repository.split("/");
  const repo = fake.state.findRepo(owner, name);
  return repo ? fake.state.headSha(repo) : "0".repeat(40);
}

/** Runs the committed bundle once, like one workflow step, and reads back what it left. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const { fake } = options;
  const temp = mkdtempSync(join(tmpdir(), "pom-action-"));
  try {
    const eventPath = join(temp, "event.json");
    const outputPath = join(temp, "output.txt");
    const summaryPath = join(temp, "step-summary.md");
    const runnerTemp = join(temp, "runner-temp");
    const workspace = join(temp, "workspace");
    writeFileSync(eventPath, JSON.stringify(options.payload, null, 2));
    writeFileSync(outputPath, "");
    if (!options.noSummary) writeFileSync(summaryPath, "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      CI: "true",
      GITHUB_ACTIONS: "true",
      RUNNER_OS: "Linux",
      RUNNER_TEMP: runnerTemp,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: options.repository,
      GITHUB_REPOSITORY_OWNER: options.repository.split("/")[0] ?? "",
      GITHUB_SHA: options.sha ?? defaultHead(fake, options.repository),
      GITHUB_RUN_ID: "1",
      GITHUB_ACTION: "pom",
      GITHUB_OUTPUT: outputPath,
      GITHUB_SERVER_URL: fake.url,
      GITHUB_API_URL: `${fake.url}/api/v3`,
      GITHUB_GRAPHQL_URL: `${fake.url}/api/graphql`,
      ...(options.noSummary ? {} : { GITHUB_STEP_SUMMARY: summaryPath }),
      ...inputEnvironment(options.inputs),
      ...options.env,
    };
    for (const dir of [runnerTemp, workspace]) mkdirSync(dir);
    const started = performance.now();
    const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        execFile(
          process.execPath,
          [BUNDLE],
          { cwd: workspace, env, encoding: "utf8", timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (error as { code?: unknown }).code : 0;
            if (error && typeof code !== "number") {
              reject(new Error(`the action did not exit normally: ${error.message}\n${stdout}\n${stderr}`));
              return;
            }
            resolve({ code: code as number, stdout, stderr });
          },
        );
      },
    );
    const ms = performance.now() - started;
    const outputs = parseOutputFile(readFileSync(outputPath, "utf8"));
    const summary = existsSync(summaryPath) ? readFileSync(summaryPath, "utf8") : undefined;
    const files: Record<string, string> = {};
    for (const path of readdirSync(workspace, { recursive: true, encoding: "utf8" })) {
      const full = join(workspace, path);
      if (statSync(full).isFile()) files[path.split("\\").join("/")] = readFileSync(full, "utf8");
    }
    const commands = workflowCommands(child.stdout);
    const auth = `token ${options.inputs.token}`;
    const requests = fake.requests.filter((r) => r.headers.authorization === auth);
    return {
      ...child,
      ms,
      outputs,
      summary,
      files,
      commands,
      errors: commands.filter((c) => c.command === "error"),
      warnings: commands.filter((c) => c.command === "warning"),
      requests,
      describe: () =>
        [
          `exit ${child.code} after ${Math.round(ms)} ms`,
          `--- stdout ---\n${child.stdout}`,
          `--- stderr ---\n${child.stderr}`,
          `--- requests ---\n${requests.map((r) => `${r.status} ${r.method} ${r.path}`).join("\n")}`,
          `--- fake problems ---\n${fake.problems.join("\n")}`,
        ].join("\n"),
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** The findings output, parsed: the engine's documented finding shape. */
export type FindingJson = Finding;

export function findingsOf(run: ActionRun): FindingJson[] {
  const text = run.outputs.findings;
  if (text === undefined) throw new Error(`no findings output\n${run.describe()}`);
  return JSON.parse(text) as FindingJson[];
}

/** The one finding of `rule`; throws when there is not exactly one. */
export function findingOf(run: ActionRun, rule: string): FindingJson {
  const found = findingsOf(run).filter((f) => f.rule === rule);
  if (found.length !== 1)
    throw new Error(`expected one ${rule} finding, got ${found.length}\n${run.describe()}`);
  return found[0] as FindingJson;
}
