/**
 * Campaign readiness: for each org campaign (a deadline by which its rules block), how many
 * repositories already comply, how many would fail once it blocks, by team. Definitions:
 * docs/metrics.md.
 */
import type { Finding, RuleId, Status } from "../../engine/types.js";
import { daysUntil } from "../../manifest/levels.js";
import { round, share } from "./stats.js";
import { ruleStatus, worstStatus } from "./status.js";

/** A campaign as the report keeps it (from the org policy the repositories were judged under). */
export interface CampaignDefinition {
  id: string;
  title: string;
  rules: RuleId[];
  deadline: string;
}

export interface ReadinessCounts {
  /** Every rule of the campaign passes (or does not apply). */
  ready: number;
  /** Some rule of the campaign fails: these repositories would fail once the campaign blocks. */
  failing: number;
  waived: number;
  /** Some rule of the campaign could not be decided. */
  unknown: number;
  /** ready + failing + waived + unknown: repositories where a rule of the campaign was judged. */
  total: number;
  /** ready / total, to 3 decimals; null when no repository was judged. */
  readyShare: number | null;
}

export interface CampaignReadiness extends CampaignDefinition, ReadinessCounts {
  /** Whole days from the report's `now` to the deadline (negative once past). */
  daysLeft: number;
  /** Per owning team (`team.github`, null without one), by name. */
  byTeam: ({ team: string | null } & ReadinessCounts)[];
  /** The repositories that fail, by name. */
  failingRepos: string[];
  /** The oldest snapshot that has the campaign's ready share: where its trend starts. */
  since?: { day: string; readyShare: number };
}

export interface CampaignRepo {
  repo: string;
  team: string | null;
  findings: readonly Finding[];
}

/** The status of a repository for a campaign: the worst of its rules' statuses; null when none was judged. */
function campaignStatus(findings: readonly Finding[], rules: readonly RuleId[]): Status | null {
  return worstStatus(rules.flatMap((rule) => ruleStatus(findings, rule) ?? []));
}

function counts(statuses: readonly (Status | null)[]): ReadinessCounts {
  const c = { ready: 0, failing: 0, waived: 0, unknown: 0 };
  for (const s of statuses) {
    if (s === "pass" || s === "skip") c.ready++;
    else if (s === "fail") c.failing++;
    else if (s === "waived") c.waived++;
    else if (s === "unknown") c.unknown++;
  }
  const total = c.ready + c.failing + c.waived + c.unknown;
  const ready = share(c.ready, total);
  return { ...c, total, readyShare: ready === null ? null : round(ready, 3) };
}

/**
 * The readiness of each campaign over the repositories (sorted by name); a repository where none of
 * the campaign's rules was judged (turned off, not applicable) is not counted.
 *
 * @example campaignReadiness([campaign], repos, now)[0].failing // 3
 */
export function campaignReadiness(
  campaigns: readonly CampaignDefinition[],
  repos: readonly CampaignRepo[],
  now: Date,
): CampaignReadiness[] {
  return campaigns.map((c) => {
    const judged = repos.map((r) => ({ r, status: campaignStatus(r.findings, c.rules) }));
    const teams = [...new Set(judged.filter((j) => j.status !== null).map((j) => j.r.team))].sort((a, b) =>
      (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0,
    );
    return {
      id: c.id,
      title: c.title,
      rules: [...c.rules],
      deadline: c.deadline,
      daysLeft: daysUntil(c.deadline, now),
      ...counts(judged.map((j) => j.status)),
      byTeam: teams.map((team) => ({
        team,
        ...counts(judged.filter((j) => j.r.team === team).map((j) => j.status)),
      })),
      failingRepos: judged
        .filter((j) => j.status === "fail")
        .map((j) => j.r.repo)
        .sort(),
    };
  });
}

/**
 * The campaigns the repositories were judged under: each id once, as the latest-checked repository
 * saw it (the org policy may have changed between checks).
 */
export function campaignsOf(
  repos: readonly { checkedAt: string; campaigns?: readonly CampaignDefinition[] }[],
): CampaignDefinition[] {
  const byId = new Map<string, { at: number; c: CampaignDefinition }>();
  for (const r of repos) {
    const at = Date.parse(r.checkedAt);
    for (const c of r.campaigns ?? []) {
      const held = byId.get(c.id);
      if (!held || at >= held.at) byId.set(c.id, { at, c });
    }
  }
  return [...byId.values()]
    .map((v) => v.c)
    .sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * The figures of each campaign a snapshot keeps, so that the trend lines show readiness over time.
 *
 * @example campaignFigures(readiness)["campaign.codeowners-2027.readyShare"] // 0.75
 */
export function campaignFigures(readiness: readonly CampaignReadiness[]): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const c of readiness) {
    figures[`campaign.${c.id}.readyShare`] = c.readyShare;
    figures[`campaign.${c.id}.failing`] = c.failing;
  }
  return figures;
}

/**
 * The readiness with where each campaign's trend starts: the oldest of `history` (oldest first)
 * that has its ready share, when older than today's.
 */
export function withTrend(
  readiness: readonly CampaignReadiness[],
  history: readonly { at: string; metrics: Readonly<Record<string, number | null>> }[],
): CampaignReadiness[] {
  return readiness.map((c) => {
    const first = history.find((s) => typeof s.metrics[`campaign.${c.id}.readyShare`] === "number");
    const day = first?.at.slice(0, 10);
    const last = history.at(-1)?.at.slice(0, 10);
    if (!first || day === undefined || day === last) return c;
    return { ...c, since: { day, readyShare: first.metrics[`campaign.${c.id}.readyShare`] as number } };
  });
}
