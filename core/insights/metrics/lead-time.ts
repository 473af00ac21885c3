/**
 * Lead time for changes, as this product can see it: from a pull request's merge to the first
 * qualifying release that contains it. Median and 90th percentile over the releases of the window.
 * Definitions: docs/metrics.md.
 */

import { isQualifying } from "../../domain/releases.js";
import type { PullRequestInfo, ReleaseInfo } from "../../engine/facts.js";
import { quantile, roundOrNull } from "./stats.js";
import { dayWindow, HOUR_MS, inWindow, parseTime, windowBounds } from "./time.js";

/** A release and the merged pull requests it contains (the `releasePullRequests` fact). */
export interface ReleaseContents {
  release: ReleaseInfo;
  pullRequests: readonly Pick<PullRequestInfo, "number" | "mergedAt">[];
}

export interface LeadTimeInput {
  releases: readonly ReleaseContents[];
  /** `release.tag_pattern`; releases count as `qualifyingReleases` counts them. */
  tagPattern?: string;
  now: Date;
  /** The trailing window in days (default 90). */
  windowDays?: number;
}

export interface LeadTime {
  window: { from: string; to: string; days: number };
  /** Qualifying releases in the window that contain at least one measured pull request. */
  releases: number;
  /** Pull requests measured: first released by a qualifying release in the window. */
  pullRequests: number;
  /** Pull requests of those releases left out: no merge time, or merged after the release. */
  skipped: number;
  /** Median merge-to-release time in hours, to 1 decimal; null when nothing was measured. */
  medianHours: number | null;
  /** 90th percentile, in hours to 1 decimal; null when nothing was measured. */
  p90Hours: number | null;
}

/**
 * The lead-time metrics of one repository.
 *
 * @example leadTime({ releases: [{ release, pullRequests }], now }).medianHours // 30.5
 */
export function leadTime(input: LeadTimeInput): LeadTime {
  const window = dayWindow(input.now, input.windowDays);
  const config = { tagPattern: { value: input.tagPattern, from: "default" as const } };
  const releases = input.releases
    .filter((c) => isQualifying(c.release, config))
    .map((c) => ({ ...c, at: Date.parse(c.release.publishedAt) }))
    .filter((c) => c.at <= window.nowMs)
    .sort((a, b) => a.at - b.at);

  // Each pull request counts once, at the first qualifying release that contains it.
  const first = new Map<number, { at: number; tag: string; mergedAt?: string }>();
  for (const c of releases) {
    for (const pr of c.pullRequests) {
      if (!first.has(pr.number))
        first.set(pr.number, { at: c.at, tag: c.release.tag, mergedAt: pr.mergedAt });
    }
  }

  const hours: number[] = [];
  // A release is its tag at its time: deployments of one ref (`main`) are separate releases.
  const tags = new Set<string>();
  let skipped = 0;
  for (const entry of first.values()) {
    if (!inWindow(window, entry.at)) continue;
    const merged = parseTime(entry.mergedAt);
    if (merged === undefined || merged > entry.at) {
      skipped++;
      continue;
    }
    hours.push((entry.at - merged) / HOUR_MS);
    tags.add(`${entry.tag}\u0000${entry.at}`);
  }
  return {
    window: windowBounds(window),
    releases: tags.size,
    pullRequests: hours.length,
    skipped,
    medianHours: roundOrNull(quantile(hours, 0.5), 1),
    p90Hours: roundOrNull(quantile(hours, 0.9), 1),
  };
}
