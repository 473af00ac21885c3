/**
 * What one repository contributes to the insights report, in a form that outlives one run: its
 * verdict and the raw history the metrics are computed from (releases, merged pull requests and
 * how each traces). Written by `pom check --format json` (key `insights`), gathered live by the
 * sweep, and read back by `pom report`, which computes the figures for any window.
 */

import type { ReleaseInfo } from "../../engine/facts.js";
import type { Conclusion, Finding } from "../../engine/types.js";
import { conclude } from "../../engine/verdict.js";
import { isWaiverActive } from "../../engine/waivers.js";
import type { EffectiveConfig } from "../../manifest/config.js";
import type { CampaignDefinition } from "../metrics/campaigns.js";
import type { IncidentSignal, RevertSignal } from "../metrics/stability.js";
import type { StabilitySettings } from "../metrics/stability-signals.js";
import type { Trace } from "../metrics/traceability.js";
import type { TeamOutcome } from "../teams/types.js";

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
  /** The team's name, as `team.name`. */
  teamName?: string;
  /** The trio the manifest names (logins). */
  trio?: { productManager?: string; designer?: string; techLead?: string };
  /** Logins of the owning team's members, when they were read (live). */
  teamMembers?: string[];
  /** The outcomes of the effective configuration (the manifest's and the org policy's). */
  outcomes?: TeamOutcome[];
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
  /** The org policy's campaigns the repository was judged under. */
  campaigns?: CampaignDefinition[];
  /** Reverts that landed on the default branch; absent when they were not read. */
  reverts?: RevertSignal[];
  /** Issues with the incident label and the tags they name; absent when they were not read. */
  incidents?: IncidentSignal[];
  /** The org policy's stability settings the signals were read with (absent: the defaults). */
  stability?: StabilitySettings;
  /** The waivers in force when it was checked. */
  waivers?: ReportedWaiver[];
  /**
   * In a repository whose manifest declares products: what is each product's own (absent from
   * results written before products were reported: they are read as one row).
   */
  products?: ProductInsights[];
  /** Set on a product's row of a repository with products (see `productRows`). */
  perProduct?: true;
}

/**
 * What is a product's own in a repository with products: its team, trio, cadence, tag pattern,
 * outcomes, waivers, and its findings with the repository's (a finding without `product`, such
 * as manifest.valid or ownership.paths, is every product's). The releases, merged pull requests
 * and stability signals are the repository's: the metrics filter the releases by `tagPattern`.
 */
export type ProductInsights = Pick<
  RepoInsights,
  | "conclusion"
  | "findings"
  | "team"
  | "teamName"
  | "trio"
  | "outcomes"
  | "cadence"
  | "tagPattern"
  | "activeOutcomes"
  | "waivers"
> & { product: string };

/** The fields of a repository's insights that a product of it replaces with its own. */
const PRODUCT_FIELDS = [
  "conclusion",
  "findings",
  "product",
  "team",
  "teamName",
  "trio",
  "teamMembers",
  "outcomes",
  "cadence",
  "tagPattern",
  "activeOutcomes",
  "waivers",
  "products",
] as const;

/**
 * The report's rows of a repository: one per product when its manifest declares products, each
 * with the repository's history and the product's own configuration and findings; else itself.
 *
 * @example productRows(insights).map((r) => r.product) // ["Checkout", "Search"]
 */
export function productRows(r: RepoInsights): RepoInsights[] {
  if (!r.products || r.products.length === 0) return [r];
  const base: Partial<RepoInsights> = { ...r };
  for (const field of PRODUCT_FIELDS) delete base[field];
  return r.products.map((p) => ({ ...(base as RepoInsights), ...p, perProduct: true }));
}

/**
 * How a row is named: "owner/name", or "owner/name / Product" for a product of a repository with
 * products.
 *
 * @example rowLabel({ repo: "acme/shop", product: "Checkout", perProduct: true }) // "acme/shop / Checkout"
 */
export function rowLabel(r: { repo: string; product?: string | null; perProduct?: boolean }): string {
  return r.perProduct && r.product ? `${r.repo} / ${r.product}` : r.repo;
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
    ...(release.name && release.name !== release.tag ? { name: release.name } : {}),
    ...(release.sha ? { sha: release.sha } : {}),
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
  /** The owning team's members, when they were read. */
  teamMembers?: readonly string[];
}): RepoInsights {
  const { config } = input;
  const findings = input.verdict.findings.map(({ lasting: _lasting, ...f }) => ({
    ...f,
    evidence: [...f.evidence],
  }));
  return {
    repo: input.repo,
    checkedAt: input.checkedAt.toISOString(),
    conclusion: input.verdict.conclusion,
    findings,
    hasManifest: config.manifest !== undefined,
    ...(config.manifest?.product?.name ? { product: config.manifest.product.name } : {}),
    ...(config.team?.github ? { team: config.team.github } : {}),
    ...(config.team ? { teamName: config.team.name, trio: trioOf(config.team) } : {}),
    ...(input.teamMembers ? { teamMembers: [...input.teamMembers] } : {}),
    ...outcomesOf(config),
    ...(input.releases ? { releases: input.releases.map(slimRelease) } : {}),
    ...(input.merged ? { merged: input.merged.map((m) => ({ ...m })) } : {}),
    ...(input.merged && input.historySince ? { historySince: input.historySince.toISOString() } : {}),
    ...(input.gaps && input.gaps.length > 0 ? { gaps: [...input.gaps] } : {}),
    ...(config.campaigns.length > 0
      ? {
          campaigns: config.campaigns.map((c) => ({
            id: c.id,
            title: c.title,
            rules: [...c.rules],
            deadline: c.deadline,
          })),
        }
      : {}),
    ...waiversOf(config, input.checkedAt),
    ...(config.products
      ? { products: config.products.map((p) => productInsights(p, findings, input.checkedAt)) }
      : {}),
  };
}

/** A product's own part of the insights: its configuration, and its findings with the repository's. */
function productInsights(config: EffectiveConfig, all: readonly Finding[], at: Date): ProductInsights {
  const name = config.product?.name ?? "";
  const findings = all.filter((f) => f.product === undefined || f.product === name);
  return {
    product: name,
    conclusion: conclude(findings),
    findings,
    ...(config.team?.github ? { team: config.team.github } : {}),
    ...(config.team ? { teamName: config.team.name, trio: trioOf(config.team) } : {}),
    ...outcomesOf(config),
    ...waiversOf(config, at),
  };
}

/** The outcomes, cadence and tag pattern of a configuration. */
function outcomesOf(
  config: EffectiveConfig,
): Pick<RepoInsights, "outcomes" | "cadence" | "tagPattern" | "activeOutcomes"> {
  return {
    outcomes: config.outcomes.map((o) => ({
      id: o.id,
      status: o.status,
      ...(o.metric !== undefined ? { metric: o.metric } : {}),
      ...(o.target !== undefined ? { target: o.target } : {}),
      ...(o.due !== undefined ? { due: String(o.due) } : {}),
      from: o.from,
    })),
    cadence: { ...config.cadence.value },
    ...(config.tagPattern.value !== undefined ? { tagPattern: config.tagPattern.value } : {}),
    activeOutcomes: config.outcomes.filter((o) => o.status === "active").map((o) => o.id),
  };
}

function trioOf(team: NonNullable<EffectiveConfig["team"]>): NonNullable<RepoInsights["trio"]> {
  return {
    ...(team.productManager ? { productManager: team.productManager } : {}),
    ...(team.designer ? { designer: team.designer } : {}),
    ...(team.techLead ? { techLead: team.techLead } : {}),
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
