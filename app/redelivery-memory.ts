/**
 * The redelivery job's state in one process (without Redis): the high-water mark, the GUIDs asked
 * for (for three days, the newest 50,000), and its turns: one run at a time, a tick that comes
 * while a run is still going is skipped. With Redis, replicas share these (redis/redelivery.ts).
 */
import { setNewest } from "../core/util/bounded-map.js";
import type { RedeliveryMemory } from "../github/flows/redeliver.js";
import { DELIVERY_MEMORY_MS } from "./delivery-ledger.js";

/** How a tick went: this replica ran the job, another took the tick, a run was still going, or skipped. */
export type TurnOutcome = "ran" | "taken" | "busy" | "skipped";

/** Runs `task` for the schedule's tick `tick` when it is this replica's turn. */
export type RedeliveryTurns = (tick: Date, task: () => Promise<void>) => Promise<TurnOutcome>;

/** What the redelivery schedule keeps between runs, and whose turn a tick is. */
export interface RedeliveryState {
  memory: RedeliveryMemory;
  turns: RedeliveryTurns;
}

/** Turns in one process: every tick is this process's, one run at a time. */
export function localTurns(): RedeliveryTurns {
  let running = false;
  return async (_tick, task) => {
    if (running) return "busy";
    running = true;
    try {
      await task();
      return "ran";
    } finally {
      running = false;
    }
  };
}

export class MemoryRedeliveryMemory implements RedeliveryMemory {
  #mark: string | undefined;
  readonly #claimed = new Map<string, number>();
  readonly #now: () => number;
  readonly #max: number;

  constructor(options: { now?: () => number; max?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#max = options.max ?? 50_000;
  }

  async mark(): Promise<string | undefined> {
    return this.#mark;
  }

  async setMark(at: string): Promise<void> {
    this.#mark = at;
  }

  async claim(guid: string): Promise<boolean> {
    const at = this.#claimed.get(guid);
    if (at !== undefined && this.#now() - at < DELIVERY_MEMORY_MS) return false;
    setNewest(this.#claimed, guid, this.#now(), this.#max);
    return true;
  }

  async unclaim(guid: string): Promise<void> {
    this.#claimed.delete(guid);
  }
}
