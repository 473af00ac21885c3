import { describe, expect, it } from "vitest";
import { createSerialiser } from "../../app/serial.js";

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
