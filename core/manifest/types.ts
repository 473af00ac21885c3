/** The shapes of the repository manifest and the org policy, as their schemas allow them. */

import type { Level, RuleId } from "../engine/types.js";
import type { LevelSpec, ScheduleSpec } from "./schedule.js";

export type OutcomeStatus = "active" | "achieved" | "dropped";

export interface Outcome {
  id: string;
  title?: string;
  metric?: string;
  target?: string | number;
  due?: string;
  status?: OutcomeStatus;
  link?: string;
}

export interface Exemptions {
  labels?: string[];
  authors?: string[];
}

export interface Waiver {
  rule: RuleId;
  until: string;
  reason: string;
  /** In a manifest with products: the one product the waiver applies to. */
  product?: string;
  /** The day it was granted (YYYY-MM-DD): required under the org policy's `waivers.max_days`. */
  granted?: string;
}

/** An org rollout: its rules warn until the deadline and block from it, unless `levels` says otherwise. */
export interface Campaign {
  id: string;
  title: string;
  rules: RuleId[];
  deadline: string;
  levels?: ScheduleSpec;
}

export type ReleaseSource = "releases" | "tags" | "deployments";

export interface ProductInfo {
  name: string;
  description?: string;
  lifecycle?: "experimental" | "production" | "deprecated" | "retired";
}

export interface TeamDeclaration {
  name: string;
  github: string;
  product_manager?: string;
  designer?: string;
  tech_lead?: string;
  contact?: string;
}

export interface ReleaseDeclaration {
  cadence?: string;
  source?: ReleaseSource;
  tag_pattern?: string;
  environment?: string;
}

/** One product of a manifest with `products:`. */
export interface ProductDeclaration extends ProductInfo {
  paths: string[];
  team: TeamDeclaration;
  release?: ReleaseDeclaration;
  outcomes?: Outcome[];
}

/** Paths owned by a platform team, judged by no product rule. */
export interface SharedDeclaration {
  paths: string[];
  team?: { name?: string; github: string };
}

/**
 * A manifest: the single form (`product`, `team`, `release`, `outcomes`: one product at `/`), or
 * several products (`products`, `shared`). `product` and `team` are present in the single form;
 * code that serves both reads the products through `productsOf` (core/manifest/products.ts).
 */
export interface Manifest {
  version: 1;
  product: ProductInfo;
  team: TeamDeclaration;
  release?: ReleaseDeclaration;
  outcomes?: Outcome[];
  products?: ProductDeclaration[];
  shared?: SharedDeclaration;
  rules?: Partial<Record<RuleId, LevelSpec>>;
  exemptions?: Exemptions;
  waivers?: Waiver[];
}

/** The team rules, set in the org policy only (core/insights/teams). */
export type TeamRuleName = "team.focus" | "team.load" | "team.roles_shared" | "team.trio";

export interface OrgPolicy {
  version: 1;
  manifest?: Level;
  rules?: Partial<Record<RuleId, LevelSpec>> & Partial<Record<TeamRuleName, Level>>;
  locked?: RuleId[];
  campaigns?: Campaign[];
  release?: { max_cadence?: string };
  outcomes?: Outcome[];
  exemptions?: Exemptions;
  limits?: {
    "team.focus"?: number;
    "team.load"?: number;
    "team.roles_shared"?: number;
    "outcome.stale"?: string;
  };
  maturity?: { cadence_coverage?: number; traced_share?: number; change_failure_rate?: number | "off" };
  /** Where the app publishes the organization report: a pinned issue in `.github`, or nowhere. */
  report?: "issue" | "off";
  /** How the change failure rate tells a failed release (docs/metrics.md). */
  stability?: { patch_window?: string; hotfix_patterns?: string[]; incident_label?: string };
  /** The team (org/team-slug) whose approval changes of ownership, the policy and waivers need. */
  governance_team?: string;
  /** What waivers need to be honoured: an approval by the governance team, a maximum length. */
  waivers?: { require_approval?: boolean; max_days?: number };
}
