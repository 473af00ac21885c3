/**
 * Sizes of every benchmark, from the environment (defaults: the figures of the issue), and the
 * things all of them share: the app's key pair, the webhook secret, paths, and the environment the
 * servers run with. `--quick` shrinks everything to a smoke run of a few seconds a phase.
 */
import { generateKeyPairSync } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../testkit/build.js";

export { ROOT };

export interface Sizes {
  /** Repositories of the event and webhook benchmarks. */
  eventRepos: number;
  /** Measured deliveries per scenario and variant (after one warm-up delivery). */
  perScenario: number;
  /** Deliveries into the webhook server, over all concurrency levels. */
  deliveries: number;
  /** Concurrency levels, and the share of `deliveries` each gets. */
  concurrency: number[];
  /** Upper bound on one concurrency level's wall time, in seconds (the rest of it is skipped). */
  levelSeconds: number;
  /** Repositories of the sweep benchmark. */
  sweepRepos: number;
  /** Repositories a policy preview judges (bench/preview.ts). */
  previewRepos: number;
  /** Repositories of the pacing benchmark, each needing a tracking issue. */
  pacingRepos: number;
  /** Runs of the action and of the trivial action. */
  actionRuns: number;
  /** Seconds of manifest validation. */
  manifestSeconds: number;
  /** Tags of the tag-pattern benchmark, their length, and the time bound of one pattern and matcher. */
  globTags: number;
  globTagLength: number;
  globSeconds: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

export function sizesFrom(quick: boolean): Sizes {
  return {
    eventRepos: Math.round(positive("BENCH_EVENT_REPOS", 20)),
    perScenario: Math.round(positive("BENCH_PER_SCENARIO", quick ? 2 : 5)),
    deliveries: Math.round(positive("BENCH_DELIVERIES", quick ? 600 : 10_000)),
    concurrency: (process.env.BENCH_CONCURRENCY ?? "1,4,16,64")
      .split(",")
      .map((c) => Math.round(Number(c)))
      .filter((c) => c > 0),
    levelSeconds: positive("BENCH_LEVEL_SECONDS", quick ? 20 : 90),
    sweepRepos: Math.round(positive("BENCH_SWEEP_REPOS", quick ? 60 : 1_000)),
    previewRepos: Math.round(positive("BENCH_PREVIEW_REPOS", quick ? 60 : 1_000)),
    pacingRepos: Math.round(positive("BENCH_PACING_REPOS", quick ? 300 : 2_000)),
    actionRuns: Math.round(positive("BENCH_ACTION_RUNS", quick ? 3 : 15)),
    manifestSeconds: positive("BENCH_MANIFEST_SECONDS", quick ? 0.3 : 2),
    globTags: Math.round(positive("BENCH_GLOB_TAGS", quick ? 2_000 : 20_000)),
    globTagLength: Math.round(positive("BENCH_GLOB_TAG_LENGTH", 2_000)),
    globSeconds: positive("BENCH_GLOB_SECONDS", quick ? 0.3 : 3),
  };
}

export interface Context {
  quick: boolean;
  sizes: Sizes;
  privateKey: string;
  publicKey: string;
  secret: string;
  /** The bundled sweep worker (scripts/bench.mjs builds it beside the benchmark). */
  sweepWorker: string;
  /** The labeler-style peer action, bundled like an action's dist (undefined: it could not be built). */
  peerAction?: string;
  log(message: string): void;
}

export function createContext(options: {
  quick: boolean;
  sweepWorker: string;
  peerAction?: string;
}): Context {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const started = Date.now();
  return {
    quick: options.quick,
    sizes: sizesFrom(options.quick),
    privateKey,
    publicKey,
    secret: "bench-webhook-secret",
    sweepWorker: options.sweepWorker,
    ...(options.peerAction ? { peerAction: options.peerAction } : {}),
    log: (message) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`),
  };
}

export const SERVER = join(ROOT, "dist", "app", "server.js");
export const FLOOR_APP = join(ROOT, "bench", "floor-app.mjs");
export const NO_FILE_CACHE = join(ROOT, "bench", "no-file-cache.mjs");
export const TRIVIAL_ACTION = join(ROOT, "bench", "trivial-action.mjs");
/** Where the figures go: bench/results.json, except for a --quick run (a smoke run is not a record). */
export function resultsPath(quick: boolean): string {
  return (
    process.env.BENCH_RESULTS ??
    (quick ? join(tmpdir(), "pom-bench-results.quick.json") : join(ROOT, "bench", "results.json"))
  );
}

/** The environment a server under test runs with against the fake at `host`. */
export function serverEnv(context: Context, host: string, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: "production",
    APP_ID: "1",
    PRIVATE_KEY: context.privateKey,
    WEBHOOK_SECRET: context.secret,
    GHE_HOST: host,
    GHE_PROTOCOL: "http",
    POM_GITHUB_THROTTLE: "off",
    POM_SWEEP_CRON: "off",
    POM_REDELIVERY_CRON: "off",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    ...extra,
  };
}
