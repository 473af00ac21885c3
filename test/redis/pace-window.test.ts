/**
 * The pacer's window in a real Redis, shared by two replicas (two pacers, each with its own
 * connection, on one virtual clock): together they never let more than 80 creations of an
 * installation through in a rolling minute, or 500 in a rolling hour; the last slot goes to one
 * of them only; nothing is lost or let through twice. With Redis's own clock the same holds, and
 * without Redis a replica paces on its own, knowing what it let through before.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect } from "../../app/redis/connection.js";
import { RedisWindow } from "../../app/redis/pace-window.js";
import { GITHUB_CREATE_LIMITS, HOUR_MS, MINUTE_MS } from "../../github/transport/pace-window.js";
import { type Admission, Pacer } from "../../github/transport/pacer.js";
import { busiest, VirtualClock } from "../../testkit/virtual-clock.js";
import { clearPrefix, REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";

if (!REDIS_URL) console.warn(`skipping the Redis pacing tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("the pacer's window in Redis", () => {
  const prefix = testPrefix("pace");
  let one: Redis;
  let two: Redis;

  beforeAll(async () => {
    one = connect({ url: REDIS_URL, prefix }, "test-pace-1");
    two = connect({ url: REDIS_URL, prefix }, "test-pace-2");
    await Promise.all([one.ping(), two.ping()]);
  });

  afterAll(async () => {
    await closeAll([one, two]);
    await clearPrefix(prefix);
  });

  it("keeps two replicas together within 80 a minute and 500 an hour, none lost or twice", async () => {
    const clock = new VirtualClock(Date.UTC(2026, 5, 15));
    const admitted: (Admission & { replica: string })[] = [];
    const replica = (redis: Redis, name: string) =>
      new Pacer({
        window: new RedisWindow(redis, prefix, GITHUB_CREATE_LIMITS, { now: clock.now }),
        clock,
        onAdmit: (a) => admitted.push({ ...a, replica: name }),
      });
    const a = replica(one, "a");
    const b = replica(two, "b");
    // 1,200 creations of one installation, half on each replica, worst first on each.
    const sent = Array.from({ length: 1_200 }, (_, i) =>
      (i % 2 === 0 ? a : b).admit("inst-1", { rank: i % 3 }, `create ${i}`),
    );
    await Promise.all(sent);
    expect(admitted).toHaveLength(1_200);
    expect(new Set(admitted.map((x) => x.what)).size).toBe(1_200);
    expect(busiest(admitted, GITHUB_CREATE_LIMITS)).toEqual({ perMinute: 80, perHour: 500, within: true });
    expect(new Set(admitted.map((x) => x.replica))).toEqual(new Set(["a", "b"]));
    // Each replica's own backlog went worst first.
    for (const name of ["a", "b"]) {
      const ranks = admitted.filter((x) => x.replica === name).map((x) => x.priority.rank);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    }
    // What Redis keeps: the last hour's admissions, and for an hour at most.
    const key = `${prefix}:pace:inst-1`;
    expect(await one.zcard(key)).toBeLessThanOrEqual(500);
    const ttl = await one.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOUR_MS);
  });

  it("gives the last slot to one replica only", async () => {
    const now = () => 5_000;
    const limits = { perMinute: 3, perHour: 500 };
    const a = new RedisWindow(one, prefix, limits, { now });
    const b = new RedisWindow(two, prefix, limits, { now });
    await a.reserve("inst-2");
    await b.reserve("inst-2");
    const race = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).reserve("inst-2")),
    );
    expect(race.filter((r) => r.admitted)).toHaveLength(1);
    expect(race.filter((r) => !r.admitted).map((r) => !r.admitted && r.waitMs)).toEqual(
      Array(9).fill(MINUTE_MS),
    );
  });

  it("reads the time from Redis when no clock is given", async () => {
    const window = new RedisWindow(one, prefix, { perMinute: 1, perHour: 500 });
    const first = await window.reserve("inst-3");
    const second = await window.reserve("inst-3");
    expect(first.admitted).toBe(true);
    // Redis's clock and this process's are one machine's here.
    expect(Math.abs(first.at - Date.now())).toBeLessThan(HOUR_MS);
    expect(second.admitted).toBe(false);
    if (!second.admitted) {
      expect(second.waitMs).toBeGreaterThan(0);
      expect(second.waitMs).toBeLessThanOrEqual(MINUTE_MS);
    }
  });

  it("paces a replica on its own while Redis is away, counting what it let through before", async () => {
    const lost = connect({ url: REDIS_URL, prefix }, "test-pace-lost");
    const told: boolean[] = [];
    const window = new RedisWindow(
      lost,
      prefix,
      { perMinute: 2, perHour: 500 },
      {
        now: () => 9_000,
        onFallback: (local) => told.push(local),
      },
    );
    expect((await window.reserve("inst-4")).admitted).toBe(true);
    await closeAll([lost]);
    expect((await window.reserve("inst-4")).admitted).toBe(true);
    expect(await window.reserve("inst-4")).toEqual({ admitted: false, at: 9_000, waitMs: MINUTE_MS });
    expect(told).toEqual([true]);
  });
});
