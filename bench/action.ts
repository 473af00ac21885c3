/**
 * The action's cold start: the committed bundle (`node action/dist/index.cjs`) on a real
 * `pull_request.opened` payload against the fake GitHub, as the runner starts it (a fresh process,
 * the runner's variables, one INPUT_* per input), next to a trivial Node action
 * (bench/trivial-action.mjs: read the event, write one output), a labeler-style peer
 * (bench/peer-labeler.ts: actions/labeler's packages and its branch-rule workload: one read, one
 * write), an empty `node -e 0`, and the bundle without its token (it loads, fails at the first
 * input and exits: the cost of loading it), each `actionRuns` times, interleaved so that all of
 * them see the same machine. Wall time of the child process, from spawn to exit. Then what the
 * bundle is made of (bundle-analysis.ts).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { BUNDLE, inputEnvironment, installationToken, parseOutputFile } from "../testkit/action-runner.js";
import { actionSeed, PR_WITH_OUTCOME, pullRequestEvent } from "../testkit/action-seed.js";
import { countRequests, type FakeGitHub, startFakeGitHub } from "../testkit/fake-github/server.js";
import { analyseBundle, type BundleAnalysis } from "./bundle-analysis.js";
import { type Context, TRIVIAL_ACTION } from "./config.js";
import { median, round } from "./stats.js";

export interface ActionResult {
  runs: number;
  bundleBytes: number;
  bundleGzipBytes: number;
  /** Median wall times, in ms. */
  actionMs: number;
  trivialMs: number;
  emptyNodeMs: number;
  /** The bundle started without its token input: loads, fails at the first input, exits. */
  loadOnlyMs: number;
  /** The labeler-style peer; undefined when it could not be built. */
  peerMs?: number;
  /** actionMs / trivialMs (the budget, docs DESIGN section 8: at most 2). */
  ratio: number;
  /** actionMs / peerMs. */
  peerRatio?: number;
  /** Every run's wall time, in ms. */
  samples: { action: number[]; trivial: number[]; emptyNode: number[]; loadOnly: number[]; peer: number[] };
  bundle: BundleAnalysis;
  /** API requests per run of the action, and the median time from its first request's answer to its last. */
  requestsPerRun: number;
  rateLimitedPerRun: number;
  apiSpanMs: number;
  conclusion: string;
  problems: string[];
}

function timed(args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ ms: number; code: number; output: string }>((resolve, reject) => {
    const started = performance.now();
    execFile(
      process.execPath,
      args,
      { env, cwd, encoding: "utf8", timeout: 30_000 },
      (error, stdout, stderr) => {
        const ms = performance.now() - started;
        const code = error ? (error as { code?: unknown }).code : 0;
        if (error && typeof code !== "number")
          reject(new Error(`${args.join(" ")}: ${error.message}\n${stderr}`));
        else resolve({ ms, code: code as number, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The runner's environment for one step (see testkit/action-runner.ts), in a fresh temporary directory. */
function stepEnvironment(fake: FakeGitHub, temp: string, payload: object, token: string) {
  const eventPath = join(temp, "event.json");
  const outputPath = join(temp, "output.txt");
  const summaryPath = join(temp, "step-summary.md");
  const workspace = join(temp, "workspace");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(join(temp, "runner-temp"), { recursive: true });
  writeFileSync(eventPath, JSON.stringify(payload, null, 2));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    CI: "true",
    GITHUB_ACTIONS: "true",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: join(temp, "runner-temp"),
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "acme/checkout",
    GITHUB_REPOSITORY_OWNER: "acme",
    GITHUB_SHA: PR_WITH_OUTCOME.sha,
    GITHUB_RUN_ID: "1",
    GITHUB_ACTION: "pom",
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_SERVER_URL: fake.url,
    GITHUB_API_URL: `${fake.url}/api/v3`,
    GITHUB_GRAPHQL_URL: `${fake.url}/api/graphql`,
    ...inputEnvironment({ token }),
  };
  return { env, workspace, outputPath };
}

/** The peer's configuration: one label for the pull request's branch (`feature-7`). */
const LABELER_CONFIG =
  'feature:\n  - head-branch: ["^feature-", "^feat/"]\ndocs:\n  - head-branch: ["^docs/"]\n';

export async function measureAction(context: Context): Promise<ActionResult> {
  const runs = context.sizes.actionRuns;
  const fake = await startFakeGitHub(actionSeed(Date.now()));
  fake.state.repo("acme/checkout").files.set(".github/labeler.yml", LABELER_CONFIG);
  const payload = pullRequestEvent(PR_WITH_OUTCOME, "Moves the address form onto the payment page.");
  const samples = {
    action: [] as number[],
    trivial: [] as number[],
    emptyNode: [] as number[],
    loadOnly: [] as number[],
    peer: [] as number[],
  };
  const peer = context.peerAction;
  const requests: number[] = [];
  const rateLimited: number[] = [];
  const spans: number[] = [];
  const problems: string[] = [];
  let conclusion = "";
  try {
    // One unmeasured round first: the files are in the page cache for every measured run.
    for (let n = -1; n < runs; n++) {
      const temp = mkdtempSync(join(tmpdir(), "pom-bench-action-"));
      try {
        const token = installationToken(fake, 1);
        const step = stepEnvironment(fake, temp, payload, token);
        const before = fake.requests.length;
        const action = await timed([BUNDLE], step.env, step.workspace);
        const ours = fake.requests.slice(before).filter((r) => r.headers.authorization === `token ${token}`);
        const outputs = parseOutputFile(readFileSync(step.outputPath, "utf8"));
        conclusion = outputs.conclusion ?? "";
        if (action.code !== 0 || conclusion !== "success") {
          problems.push(
            `the action exited ${action.code} with conclusion "${conclusion}": ${action.output.slice(-500)}`,
          );
        }
        writeFileSync(step.outputPath, "");
        const trivial = await timed([TRIVIAL_ACTION], step.env, step.workspace);
        if (trivial.code !== 0 || !readFileSync(step.outputPath, "utf8").includes("conclusion<<")) {
          problems.push(`the trivial action failed: ${trivial.output.slice(-300)}`);
        }
        writeFileSync(step.outputPath, "");
        const peerRun = peer
          ? await timed([peer], { ...step.env, "INPUT_REPO-TOKEN": token }, step.workspace)
          : undefined;
        if (peerRun && (peerRun.code !== 0 || !readFileSync(step.outputPath, "utf8").includes("feature"))) {
          problems.push(`the peer action failed: ${peerRun.output.slice(-300)}`);
        }
        const empty = await timed(["-e", "0"], step.env, step.workspace);
        const { INPUT_TOKEN: _token, ...withoutToken } = step.env;
        const loadOnly = await timed([BUNDLE], withoutToken, step.workspace);
        if (loadOnly.code !== 1) problems.push(`the bundle without a token exited ${loadOnly.code}, not 1`);
        if (n < 0) continue;
        samples.action.push(round(action.ms));
        samples.trivial.push(round(trivial.ms));
        samples.emptyNode.push(round(empty.ms));
        samples.loadOnly.push(round(loadOnly.ms));
        if (peerRun) samples.peer.push(round(peerRun.ms));
        const counts = countRequests(ours);
        requests.push(counts.total);
        rateLimited.push(counts.rateLimited);
        if (ours.length > 0) spans.push((ours.at(-1)?.at ?? 0) - (ours[0]?.at ?? 0));
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    }
    problems.push(...fake.problems.slice(0, 10));
  } finally {
    await fake.close();
  }
  const bundle = readFileSync(BUNDLE);
  const actionMs = median(samples.action);
  const trivialMs = median(samples.trivial);
  const peerMs = samples.peer.length > 0 ? median(samples.peer) : undefined;
  const bundleAnalysis = analyseBundle();
  problems.push(...bundleAnalysis.problems);
  return {
    runs,
    bundleBytes: statSync(BUNDLE).size,
    bundleGzipBytes: gzipSync(bundle).length,
    actionMs: round(actionMs),
    trivialMs: round(trivialMs),
    emptyNodeMs: round(median(samples.emptyNode)),
    loadOnlyMs: round(median(samples.loadOnly)),
    ...(peerMs !== undefined ? { peerMs: round(peerMs), peerRatio: round(actionMs / peerMs, 2) } : {}),
    ratio: round(actionMs / trivialMs, 2),
    samples,
    bundle: bundleAnalysis,
    requestsPerRun: median(requests),
    rateLimitedPerRun: median(rateLimited),
    apiSpanMs: round(median(spans)),
    conclusion,
    problems: problems.slice(0, 10),
  };
}
