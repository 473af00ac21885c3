/**
 * Runs the real, built `pom` command (`node bin/pom.js`) as a child process, and makes sure that
 * dist/ is built from the current sources first. `npm test` builds before vitest, so there the
 * check below finds dist/ fresh and costs a few stat calls.
 */

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Finding } from "../../core/engine/types.js";
import { ensureBuilt as buildIfStale } from "../../testkit/build.js";
import { type GitRepo, gitEnv, type TempRoot } from "../helpers/git-repo.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = join(ROOT, "bin", "pom.js");
const ENTRY = join(ROOT, "dist", "cli", "index.js");

/** The one clock of the CLI tests: a Monday noon, UTC. */
export const NOW = new Date("2026-06-15T12:00:00.000Z");
export const NOW_ISO = NOW.toISOString();
export const DAY = 86_400_000;

/** The time `days` days before {@link NOW}. */
export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY);
}

/** Builds dist/ when it is missing or older than a source (see testkit/build.ts). */
export function ensureBuilt(): void {
  buildIfStale(ENTRY);
}

export interface PomResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** With `measureMemory`: the process's peak resident set size, in KiB, as it exited. */
  maxRssKb?: number;
}

/** Loaded before `pom`: writes its peak RSS to the file named by POM_TEST_RSS_FILE as it exits. */
const MEASURE_MEMORY =
  "data:text/javascript,import{writeFileSync}from'node:fs';" +
  "process.on('exit',()=>writeFileSync(process.env.POM_TEST_RSS_FILE,String(process.resourceUsage().maxRSS)))";

export interface PomOptions {
  cwd: string;
  /** Extra environment; `NO_COLOR=1` is set unless `color` is true. */
  env?: Record<string, string>;
  /** Leave NO_COLOR unset (to test colours). */
  color?: boolean;
  /** Kill `pom` after this long (default 20 s): a `pom` that hangs then fails the test. */
  timeoutMs?: number;
  /** Measure the peak memory of the process (see {@link PomResult.maxRssKb}). */
  measureMemory?: boolean;
}

/**
 * Runs `node bin/pom.js ...args` in `cwd` with a clean environment. Asynchronous, so that
 * concurrent tests run several `pom` processes at once.
 */
export function pom(args: string[], options: PomOptions): Promise<PomResult> {
  const rssFile = options.measureMemory
    ? join(mkdtempSync(join(tmpdir(), "pom-rss-")), "max-rss-kb")
    : undefined;
  const env = gitEnv({
    // git must not find a repository above the temp dirs (a checkout that holds /tmp, say).
    GIT_CEILING_DIRECTORIES: realpathSync(tmpdir()),
    ...(options.color ? {} : { NO_COLOR: "1" }),
    ...(rssFile ? { POM_TEST_RSS_FILE: rssFile } : {}),
    ...options.env,
  });
  const node = rssFile ? ["--import", MEASURE_MEMORY] : [];
  const timeout = options.timeoutMs ?? 20_000;
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [...node, BIN, ...args],
      { cwd: options.cwd, env, encoding: "utf8", timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        const maxRssKb = rssFile && existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : undefined;
        if (rssFile) rmSync(dirname(rssFile), { recursive: true, force: true });
        if (error && (typeof code !== "number" || error.killed)) {
          reject(new Error(`pom ${args.join(" ")} did not exit normally: ${error.message}\n${stderr}`));
          return;
        }
        resolvePromise({ code: code as number, stdout, stderr, ...(maxRssKb ? { maxRssKb } : {}) });
      },
    );
  });
}

/** The JSON output of `pom check --format json`. */
export interface JsonVerdict {
  conclusion: "success" | "neutral" | "failure";
  findings: Finding[];
}

/** Runs `pom check --format json` and returns the parsed verdict with the exit code. */
export async function checkJson(
  cwd: string,
  args: string[] = [],
  now: string = NOW_ISO,
): Promise<{ code: number | null; verdict: JsonVerdict; stderr: string }> {
  const result = await pom(["check", "--now", now, "--format", "json", ...args], { cwd });
  let verdict: JsonVerdict;
  try {
    verdict = JSON.parse(result.stdout) as JsonVerdict;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, verdict, stderr: result.stderr };
}

/** The findings of one rule in a verdict. */
export function findingsOf(verdict: JsonVerdict, rule: string): JsonVerdict["findings"] {
  return verdict.findings.filter((f) => f.rule === rule);
}

/** The single finding of one rule; fails the test when there is not exactly one. */
export function findingOf(verdict: JsonVerdict, rule: string): JsonVerdict["findings"][number] {
  const found = findingsOf(verdict, rule);
  if (found.length !== 1) {
    throw new Error(`expected one ${rule} finding, got ${found.length}: ${JSON.stringify(verdict, null, 2)}`);
  }
  return found[0] as JsonVerdict["findings"][number];
}

export interface ManifestOptions {
  cadence?: string;
  tagPattern?: string | null;
  /** Name the trio (product_manager, designer, tech_lead). */
  trio?: boolean;
  /** Extra YAML appended at the end (top-level keys). */
  extra?: string;
}

/** A valid manifest: team acme/payments, cadence 14d, tag pattern v*, one measurable outcome. */
export function manifestYaml(options: ManifestOptions = {}): string {
  const tagPattern = options.tagPattern === undefined ? "v*" : options.tagPattern;
  return [
    "version: 1",
    "product:",
    "  name: Checkout",
    "team:",
    "  name: Payments",
    "  github: acme/payments",
    ...(options.trio === false ? [] : ["  product_manager: alice", "  designer: bob", "  tech_lead: carol"]),
    "release:",
    `  cadence: ${options.cadence ?? "14d"}`,
    "  source: tags",
    ...(tagPattern === null ? [] : [`  tag_pattern: "${tagPattern}"`]),
    "outcomes:",
    "  - id: CHK-12",
    "    title: Cut checkout abandonment from 68% to 55%",
    "    metric: checkout_abandonment_rate",
    '    target: "55%"',
    ...(options.extra ? [options.extra.trimEnd()] : []),
    "",
  ].join("\n");
}

/**
 * A repository in `tmp` with a valid manifest (cadence 14d, tag pattern v*) and a CODEOWNERS that
 * gives everything to acme/payments, committed at `at`.
 */
export function governedRepo(tmp: TempRoot, at: Date, manifest = manifestYaml()): GitRepo {
  const repo = tmp.repo();
  repo.write(".github/pom.yml", manifest).write(".github/CODEOWNERS", "* @acme/payments\n");
  repo.commit("initial commit", at);
  return repo;
}
