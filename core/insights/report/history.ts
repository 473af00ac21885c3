/** The organization report's trend history: one snapshot per UTC day, the newest HISTORY_DAYS. */
import type { Snapshot } from "../metrics/index.js";

/** Daily snapshots kept in a report's history (the newest). */
export const HISTORY_DAYS = 400;

/**
 * The UTC days on which `earlier` snapshots add a point to the trend lines of a report made at
 * `now`: none when they are all from `now`'s day, for which the report's own snapshot stands.
 *
 * @example daysAddedBy([{ at: "2026-06-15T08:00:00Z", metrics: {} }], new Date("2026-06-15T12:00:00Z")) // []
 */
export function daysAddedBy(earlier: readonly Snapshot[], now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const days = new Set<string>();
  for (const s of earlier) {
    const ms = Date.parse(s.at);
    if (!Number.isNaN(ms)) days.add(new Date(ms).toISOString().slice(0, 10));
  }
  days.delete(today);
  return [...days].sort();
}

/** Earlier snapshots plus today's, one per UTC day (the latest wins), the newest HISTORY_DAYS. */
export function mergeHistory(earlier: readonly Snapshot[], today: Snapshot): Snapshot[] {
  const perDay = new Map<string, Snapshot>();
  for (const s of [...earlier, today]) {
    const ms = Date.parse(s.at);
    if (Number.isNaN(ms)) continue;
    const day = new Date(ms).toISOString().slice(0, 10);
    const held = perDay.get(day);
    if (!held || Date.parse(held.at) <= ms) perDay.set(day, s);
  }
  return [...perDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(-HISTORY_DAYS)
    .map(([, s]) => s);
}
