/** All the metrics of one repository from the facts a sweep already gathers. */
import type { ReleaseInfo } from "../../engine/facts.js";
import type { Finding } from "../../engine/types.js";
import { leadTime, type ReleaseContents } from "./lead-time.js";
import type { RepoMetrics } from "./org.js";
import { ownershipCoverage } from "./ownership.js";
import { releaseFrequency } from "./release-frequency.js";
import { type IncidentSignal, type RevertSignal, stability } from "./stability.js";
import type { StabilitySettings } from "./stability-signals.js";
import { type TracedPullRequest, traceability } from "./traceability.js";

export interface RepoMetricsInput {
  repo: string;
  now: Date;
  /** The trailing window in days (default 90). */
  windowDays?: number;
  /** The effective cadence, in milliseconds. */
  cadenceMs: number;
  /** `release.tag_pattern`. */
  tagPattern?: string;
  /** The releases as gathered; leave out when they could not be read (an empty list means none). */
  releases?: readonly ReleaseInfo[];
  /** Per release, the merged pull requests it contains. */
  releaseContents?: readonly ReleaseContents[];
  /** Merged pull requests with how they trace. */
  pullRequests?: readonly TracedPullRequest[];
  activeOutcomes?: readonly string[];
  /** The repository evaluation's findings. */
  findings?: readonly Finding[];
  hasManifest?: boolean;
  /** Merged pull requests (number and merge time), to place a reverted one in its release. */
  merged?: readonly { number: number; mergedAt: string }[];
  /** Reverts and incidents; leave out what was not read (the stability figures say so). */
  reverts?: readonly RevertSignal[];
  incidents?: readonly IncidentSignal[];
  stabilitySettings?: StabilitySettings;
}

/**
 * Computes each section whose input is present; a section whose input is absent is left out
 * rather than reported as zero.
 *
 * @example repoMetrics({ repo: "acme/checkout", now, cadenceMs, releases }).releaseFrequency?.tier
 */
export function repoMetrics(input: RepoMetricsInput): RepoMetrics {
  const { now, windowDays, tagPattern } = input;
  const common = { now, ...(windowDays === undefined ? {} : { windowDays }) };
  const pattern = tagPattern === undefined ? {} : { tagPattern };
  return {
    repo: input.repo,
    ...(input.releases
      ? {
          releaseFrequency: releaseFrequency({
            ...common,
            ...pattern,
            releases: input.releases,
            cadenceMs: input.cadenceMs,
          }),
        }
      : {}),
    ...(input.releases
      ? {
          stability: stability({
            ...common,
            ...pattern,
            releases: input.releases,
            ...(input.merged ? { merged: input.merged } : {}),
            ...(input.reverts ? { reverts: input.reverts } : {}),
            ...(input.incidents ? { incidents: input.incidents } : {}),
            ...(input.stabilitySettings ? { settings: input.stabilitySettings } : {}),
          }),
        }
      : {}),
    ...(input.releaseContents
      ? { leadTime: leadTime({ ...common, ...pattern, releases: input.releaseContents }) }
      : {}),
    ...(input.pullRequests
      ? {
          traceability: traceability({
            ...common,
            pullRequests: input.pullRequests,
            ...(input.activeOutcomes ? { activeOutcomes: input.activeOutcomes } : {}),
          }),
        }
      : {}),
    ...(input.findings
      ? {
          ownership: ownershipCoverage({
            findings: input.findings,
            ...(input.hasManifest === undefined ? {} : { hasManifest: input.hasManifest }),
          }),
        }
      : {}),
  };
}
