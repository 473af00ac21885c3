/**
 * Release frequency as DORA defines deployment frequency: deployment days over a trailing window,
 * with the DORA tier, the days since the last release, the longest release-free stretch, and the
 * share of the window's days on which the cadence held. Definitions: docs/metrics.md.
 */

import { qualifyingReleases } from "../../domain/releases.js";
import type { ReleaseInfo } from "../../engine/facts.js";
import { DORA_THRESHOLDS, type DoraTier, doraTier } from "./dora.js";
import { round } from "./stats.js";
import { DAY_MS, dayIndex, dayWindow, inWindow, windowBounds } from "./time.js";

export interface ReleaseFrequencyInput {
  /** The repository's releases, tags or deployments as gathered, in any order. */
  releases: readonly ReleaseInfo[];
  /** `release.tag_pattern`; releases count as `qualifyingReleases` counts them. */
  tagPattern?: string;
  /** The effective cadence, in milliseconds. */
  cadenceMs: number;
  now: Date;
  /** The trailing window in days (default 90). */
  windowDays?: number;
}

export interface ReleaseFrequency {
  window: { from: string; to: string; days: number };
  /** Qualifying releases in the window. */
  releases: number;
  /** UTC calendar days in the window with at least one qualifying release. */
  deploymentDays: number;
  /** deploymentDays × 7 / window days, to 2 decimals. */
  deploymentDaysPerWeek: number;
  tier: DoraTier;
  /** The thresholds the tier was computed with. */
  tierThresholds: typeof DORA_THRESHOLDS;
  /** The newest qualifying release at or before `now`, in or before the window. */
  lastRelease: { tag: string; publishedAt: string } | null;
  /** Time from the last release to `now`, in days to 1 decimal; null without a release. */
  daysSinceLastRelease: number | null;
  /** The most consecutive days of the window without a release (today included). */
  longestGapDays: number;
  cadence: {
    ms: number;
    /** Days of the window at whose end (or at `now`, for today) the cadence held. */
    coveredDays: number;
    /** coveredDays / window days, to 3 decimals. */
    coverage: number;
  };
}

/**
 * The release-frequency metrics of one repository.
 *
 * @example
 * releaseFrequency({ releases, tagPattern: "v*", cadenceMs: 14 * DAY_MS, now }).tier // "high"
 */
export function releaseFrequency(input: ReleaseFrequencyInput): ReleaseFrequency {
  if (!(input.cadenceMs > 0))
    throw new RangeError(`a cadence must be longer than zero; got ${input.cadenceMs}`);
  const window = dayWindow(input.now, input.windowDays);
  const config = { tagPattern: { value: input.tagPattern, from: "default" as const } };
  // Newest first; releases dated after `now` have not happened yet as far as this clock knows.
  const past = qualifyingReleases(config, input.releases).filter(
    (r) => Date.parse(r.publishedAt) <= window.nowMs,
  );
  const times = past.map((r) => Date.parse(r.publishedAt)).reverse();
  const inside = times.filter((t) => inWindow(window, t));
  const days = new Set(inside.map(dayIndex));

  const latest = past[0];
  const latestMs = times[times.length - 1];
  return {
    window: windowBounds(window),
    releases: inside.length,
    deploymentDays: days.size,
    deploymentDaysPerWeek: round((days.size * 7) / window.days, 2),
    tier: doraTier(days.size, window.days),
    tierThresholds: DORA_THRESHOLDS,
    lastRelease: latest ? { tag: latest.tag, publishedAt: latest.publishedAt } : null,
    daysSinceLastRelease: latestMs === undefined ? null : round((window.nowMs - latestMs) / DAY_MS, 1),
    longestGapDays: longestGap(days, window.first, window.last),
    cadence: cadenceCoverage(times, input.cadenceMs, window),
  };
}

/** The longest run of consecutive days from `first` to `last` that are not in `days`. */
function longestGap(days: ReadonlySet<number>, first: number, last: number): number {
  let longest = 0;
  let run = 0;
  for (let day = first; day <= last; day++) {
    run = days.has(day) ? 0 : run + 1;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * For each day of the window, whether the newest release at or before the day's last millisecond
 * (or `now`, for today) is at most `cadenceMs` older than that moment: what `release.cadence`
 * would have said at the end of that day. `ascending` are release times, oldest first.
 */
function cadenceCoverage(
  ascending: readonly number[],
  cadenceMs: number,
  window: ReturnType<typeof dayWindow>,
): ReleaseFrequency["cadence"] {
  let covered = 0;
  let next = 0;
  let newest: number | undefined;
  for (let day = window.first; day <= window.last; day++) {
    const at = Math.min((day + 1) * DAY_MS - 1, window.nowMs);
    while (next < ascending.length && (ascending[next] as number) <= at) newest = ascending[next++];
    if (newest !== undefined && at - newest <= cadenceMs) covered++;
  }
  return { ms: cadenceMs, coveredDays: covered, coverage: round(covered / window.days, 3) };
}
