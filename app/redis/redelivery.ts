/**
 * The redelivery job's state in Redis, shared by replicas: the high-water mark, the GUIDs asked
 * for (one key each, claimed with SET NX, kept three days: no GUID is asked for twice, whichever
 * replica runs), the failed work kept for the schedule (one hash, taken whole in one MULTI so that
 * one replica judges each record), and the turns: on each tick of the schedule, which every replica
 * keeps, the replica that claims that tick's key runs the job, the others skip it; a run still
 * going holds a lock that keeps a later tick from starting a second one. A tick nobody ran loses
 * nothing: the next run reads back to the mark.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { RedeliveryMemory } from "../../github/flows/redeliver.js";
import { DELIVERY_MEMORY_MS } from "../delivery-ledger.js";
import { expired, type FailedWork, type FailedWorkStore, workKey } from "../failed-work.js";
import type { RedeliveryTurns } from "../redelivery-memory.js";
import { assertReady } from "./connection.js";
import { releaseLock } from "./lock.js";

type Warn = (fields: object, message: string) => void;

export class RedisRedeliveryMemory implements RedeliveryMemory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async mark(): Promise<string | undefined> {
    assertReady(this.redis);
    return (await this.redis.get(`${this.prefix}:redelivery:mark`)) ?? undefined;
  }

  async setMark(at: string): Promise<void> {
    assertReady(this.redis);
    await this.redis.set(`${this.prefix}:redelivery:mark`, at, "PX", DELIVERY_MEMORY_MS);
  }

  async claim(guid: string): Promise<boolean> {
    assertReady(this.redis);
    const set = await this.redis.set(
      `${this.prefix}:redelivered:${guid}`,
      "1",
      "PX",
      DELIVERY_MEMORY_MS,
      "NX",
    );
    return set === "OK";
  }

  async unclaim(guid: string): Promise<void> {
    assertReady(this.redis);
    await this.redis.del(`${this.prefix}:redelivered:${guid}`);
  }
}

export class RedisFailedWork implements FailedWorkStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `${this.prefix}:failed-work`;
  }

  async keep(work: FailedWork): Promise<void> {
    assertReady(this.redis);
    await this.redis
      .multi()
      .hset(this.key, workKey(work), JSON.stringify(work))
      .pexpire(this.key, DELIVERY_MEMORY_MS)
      .exec();
  }

  async takeAll(): Promise<FailedWork[]> {
    assertReady(this.redis);
    const results = await this.redis.multi().hgetall(this.key).del(this.key).exec();
    const [error, all] = results?.[0] ?? [new Error("the Redis transaction was aborted"), undefined];
    if (error) throw error;
    const records: FailedWork[] = [];
    for (const text of Object.values((all ?? {}) as Record<string, string>)) {
      try {
        const work = JSON.parse(text) as FailedWork;
        if (!expired(work, this.now())) records.push(work);
      } catch {
        // a record this version cannot read: dropped
      }
    }
    return records;
  }
}

/** How long a tick's key is kept: longer than replicas' clocks ever differ. */
const TICK_KEPT_MS = 10 * 60 * 1000;

/**
 * Turns across replicas: the tick's key (kept ten minutes, so that a replica whose clock is behind
 * does not take that tick again) and the running lock (held at most `holdMs`, should its holder die).
 */
export function redisTurns(
  redis: Redis,
  prefix: string,
  warn: Warn,
  holdMs = 10 * 60 * 1000,
): RedeliveryTurns {
  return async (tick, task) => {
    const running = `${prefix}:lock:redelivery`;
    const token = randomUUID();
    try {
      assertReady(redis);
      const ticked = await redis.set(
        `${prefix}:redelivery:tick:${tick.toISOString()}`,
        token,
        "PX",
        TICK_KEPT_MS,
        "NX",
      );
      if (ticked !== "OK") return "taken";
      if ((await redis.set(running, token, "PX", holdMs, "NX")) !== "OK") return "busy";
    } catch (error) {
      // Without Redis no replica can tell who runs: none does; the next tick reads back to the mark.
      warn({ err: error }, "redelivery: Redis failed; this tick is skipped");
      return "skipped";
    }
    try {
      await task();
      return "ran";
    } finally {
      await releaseLock(redis, running, token).catch(() => {});
    }
  };
}
