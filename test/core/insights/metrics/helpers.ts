/** Fixtures for the metrics tests: one fixed clock and terse builders. Never reads the real clock. */
import type { ReleaseInfo } from "../../../../core/engine/facts.js";
import type { Finding, RuleId, Status } from "../../../../core/engine/types.js";

/** Monday 2026-06-15, noon UTC. Its 90-day window runs from 2026-03-18 to 2026-06-15. */
export const NOW = new Date("2026-06-15T12:00:00.000Z");
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function rel(tag: string, publishedAt: string, extra: Partial<ReleaseInfo> = {}): ReleaseInfo {
  return { tag, publishedAt, ...extra };
}

/** The ISO time `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

/** One release at 10:00 UTC on each of the `n` days ending today. */
export function daily(n: number): ReleaseInfo[] {
  return Array.from({ length: n }, (_, i) => rel(`v${i}`, ago(i * DAY + 2 * HOUR)));
}

export function finding(rule: RuleId, status: Status): Finding {
  return { rule, status, level: "error", message: "", fix: "", evidence: [] };
}
