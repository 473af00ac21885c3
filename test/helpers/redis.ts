/** The tests' Redis (test/setup/redis.ts): a URL and a key prefix of their own, or why not. */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";

export const REDIS_URL = inject("redisUrl");
export const REDIS_MISSING = inject("redisMissing");

/** A prefix no other test uses, so that tests share one Redis without meeting. */
export function testPrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix` (a test's own), then closes its connection. */
export async function clearPrefix(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
