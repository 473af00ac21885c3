/**
 * Octokit's throttling (as Probot sets it up), clustered across replicas through Redis. Probot
 * does this itself when REDIS_URL is set, with a connection that waits for Redis as long as it
 * takes and keys no deployment can tell apart; here the same limiters (the same groups and
 * settings as @octokit/plugin-throttling's own) get ids under POM_REDIS_PREFIX, so that two
 * deployments sharing a Redis do not share limits, and a connection that gives up after two
 * seconds. Per installation, as Probot keys them: every POST (writes and GraphQL) one second
 * apart across all replicas, at most ten requests at once.
 *
 * While Redis is away, each replica throttles on its own (the same limits, in its memory) rather
 * than leave every request to GitHub waiting on Redis: webhooks keep working, at up to N times
 * the rate for N replicas, until Redis is back.
 */
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import type { RedisSettings } from "./connection.js";

/** The limiters of @octokit/plugin-throttling, by its own names and settings. */
const GROUPS = {
  global: { maxConcurrent: 10 },
  auth: { maxConcurrent: 1 },
  search: { maxConcurrent: 1, minTime: 2_000 },
  write: { maxConcurrent: 1, minTime: 1_000 },
  notifications: { maxConcurrent: 1, minTime: 3_000 },
} as const;

export interface ClusteredThrottle {
  /** Options for Octokit's `throttle` (beside `enabled` and the rate-limit handlers). */
  options: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * @example const throttle = clusteredThrottle(redisSettings(process.env)); // then { throttle: { ...throttle.options, … } }
 */
export function clusteredThrottle(
  settings: RedisSettings,
  onError: (error: unknown) => void,
  onFallback: (local: boolean) => void = () => {},
): ClusteredThrottle {
  const client = new Redis(settings.url, {
    connectionName: `${settings.prefix}:throttle`,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
  });
  client.on("error", onError);
  const connection = new Bottleneck.IORedisConnection({ client });
  connection.on("error", onError);
  // Redis keeps a limiter two minutes after its last use, as Octokit sets it.
  const common = { connection, timeout: 2 * 60 * 1000 };
  const make = (shared: boolean) =>
    Object.fromEntries(
      Object.entries(GROUPS).map(([name, limits]) => [
        name,
        new Bottleneck.Group({
          id: `${settings.prefix}-octokit-${name}`,
          ...limits,
          ...(shared ? common : {}),
        }),
      ]),
    ) as Record<keyof typeof GROUPS, Bottleneck.Group>;
  const clustered = make(true);
  const local = make(false);

  let usingLocal = false;
  // One wait for Redis at a time, shared by every request that arrives meanwhile; once one has
  // waited in vain, the next ten seconds' requests do not wait again.
  let waiting: Promise<void> | undefined;
  let gaveUpAt = Number.NEGATIVE_INFINITY;
  const waitForRedis = () => {
    waiting ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off("ready", done);
        if (client.status !== "ready") gaveUpAt = Date.now();
        waiting = undefined;
        resolve();
      };
      const timer = setTimeout(done, 2_000);
      client.on("ready", done);
    });
    return waiting;
  };
  /** The limiters to use now: the shared ones while Redis answers (waiting up to 2 s for it). */
  const current = async () => {
    const recentlyAway = Date.now() - gaveUpAt < 10_000;
    if (client.status !== "ready" && client.status !== "end" && !recentlyAway) await waitForRedis();
    const fallback = client.status !== "ready";
    if (fallback !== usingLocal) {
      usingLocal = fallback;
      onFallback(fallback);
    }
    return fallback ? local : clustered;
  };
  // The plugin only ever calls `group.key(id).schedule(...)`.
  const groups = Object.fromEntries(
    (Object.keys(GROUPS) as (keyof typeof GROUPS)[]).map((name) => [
      name,
      {
        key: (id: string) => ({
          schedule: async (...args: unknown[]) => {
            const limiter = (await current())[name].key(id) as unknown as {
              schedule(...a: unknown[]): Promise<unknown>;
            };
            return limiter.schedule(...args);
          },
        }),
      },
    ]),
  );
  return {
    options: { Bottleneck, connection, ...groups },
    close: async () => {
      await connection.disconnect(true).catch(() => client.disconnect());
    },
  };
}
