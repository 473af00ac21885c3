/**
 * Organization-level figures: summaries (mean, median) of the per-repository figures, totals of
 * the counts, and coverage counts. Definitions: docs/metrics.md.
 */
import { DORA_THRESHOLDS, type DoraTier } from "./dora.js";
import type { LeadTime } from "./lead-time.js";
import {
  type ManifestState,
  OWNERSHIP_RULES,
  type OwnershipCoverage,
  type OwnershipRule,
} from "./ownership.js";
import type { ReleaseFrequency } from "./release-frequency.js";
import type { Stability } from "./stability.js";
import { type PooledStability, pooledStability } from "./stability-pool.js";
import { round, type Summary, share, summarize } from "./stats.js";
import { emptyCounts, type StatusCounts } from "./status.js";
import {
  type OutcomeCount,
  sortCounts,
  type Traceability,
  type TraceCounts,
  type TraceShares,
  traceShares,
} from "./traceability.js";

/** One repository's metrics; a section is absent when its facts could not be gathered. */
export interface RepoMetrics {
  repo: string;
  releaseFrequency?: ReleaseFrequency;
  leadTime?: LeadTime;
  /** Change failure rate and time to restore. */
  stability?: Stability;
  traceability?: Traceability;
  ownership?: OwnershipCoverage;
}

export interface OrgMetrics {
  /** Repositories given. */
  repos: number;
  releaseFrequency: {
    /** Repositories with release figures; the summaries are over these. */
    repos: number;
    tiers: Record<DoraTier, number>;
    tierThresholds: typeof DORA_THRESHOLDS;
    deploymentDaysPerWeek: Summary;
    /** Over the repositories that have released at all. */
    daysSinceLastRelease: Summary;
    /** Repositories without any qualifying release. */
    neverReleased: number;
    longestGapDays: Summary;
    cadenceCoverage: Summary;
  };
  leadTime: {
    /** Repositories with at least one measured pull request; the summaries are over these. */
    repos: number;
    pullRequests: number;
    medianHours: Summary;
    p90Hours: Summary;
  };
  /** Pooled over the repositories with releases read (docs/metrics.md, "Stability"). */
  stability: PooledStability;
  traceability: TraceCounts &
    TraceShares & {
      repos: number;
      byOutcome: OutcomeCount[];
    };
  ownership: {
    repos: number;
    /** Repositories where all four ownership rules pass. */
    complete: number;
    completeShare: number | null;
    manifest: Record<ManifestState, number>;
    rules: Record<OwnershipRule, StatusCounts>;
  };
}

/**
 * Aggregates per-repository metrics.
 *
 * @example orgMetrics(repos).traceability.tracedShare // 0.8
 */
export function orgMetrics(repos: readonly RepoMetrics[]): OrgMetrics {
  return {
    repos: repos.length,
    releaseFrequency: releaseSummary(repos.flatMap((r) => (r.releaseFrequency ? [r.releaseFrequency] : []))),
    leadTime: leadTimeSummary(
      repos.flatMap((r) => (r.leadTime && r.leadTime.pullRequests > 0 ? [r.leadTime] : [])),
    ),
    stability: pooledStability(repos.flatMap((r) => (r.stability ? [r.stability] : []))),
    traceability: traceTotals(repos.flatMap((r) => (r.traceability ? [r.traceability] : []))),
    ownership: ownershipCounts(repos.flatMap((r) => (r.ownership ? [r.ownership] : []))),
  };
}

function releaseSummary(all: readonly ReleaseFrequency[]): OrgMetrics["releaseFrequency"] {
  const tiers: Record<DoraTier, number> = { elite: 0, high: 0, medium: 0, low: 0 };
  for (const f of all) tiers[f.tier]++;
  return {
    repos: all.length,
    tiers,
    tierThresholds: DORA_THRESHOLDS,
    deploymentDaysPerWeek: summarize(
      all.map((f) => f.deploymentDaysPerWeek),
      2,
    ),
    daysSinceLastRelease: summarize(
      all.map((f) => f.daysSinceLastRelease),
      1,
    ),
    neverReleased: all.filter((f) => f.lastRelease === null).length,
    longestGapDays: summarize(
      all.map((f) => f.longestGapDays),
      1,
    ),
    cadenceCoverage: summarize(
      all.map((f) => f.cadence.coverage),
      3,
    ),
  };
}

function leadTimeSummary(all: readonly LeadTime[]): OrgMetrics["leadTime"] {
  return {
    repos: all.length,
    pullRequests: all.reduce((sum, l) => sum + l.pullRequests, 0),
    medianHours: summarize(
      all.map((l) => l.medianHours),
      1,
    ),
    p90Hours: summarize(
      all.map((l) => l.p90Hours),
      1,
    ),
  };
}

function traceTotals(all: readonly Traceability[]): OrgMetrics["traceability"] {
  const counts: TraceCounts = { pullRequests: 0, traced: 0, exempt: 0, waived: 0, untraced: 0, unknown: 0 };
  const perOutcome = new Map<string, number>();
  for (const t of all) {
    for (const key of Object.keys(counts) as (keyof TraceCounts)[]) counts[key] += t[key];
    for (const o of t.byOutcome) perOutcome.set(o.id, (perOutcome.get(o.id) ?? 0) + o.pullRequests);
  }
  return { repos: all.length, ...counts, ...traceShares(counts), byOutcome: sortCounts(perOutcome) };
}

function ownershipCounts(all: readonly OwnershipCoverage[]): OrgMetrics["ownership"] {
  const manifest: Record<ManifestState, number> = { valid: 0, invalid: 0, absent: 0, unknown: 0 };
  const rules = Object.fromEntries(OWNERSHIP_RULES.map((r) => [r, emptyCounts()])) as Record<
    OwnershipRule,
    StatusCounts
  >;
  for (const o of all) {
    manifest[o.manifest]++;
    for (const r of OWNERSHIP_RULES) rules[r][o.rules[r] ?? "none"]++;
  }
  const complete = all.filter((o) => o.complete).length;
  const completeShare = share(complete, all.length);
  return {
    repos: all.length,
    complete,
    completeShare: completeShare === null ? null : round(completeShare, 3),
    manifest,
    rules,
  };
}
