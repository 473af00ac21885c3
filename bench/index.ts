/**
 * `npm run bench`: every benchmark in turn, then the table and bench/results.json. See
 * docs/performance.md for the method and the figures, and bench/config.ts for the sizes.
 * BENCH_ONLY=api,webhooks,client,sweep,teams,preview,pacing,replicas,redelivery,action,manifest,glob runs some of them.
 *
 * Returns the exit code: 0 whatever the figures say (benchmarks do not fail a slow machine),
 * 1 when a harness step went wrong (a server that did not start, requests GitHub would reject,
 * errors in a server's log), so that wrong figures are not taken for real ones.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ensureBuilt } from "../testkit/build.js";
import { measureAction } from "./action.js";
import { measureApiCalls } from "./api-calls.js";
import { measureClientOverhead } from "./client-overhead.js";
import { createContext, ROOT, resultsPath, SERVER } from "./config.js";
import { measureGlob } from "./glob.js";
import { measureManifests } from "./manifest.js";
import { measureMonorepoCalls } from "./monorepo-calls.js";
import { measurePacing } from "./pacing.js";
import { measurePreview } from "./preview.js";
import { measureRedelivery } from "./redelivery.js";
import { measureReplicas } from "./replicas.js";
import { budgets, machine, type Results, render } from "./report.js";
import { measureSweep } from "./sweep.js";
import { measureTeams } from "./teams.js";
import { measureWebhooks } from "./webhooks.js";

/** The commit measured, the files changed since, and whether the built sources compile. */
function provenance(): NonNullable<Results["source"]> {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout ?? "";
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--noEmit"],
    { cwd: ROOT, encoding: "utf8" },
  );
  return {
    commit: git("rev-parse", "--short", "HEAD").trim(),
    changed: git("status", "--porcelain", "--untracked-files=no")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3)),
    compiles: tsc.status === 0,
  };
}

const PHASES = [
  "api",
  "webhooks",
  "client",
  "sweep",
  "teams",
  "preview",
  "pacing",
  "replicas",
  "redelivery",
  "action",
  "manifest",
  "glob",
] as const;

export async function main(options: {
  quick: boolean;
  sweepWorker: string;
  peerAction?: string;
}): Promise<{ code: number; resultsFile: string }> {
  const started = Date.now();
  const context = createContext(options);
  const only = new Set((process.env.BENCH_ONLY ?? PHASES.join(",")).split(",").map((p) => p.trim()));
  const results: Results = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    machine: machine(),
    sizes: context.sizes,
  };
  context.log(`building dist/ if stale; sizes ${JSON.stringify(context.sizes)}`);
  ensureBuilt(SERVER);
  const harness: string[] = [];
  const check = (phase: string, problems: readonly string[]) => {
    for (const p of problems.slice(0, 5)) harness.push(`${phase}: ${p}`);
  };
  // Others may be editing the sources: figures of a tree that does not compile describe nothing.
  context.log("type-checking the sources the server is built from");
  results.source = provenance();
  check("sources", results.source.compiles ? [] : ["tsc -p tsconfig.build.json reports errors"]);
  if (only.has("api")) {
    results.apiCalls = await measureApiCalls(context);
    for (const v of results.apiCalls) check(`API calls (${v.variant})`, [...v.problems, ...v.serverErrors]);
    results.monorepoCalls = await measureMonorepoCalls(context);
    check("API calls (products)", results.monorepoCalls.problems);
  }
  if (only.has("webhooks")) {
    results.webhooks = await measureWebhooks(context);
    const failed = results.webhooks.levels.reduce((n, l) => n + l.failed, 0);
    check("webhooks", [
      ...results.webhooks.problems,
      ...results.webhooks.serverErrors,
      ...(failed ? [`${failed} deliveries were not answered 200`] : []),
    ]);
  }
  if (only.has("client")) {
    context.log("one API call from the app's side");
    results.clientOverhead = await measureClientOverhead(context);
  }
  if (only.has("sweep")) {
    results.sweep = await measureSweep(context);
    check("sweep", [
      ...results.sweep.problems,
      ...results.sweep.runs
        .filter((r) => r.failed > 0)
        .map((r) => `${r.name}: ${r.failed} repositories failed`),
    ]);
  }
  if (only.has("teams")) {
    results.teams = await measureTeams(context);
    check("teams", results.teams.problems);
  }
  if (only.has("preview")) {
    results.preview = await measurePreview(context);
    check("preview", [
      ...results.preview.problems,
      ...results.preview.runs
        .filter((r) => r.notJudged > 0)
        .map((r) => `${r.name}: ${r.notJudged} repositories not judged`),
    ]);
  }
  if (only.has("pacing")) {
    results.pacing = await measurePacing(context);
    if (results.pacing.redisSkipped) context.log(`pacing in Redis: skipped (${results.pacing.redisSkipped})`);
    check("pacing", [
      ...results.pacing.problems,
      ...results.pacing.runs
        .filter((r) => r.opened !== r.repositories)
        .map((r) => `${r.window}: ${r.opened} of ${r.repositories} issues opened`),
    ]);
  }
  if (only.has("replicas")) {
    results.replicas = await measureReplicas(context);
    if (results.replicas.skipped) context.log(`replicas: skipped (${results.replicas.skipped})`);
    check("replicas", [
      ...results.replicas.problems,
      ...results.replicas.runs
        .filter((r) => r.replicasWorking < r.replicas)
        .map((r) => `${r.replicas} replicas: only ${r.replicasWorking} judged batches`),
    ]);
  }
  if (only.has("redelivery")) {
    results.redelivery = await measureRedelivery(context);
    check("redelivery", results.redelivery.problems);
  }
  if (only.has("action")) {
    context.log(`action cold start, ${context.sizes.actionRuns} runs`);
    results.action = await measureAction(context);
    check("action", results.action.problems);
  }
  if (only.has("manifest")) {
    context.log("manifest validation");
    results.manifest = measureManifests(context);
    check(
      "manifest",
      results.manifest.invalid.map((f) => `${f} does not validate`),
    );
  }
  if (only.has("glob")) {
    context.log(
      `tag patterns, ${context.sizes.globTags} tags of ${context.sizes.globTagLength} and of 255 characters`,
    );
    results.glob = measureGlob(context);
    check(
      "glob",
      results.glob.disagreements.map((p) => `the matchers disagree on ${p}`),
    );
  }
  results.budgets = budgets(results);
  results.machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  results.secondsTaken = Math.round((Date.now() - started) / 1000);

  console.log(render(results));
  const resultsFile = resultsPath(options.quick);
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  context.log(`wrote ${resultsFile} after ${results.secondsTaken} s`);
  if (harness.length > 0) {
    console.error(`\nThe harness saw problems, so these figures may be wrong:\n${harness.join("\n")}`);
    return { code: 1, resultsFile };
  }
  return { code: 0, resultsFile };
}
