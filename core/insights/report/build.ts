/**
 * The organization report: every repository's figures over one window, the organization's aggregates,
 * the compliance matrix, release timelines, trend lines, campaigns and teams. Pure: insights and `now` in.
 */

import { qualifyingReleases } from "../../domain/releases.js";
import type { ReleaseInfo } from "../../engine/facts.js";
import { type Conclusion, RULE_IDS, type RuleId } from "../../engine/types.js";
import type { OrgPolicy } from "../../manifest/manifest.js";
import {
  type CampaignReadiness,
  campaignFigures,
  campaignReadiness,
  campaignsOf,
  withTrend,
} from "../metrics/campaigns.js";
import {
  type ComplianceMatrix,
  complianceMatrix,
  DEFAULT_WINDOW_DAYS,
  DORA_2023_DEPLOYMENT_FREQUENCY,
  DORA_THRESHOLDS,
  type OrgMetrics,
  orgMetrics,
  orgSnapshot,
  type ReleaseContents,
  type RepoMetrics,
  repoMetrics,
  type Snapshot,
  type TrendSeries,
  trendSeries,
} from "../metrics/index.js";
import { DAY_MS, dayWindow, inWindow, windowBounds } from "../metrics/time.js";
import type { TeamHistory } from "../teams/history.js";
import { teamRepoOf } from "../teams/input.js";
import type { Links } from "../teams/links.js";
import { type TeamReport, teamReport } from "../teams/report.js";
import { teamSettings } from "../teams/settings.js";
import { mergeHistory } from "./history.js";
import { type MergedPullRequest, productRows, type RepoInsights, rowLabel } from "./insights.js";
import { type ActiveWaiver, activeWaivers } from "./waivers.js";

export interface RepoRow {
  repo: string;
  product: string | null;
  /** A product of a repository with products: "owner/name / Product" (one row per product). */
  label?: string;
  team: string | null;
  conclusion: Conclusion;
  checkedAt: string;
  cadence: string;
  /** Rules that fail (at any level), in catalogue order. */
  failing: RuleId[];
  metrics: RepoMetrics;
  /** The qualifying releases of the window, oldest first, for the cadence timeline. */
  timeline: { tag: string; at: string }[];
  /** The last qualifying release before the window: where the first gap of the timeline starts. */
  releasedBefore: { tag: string; at: string } | null;
  /** What could not be read, so that a missing section explains itself. */
  gaps: string[];
}

export interface OrgReport {
  kind: "pom-governance-report";
  version: 1;
  generatedAt: string;
  org: string | null;
  window: { from: string; to: string; days: number };
  /** Which DORA thresholds the tiers use, and what they are. */
  tierThresholds: { name: typeof DORA_THRESHOLDS; tiers: typeof DORA_2023_DEPLOYMENT_FREQUENCY };
  repos: RepoRow[];
  /** The organization aggregates (docs/metrics.md). */
  metrics: OrgMetrics;
  matrix: ComplianceMatrix;
  /** The org campaigns' readiness (docs/metrics.md); absent in reports made before campaigns. */
  campaigns?: CampaignReadiness[];
  /** Dated snapshots of the organization figures, one per UTC day, oldest first. */
  history: Snapshot[];
  trend: TrendSeries;
  /** Repositories the sweep could not judge, with why: they are missing from `repos`. */
  failed: { repo: string; reason: string }[];
  /** The repositories grouped by owning team (docs/maturity.md). */
  teams: TeamReport;
  /** The waivers in force, soonest to end first (absent from reports written before they were listed). */
  waivers?: ActiveWaiver[];
  /** Set by the app: the pinned report issue it keeps for this account. */
  issue?: { number: number };
}

export interface ReportInput {
  repos: readonly RepoInsights[];
  now: Date;
  windowDays?: number;
  org?: string;
  /** Earlier snapshots (an earlier report's `history`, or the app's store). */
  history?: readonly Snapshot[];
  /** Repositories that could not be judged, with why. */
  failed?: readonly { repo: string; reason: string }[];
  /** The org policy the repositories were judged under: the team rules' levels and limits. */
  policy?: OrgPolicy | null;
  /** Where evidence links point (default github.com). */
  links?: Links;
  /** The membership history of the owning teams, when one was kept: the durability figures. */
  teamHistory?: TeamHistory;
}

/**
 * Builds the report: one row per repository, and one per product of a repository whose manifest
 * declares products. A repository listed more than once counts with its latest check, which also
 * says whether it has products.
 *
 * @example buildReport({ repos, now }).metrics.traceability.tracedShare // 0.8
 */
export function buildReport(input: ReportInput): OrgReport {
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  const window = dayWindow(input.now, windowDays);
  // The latest check of a repository says which rows it has (its products then, or itself).
  const latest = new Map<string, RepoInsights>();
  for (const r of input.repos) {
    const held = latest.get(r.repo);
    if (!held || Date.parse(r.checkedAt) >= Date.parse(held.checkedAt)) latest.set(r.repo, r);
  }
  const repos = [...latest.values()]
    .flatMap(productRows)
    .map((r) => ({ r, label: rowLabel(r) }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ r }) => r);
  const rows = repos.map((r) => repoRow(r, input.now, windowDays));
  const org = orgMetrics(rows.map((r) => r.metrics));
  const campaigns = campaignReadiness(
    campaignsOf(repos),
    repos.map((r) => ({ repo: rowLabel(r), team: r.team ?? null, findings: r.findings })),
    input.now,
  );
  const teams = teamReport({
    repos: repos.map((r, i) => teamRepoOf(r, (rows[i] as RepoRow).metrics)),
    settings: teamSettings(input.policy),
    now: input.now,
    ...(input.links ? { links: input.links } : {}),
    ...(input.teamHistory ? { history: input.teamHistory } : {}),
  });
  const snapshot = orgSnapshot(org, input.now);
  const history = mergeHistory(input.history ?? [], {
    ...snapshot,
    metrics: { ...snapshot.metrics, ...campaignFigures(campaigns), ...levelFigures(teams) },
  });
  return {
    kind: "pom-governance-report",
    version: 1,
    generatedAt: input.now.toISOString(),
    org: input.org ?? null,
    window: windowBounds(window),
    tierThresholds: { name: DORA_THRESHOLDS, tiers: DORA_2023_DEPLOYMENT_FREQUENCY },
    repos: rows,
    metrics: org,
    matrix: complianceMatrix(repos.map((r) => ({ repo: rowLabel(r), findings: r.findings }))),
    campaigns: withTrend(campaigns, history),
    history,
    trend: trendSeries(history),
    failed: [...(input.failed ?? [])].sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0)),
    teams,
    waivers: activeWaivers(repos, input.now),
  };
}

/** Teams per maturity level, for the trend lines: "teams.L0" … "teams.L4". */
function levelFigures(teams: TeamReport): Record<string, number> {
  return Object.fromEntries(teams.levels.map((n, level) => [`teams.L${level}`, n]));
}

function repoRow(r: RepoInsights, now: Date, windowDays: number): RepoRow {
  const pattern = r.tagPattern === undefined ? {} : { tagPattern: r.tagPattern };
  const traced = r.merged?.every((m) => m.trace !== undefined) ?? false;
  const metrics = repoMetrics({
    repo: rowLabel(r),
    now,
    windowDays,
    cadenceMs: r.cadence.ms,
    ...pattern,
    ...(r.releases ? { releases: r.releases } : {}),
    ...(r.releases && r.merged
      ? { releaseContents: releaseContents(r.releases, r.merged, r.tagPattern) }
      : {}),
    ...(r.merged && traced
      ? {
          pullRequests: r.merged.map((m) => ({
            number: m.number,
            mergedAt: m.mergedAt,
            trace: m.trace ?? "unknown",
            ...(m.outcomes ? { outcomes: m.outcomes } : {}),
          })),
          activeOutcomes: r.activeOutcomes,
        }
      : {}),
    findings: r.findings,
    hasManifest: r.hasManifest,
    ...stabilityInput(r),
  });
  const window = dayWindow(now, windowDays);
  const qualifying = qualifyingReleases(
    { tagPattern: { value: r.tagPattern, from: "default" } },
    r.releases ?? [],
  );
  const timeline = qualifying
    .filter((rel) => inWindow(window, Date.parse(rel.publishedAt)))
    .reverse()
    .map((rel) => ({ tag: rel.tag, at: new Date(rel.publishedAt).toISOString() }));
  const before = qualifying.find((rel) => Date.parse(rel.publishedAt) < window.first * DAY_MS);
  const gaps = [...(r.gaps ?? [])];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const behind = Math.floor((now.getTime() - Date.parse(r.checkedAt)) / DAY_MS);
  if (behind >= 1)
    gaps.push(
      `checked ${behind} day${behind === 1 ? "" : "s"} before the report: later releases and merges are not counted`,
    );
  const historySince = r.historySince === undefined ? Number.NaN : Date.parse(r.historySince);
  if (r.merged && historySince > window.first * DAY_MS)
    gaps.push(
      `merged pull requests were read from ${day(historySince)} only: earlier ones in the window are not counted`,
    );
  const oldest = Math.min(...(r.releases ?? []).map((rel) => Date.parse(rel.publishedAt)));
  if ((r.releases?.length ?? 0) >= 100 && oldest > window.first * DAY_MS)
    gaps.push(
      `only the newest ${r.releases?.length} releases were read (back to ${day(oldest)}): earlier ones in the window are not counted`,
    );
  if (!r.releases) gaps.push("releases not read: no release figures");
  if (!r.merged) gaps.push("merged pull requests not read: no lead time or traceability");
  else if (!traced) gaps.push("pull requests read from git history only: no traceability");
  const failed = new Set(r.findings.filter((f) => f.status === "fail").map((f) => f.rule));
  const failing = RULE_IDS.filter((id) => failed.has(id));
  return {
    repo: r.repo,
    product: r.product ?? null,
    ...(r.perProduct ? { label: rowLabel(r) } : {}),
    team: r.team ?? null,
    conclusion: r.conclusion,
    checkedAt: r.checkedAt,
    cadence: r.cadence.text,
    failing,
    metrics,
    timeline,
    releasedBefore: before ? { tag: before.tag, at: new Date(before.publishedAt).toISOString() } : null,
    gaps,
  };
}

/**
 * What each release contains, told by time: a pull request merged to the default branch is in
 * every release published at or after its merge, so the first qualifying one released it. Exact
 * for releases cut from the default branch; a release from a maintenance branch would be credited
 * with changes it does not carry.
 */
export function releaseContents(
  releases: readonly ReleaseInfo[],
  merged: readonly MergedPullRequest[],
  tagPattern: string | undefined,
): ReleaseContents[] {
  const ordered = qualifyingReleases(
    { tagPattern: { value: tagPattern, from: "default" } },
    releases,
  ).reverse();
  const byMerge = [...merged]
    .map((m) => ({ m, at: Date.parse(m.mergedAt) }))
    .filter((x) => !Number.isNaN(x.at))
    .sort((a, b) => a.at - b.at);
  const contents: ReleaseContents[] = [];
  let next = 0;
  for (const release of ordered) {
    const at = Date.parse(release.publishedAt);
    const pullRequests: { number: number; mergedAt: string }[] = [];
    while (next < byMerge.length && (byMerge[next] as { at: number }).at <= at) {
      const { m } = byMerge[next++] as { m: MergedPullRequest };
      pullRequests.push({ number: m.number, mergedAt: m.mergedAt });
    }
    contents.push({ release, pullRequests });
  }
  return contents;
}

/** What the stability figures are computed from, where it was read. */
const stabilityInput = ({ merged, reverts, incidents, stability }: RepoInsights) => ({
  ...(merged ? { merged } : {}),
  ...(reverts ? { reverts } : {}),
  ...(incidents ? { incidents } : {}),
  ...(stability ? { stabilitySettings: stability } : {}),
});
