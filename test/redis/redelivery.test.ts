/**
 * The redelivery job's state shared through a real Redis: a GUID claimed by one replica is claimed
 * for all (for three days), the mark one run leaves is the next run's on any replica, failed work
 * is handed out to one replica only, and of replicas firing the same tick one runs the job (and
 * none while a run is still going).
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FailedWork } from "../../app/failed-work.js";
import { closeAll, connect } from "../../app/redis/connection.js";
import { RedisFailedWork, RedisRedeliveryMemory, redisTurns } from "../../app/redis/redelivery.js";
import { clearPrefix, REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";

if (!REDIS_URL) console.warn(`skipping the Redis redelivery tests: ${REDIS_MISSING}`);

const DAY = 86_400_000;

describe.skipIf(!REDIS_URL)("the redelivery job's state in Redis", () => {
  const prefix = testPrefix("redelivery");
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

  it("lets one replica claim a GUID, for three days, until it gives the claim back", async () => {
    const a = new RedisRedeliveryMemory(one, prefix);
    const b = new RedisRedeliveryMemory(two, prefix);
    const claims = await Promise.all([a.claim("guid-1"), b.claim("guid-1"), a.claim("guid-1")]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await one.pttl(`${prefix}:redelivered:guid-1`)).toBeGreaterThan(3 * DAY - 60_000);
    await b.unclaim("guid-1");
    expect(await a.claim("guid-1")).toBe(true);
  });

  it("shares the mark", async () => {
    const a = new RedisRedeliveryMemory(one, prefix);
    const b = new RedisRedeliveryMemory(two, prefix);
    expect(await b.mark()).toBeUndefined();
    await a.setMark("2026-06-15T12:00:00Z");
    expect(await b.mark()).toBe("2026-06-15T12:00:00Z");
  });

  it("hands each record of failed work to one replica, one per subject, dropping those past three days", async () => {
    const now = Date.now();
    const work = (number: number, ageMs: number): FailedWork => ({
      installationId: 1,
      owner: "acme",
      repo: "checkout",
      subject: { kind: "pr", number },
      event: "pull_request",
      delivery: `d-${number}-${ageMs}`,
      at: new Date(now - ageMs).toISOString(),
      tries: 0,
    });
    const a = new RedisFailedWork(one, prefix);
    const b = new RedisFailedWork(two, prefix);
    await a.keep(work(7, 60_000));
    await b.keep(work(7, 1_000));
    await a.keep(work(8, 2_000));
    await a.keep(work(9, 3 * DAY + 1));
    const [took, other] = await Promise.all([a.takeAll(), b.takeAll()]);
    const all = [...took, ...other].map((w) => w.delivery).sort();
    expect(all).toEqual(["d-7-1000", "d-8-2000"]);
    expect(took.length === 0 || other.length === 0).toBe(true);
  });

  it("runs the job of a tick on one replica, and none while a run is still going", async () => {
    const warn = () => {};
    const replicas = [
      redisTurns(one, prefix, warn),
      redisTurns(two, prefix, warn),
      redisTurns(one, prefix, warn),
    ];
    const tick = new Date("2026-06-15T12:00:00Z");
    let ran = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const outcomes = Promise.all(
      replicas.map((turns) =>
        turns(tick, async () => {
          ran++;
          await held;
        }),
      ),
    );
    // The next tick comes while the first run still goes: skipped.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await replicas[1]?.(new Date(tick.getTime() + 1000), async () => {})).toBe("busy");
    release();
    expect((await outcomes).sort()).toEqual(["ran", "taken", "taken"]);
    expect(ran).toBe(1);
    // Once it is over, the next tick runs; a tick taken is not run again.
    expect(await replicas[0]?.(new Date(tick.getTime() + 2000), async () => {})).toBe("ran");
    expect(await replicas[1]?.(tick, async () => {})).toBe("taken");
  });
});
