/** What a repository of the organization report contributes to the team view. */

import type { RepoMetrics } from "../metrics/org.js";
import type { Stability } from "../metrics/stability.js";
import { type RepoInsights, rowLabel } from "../report/insights.js";
import type { StabilityFigures, TeamRepo } from "./types.js";

/**
 * The team view's input for one repository: its insights and the metrics the report computed
 * (its stability figures among them, when its releases were read).
 *
 * @example teamRepoOf(insights, row.metrics).team // "acme/payments"
 */
export function teamRepoOf(r: RepoInsights, metrics: RepoMetrics): TeamRepo {
  const stability = metrics.stability ? stabilityFigures(metrics.stability) : undefined;
  const statuses: TeamRepo["statuses"] = {};
  for (const f of r.findings) statuses[f.rule] = f.status;
  const unowned = !r.hasManifest
    ? "no manifest"
    : r.team === undefined
      ? statuses["manifest.valid"] === "fail"
        ? "the manifest is not valid"
        : "no owning team"
      : undefined;
  return {
    repo: r.repo,
    ...(r.perProduct ? { label: rowLabel(r) } : {}),
    team: r.team ?? null,
    ...(unowned ? { unowned } : {}),
    ...(r.teamName ? { teamName: r.teamName } : {}),
    ...(r.trio ? { trio: r.trio } : {}),
    ...(r.teamMembers ? { members: r.teamMembers } : {}),
    outcomes:
      r.outcomes ??
      r.activeOutcomes.map((id) => ({ id, status: "active" as const, from: "manifest" as const })),
    statuses,
    cadence: r.cadence,
    metrics,
    traced: (r.merged ?? []).map((m) => ({
      number: m.number,
      mergedAt: m.mergedAt,
      outcomes: m.trace === "outcome" ? (m.outcomes ?? []) : [],
    })),
    // Pull requests read from git history (offline) do not say what they trace to.
    ...(r.merged?.every((m) => m.trace !== undefined) && r.historySince
      ? { historySince: r.historySince }
      : {}),
    ...(stability ? { stability } : {}),
  };
}

/**
 * A repository's stability figures as the team view takes them: the rate, the median time to
 * restore, the failed releases' tags, and whether a signal could not be read (then the rate is a
 * lower bound).
 */
function stabilityFigures(s: Stability): StabilityFigures {
  return {
    changeFailureRate: s.changeFailureRate,
    timeToRestoreHours: s.timeToRestore.medianHours,
    failedTags: s.failed.map((f) => f.tag),
    ...(s.unread.length > 0 ? { unread: [...s.unread] } : {}),
  };
}
