/** The deliveries handled in this process: remembered for GitHub's three-day redelivery window, bounded. */
import { describe, expect, it } from "vitest";
import { DELIVERY_MEMORY_MS, MemoryDeliveryLedger } from "../../app/delivery-ledger.js";

describe("MemoryDeliveryLedger", () => {
  it("knows a delivery once it is done, for three days", async () => {
    let now = 0;
    const ledger = new MemoryDeliveryLedger({ now: () => now });
    expect(await ledger.handled("a")).toBe(false);
    await ledger.done("a");
    expect(await ledger.handled("a")).toBe(true);
    now = DELIVERY_MEMORY_MS + 1;
    expect(await ledger.handled("a")).toBe(false);
  });

  it("keeps the newest deliveries up to its size", async () => {
    const ledger = new MemoryDeliveryLedger({ max: 2 });
    for (const id of ["a", "b", "c"]) await ledger.done(id);
    expect(await ledger.handled("a")).toBe(false);
    expect(await ledger.handled("c")).toBe(true);
  });
});
