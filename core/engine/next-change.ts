/**
 * The next moment at which a verdict can change with nothing else changing: a waiver runs out, an
 * active outcome passes its due date, or a rule's scheduled level (or campaign) reaches a stage. A verdict stored with this date is known to be current
 * until then; a sweep after it judges the subject again.
 */
import type { EffectiveConfig } from "../manifest/config.js";

const DAY_MS = 86_400_000;

/** The start of the UTC day after `day` (YYYY-MM-DD), in ms; NaN for a malformed date. */
function dayAfter(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS;
}

/**
 * The earliest moment after `now` at which a waiver of `config` expires or an active outcome
 * becomes past due (both take effect at the start of the following UTC day), or a scheduled level
 * changes (at the start of its day), as an ISO string; undefined when nothing is dated.
 *
 * @example nextChange(config, new Date("2026-12-07T10:00:00Z")) // "2027-01-01T00:00:00.000Z" for a waiver until 2026-12-31
 */
export function nextChange(config: EffectiveConfig, now: Date): string | undefined {
  const moments = [
    ...config.waivers.map((w) => dayAfter(w.until)),
    ...config.outcomes.filter((o) => o.status === "active" && o.due).map((o) => dayAfter(o.due ?? "")),
    ...Object.values(config.levels).flatMap((l) =>
      (l.schedule?.steps ?? []).map((s) => Date.parse(`${s.from}T00:00:00Z`)),
    ),
  ].filter((ms) => !Number.isNaN(ms) && ms > now.getTime());
  return moments.length > 0 ? new Date(Math.min(...moments)).toISOString() : undefined;
}
