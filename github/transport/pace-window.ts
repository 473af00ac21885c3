/**
 * The sliding-window log the pacer keeps per installation: when each content-creating request was
 * let through, for the last hour. A request is let through when fewer than `perMinute` were let
 * through in the rolling minute before it and fewer than `perHour` in the rolling hour, as GitHub's
 * secondary limits count them (about 80 a minute and 500 an hour). This file holds the rule and
 * the window of one process; app/redis/pace-window.ts keeps the same log in Redis for replicas.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface PaceLimits {
  perMinute: number;
  perHour: number;
}

/** GitHub's secondary limits on content-creating requests. */
export const GITHUB_CREATE_LIMITS: PaceLimits = { perMinute: 80, perHour: 500 };

/** A slot taken at `at`, or how long until one may be free. */
export type Reservation = { admitted: true; at: number } | { admitted: false; at: number; waitMs: number };

/** Where the admissions of each key (an installation) are recorded. */
export interface PaceWindow {
  /** Takes a slot for `key` now when the limits allow it (atomically), else says how long to wait. */
  reserve(key: string): Promise<Reservation>;
}

/**
 * How long until a request may go, given the admissions of the last hour (`times`, oldest first)
 * at `now`; 0 when it may go now. An admission at `s` counts within the minute while `s > now -
 * 60 s` and within the hour while `s > now - 1 h`.
 *
 * @example waitBefore([0, 10, 20], 30, { perMinute: 3, perHour: 500 }) // 59_970
 */
export function waitBefore(times: readonly number[], now: number, limits: PaceLimits): number {
  const recent = times.filter((s) => s > now - HOUR_MS);
  const n = recent.length;
  const inMinute = recent.filter((s) => s > now - MINUTE_MS).length;
  let wait = 0;
  // The admission that must leave a window before another fits in it.
  if (n >= limits.perHour) wait = Math.max(wait, (recent[n - limits.perHour] as number) + HOUR_MS - now);
  if (inMinute >= limits.perMinute)
    wait = Math.max(wait, (recent[n - limits.perMinute] as number) + MINUTE_MS - now);
  return wait;
}

/**
 * The window of one process (and of a replica while Redis is away). Keys whose last admission is
 * more than an hour old are forgotten.
 *
 * @example const window = new MemoryWindow(GITHUB_CREATE_LIMITS); await window.reserve("installation 7")
 */
export class MemoryWindow implements PaceWindow {
  private readonly logs = new Map<string, number[]>();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: PaceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  reserve(key: string): Promise<Reservation> {
    return Promise.resolve(this.reserveNow(key, this.now()));
  }

  /** As `reserve`, at a time the caller read (the Redis window's fallback records its admissions here too). */
  reserveNow(key: string, now: number): Reservation {
    this.prune(now);
    const log = (this.logs.get(key) ?? []).filter((s) => s > now - HOUR_MS);
    const waitMs = waitBefore(log, now, this.limits);
    if (waitMs > 0) {
      this.logs.set(key, log);
      return { admitted: false, at: now, waitMs };
    }
    this.record(key, now, log);
    return { admitted: true, at: now };
  }

  /** Records an admission made elsewhere (in Redis), so that a fallback knows this replica's own. */
  record(key: string, at: number, log = this.logs.get(key) ?? []): void {
    this.prune(at);
    // Kept oldest first, whatever order the clock gave, and only for the last hour.
    let i = log.length;
    while (i > 0 && (log[i - 1] as number) > at) i--;
    log.splice(i, 0, at);
    let old = 0;
    while (old < log.length && (log[old] as number) <= at - HOUR_MS) old++;
    this.logs.set(key, old > 0 ? log.slice(old) : log);
  }

  private prune(now: number): void {
    if (now - this.lastPrune < HOUR_MS) return;
    this.lastPrune = now;
    for (const [key, log] of this.logs) if ((log.at(-1) ?? 0) <= now - HOUR_MS) this.logs.delete(key);
  }
}
