/**
 * Virtual time for the pacer (github/transport/pacer.ts), for tests and the benchmark: nothing
 * really waits. A pacer that has to wait moves the clock on to the time it waits for (never
 * back), after letting whatever else is ready run first, so hours of pacing take moments. The
 * admissions the pacer reports, with their virtual times, are what the tests and the benchmark
 * check the limits against.
 */

import {
  GITHUB_CREATE_LIMITS,
  HOUR_MS,
  MemoryWindow,
  MINUTE_MS,
  type PaceLimits,
  type PaceWindow,
} from "../github/transport/pace-window.js";
import { type Admission, Pacer, type PacerClock } from "../github/transport/pacer.js";

export class VirtualClock implements PacerClock {
  constructor(private time = 0) {}

  now = (): number => this.time;

  async sleepUntil(at: number): Promise<void> {
    // What is ready to run (an arrival, an answer) runs at the present time first.
    await new Promise((resolve) => setImmediate(resolve));
    if (at > this.time) this.time = at;
  }
}

/**
 * A pacer on a virtual clock that records what it lets through: over `window` (made for the
 * clock), by default a window of this process with `limits`.
 */
export function pacerOnVirtualTime(
  options: { limits?: PaceLimits; start?: number; window?: (clock: VirtualClock) => PaceWindow } = {},
): { clock: VirtualClock; pacer: Pacer; admitted: Admission[] } {
  const clock = new VirtualClock(options.start ?? 0);
  const admitted: Admission[] = [];
  const window =
    options.window?.(clock) ?? new MemoryWindow(options.limits ?? GITHUB_CREATE_LIMITS, clock.now);
  const pacer = new Pacer({ window, clock, onAdmit: (a) => admitted.push(a) });
  return { clock, pacer, admitted };
}

/** The most admissions within any rolling window of `ms` (one starting just after each admission). */
export function mostWithin(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[first] as number) <= (sorted[last] as number) - ms) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** The busiest rolling minute and hour of `admissions`, and whether they kept to `limits`. */
export function busiest(
  admissions: readonly Pick<Admission, "at">[],
  limits: PaceLimits,
): { perMinute: number; perHour: number; within: boolean } {
  const times = admissions.map((a) => a.at);
  const perMinute = mostWithin(times, MINUTE_MS);
  const perHour = mostWithin(times, HOUR_MS);
  return { perMinute, perHour, within: perMinute <= limits.perMinute && perHour <= limits.perHour };
}
