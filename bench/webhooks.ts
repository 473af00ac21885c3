/**
 * The webhook server under load: the real server (`dist/app/server.js`) against the fake GitHub,
 * fed signed deliveries of the weighted event mix at increasing concurrency. For each level:
 * deliveries per second (at the sender), the app's own handling time per governed delivery (the
 * `ms` of its "governed" log lines), the round trip at the sender, the child's CPU time per
 * delivery (/proc/PID/stat) and the API calls per delivery; and the child's RSS (/proc/PID/status)
 * at start, after warm-up, every 1,000 deliveries, and at the end.
 *
 * The sender and the fake GitHub share this process (one thread); the server has its own. On a
 * two-core machine the three therefore compete for two cores, which caps the rate at high
 * concurrency: the figures are for this setup, not the server's ceiling.
 */

import { startFakeGitHub } from "../testkit/fake-github/server.js";
import { deliver } from "../testkit/webhooks.js";
import { type CallFigures, perEvent } from "./api-calls.js";
import { type Context, SERVER, serverEnv } from "./config.js";
import { learnHead, mixSequence, SCENARIOS } from "./events.js";
import { cpuMs, rssMiB, startServer } from "./process.js";
import { eventSeed } from "./seed.js";
import { type Distribution, distribution, round, runLimited } from "./stats.js";

export interface LevelResult {
  concurrency: number;
  deliveries: number;
  /** Deliveries per second, at the sender. */
  eventsPerSecond: number;
  /** The app's own `ms` per governed delivery (code-only pushes are not governed and log none). */
  appMs: Distribution;
  /** Of `appMs`, the time not spent waiting on GitHub: the app's own work (and its queueing). */
  ownMs: Distribution;
  /** The sender's round trip per delivery, in ms. */
  roundTripMs: Distribution;
  /** CPU time (user + system) of the server process per delivery, in ms. */
  cpuMsPerDelivery: number;
  /** CPU time of this process (the sender and the fake GitHub) per delivery, in ms. */
  senderAndFakeCpuMsPerDelivery: number;
  calls: CallFigures;
  failed: number;
  /** True when the level stopped at its time bound before its share of deliveries. */
  cut: boolean;
}

export interface WebhookResult {
  deliveries: number;
  levels: LevelResult[];
  rss: {
    startMiB: number;
    afterWarmUpMiB: number;
    endMiB: number;
    /** Every 1,000 deliveries: [deliveries so far, MiB]. */
    samples: [number, number][];
    /**
     * The JS heap after a full collection (forced through bench/heap-probe.mjs), once after the
     * warm-up (after the RSS reading) and once at the end: what the process keeps, without the
     * garbage V8 has not collected yet.
     */
    heapAfterGcMiB: { afterWarmUp: number; end: number };
  };
  /** Over all levels: the app's own ms per governed delivery. */
  appMs: Distribution;
  ownMs: Distribution;

  serverErrors: string[];
  problems: string[];
}

/** Splits `total` over the levels: 10%, 20%, 30%, 40% for four levels (shares grow linearly). */
function shares(total: number, levels: number): number[] {
  const weights = Array.from({ length: levels }, (_, i) => i + 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  counts[levels - 1] = (counts[levels - 1] ?? 0) + total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

export async function measureWebhooks(context: Context): Promise<WebhookResult> {
  const { eventRepos, deliveries, concurrency, levelSeconds } = context.sizes;
  const fake = await startFakeGitHub(eventSeed(eventRepos, Date.now(), context.publicKey));
  const server = await startServer("app", SERVER, serverEnv(context, fake.host), { heapProbe: true }).catch(
    async (error) => {
      await fake.close();
      throw error;
    },
  );
  const problems: string[] = [];
  const drain = () => {
    problems.push(...fake.problems.slice(0, 20 - problems.length));
    fake.reset();
  };
  try {
    const startMiB = rssMiB(server.pid);
    // Warm-up: every repository's configuration cached, the token issued, the code paths compiled.
    const opener = SCENARIOS.find((s) => s.id === "issues.opened+outcome") ?? (SCENARIOS[0] as never);
    for (let repo = 0; repo < eventRepos; repo++) {
      await deliver(server.url, opener.event, opener.payload(repo, 0), { secret: context.secret });
    }
    const warmUp = mixSequence(Math.min(200, deliveries), eventRepos, 99);
    await runLimited(warmUp.length, 4, Date.now() + 30_000, async (n) => {
      const { scenario, repo, i } = warmUp[n] as (typeof warmUp)[number];
      const payload = scenario.payload(repo, i + 100_000);
      learnHead(fake.state, payload);
      await deliver(server.url, scenario.event, payload, {
        secret: context.secret,
      });
    });
    drain();
    const afterWarmUpMiB = rssMiB(server.pid);
    const heapAfterWarmUp = await server.heapAfterGcMiB();

    const sequence = mixSequence(deliveries, eventRepos);
    const samples: [number, number][] = [[0, round(afterWarmUpMiB)]];
    const levels: LevelResult[] = [];
    const allAppMs: number[] = [];
    const allOwnMs: number[] = [];
    let offset = 0;
    let sent = 0;
    for (const [index, count] of shares(deliveries, concurrency.length).entries()) {
      const limit = concurrency[index] as number;
      context.log(`webhooks: ${count} deliveries at concurrency ${limit}`);
      const slice = sequence.slice(offset, offset + count);
      offset += count;
      const roundTrips: number[] = [];
      let failed = 0;
      const governedBefore = server.governedMs.length;
      const ownBeforeCount = server.ownMs.length;
      const cpuBefore = cpuMs(server.pid);
      const ownBefore = process.cpuUsage();
      const started = performance.now();
      const done = await runLimited(slice.length, limit, Date.now() + levelSeconds * 1000, async (n) => {
        const { scenario, repo, i } = slice[n] as (typeof slice)[number];
        const payload = scenario.payload(repo, i);
        learnHead(fake.state, payload);
        const delivery = await deliver(server.url, scenario.event, payload, {
          secret: context.secret,
        });
        roundTrips.push(delivery.ms);
        if (delivery.status !== 200) failed++;
        sent++;
        if (sent % 1_000 === 0) samples.push([sent, round(rssMiB(server.pid))]);
      });
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuMs(server.pid) - cpuBefore;
      const own = process.cpuUsage(ownBefore);
      // The last "governed" lines may still be in the pipe.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const appMs = server.governedMs.slice(governedBefore);
      allAppMs.push(...appMs);
      const ownMs = server.ownMs.slice(ownBeforeCount);
      allOwnMs.push(...ownMs);
      levels.push({
        concurrency: limit,
        deliveries: done,
        eventsPerSecond: round(done / seconds, 0),
        appMs: distribution(appMs),
        ownMs: distribution(ownMs),
        roundTripMs: distribution(roundTrips),
        cpuMsPerDelivery: round(cpu / Math.max(1, done), 2),
        senderAndFakeCpuMsPerDelivery: round((own.user + own.system) / 1000 / Math.max(1, done), 2),
        calls: perEvent(fake.requests, Math.max(1, done)),
        failed,
        cut: done < slice.length,
      });
      drain();
    }
    const endMiB = rssMiB(server.pid);
    if (samples.at(-1)?.[0] !== sent) samples.push([sent, round(endMiB)]);
    const heapAtEnd = await server.heapAfterGcMiB();

    return {
      deliveries: sent,
      levels,
      rss: {
        startMiB: round(startMiB),
        afterWarmUpMiB: round(afterWarmUpMiB),
        endMiB: round(endMiB),
        samples,
        heapAfterGcMiB: { afterWarmUp: round(heapAfterWarmUp), end: round(heapAtEnd) },
      },
      appMs: distribution(allAppMs),
      ownMs: distribution(allOwnMs),
      serverErrors: server.errors,
      problems,
    };
  } finally {
    await server.stop();
    await fake.close();
  }
}
