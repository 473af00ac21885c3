/**
 * Which webhook deliveries were handled: a delivery counts as handled only once its writes
 * succeeded, and a handled delivery that comes again (GitHub's redelivery keeps its GUID) writes
 * nothing. Kept for GitHub's three-day redelivery window, in this process or in Redis.
 */
import { setNewest } from "../core/util/bounded-map.js";

export interface DeliveryLedger {
  /** Whether delivery `id` was handled already. */
  handled(id: string): Promise<boolean>;
  /** Records delivery `id` as handled. */
  done(id: string): Promise<void>;
}

/** GitHub redelivers a delivery for three days. */
export const DELIVERY_MEMORY_MS = 3 * 24 * 60 * 60 * 1000;

/** The ledger of one process: the newest `max` deliveries (default 50,000), for three days. */
export class MemoryDeliveryLedger implements DeliveryLedger {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: { max?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 50_000;
    this.#now = options.now ?? Date.now;
  }

  async handled(id: string): Promise<boolean> {
    const at = this.#seen.get(id);
    return at !== undefined && this.#now() - at < DELIVERY_MEMORY_MS;
  }

  async done(id: string): Promise<void> {
    setNewest(this.#seen, id, this.#now(), this.#max);
  }
}
