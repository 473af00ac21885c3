/** Durations as written in pom.yml: `36h`, `14d`, `2w`, or a named cadence. */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const NAMED: Record<string, number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  biweekly: 14 * DAY_MS,
  monthly: 30 * DAY_MS,
};

const UNIT_MS: Record<string, number> = { h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** The largest duration accepted: about 190 years is far past any useful cadence. */
const MAX_AMOUNT = 9999;

export type DurationResult = { ok: true; ms: number; text: string } | { ok: false; message: string };

/**
 * Parses a cadence or duration.
 *
 * @example parseDuration("14d") // { ok: true, ms: 1209600000, text: "14d" }
 * @example parseDuration("fortnight").ok // false
 */
export function parseDuration(input: unknown): DurationResult {
  const expected = "expected a duration such as 36h, 14d or 2w, or one of daily, weekly, biweekly, monthly";
  if (typeof input !== "string") {
    return { ok: false, message: `${expected}; found ${describeValue(input)}` };
  }
  const text = input.trim();
  const named = NAMED[text.toLowerCase()];
  if (named !== undefined) return { ok: true, ms: named, text: text.toLowerCase() };
  const match = /^(-?\d+)\s*([a-zA-Z]*)$/.exec(text);
  if (!match) return { ok: false, message: `${expected}; found "${truncate(text)}"` };
  const amount = Number(match[1]);
  const unit = (match[2] ?? "").toLowerCase();
  const unitMs = UNIT_MS[unit];
  if (unitMs === undefined) {
    const why = unit === "" ? "a unit is missing" : `"${truncate(unit)}" is not a unit (use h, d or w)`;
    return { ok: false, message: `${expected}; found "${truncate(text)}": ${why}` };
  }
  if (amount <= 0) {
    return { ok: false, message: `a duration must be longer than zero; found "${truncate(text)}"` };
  }
  if (amount > MAX_AMOUNT) {
    return {
      ok: false,
      message: `a duration may be at most ${MAX_AMOUNT}${unit}; found "${truncate(text)}"`,
    };
  }
  return { ok: true, ms: amount * unitMs, text: `${amount}${unit}` };
}

/**
 * Renders milliseconds as a short human duration, rounding down.
 *
 * @example formatDuration(90_000_000) // "1d 1h"
 */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let rest = Math.abs(ms);
  const days = Math.floor(rest / DAY_MS);
  rest -= days * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0) parts.push(`${hours}h`);
  if (days === 0 && minutes > 0) parts.push(`${minutes}m`);
  if (parts.length === 0) parts.push(ms === 0 ? "0s" : `${Math.max(1, Math.floor(Math.abs(ms) / 1000))}s`);
  return (negative ? "-" : "") + parts.join(" ");
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${truncate(value)}"`;
  return `${typeof value} ${String(value)}`;
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
