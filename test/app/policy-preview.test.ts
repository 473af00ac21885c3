import { describe, expect, it } from "vitest";
import { createLatestWins } from "../../app/policy-preview.js";
import type { Superseded } from "../../github/flows/policy-pull-request.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("policy previews, the newest head of a pull request winning", () => {
  it("aborts the running preview with the newer head, never starts a waiting one, and runs the newest", async () => {
    const queue = createLatestWins();
    const log: string[] = [];
    let release = () => {};
    const first = queue("acme/.github#5", "a", async (signal) => {
      log.push("a start");
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      const reason = signal.reason as Superseded;
      log.push(`a ${signal.aborted ? `superseded by ${reason.by}` : "done"}`);
    });
    await tick();
    const second = queue("acme/.github#5", "b", async () => {
      log.push("b ran");
    });
    const third = queue("acme/.github#5", "c", async (signal) => {
      log.push(`c ${signal.aborted ? "aborted" : "ran"}`);
    });
    await tick();
    release();
    await Promise.all([first, second, third]);
    expect(log).toEqual(["a start", "a superseded by b", "c ran"]);
  });

  it("runs previews of different pull requests side by side", async () => {
    const queue = createLatestWins();
    const log: string[] = [];
    const job = (name: string) => async (signal: AbortSignal) => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} ${signal.aborted ? "aborted" : "end"}`);
    };
    await Promise.all([queue("a#1", "x", job("one")), queue("a#2", "y", job("two"))]);
    expect(log).toEqual(["one start", "two start", "one end", "two end"]);
  });
});
