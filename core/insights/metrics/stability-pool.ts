/**
 * Stability over several repositories (a team's, or the organization's): deployments and
 * failures summed, the rate recomputed from the sums, and time to restore over every restored
 * failure. Definitions: docs/metrics.md ("Stability").
 */
import { restoreSummary, type Stability } from "./stability.js";
import { round, share } from "./stats.js";

export interface PooledStability {
  /** Repositories (or products) with stability figures; the sums are over these. */
  repos: number;
  deployments: number;
  failures: number;
  /** Σ failures / Σ deployments, to 3 decimals; null without deployments. */
  changeFailureRate: number | null;
  restored: number;
  open: number;
  /** Over every restored failure of every repository (a pooled median, not a median of medians). */
  timeToRestore: Stability["timeToRestore"];
  /** Repositories whose rate may be higher than shown: reverts or incidents could not be read. */
  incomplete: number;
}

/**
 * Pools the stability of several repositories.
 *
 * @example pooledStability([a, b]).changeFailureRate // (a.failures + b.failures) / (a.deployments + b.deployments)
 */
export function pooledStability(parts: readonly Stability[]): PooledStability {
  const sum = (pick: (s: Stability) => number) => parts.reduce((n, s) => n + pick(s), 0);
  const deployments = sum((s) => s.deployments);
  const failures = sum((s) => s.failures);
  const rate = share(failures, deployments);
  const hours = parts.flatMap((s) =>
    s.failed.flatMap((f) => (f.restoreHours === null ? [] : [f.restoreHours])),
  );
  return {
    repos: parts.length,
    deployments,
    failures,
    changeFailureRate: rate === null ? null : round(rate, 3),
    restored: hours.length,
    open: sum((s) => s.open),
    timeToRestore: restoreSummary(hours),
    incomplete: parts.filter((s) => s.unread.length > 0).length,
  };
}
