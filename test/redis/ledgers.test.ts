/**
 * The ledgers replicas share through a real Redis: a delivery one replica handled is handled for
 * all, a check run one wrote is found by the other, and concurrent writes of one check run from two
 * replicas are taken in turn. Without Redis a ledger knows nothing, and says so, rather than fail.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect } from "../../app/redis/connection.js";
import { RedisCheckLedger, RedisDeliveryLedger } from "../../app/redis/ledgers.js";
import { redisLock } from "../../app/redis/lock.js";
import { clearPrefix, REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";

if (!REDIS_URL) console.warn(`skipping the Redis ledger tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("ledgers in Redis", () => {
  const prefix = testPrefix("ledgers");
  let one: Redis;
  let two: Redis;

  beforeAll(async () => {
    one = connect({ url: REDIS_URL, prefix }, "test");
    two = connect({ url: REDIS_URL, prefix }, "test");
    await Promise.all([one.ping(), two.ping()]);
  });

  afterAll(async () => {
    await closeAll([one, two]);
    await clearPrefix(prefix);
  });

  it("tells one replica about a delivery another handled, and keeps it for three days", async () => {
    const a = new RedisDeliveryLedger(one, prefix);
    const b = new RedisDeliveryLedger(two, prefix);
    expect(await b.handled("guid-1")).toBe(false);
    await a.done("guid-1");
    expect(await b.handled("guid-1")).toBe(true);
    const ttl = await one.pttl(`${prefix}:delivery:guid-1`);
    expect(ttl).toBeGreaterThan(3 * 24 * 3_600_000 - 60_000);
  });

  it("shares a check run's record between replicas", async () => {
    const a = new RedisCheckLedger(one, prefix, redisLock(one, prefix));
    const b = new RedisCheckLedger(two, prefix, redisLock(two, prefix));
    await a.set("acme/checkout@abc:pr:1", { id: 5, inputs: "i", output: "o", annotated: false });
    expect(await b.get("acme/checkout@abc:pr:1")).toEqual({
      id: 5,
      inputs: "i",
      output: "o",
      annotated: false,
    });
    expect(await b.get("acme/checkout@abc:pr:2")).toBeUndefined();
  });

  it("takes one check run's writes from two replicas in turn", async () => {
    const a = new RedisCheckLedger(one, prefix, redisLock(one, prefix));
    const b = new RedisCheckLedger(two, prefix, redisLock(two, prefix));
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 100));
      order.push(`${name} out`);
    };
    await Promise.all([a.inTurn("k", task("a")), b.inTurn("k", task("b"))]);
    // One ran to its end before the other began.
    const first = order[0]?.split(" ")[0];
    const second = first === "a" ? "b" : "a";
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it("knows nothing, and warns, while Redis is away", async () => {
    const gone = connect({ url: REDIS_URL, prefix }, "test");
    await closeAll([gone]);
    const warnings: string[] = [];
    const warn = (_: object, message: string) => warnings.push(message);
    const deliveries = new RedisDeliveryLedger(gone, prefix, warn);
    const checks = new RedisCheckLedger(gone, prefix, async (_k, t) => t(), warn);
    expect(await deliveries.handled("guid-1")).toBe(false);
    await deliveries.done("guid-2");
    expect(await checks.get("acme/checkout@abc:pr:1")).toBeUndefined();
    await checks.set("x", { id: 1, output: "o", annotated: false });
    expect(warnings).toHaveLength(4);
  });
});
