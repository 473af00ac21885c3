/**
 * The team view's vocabulary: what one repository contributes to its owning team (TeamRepo), what
 * the org policy says of teams (TeamSettings), and what the view says of each team (TeamRow).
 * Stability figures come with each repository's metrics and durability from the membership
 * history; both are shown as "unknown" until they are known.
 */
import type { Level, Status } from "../../engine/types.js";
import type { RepoMetrics } from "../metrics/org.js";

export const TEAM_RULE_IDS = ["team.focus", "team.load", "team.roles_shared", "team.trio"] as const;
export type TeamRuleId = (typeof TEAM_RULE_IDS)[number];

/** The trio roles; `lead` is the manifest's tech_lead. */
export const ROLES = ["productManager", "designer", "techLead"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_NAMES: Record<Role, string> = {
  productManager: "product manager",
  designer: "designer",
  techLead: "tech lead",
};

export type Trio = Partial<Record<Role, string>>;

/** An outcome as a manifest declares it. */
export interface TeamOutcome {
  id: string;
  status: "active" | "achieved" | "dropped";
  metric?: string;
  target?: string | number;
  due?: string;
  /** Declared in the repository's manifest, or org-wide in the policy. */
  from: "manifest" | "policy" | "default";
}

/** Stability figures of a repository (change failure rate, time to restore), when measured. */
export interface StabilityFigures {
  /** Failed releases / releases in the window; null when there was no release. */
  changeFailureRate: number | null;
  timeToRestoreHours?: number | null;
  /** The tags of the window's failed releases (the evidence links to them). */
  failedTags: string[];
  /** Signals that could not be read: the rate is then a lower bound. */
  unread?: string[];
}

/** What one repository contributes to the team view. */
export interface TeamRepo {
  repo: string;
  /** A product of a repository with products: "owner/name / Product" (the team owns that product). */
  label?: string;
  /** The owning team, `org/slug` as `team.github`; null without a (valid) manifest. */
  team: string | null;
  /** Why a repository without a team has none. */
  unowned?: string;
  teamName?: string;
  trio?: Trio;
  /** Logins of the team's members, as read with the repository; absent when not read. */
  members?: string[];
  outcomes: TeamOutcome[];
  /** The status of each repository rule's finding (absent: not judged). */
  statuses: Partial<Record<string, Status>>;
  cadence: { text: string; ms: number };
  metrics: RepoMetrics;
  /** Merged pull requests traced to outcomes: number, when and which outcomes. */
  traced: { number: number; mergedAt: string; outcomes: string[] }[];
  /** From when merged pull requests were read (absent: not read). */
  historySince?: string;
  stability?: StabilityFigures;
}

export interface MaturityThresholds {
  /** L3: the least share of the window's days on which every repository was on cadence. */
  cadenceCoverage: number;
  /** L4: the least share of merged pull requests traced to an active outcome. */
  tracedShare: number;
  /** L4: the greatest change failure rate; null leaves it out of the ladder. */
  changeFailureRate: number | null;
}

export interface TeamSettings {
  levels: Record<TeamRuleId, Level>;
  limits: { focus: number; load: number | null; rolesShared: number; staleDays: number };
  maturity: MaturityThresholds;
}

export interface TeamFinding {
  rule: TeamRuleId;
  status: Extract<Status, "pass" | "fail">;
  level: Level;
  message: string;
  fix: string;
  /** Links to what the finding was computed from. */
  evidence: string[];
}

/** A figure with the links it was computed from; `unknown` when it could not be. */
export interface Figure<T> {
  value: T | "unknown";
  evidence: string[];
  reason?: string;
}
