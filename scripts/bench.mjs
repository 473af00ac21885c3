#!/usr/bin/env node
/**
 * `npm run bench [-- --quick]`: builds the benchmarks (bench/*.ts, bundled by esbuild with the
 * test kit they share with the tests, testkit/), runs them, prints a table and writes
 * bench/results.json. Sizes come from the environment (BENCH_DELIVERIES, BENCH_SWEEP_REPOS, …: see
 * bench/config.ts); `--quick` is a smoke run. Benchmarks never fail because a machine is slow: only a harness error (a
 * server that does not start, a delivery GitHub would reject) exits non-zero.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Inside the project, so that the bundle's bare imports (probot, ajv, …) resolve from node_modules.
const outdir = join(ROOT, "node_modules", ".cache", "pom-bench", String(process.pid));
const HELPER_DIRS = [`${join(ROOT, "testkit")}${sep}`];

/**
 * The test kit finds its files next to itself (`new URL("../openapi/…", import.meta.url)`);
 * in one bundle they would all see the bundle's location, so each keeps its own URL.
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!HELPER_DIRS.some((dir) => args.path.startsWith(dir))) return undefined;
      const source = readFileSync(args.path, "utf8");
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

/** Lays the JSON out the way `npm run lint` wants it (Biome's JSON formatter), when it is inside the project. */
function formatJson(file) {
  const biome = join(ROOT, "node_modules", "@biomejs", "biome", "bin", "biome");
  if (!file.startsWith(`${ROOT}${sep}`) || !existsSync(biome)) return;
  const result = spawnSync(process.execPath, [biome, "format", "--write", file], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) console.error(`biome could not format ${file}:\n${result.stdout}${result.stderr}`);
}

/**
 * The labeler-style peer action (bench/peer-labeler.ts), bundled the way `ncc` bundles
 * actions/labeler's dist: every package in one CommonJS file, not minified. Not committed: built
 * here for each run from the packages in node_modules.
 */
async function buildPeer() {
  const outfile = join(outdir, "peer-labeler.cjs");
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: ["bench/peer-labeler.ts"],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile,
      logLevel: "error",
    });
    return { peerAction: outfile };
  } catch (error) {
    console.error(`the peer action could not be built, so it is left out: ${error.message}`);
    return {};
  }
}

let code = 1;
mkdirSync(outdir, { recursive: true });
try {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: "bench/index.ts", "sweep-worker": "bench/sweep-worker.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir,
    outExtension: { ".js": ".mjs" },
    plugins: [ownImportMetaUrl],
    logLevel: "warning",
  });
  const { main } = await import(pathToFileURL(join(outdir, "index.mjs")).href);
  const result = await main({
    quick: process.argv.includes("--quick"),
    sweepWorker: join(outdir, "sweep-worker.mjs"),
    ...(await buildPeer()),
  });
  formatJson(result.resultsFile);
  code = result.code;
} catch (error) {
  console.error(error);
} finally {
  rmSync(outdir, { recursive: true, force: true });
  try {
    rmdirSync(dirname(outdir)); // only when no other run is using it
  } catch {
    // another run's bundle is still there
  }
}
// Keep-alive sockets and Probot's timers would hold the process open for a while: it is done.
process.exit(code);
