/**
 * One at a time across replicas, for the few writes that must not happen twice at once (finding,
 * then opening, a tracking issue or the report issue): a Redis lock per key, taken with SET NX and
 * an expiry (so that a replica that dies holding it does not hold it for good) and given back only
 * by its holder. Should Redis fail, the work runs anyway, unlocked, and says so: the issues'
 * own find-before-create and duplicate clean-up still hold, and a push or sweep is not lost for
 * want of a lock.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Serialise } from "../../core/util/serial.js";

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Gives a lock back, only if `holder` still holds it (compare and delete in one step). */
export async function releaseLock(redis: Redis, key: string, holder: string): Promise<void> {
  await redis.eval(RELEASE, 1, key, holder);
}

export interface LockOptions {
  /** How long a lock holds if its holder dies (default 60 s). */
  holdMs?: number;
  /** How long a caller waits for a lock before it runs unlocked (default 60 s). */
  waitMs?: number;
  onProblem?: (fields: object, message: string) => void;
}

/**
 * @example const across = redisLock(redis, "pom"); await across("tracking:acme/checkout", () => sync())
 */
export function redisLock(redis: Redis, prefix: string, options: LockOptions = {}): Serialise {
  const holdMs = options.holdMs ?? 60_000;
  const waitMs = options.waitMs ?? 60_000;
  const problem = options.onProblem ?? (() => {});
  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const lockKey = `${prefix}:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let held = false;
    try {
      if (redis.status !== "ready") throw new Error(`redis is ${redis.status}`);
      for (;;) {
        held = (await redis.set(lockKey, token, "PX", holdMs, "NX")) === "OK";
        if (held) break;
        if (Date.now() > deadline) {
          problem({ key }, "lock: waited too long; going ahead without it");
          break;
        }
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    } catch (error) {
      problem({ key, err: error }, "lock: Redis failed; going ahead without it");
    }
    try {
      return await task();
    } finally {
      if (held) await releaseLock(redis, lockKey, token).catch(() => {});
    }
  };
}
