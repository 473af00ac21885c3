/**
 * Stability, the other two DORA figures: change failure rate (the share of the window's
 * deployments that failed) and time to restore (how long a failure lasted). A deployment is a
 * qualifying release; two for the same commit are one. Definitions: docs/metrics.md.
 */

import { qualifyingReleases } from "../../domain/releases.js";
import type { ReleaseInfo } from "../../engine/facts.js";
import { DEFAULT_STABILITY, isHotfix, isPatchBump, type StabilitySettings } from "./stability-signals.js";
import { quantile, round, roundOrNull, share } from "./stats.js";
import { dayWindow, HOUR_MS, inWindow, windowBounds } from "./time.js";

/** A revert that landed on the default branch, and what it reverted. */
export interface RevertSignal {
  /** When it landed (a revert pull request's merge, or the revert commit's time). */
  at: string;
  /** The reverted pull request, when known. */
  pull?: number;
  /** The reverted commit, when it is not a known pull request's merge commit. */
  sha?: string;
  /** When the reverted commit was committed, when it was read. */
  revertedAt?: string;
  /** What reverted it, for the evidence: "commit 1a2b3c4" or "pull request #45". */
  by: string;
}

/** An issue with the incident label, and the release tags it names. */
export interface IncidentSignal {
  number: number;
  createdAt: string;
  closedAt?: string;
  tags: string[];
}

export type FailureCause = "hotfix" | "revert" | "incident";

export interface ReleaseFailure {
  tag: string;
  publishedAt: string;
  causes: FailureCause[];
  /** What shows it: the hotfix release, the reverts, the incident issues. */
  evidence: string[];
  /** When the last cause was fixed; null while one is still open. */
  restoredAt: string | null;
  /** From publication (or the first incident's creation) to `restoredAt`, in hours to 1 decimal. */
  restoreHours: number | null;
}

export interface StabilityInput {
  releases: readonly ReleaseInfo[];
  tagPattern?: string;
  now: Date;
  windowDays?: number;
  /** Merged pull requests, to find the release that shipped a reverted one. */
  merged?: readonly { number: number; mergedAt: string }[];
  /** Absent when they could not be read: the figures then say so in `unread`. */
  reverts?: readonly RevertSignal[];
  incidents?: readonly IncidentSignal[];
  settings?: StabilitySettings;
}

export interface Stability {
  window: { from: string; to: string; days: number };
  /** Deployments in the window (a commit released twice counts once). */
  deployments: number;
  failures: number;
  /** failures / deployments, to 3 decimals; null without deployments. */
  changeFailureRate: number | null;
  restored: number;
  /** Failures not restored by `now`. */
  open: number;
  /** Over the restored failures, in hours to 1 decimal; null when none was restored. */
  timeToRestore: { medianHours: number | null; p90Hours: number | null };
  failed: ReleaseFailure[];
  /** Signals that could not be read: the rate may be higher than shown. */
  unread: ("reverts" | "incidents")[];
}

interface Deployment {
  at: number;
  release: ReleaseInfo;
  /** Every tag released with this commit. */
  tags: string[];
}

/** Qualifying releases up to `now`, oldest first, one per commit (the first release of it). */
export function deploymentsOf(
  releases: readonly ReleaseInfo[],
  tagPattern: string | undefined,
  nowMs: number,
): Deployment[] {
  const config = { tagPattern: { value: tagPattern, from: "default" as const } };
  const bySha = new Map<string, Deployment>();
  const out: Deployment[] = [];
  for (const release of qualifyingReleases(config, releases).reverse()) {
    const at = Date.parse(release.publishedAt);
    if (at > nowMs) continue;
    const held = release.sha ? bySha.get(release.sha) : undefined;
    if (held) {
      held.tags.push(release.tag);
      continue;
    }
    const d = { at, release, tags: [release.tag] };
    if (release.sha) bySha.set(release.sha, d);
    out.push(d);
  }
  return out;
}

interface Cause {
  kind: FailureCause;
  evidence: string;
  start: number;
  /** When it was fixed; undefined while open. */
  end?: number;
}

/**
 * The stability figures of one repository.
 *
 * @example stability({ releases, now, reverts: [], incidents: [] }).changeFailureRate // 0.25
 */
export function stability(input: StabilityInput): Stability {
  const window = dayWindow(input.now, input.windowDays);
  const settings = input.settings ?? DEFAULT_STABILITY;
  const deployments = deploymentsOf(input.releases, input.tagPattern, window.nowMs);
  const firstAtOrAfter = (ms: number) => deployments.findIndex((d) => d.at >= ms);
  const mergedAt = new Map((input.merged ?? []).map((m) => [m.number, Date.parse(m.mergedAt)]));

  const causes = new Map<number, Cause[]>();
  const add = (i: number, cause: Cause) => causes.set(i, [...(causes.get(i) ?? []), cause]);
  for (const [i, d] of deployments.entries()) {
    const next = deployments[i + 1];
    if (next && next.at - d.at <= settings.patchWindowMs) {
      const hotfix = isHotfix(next.release, settings.hotfixPatterns);
      if (hotfix || isPatchBump(d.release.tag, next.release.tag))
        add(i, {
          kind: "hotfix",
          evidence: `${next.release.tag} ${hotfix ? "is a hotfix" : "is a patch"} ${hours(next.at - d.at)} later`,
          start: d.at,
          end: next.at,
        });
    }
  }
  for (const r of input.reverts ?? []) {
    const landed = Date.parse(r.at);
    const changed = r.pull !== undefined ? mergedAt.get(r.pull) : Date.parse(r.revertedAt ?? "");
    if (changed === undefined || Number.isNaN(changed) || Number.isNaN(landed) || landed > window.nowMs)
      continue;
    const i = firstAtOrAfter(changed);
    const d = deployments[i];
    const next = deployments[i + 1];
    if (!d || landed <= d.at || (next && landed > next.at)) continue;
    const what = r.pull !== undefined ? `#${r.pull}` : `commit ${(r.sha ?? "").slice(0, 7)}`;
    add(i, {
      kind: "revert",
      evidence: `${r.by} reverts ${what}`,
      start: d.at,
      ...(next ? { end: next.at } : {}),
    });
  }
  for (const incident of input.incidents ?? []) {
    const created = Date.parse(incident.createdAt);
    if (Number.isNaN(created) || created > window.nowMs) continue;
    const closed = Date.parse(incident.closedAt ?? "");
    for (const [i, d] of deployments.entries()) {
      if (!d.tags.some((t) => incident.tags.includes(t))) continue;
      add(i, {
        kind: "incident",
        evidence: `incident #${incident.number}`,
        start: created,
        ...(closed <= window.nowMs ? { end: closed } : {}),
      });
    }
  }

  const inside = deployments.map((d, i) => ({ d, i })).filter(({ d }) => inWindow(window, d.at));
  const failed = inside.flatMap(({ d, i }) => {
    const found = causes.get(i);
    return found ? [failure(d, found)] : [];
  });
  const restoreHours = failed.flatMap((f) => (f.restoreHours === null ? [] : [f.restoreHours]));
  const rate = share(failed.length, inside.length);
  return {
    window: windowBounds(window),
    deployments: inside.length,
    failures: failed.length,
    changeFailureRate: rate === null ? null : round(rate, 3),
    restored: restoreHours.length,
    open: failed.length - restoreHours.length,
    timeToRestore: restoreSummary(restoreHours),
    failed,
    unread: [
      ...(input.reverts ? [] : ["reverts" as const]),
      ...(input.incidents ? [] : ["incidents" as const]),
    ],
  };
}

function failure(d: Deployment, causes: readonly Cause[]): ReleaseFailure {
  const start = Math.min(...causes.map((c) => c.start));
  const open = causes.some((c) => c.end === undefined);
  const end = open ? undefined : Math.max(...causes.map((c) => c.end as number));
  return {
    tag: d.release.tag,
    publishedAt: new Date(d.at).toISOString(),
    causes: [...new Set(causes.map((c) => c.kind))],
    evidence: [...new Set(causes.map((c) => c.evidence))],
    restoredAt: end === undefined ? null : new Date(end).toISOString(),
    restoreHours: end === undefined ? null : round(Math.max(0, end - start) / HOUR_MS, 1),
  };
}

/** The median and 90th percentile of restore times in hours, to 1 decimal. */
export function restoreSummary(hoursList: readonly number[]): Stability["timeToRestore"] {
  return {
    medianHours: roundOrNull(quantile(hoursList, 0.5), 1),
    p90Hours: roundOrNull(quantile(hoursList, 0.9), 1),
  };
}

const hours = (ms: number) => `${round(ms / HOUR_MS, 1)} h`;
