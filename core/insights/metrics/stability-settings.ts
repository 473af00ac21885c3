/** The org policy's `stability:` block resolved into settings, each missing value its default. */
import { parseDuration } from "../../manifest/duration.js";
import type { OrgPolicy } from "../../manifest/manifest.js";
import { DEFAULT_STABILITY, type StabilitySettings } from "./stability-signals.js";

/**
 * The settings `policy` gives (a policy that failed validation is not passed here: the defaults).
 *
 * @example stabilitySettings({ version: 1, stability: { patch_window: "3d" } }).patchWindowMs // 259200000
 */
export function stabilitySettings(policy: OrgPolicy | undefined | null): StabilitySettings {
  const s = policy?.stability ?? {};
  const window = s.patch_window === undefined ? undefined : parseDuration(s.patch_window);
  return {
    patchWindowMs: window?.ok ? window.ms : DEFAULT_STABILITY.patchWindowMs,
    hotfixPatterns: s.hotfix_patterns ?? DEFAULT_STABILITY.hotfixPatterns,
    incidentLabel: s.incident_label ?? DEFAULT_STABILITY.incidentLabel,
  };
}
