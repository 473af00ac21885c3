/** Time-boxed waivers: in force through the end of their `until` day, in UTC. */

const DAY_MS = 86_400_000;

/**
 * Whether a waiver dated `until` (YYYY-MM-DD) is still in force at `now`.
 *
 * @example isWaiverActive("2026-12-31", new Date("2026-12-31T23:59:59Z")) // true
 * @example isWaiverActive("2026-12-31", new Date("2027-01-01T00:00:00Z")) // false
 */
export function isWaiverActive(until: string, now: Date): boolean {
  const end = Date.parse(`${until}T00:00:00Z`);
  if (Number.isNaN(end)) return false;
  return now.getTime() < end + DAY_MS;
}

/** The UTC calendar day of a moment, as YYYY-MM-DD. */
export function utcDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
