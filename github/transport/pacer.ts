/**
 * The pacer: content-creating requests (issues, comments, check runs) wait here for a slot in
 * their installation's window (pace-window.ts), worst first. Per key one pump takes the best
 * waiting request, asks the window for a slot, and either lets it go or sleeps until the window
 * says one frees up; whatever arrives meanwhile joins the queue in its place. Slots are reserved
 * in the window, so replicas sharing one (Redis) never take more than the limits together; each
 * replica orders its own waiting requests.
 *
 * The pacer only limits our own rate. GitHub's answers (`retry-after`, `x-ratelimit-reset` on a
 * 403 or 429) are honoured by the transport's retries (http.ts) as before; a request that was let
 * through here is not paced again when it is retried.
 */
import type { PaceWindow } from "./pace-window.js";

/**
 * How urgent a creation is: a lower `rank` first (0: failing at error level, 1: failing at warning
 * level, 2: the rest), then the more recent `recency` (e.g. a pull request's `updated_at`, in ms),
 * then arrival order.
 */
export interface Priority {
  rank: number;
  recency?: number;
}

export const LEAST_URGENT: Priority = { rank: 2 };

/** Time as the pacer reads it and waits for it; tests and the benchmark inject a virtual one. */
export interface PacerClock {
  now(): number;
  /** Resolves once the clock reads `at` or later. */
  sleepUntil(at: number): Promise<void>;
}

export const REAL_CLOCK: PacerClock = {
  now: Date.now,
  sleepUntil: (at) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))),
};

export interface Admission {
  key: string;
  /** When the slot was taken, by the window's clock. */
  at: number;
  priority: Priority;
  /** How long it waited for its slot, by the pacer's clock. */
  waitedMs: number;
  /** What was let through (e.g. "POST /repos/acme/web/issues"), as the caller named it. */
  what?: string;
}

export interface PacerOptions {
  window: PaceWindow;
  clock?: PacerClock;
  /** Told of every request let through (a log line, a test's record). */
  onAdmit?: (admission: Admission) => void;
}

interface Waiter {
  priority: Priority;
  seq: number;
  arrived: number;
  what: string | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Negative when `a` goes before `b`. */
function compare(a: Waiter, b: Waiter): number {
  return (
    a.priority.rank - b.priority.rank ||
    (b.priority.recency ?? 0) - (a.priority.recency ?? 0) ||
    a.seq - b.seq
  );
}

/**
 * @example const pacer = new Pacer({ window: new MemoryWindow(GITHUB_CREATE_LIMITS) });
 * await pacer.admit("7", { rank: 0 }); // then create the issue
 */
export class Pacer {
  private readonly queues = new Map<string, Waiter[]>();
  private seq = 0;
  private readonly clock: PacerClock;

  constructor(private readonly options: PacerOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
  }

  /** Resolves when a request of `key` with `priority` may be sent. */
  admit(key: string, priority: Priority = LEAST_URGENT, what?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, seq: this.seq++, arrived: this.clock.now(), what, resolve, reject };
      const queue = this.queues.get(key);
      if (queue) {
        insertSorted(queue, waiter);
        return;
      }
      this.queues.set(key, [waiter]);
      void this.pump(key);
    });
  }

  /** Requests waiting for a slot: of `key`, or of every key. */
  waiting(key?: string): number {
    if (key !== undefined) return this.queues.get(key)?.length ?? 0;
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  /** Lets the waiting requests of `key` through, best first, as the window allows. */
  private async pump(key: string): Promise<void> {
    const queue = this.queues.get(key) as Waiter[];
    while (queue.length > 0) {
      let reservation: Awaited<ReturnType<PaceWindow["reserve"]>>;
      try {
        reservation = await this.options.window.reserve(key);
      } catch (error) {
        // The window could not say (it falls back on its own where it can): the request fails
        // rather than go unpaced, and its caller's own handling of a failed write applies.
        queue.shift()?.reject(error);
        continue;
      }
      if (!reservation.admitted) {
        await this.clock.sleepUntil(reservation.at + reservation.waitMs);
        continue;
      }
      // The best waiting now, arrivals during the reservation included.
      const next = queue.shift() as Waiter;
      this.options.onAdmit?.({
        key,
        at: reservation.at,
        priority: next.priority,
        waitedMs: Math.max(0, reservation.at - next.arrived),
        ...(next.what ? { what: next.what } : {}),
      });
      next.resolve();
    }
    this.queues.delete(key);
  }
}

function insertSorted(queue: Waiter[], waiter: Waiter): void {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(queue[mid] as Waiter, waiter) <= 0) low = mid + 1;
    else high = mid;
  }
  queue.splice(low, 0, waiter);
}
