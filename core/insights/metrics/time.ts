/**
 * Calendar arithmetic for the metrics. Every metric counts in UTC calendar days, like waivers do:
 * a moment belongs to the UTC day it falls on, whatever offset its ISO string was written with.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The trailing window of the metrics unless told otherwise, in days. */
export const DEFAULT_WINDOW_DAYS = 90;

/** The longest window accepted: ten years of days. */
export const MAX_WINDOW_DAYS = 3660;

/** The UTC day of a time in milliseconds, as a whole number of days since 1970-01-01. */
export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * The UTC day of a day index, as YYYY-MM-DD.
 *
 * @example dayString(dayIndex(Date.parse("2026-06-15T23:30:00Z"))) // "2026-06-15"
 */
export function dayString(index: number): string {
  return new Date(index * DAY_MS).toISOString().slice(0, 10);
}

/** A time in milliseconds from an ISO string, or undefined when it is not a time. */
export function parseTime(text: string | undefined | null): number | undefined {
  if (typeof text !== "string") return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The trailing window: the `days` UTC calendar days that end with the day of `now`, both ends
 * included. Only moments at or before `now` are in it (the day of `now` is partly future).
 */
export interface DayWindow {
  /** Day index of the first day. */
  first: number;
  /** Day index of the last day: the UTC day of `now`. */
  last: number;
  days: number;
  nowMs: number;
}

/**
 * The window of `days` days ending today (UTC).
 *
 * @example dayWindow(new Date("2026-06-15T12:00:00Z"), 90) // first day 2026-03-18, last 2026-06-15
 */
export function dayWindow(now: Date, days: number = DEFAULT_WINDOW_DAYS): DayWindow {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("metrics need a valid `now`");
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw new RangeError(
      `a metrics window is a whole number of days from 1 to ${MAX_WINDOW_DAYS}; got ${days}`,
    );
  }
  const last = dayIndex(nowMs);
  return { first: last - days + 1, last, days, nowMs };
}

/** Whether a moment is in the window: on one of its days, and not after `now`. */
export function inWindow(window: DayWindow, ms: number): boolean {
  const day = dayIndex(ms);
  return day >= window.first && day <= window.last && ms <= window.nowMs;
}

/** The window's days as YYYY-MM-DD, for reports. */
export function windowBounds(window: DayWindow): { from: string; to: string; days: number } {
  return { from: dayString(window.first), to: dayString(window.last), days: window.days };
}
