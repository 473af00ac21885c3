/**
 * API calls per event, for the realistic mix of SCENARIOS, measured three ways by one harness:
 * a server process per variant against a fresh fake GitHub with the same seed, signed deliveries
 * one at a time (Probot answers a delivery after its handlers ran), and the fake's counters read
 * between deliveries.
 *
 * - pom-governance: `dist/app/server.js` as users run it;
 * - naive: the same server with its file cache turned off (bench/no-file-cache.mjs): every
 *   manifest and policy read is a fresh, rate-limited REST request;
 * - floor: bench/floor-app.mjs, one write per event and nothing else.
 *
 * Before the scenarios, every repository gets one delivery (an issue that needs no writes), so
 * what is measured is the warm path: configuration cached, installation token issued. Each
 * scenario then gets one warm-up delivery (not counted) and `perScenario` measured ones.
 */

import { countRequests, type RecordedRequest, startFakeGitHub } from "../testkit/fake-github/server.js";
import { deliver } from "../testkit/webhooks.js";
import { type Context, FLOOR_APP, NO_FILE_CACHE, SERVER, serverEnv } from "./config.js";
import { learnHead, SCENARIOS } from "./events.js";
import { startServer } from "./process.js";
import { eventSeed } from "./seed.js";
import { median, round } from "./stats.js";

export interface CallFigures {
  /** Requests per event (averages over the measured deliveries). */
  total: number;
  /** Requests that count against the rate limit (everything but 304s). */
  rateLimited: number;
  notModified: number;
  graphql: number;
  writes: number;
  /** Installation access tokens asked for (Probot caches them for an hour). */
  tokens: number;
  /** Rate-limited REST reads: rateLimited - graphql - writes - tokens. */
  restReads: number;
}

export interface VariantResult {
  variant: string;
  /** Per scenario id. */
  scenarios: Record<string, CallFigures>;
  /** Per scenario id: the median `ms` the server logged for the measured deliveries (one at a time). */
  handlingMs: Record<string, number>;
  /** Weighted by the scenarios' weights. */
  mix: CallFigures;
  /** The very first delivery after the server started (token, cold configuration). */
  firstDelivery: CallFigures;
  /** Operations of the measured requests, most frequent first, over the whole weighted mix. */
  topOperations: { operation: string; perEvent: number }[];
  problems: string[];
  serverErrors: string[];
}

const VARIANTS: { variant: string; script: string; extra: Record<string, string> }[] = [
  { variant: "pom-governance", script: SERVER, extra: {} },
  { variant: "naive (no ETag cache)", script: SERVER, extra: { NODE_OPTIONS: `--import=${NO_FILE_CACHE}` } },
  { variant: "floor (one write per event)", script: FLOOR_APP, extra: {} },
];

const TOKEN_ROUTE = "POST /app/installations/{installation_id}/access_tokens";

/** The fake's counters for `requests`, per event over `n` events. */
export function perEvent(requests: readonly RecordedRequest[], n: number): CallFigures {
  const counts = countRequests(requests);
  const tokens = requests.filter((r) => r.operation === TOKEN_ROUTE).length;
  const f = (v: number) => round(v / n, 2);
  return {
    total: f(counts.total),
    rateLimited: f(counts.rateLimited),
    notModified: f(counts.notModified),
    graphql: f(counts.graphql),
    writes: f(counts.writes),
    tokens: f(tokens),
    restReads: f(counts.rateLimited - counts.graphql - counts.writes - tokens),
  };
}

export function weightedMix(scenarios: Record<string, CallFigures>): CallFigures {
  const total = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);
  const keys = ["total", "rateLimited", "notModified", "graphql", "writes", "tokens", "restReads"] as const;
  const mix = Object.fromEntries(keys.map((k) => [k, 0])) as unknown as CallFigures;
  for (const s of SCENARIOS) {
    const figures = scenarios[s.id];
    if (!figures) continue;
    for (const k of keys) mix[k] += (figures[k] * s.weight) / total;
  }
  for (const k of keys) mix[k] = round(mix[k], 2);
  return mix;
}

async function measureVariant(context: Context, spec: (typeof VARIANTS)[number]): Promise<VariantResult> {
  const { eventRepos, perScenario } = context.sizes;
  const fake = await startFakeGitHub(eventSeed(eventRepos, Date.now(), context.publicKey));
  const server = await startServer(
    spec.variant,
    spec.script,
    serverEnv(context, fake.host, spec.extra),
  ).catch(async (error) => {
    await fake.close();
    throw error;
  });
  const problems: string[] = [];
  const send = async (event: string, payload: Record<string, unknown>) => {
    learnHead(fake.state, payload);
    const delivery = await deliver(server.url, event, payload, { secret: context.secret });
    if (delivery.status !== 200)
      problems.push(`${event}: HTTP ${delivery.status} ${delivery.text.slice(0, 200)}`);
  };
  /** Keeps what the fake found wrong so far, then forgets its requests. */
  const drain = (where: string) => {
    problems.push(...fake.problems.map((p) => `${where}: ${p}`));
    fake.reset();
  };
  try {
    const opener = SCENARIOS.find((s) => s.id === "issues.opened+outcome") ?? (SCENARIOS[0] as never);
    drain("start");
    await send(opener.event, opener.payload(0, 0));
    const firstDelivery = perEvent(fake.requests, 1);
    drain("first delivery");
    for (let repo = 1; repo < eventRepos; repo++) await send(opener.event, opener.payload(repo, 0));

    const scenarios: Record<string, CallFigures> = {};
    const handlingMs: Record<string, number> = {};
    const operations = new Map<string, number>();
    const weightTotal = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);
    for (const [index, scenario] of SCENARIOS.entries()) {
      const repo = index % eventRepos;
      await send(scenario.event, scenario.payload(repo, 0));
      drain(`${scenario.id} (warm-up)`);
      const logged = server.governedMs.length;
      for (let i = 1; i <= perScenario; i++) await send(scenario.event, scenario.payload(repo, i));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last log line may be in the pipe
      handlingMs[scenario.id] = median(server.governedMs.slice(logged));
      scenarios[scenario.id] = perEvent(fake.requests, perScenario);
      for (const r of fake.requests) {
        const key = `${r.status === 304 ? "304 " : ""}${r.operation ?? `${r.method} ${r.path}`}`;
        operations.set(key, (operations.get(key) ?? 0) + scenario.weight / weightTotal / perScenario);
      }
      drain(scenario.id);
    }
    const topOperations = [...operations.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([operation, n]) => ({ operation, perEvent: round(n, 3) }));
    return {
      variant: spec.variant,
      scenarios,
      handlingMs,
      mix: weightedMix(scenarios),
      firstDelivery,
      topOperations,
      problems: problems.slice(0, 20),
      serverErrors: server.errors,
    };
  } finally {
    await server.stop();
    await fake.close();
  }
}

export async function measureApiCalls(context: Context): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const spec of VARIANTS) {
    context.log(`API calls per event: ${spec.variant}`);
    results.push(await measureVariant(context, spec));
  }
  return results;
}
