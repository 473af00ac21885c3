/**
 * The pacer on a virtual clock: content-creating requests of one installation are let through at
 * most 80 in any rolling minute and 500 in any rolling hour, the worst first, none lost and none
 * twice; installations do not hold each other up. Nothing really waits.
 */
import { describe, expect, it } from "vitest";
import {
  GITHUB_CREATE_LIMITS,
  HOUR_MS,
  MemoryWindow,
  MINUTE_MS,
  waitBefore,
} from "../../../github/transport/pace-window.js";
import { Pacer, type Priority } from "../../../github/transport/pacer.js";
import { busiest, mostWithin, pacerOnVirtualTime, VirtualClock } from "../../../testkit/virtual-clock.js";

/** Ranks spread over the backlog: every third failing at error level, the rest at warning level or none. */
const rankOf = (i: number) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 2);
const byRank = (i: number): Priority => ({ rank: rankOf(i) });

/** Sends `count` creations at once; resolves with their names in the order they were let through. */
async function backlog(pacer: Pacer, count: number, priorityOf: (i: number) => Priority, key = "7") {
  const order: string[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      pacer.admit(key, priorityOf(i), `create ${i}`).then(() => order.push(`create ${i}`)),
    ),
  );
  return order;
}

/** The names in the order the priorities put them: rank, then recency (newest first), then arrival. */
function expectedOrder(count: number, priorityOf: (i: number) => Priority): string[] {
  return Array.from({ length: count }, (_, i) => i)
    .sort(
      (a, b) =>
        priorityOf(a).rank - priorityOf(b).rank ||
        (priorityOf(b).recency ?? 0) - (priorityOf(a).recency ?? 0) ||
        a - b,
    )
    .map((i) => `create ${i}`);
}

describe("the wait before a creation", () => {
  const limits = { perMinute: 3, perHour: 5 };

  it("is none while the minute and the hour have room", () => {
    expect(waitBefore([], 0, limits)).toBe(0);
    expect(waitBefore([0, 10], 20, limits)).toBe(0);
  });

  it("lasts until the oldest admission of a full minute is a minute old", () => {
    expect(waitBefore([0, 10, 20], 30, limits)).toBe(MINUTE_MS - 30);
    // At exactly a minute the oldest no longer counts.
    expect(waitBefore([0, 10, 20], MINUTE_MS, limits)).toBe(0);
  });

  it("lasts until the oldest admission of a full hour is an hour old", () => {
    const times = [0, 1, 2 * MINUTE_MS, 3 * MINUTE_MS, 4 * MINUTE_MS];
    expect(waitBefore(times, 5 * MINUTE_MS, limits)).toBe(HOUR_MS - 5 * MINUTE_MS);
    expect(waitBefore(times, HOUR_MS - 1, limits)).toBe(1);
    expect(waitBefore(times, HOUR_MS, limits)).toBe(0);
  });

  it("ignores admissions older than an hour", () => {
    expect(waitBefore([-HOUR_MS, -HOUR_MS + 1, 5, 6], 10, limits)).toBe(0);
  });
});

describe("the pacer", () => {
  it("lets a creation through at once while the window has room", async () => {
    const { pacer, admitted, clock } = pacerOnVirtualTime({ start: 1_000 });
    await pacer.admit("7", { rank: 2 }, "POST /repos/acme/web/issues");
    expect(admitted).toEqual([
      { key: "7", at: 1_000, priority: { rank: 2 }, waitedMs: 0, what: "POST /repos/acme/web/issues" },
    ]);
    expect(clock.now()).toBe(1_000);
    expect(pacer.waiting()).toBe(0);
  });

  it("admits at most 80 in any rolling minute and 500 in any rolling hour", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    await backlog(pacer, 1_200, byRank);
    expect(admitted).toHaveLength(1_200);
    expect(busiest(admitted, GITHUB_CREATE_LIMITS)).toEqual({ perMinute: 80, perHour: 500, within: true });
  });

  it("works a backlog of 300 off in priority order: error level, then warnings, then the rest", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    const order = await backlog(pacer, 300, byRank);
    expect(order).toEqual(expectedOrder(300, byRank));
    expect(new Set(order).size).toBe(300);
    expect(admitted.slice(0, 100).every((a) => a.priority.rank === 0)).toBe(true);
    expect(admitted.slice(100, 200).every((a) => a.priority.rank === 1)).toBe(true);
    // 80 a minute: the 300th goes in the fourth minute.
    expect(admitted.at(-1)?.at).toBe(3 * MINUTE_MS);
  });

  it("works a backlog of 600 off over more than an hour, in priority order, none lost or twice", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    const recent = (i: number): Priority => ({ rank: rankOf(i), recency: (i * 7_919) % 600 });
    const order = await backlog(pacer, 600, recent);
    expect(order).toEqual(expectedOrder(600, recent));
    expect(new Set(admitted.map((a) => a.what)).size).toBe(600);
    const times = admitted.map((a) => a.at);
    // 500 in the first hour, the 501st once the first is an hour old.
    expect(times[499]).toBeLessThan(HOUR_MS);
    expect(times[500]).toBe(HOUR_MS);
    expect(mostWithin(times, HOUR_MS)).toBe(500);
    expect(mostWithin(times, MINUTE_MS)).toBe(80);
    expect(admitted[599]?.waitedMs).toBe(times[599]);
  });

  it("puts a creation that arrives while others wait in its place: an error before waiting warnings", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    const warnings = backlog(pacer, 200, () => ({ rank: 1 }));
    // Once the first minute is used up, an error-level creation comes in.
    while (admitted.length < 80) await new Promise((resolve) => setImmediate(resolve));
    const urgent = pacer.admit("7", { rank: 0 }, "urgent");
    await Promise.all([warnings, urgent]);
    expect(admitted[80]?.what).toBe("urgent");
    expect(admitted[80]?.at).toBe(MINUTE_MS);
  });

  it("among equals, creates for the most recently updated subject first", async () => {
    const { pacer } = pacerOnVirtualTime();
    const updated = [3, 1, 2].map((day) => Date.UTC(2026, 5, day));
    const order = await backlog(pacer, 3, (i) => ({ rank: 0, recency: updated[i] as number }));
    expect(order).toEqual(["create 0", "create 2", "create 1"]);
  });

  it("paces each installation in its own window", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    await Promise.all([backlog(pacer, 100, byRank, "1"), backlog(pacer, 100, byRank, "2")]);
    for (const key of ["1", "2"]) {
      const own = admitted.filter((a) => a.key === key);
      expect(own).toHaveLength(100);
      expect(own.filter((a) => a.at === 0)).toHaveLength(80);
    }
  });

  it("fails a creation, not the queue, when its window cannot answer", async () => {
    let calls = 0;
    const pacer = new Pacer({
      window: {
        reserve: async () => {
          if (calls++ === 0) throw new Error("window away");
          return { admitted: true, at: 0 };
        },
      },
      clock: new VirtualClock(),
    });
    const first = pacer.admit("7", { rank: 0 });
    const second = pacer.admit("7", { rank: 1 });
    await expect(first).rejects.toThrow("window away");
    await expect(second).resolves.toBeUndefined();
  });
});

describe("the window of one process", () => {
  it("forgets an installation an hour after its last creation", async () => {
    const clock = new VirtualClock();
    const window = new MemoryWindow({ perMinute: 1, perHour: 1 }, clock.now);
    expect((await window.reserve("a")).admitted).toBe(true);
    expect(await window.reserve("a")).toEqual({ admitted: false, at: 0, waitMs: HOUR_MS });
    await clock.sleepUntil(HOUR_MS);
    expect((await window.reserve("b")).admitted).toBe(true);
    expect((await window.reserve("a")).admitted).toBe(true);
  });
});
