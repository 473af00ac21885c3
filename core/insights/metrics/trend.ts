/**
 * Trend lines: dated organization snapshots turned into one value per UTC day per metric, with
 * null (a gap in the line, never a zero) on days without a snapshot. Definitions: docs/metrics.md.
 */
import type { OrgMetrics } from "./org.js";
import { dayIndex, dayString, MAX_WINDOW_DAYS, parseTime } from "./time.js";

/** The figures of one moment, by metric name. */
export interface Snapshot {
  /** When it was taken: an ISO time or a YYYY-MM-DD day (read as UTC). */
  at: string;
  metrics: Readonly<Record<string, number | null>>;
}

export interface TrendSeries {
  /** Every UTC day from the first to the last, as YYYY-MM-DD. */
  days: string[];
  /** Per metric (sorted by name), one value per day; null where no snapshot has it. */
  series: Record<string, (number | null)[]>;
  /** Snapshots left out: an unreadable `at`, or outside `from`..`to`. */
  skipped: number;
}

/**
 * The series of some snapshots. The days run from `from` (default: the first snapshot's day) to
 * `to` (default: the last snapshot's day), at most 3660 days (the latest are kept). When several
 * snapshots fall on one day, the latest of them is that day's value.
 *
 * @example trendSeries([{ at: "2026-06-01", metrics: { repos: 3 } }, { at: "2026-06-03", metrics: { repos: 4 } }])
 * // { days: ["2026-06-01", "2026-06-02", "2026-06-03"], series: { repos: [3, null, 4] }, skipped: 0 }
 */
export function trendSeries(
  snapshots: readonly Snapshot[],
  options: { from?: string; to?: string } = {},
): TrendSeries {
  const dated = snapshots
    .map((s, order) => ({ s, order, ms: parseTime(s.at) }))
    .filter((d): d is { s: Snapshot; order: number; ms: number } => d.ms !== undefined);
  let skipped = snapshots.length - dated.length;
  if (dated.length === 0) return { days: [], series: {}, skipped };

  const indexes = dated.map((d) => dayIndex(d.ms));
  const fromMs = parseTime(options.from);
  const toMs = parseTime(options.to);
  const last = toMs === undefined ? indexes.reduce((a, b) => Math.max(a, b)) : dayIndex(toMs);
  let first = fromMs === undefined ? indexes.reduce((a, b) => Math.min(a, b)) : dayIndex(fromMs);
  first = Math.max(first, last - MAX_WINDOW_DAYS + 1);
  if (first > last) return { days: [], series: {}, skipped: snapshots.length };

  // Per day, the latest snapshot (by time, then by position in the input).
  const perDay = new Map<number, { ms: number; order: number; s: Snapshot }>();
  for (const d of dated) {
    const day = dayIndex(d.ms);
    if (day < first || day > last) {
      skipped++;
      continue;
    }
    const held = perDay.get(day);
    if (!held || d.ms > held.ms || (d.ms === held.ms && d.order > held.order)) perDay.set(day, d);
  }

  const names = [...new Set([...perDay.values()].flatMap((d) => Object.keys(d.s.metrics)))].sort();
  const days: string[] = [];
  const series: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let day = first; day <= last; day++) {
    days.push(dayString(day));
    const metrics = perDay.get(day)?.s.metrics;
    for (const name of names) {
      const value = metrics?.[name];
      series[name]?.push(typeof value === "number" && Number.isFinite(value) ? value : null);
    }
  }
  return { days, series, skipped };
}

/**
 * The snapshot of organization metrics taken at `at`, with the figures trend lines plot.
 *
 * @example orgSnapshot(orgMetrics(repos), now).metrics["traceability.tracedShare"] // 0.8
 */
export function orgSnapshot(org: OrgMetrics, at: Date): Snapshot {
  const f = org.releaseFrequency;
  return {
    at: at.toISOString(),
    metrics: {
      repos: org.repos,
      "release.deploymentDaysPerWeek.median": f.deploymentDaysPerWeek.median,
      "release.daysSinceLastRelease.median": f.daysSinceLastRelease.median,
      "release.cadenceCoverage.mean": f.cadenceCoverage.mean,
      "release.tier.elite": f.tiers.elite,
      "release.tier.high": f.tiers.high,
      "release.tier.medium": f.tiers.medium,
      "release.tier.low": f.tiers.low,
      "leadTime.medianHours.median": org.leadTime.medianHours.median,
      "leadTime.p90Hours.median": org.leadTime.p90Hours.median,
      "stability.changeFailureRate": org.stability.changeFailureRate,
      "stability.timeToRestore.medianHours": org.stability.timeToRestore.medianHours,
      "traceability.tracedShare": org.traceability.tracedShare,
      "traceability.tracedShareOfGoverned": org.traceability.tracedShareOfGoverned,
      "ownership.completeShare": org.ownership.completeShare,
    },
  };
}
