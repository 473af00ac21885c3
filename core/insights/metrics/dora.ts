/**
 * The DORA deployment-frequency tiers of the 2023 Accelerate State of DevOps Report, mapped onto
 * deployment days. The mapping is ours and is documented in docs/metrics.md: a count of deployment
 * days cannot see more than one deployment a day, and the 2023 low and medium clusters reported
 * the same deployment frequency, so neither edge can be read straight off the report.
 */

export type DoraTier = "elite" | "high" | "medium" | "low";

/** Which thresholds a tier was computed with; reports print it next to the tier. */
export const DORA_THRESHOLDS = "DORA 2023";

export interface DoraThreshold {
  tier: DoraTier;
  /** At least this many deployment days... */
  deploymentDays: number;
  /** ...per this many calendar days, on average over the window. */
  perDays: number;
  /** The report's answer for the cluster, in its words. */
  report: string;
}

/** The tiers, best first; the first whose threshold is met is the tier. */
export const DORA_2023_DEPLOYMENT_FREQUENCY: readonly DoraThreshold[] = [
  { tier: "elite", deploymentDays: 5, perDays: 7, report: "On demand (multiple deploys per day)" },
  { tier: "high", deploymentDays: 1, perDays: 7, report: "Between once per day and once per week" },
  { tier: "medium", deploymentDays: 1, perDays: 30, report: "Between once per week and once per month" },
  {
    tier: "low",
    deploymentDays: 0,
    perDays: 1,
    report: "Between once per week and once per month (the same as medium; see docs/metrics.md)",
  },
];

/**
 * The tier of `deploymentDays` deployment days in a window of `windowDays` days. Compared in whole
 * numbers (deploymentDays × perDays ≥ threshold × windowDays), so boundaries are exact.
 *
 * @example doraTier(13, 90) // "high": 13 × 7 = 91 ≥ 1 × 90
 * @example doraTier(12, 90) // "medium": 12 × 7 = 84 < 90, but 12 × 30 ≥ 90
 */
export function doraTier(deploymentDays: number, windowDays: number): DoraTier {
  for (const t of DORA_2023_DEPLOYMENT_FREQUENCY) {
    if (deploymentDays * t.perDays >= t.deploymentDays * windowDays) return t.tier;
  }
  return "low";
}
