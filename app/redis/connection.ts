/**
 * Redis for several replicas (REDIS_URL): one connection per use, as BullMQ wants (a blocking
 * worker connection must not carry other commands), each named so that `CLIENT LIST` shows who
 * is who, and every key under one prefix (POM_REDIS_PREFIX, default "pom") so that one Redis can
 * serve several deployments.
 */
import { Redis } from "ioredis";

export const DEFAULT_PREFIX = "pom";

export interface RedisSettings {
  url: string;
  prefix: string;
}

/** The Redis settings of `env`, or undefined without REDIS_URL (one process, embedded stores). */
export function redisSettings(env: NodeJS.ProcessEnv): RedisSettings | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  const prefix = env.POM_REDIS_PREFIX?.trim() || DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix))
    throw new Error(`POM_REDIS_PREFIX must be 1 to 40 letters, digits, "-" or "_"; got "${prefix}"`);
  return { url, prefix };
}

/**
 * A new connection named `pom:<use>`. `blocking` connections (BullMQ workers) retry commands for
 * as long as Redis is away, as BullMQ requires; others give up after a few tries so that a request
 * handler does not hang on a Redis that is gone.
 */
export function connect(settings: RedisSettings, use: string, blocking = false): Redis {
  return new Redis(settings.url, {
    connectionName: `${settings.prefix}:${use}`,
    maxRetriesPerRequest: blocking ? null : 3,
    // A webhook waiting on the shared cache would rather read GitHub than wait for Redis.
    ...(blocking ? {} : { commandTimeout: 2_000 }),
  });
}

/** Throws unless `redis` is connected: a command on a connection that is away waits, or fails late. */
export function assertReady(redis: Redis): void {
  if (redis.status !== "ready") throw new Error(`redis is ${redis.status}`);
}

/** Closes connections politely (QUIT), or cuts them when Redis does not answer in time. */
export async function closeAll(connections: readonly Redis[], timeoutMs = 2_000): Promise<void> {
  await Promise.all(
    connections.map(async (c) => {
      if (c.status === "end") return;
      const timer = setTimeout(() => c.disconnect(), timeoutMs);
      try {
        await c.quit();
      } catch {
        c.disconnect();
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/** Runs a MULTI; a command that failed inside it fails the whole call (ioredis only reports it). */
export async function execAll(multi: ReturnType<Redis["multi"]>): Promise<void> {
  const results = await multi.exec();
  if (results === null) throw new Error("the Redis transaction was aborted");
  for (const [error] of results) if (error) throw error;
}
