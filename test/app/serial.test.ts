import { describe, expect, it } from "vitest";
import { createFreshness, createSerialiser } from "../../app/serial.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("one piece of work at a time per subject", () => {
  it("runs work for the same subject one after the other, in arrival order", async () => {
    const serial = createSerialiser();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([serial("a#1", task("opened")), serial("a#1", task("labeled"))]);
    expect(log).toEqual(["opened start", "opened end", "labeled start", "labeled end"]);
  });

  it("runs work for different subjects side by side", async () => {
    const serial = createSerialiser();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([serial("a#1", task("one")), serial("a#2", task("two"))]);
    expect(log.slice(0, 2)).toEqual(["one start", "two start"]);
  });

  it("a failing piece of work does not block the next one", async () => {
    const serial = createSerialiser();
    const failed = serial("a#1", async () => {
      throw new Error("boom");
    });
    const next = serial("a#1", async () => "ran");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
  });
});

describe("no going back in time per subject", () => {
  it("calls a delivery stale when its subject is older than one already judged", () => {
    const freshness = createFreshness();
    expect(freshness.isStale("a#1", "2026-06-15T12:05:00Z")).toBe(false);
    expect(freshness.isStale("a#1", "2026-06-15T12:00:00Z")).toBe(true);
    // The same state again (a redelivery) and a newer one are judged.
    expect(freshness.isStale("a#1", "2026-06-15T12:05:00Z")).toBe(false);
    expect(freshness.isStale("a#1", "2026-06-15T12:06:00Z")).toBe(false);
    expect(freshness.isStale("a#1", "2026-06-15T12:05:00Z")).toBe(true);
    // Other subjects, and deliveries without a time, are not affected.
    expect(freshness.isStale("a#2", "2026-06-15T11:00:00Z")).toBe(false);
    expect(freshness.isStale("a#1", undefined)).toBe(false);
    expect(freshness.isStale("a#1", "not a date")).toBe(false);
  });

  it("remembers a bounded number of subjects, forgetting the least recently judged", () => {
    const freshness = createFreshness(2);
    freshness.isStale("a#1", "2026-06-15T12:00:00Z");
    freshness.isStale("a#2", "2026-06-15T12:00:00Z");
    freshness.isStale("a#1", "2026-06-15T12:01:00Z");
    freshness.isStale("a#3", "2026-06-15T12:00:00Z");
    // a#1 is still remembered; a#2 was forgotten, so an older state of it is judged again.
    expect(freshness.isStale("a#1", "2026-06-15T11:00:00Z")).toBe(true);
    expect(freshness.isStale("a#2", "2026-06-15T11:00:00Z")).toBe(false);
  });
});
