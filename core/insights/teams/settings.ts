/** The team rules' levels, limits and maturity thresholds: the org policy over the defaults. */
import type { Level } from "../../engine/types.js";
import { DEFAULT_STALE_DAYS, staleDays } from "../../manifest/limits.js";
import type { OrgPolicy } from "../../manifest/manifest.js";
import { TEAM_RULE_IDS, type TeamRuleId, type TeamSettings } from "./types.js";

export const TEAM_DEFAULT_LEVELS: Record<TeamRuleId, Level> = {
  "team.focus": "warn",
  "team.load": "off",
  "team.roles_shared": "warn",
  "team.trio": "warn",
};

export const DEFAULT_TEAM_SETTINGS: TeamSettings = {
  levels: TEAM_DEFAULT_LEVELS,
  limits: { focus: 3, load: null, rolesShared: 2, staleDays: DEFAULT_STALE_DAYS },
  maturity: { cadenceCoverage: 1, tracedShare: 0.8, changeFailureRate: 0.15 },
};

/**
 * The settings of an org policy (null: the defaults). Team rules are set in the org policy only.
 *
 * @example teamSettings({ version: 1, limits: { "team.focus": 5 } }).limits.focus // 5
 */
export function teamSettings(policy: OrgPolicy | null | undefined): TeamSettings {
  const d = DEFAULT_TEAM_SETTINGS;
  const levels = { ...d.levels };
  for (const id of TEAM_RULE_IDS) {
    const set = (policy?.rules as Record<string, Level> | undefined)?.[id];
    if (set) levels[id] = set;
  }
  const limits = policy?.limits ?? {};
  const m = policy?.maturity ?? {};
  // team.load set to a level without a limit has nothing to compare with: 12 then, as documented.
  const load = limits["team.load"] ?? (levels["team.load"] === "off" ? null : 12);
  return {
    levels,
    limits: {
      focus: limits["team.focus"] ?? d.limits.focus,
      load,
      rolesShared: limits["team.roles_shared"] ?? d.limits.rolesShared,
      staleDays: staleDays(policy),
    },
    maturity: {
      cadenceCoverage: m.cadence_coverage ?? d.maturity.cadenceCoverage,
      tracedShare: m.traced_share ?? d.maturity.tracedShare,
      changeFailureRate:
        m.change_failure_rate === "off" ? null : (m.change_failure_rate ?? d.maturity.changeFailureRate),
    },
  };
}
