/**
 * What one repository contributes to the insights report, in a form that outlives one run: its
 * verdict and the raw history the metrics are computed from (releases, merged pull requests and
 * how each traces). Written by `pom check --format json` (key `insights`), gathered live by the
 * sweep, and read back by `pom report`, which computes the figures for any window.
 */

import type { ReleaseInfo } from "../../engine/facts.js";
import type { Conclusion, Finding } from "../../engine/types.js";
import { isWaiverActive } from "../../engine/waivers.js";
import type { EffectiveConfig } from "../../manifest/config.js";
import type { Trace } from "../metrics/traceability.js";

/** A merged pull request: when, and (when its facts were read) how it traces to an outcome. */
export interface MergedPullRequest {
  number: number;
  mergedAt: string;
  /** Absent when the pull request's text was not read (offline, from git history). */
  trace?: Trace;
  /** The active outcome ids it traces to, for `trace: "outcome"`. */
  outcomes?: string[];
}

export interface RepoInsights {
  /** "owner/name", or the checkout's directory name offline. */
  repo: string;
  /** When the repository was checked (ISO); the metrics window ends here. */
  checkedAt: string;
  conclusion: Conclusion;
  findings: Finding[];
  hasManifest: boolean;
  product?: string;
  /** The owning team, as `team.github`. */
  team?: string;
  cadence: { text: string; ms: number };
  tagPattern?: string;
  activeOutcomes: string[];
  /** Releases per `release.source`; absent when they could not be read. */
  releases?: ReleaseInfo[];
  /** Pull requests merged to the default branch; absent when they could not be read. */
  merged?: MergedPullRequest[];
  /** From when `merged` was read (ISO): a window that starts earlier is not fully covered. */
  historySince?: string;
  /** Why some of the history could not be read. */
  gaps?: string[];
  /** The waivers in force when it was checked. */
  waivers?: ReportedWaiver[];
}

/** A waiver as the report lists it. */
export interface ReportedWaiver {
  rule: string;
  until: string;
  reason: string;
  granted?: string;
}

/** A release as the report keeps it: the fields the metrics read, nothing else. */
export function slimRelease(release: ReleaseInfo): ReleaseInfo {
  return {
    tag: release.tag,
    publishedAt: release.publishedAt,
    ...(release.draft ? { draft: true } : {}),
    ...(release.prerelease ? { prerelease: true } : {}),
  };
}

/**
 * The insights of one evaluated repository.
 *
 * @example repoInsights({ repo: "acme/checkout", checkedAt, verdict, config, releases, merged })
 */
export function repoInsights(input: {
  repo: string;
  checkedAt: Date;
  verdict: { conclusion: Conclusion; findings: readonly Finding[] };
  config: EffectiveConfig;
  releases?: readonly ReleaseInfo[] | undefined;
  merged?: readonly MergedPullRequest[] | undefined;
  historySince?: Date;
  gaps?: readonly string[];
}): RepoInsights {
  const { config } = input;
  return {
    repo: input.repo,
    checkedAt: input.checkedAt.toISOString(),
    conclusion: input.verdict.conclusion,
    findings: input.verdict.findings.map(({ lasting: _lasting, ...f }) => ({
      ...f,
      evidence: [...f.evidence],
    })),
    hasManifest: config.manifest !== undefined,
    ...(config.manifest?.product?.name ? { product: config.manifest.product.name } : {}),
    ...(config.team?.github ? { team: config.team.github } : {}),
    cadence: { ...config.cadence.value },
    ...(config.tagPattern.value !== undefined ? { tagPattern: config.tagPattern.value } : {}),
    activeOutcomes: config.outcomes.filter((o) => o.status === "active").map((o) => o.id),
    ...(input.releases ? { releases: input.releases.map(slimRelease) } : {}),
    ...(input.merged ? { merged: input.merged.map((m) => ({ ...m })) } : {}),
    ...(input.merged && input.historySince ? { historySince: input.historySince.toISOString() } : {}),
    ...(input.gaps && input.gaps.length > 0 ? { gaps: [...input.gaps] } : {}),
    ...waiversOf(config, input.checkedAt),
  };
}

/** The configuration's waivers in force at `at` (those it honours: valid, of rules not locked). */
function waiversOf(config: EffectiveConfig, at: Date): { waivers?: ReportedWaiver[] } {
  const waivers = config.waivers
    .filter((w) => isWaiverActive(w.until, at))
    .map((w) => ({
      rule: w.rule,
      until: w.until,
      reason: w.reason,
      ...(w.granted ? { granted: w.granted } : {}),
    }));
  return waivers.length > 0 ? { waivers } : {};
}
