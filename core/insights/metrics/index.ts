/**
 * The metrics of the insights report, as pure functions: plain data and one clock in, JSON-friendly
 * figures out. Every definition is in docs/metrics.md.
 */
export {
  type ComplianceMatrix,
  type ComplianceRow,
  complianceMatrix,
  type RepoFindings,
  type RuleTotals,
} from "./compliance.js";
export {
  DORA_2023_DEPLOYMENT_FREQUENCY,
  DORA_THRESHOLDS,
  type DoraThreshold,
  type DoraTier,
  doraTier,
} from "./dora.js";
export { type LeadTime, type LeadTimeInput, leadTime, type ReleaseContents } from "./lead-time.js";
export { type OrgMetrics, orgMetrics, type RepoMetrics } from "./org.js";
export {
  type ManifestState,
  OWNERSHIP_RULES,
  type OwnershipCoverage,
  type OwnershipInput,
  type OwnershipRule,
  ownershipCoverage,
} from "./ownership.js";
export { type ReleaseFrequency, type ReleaseFrequencyInput, releaseFrequency } from "./release-frequency.js";
export { type RepoMetricsInput, repoMetrics } from "./repo.js";
export {
  deploymentsOf,
  type FailureCause,
  type IncidentSignal,
  type ReleaseFailure,
  type RevertSignal,
  type Stability,
  type StabilityInput,
  stability,
} from "./stability.js";
export { type PooledStability, pooledStability } from "./stability-pool.js";
export { stabilitySettings } from "./stability-settings.js";
export {
  DEFAULT_STABILITY,
  isHotfix,
  isPatchBump,
  namedTags,
  revertedCommits,
  revertedPulls,
  type StabilitySettings,
} from "./stability-signals.js";
export { median, quantile, type Summary } from "./stats.js";
export { type StatusCounts, worstStatus } from "./status.js";
export { DEFAULT_WINDOW_DAYS } from "./time.js";
export {
  type OutcomeCount,
  type Trace,
  type Traceability,
  type TraceabilityInput,
  type TracedPullRequest,
  traceability,
  traceOf,
} from "./traceability.js";
export { orgSnapshot, type Snapshot, type TrendSeries, trendSeries } from "./trend.js";
