/**
 * What replicas coordinate through a real Redis besides the jobs: the throttle (Octokit's own
 * limiters, clustered: one POST a second per installation across processes, apart per deployment
 * prefix, failing fast when Redis is away) and the lock around issue writes.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect } from "../../app/redis/connection.js";
import { redisLock } from "../../app/redis/lock.js";
import { clusteredThrottle } from "../../app/redis/throttle.js";
import { clearPrefix, REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";

if (!REDIS_URL) console.warn(`skipping the Redis coordination tests: ${REDIS_MISSING}`);

type Group = { key(id: string): { schedule<T>(task: () => Promise<T>): Promise<T> } };

describe.skipIf(!REDIS_URL)("coordination through Redis", () => {
  const prefix = testPrefix("coord");
  let redis: Redis;

  beforeAll(() => {
    redis = connect({ url: REDIS_URL, prefix }, "test");
  });

  afterAll(async () => {
    await closeAll([redis]);
    await clearPrefix(prefix);
    await clearPrefix(`${prefix}x`);
  });

  it("spaces one installation's POSTs a second apart across two processes' limiters", async () => {
    const one = clusteredThrottle({ url: REDIS_URL, prefix }, () => {});
    const two = clusteredThrottle({ url: REDIS_URL, prefix }, () => {});
    const other = clusteredThrottle({ url: REDIS_URL, prefix: `${prefix}x` }, () => {});
    try {
      const starts: number[] = [];
      const post = (t: typeof one) =>
        (t.options.write as Group).key("42").schedule(async () => {
          starts.push(Date.now());
        });
      const began = Date.now();
      await Promise.all([post(one), post(two), post(one), post(two)]);
      starts.sort((a, b) => a - b);
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
      // Another deployment (another prefix) has limits of its own: it does not wait.
      const alone = Date.now();
      await post(other);
      expect(Date.now() - alone).toBeLessThan(900);
      expect(Date.now() - began).toBeGreaterThanOrEqual(3_000);
    } finally {
      await Promise.all([one.close(), two.close(), other.close()]);
    }
  }, 20_000);

  it("throttles within the process, instead of hanging, when Redis is away", async () => {
    const changes: boolean[] = [];
    const gone = clusteredThrottle(
      { url: "redis://127.0.0.1:1", prefix },
      () => {},
      (local) => changes.push(local),
    );
    try {
      const started = Date.now();
      const write = gone.options.write as Group;
      const starts: number[] = [];
      await Promise.all([1, 2].map(() => write.key("42").schedule(async () => starts.push(Date.now()))));
      // Within about the 2 s it waits for Redis, then one second apart, in this process.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(Math.abs((starts[1] as number) - (starts[0] as number))).toBeGreaterThanOrEqual(900);
      expect(changes).toEqual([true]);
    } finally {
      await gone.close();
    }
  }, 20_000);

  it("runs locked work one at a time per key, side by side across keys", async () => {
    const a = redisLock(redis, prefix);
    const b = redisLock(redis, prefix);
    const log: string[] = [];
    const work = (name: string) => async () => {
      log.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 100));
      log.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([a("tracking:acme/x", work("a")), b("tracking:acme/x", work("b"))]);
    expect(results).toEqual(["a", "b"]);
    // Never both inside at once.
    expect(
      [log.slice(0, 2), log.slice(2)].every(
        ([i, o]) => i?.endsWith(" in") && o?.endsWith(" out") && i.split(" ")[0] === o.split(" ")[0],
      ),
    ).toBe(true);
    const started = Date.now();
    await Promise.all([a("tracking:acme/y", work("c")), b("tracking:acme/z", work("d"))]);
    expect(Date.now() - started).toBeLessThan(190);
  });

  it("goes ahead without the lock, saying so, when Redis fails", async () => {
    const gone = connect({ url: "redis://127.0.0.1:1", prefix }, "gone");
    gone.on("error", () => {});
    const problems: string[] = [];
    const across = redisLock(gone, prefix, { onProblem: (_f, m) => problems.push(m) });
    expect(await across("tracking:acme/x", async () => "done")).toBe("done");
    expect(problems).toEqual(["lock: Redis failed; going ahead without it"]);
    gone.disconnect();
  });
});
