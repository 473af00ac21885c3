/** timeWaits: the time a unit of work waited on GitHub, overlapping requests counted once. */
import { describe, expect, it } from "vitest";
import { timed, timeWaits } from "../../../github/transport/waits.js";

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("timeWaits", () => {
  it("counts overlapping requests once and requests one after the other in full", async () => {
    const { value, waits } = await timeWaits(async () => {
      await Promise.all([timed(() => pause(40)), timed(() => pause(40))]);
      await pause(40); // the app's own time: not counted
      await timed(() => pause(40));
      return "done";
    });
    expect(value).toBe("done");
    expect(waits.requests).toBe(3);
    // Two waits of at least 40 ms each; well under the 120 ms that would mean double counting
    // or counting the app's own pause (a generous margin for a loaded machine).
    expect(waits.ms).toBeGreaterThanOrEqual(79);
    expect(waits.inFlight).toBe(0);
  });

  it("keeps separate units of work apart, and leaves requests outside any unit alone", async () => {
    const [a, b] = await Promise.all([
      timeWaits(() => timed(() => pause(10))),
      timeWaits(async () => {
        await timed(() => pause(10));
        await timed(() => pause(10));
      }),
    ]);
    expect(a.waits.requests).toBe(1);
    expect(b.waits.requests).toBe(2);
    await expect(timed(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it("counts a failed request's wait and passes the failure on", async () => {
    const { waits } = await timeWaits(async () => {
      await expect(timed(() => pause(5).then(() => Promise.reject(new Error("502"))))).rejects.toThrow("502");
    });
    expect(waits.requests).toBe(1);
    expect(waits.inFlight).toBe(0);
  });
});
