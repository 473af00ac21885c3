/**
 * The team section of the organization report: one row per owning team (its repositories, trio,
 * people shared with other teams, active outcomes, delivery figures, findings of the team rules
 * and maturity level), the unowned repositories, and the spread of levels. Every figure carries
 * the links it was computed from. Pure: team repositories, settings and one `now` in.
 */
import { median, round, share } from "../metrics/stats.js";
import { durabilityRow, type TeamDurability } from "./durability-row.js";
import { groupTeams, type RoleFill, roleFill, sharedPeople, type TeamOutcomeRow } from "./group.js";
import type { TeamHistory } from "./history.js";
import { GITHUB_WEB, type Links, pullLink, releaseLink, repoLink, teamLink } from "./links.js";
import { changeFailureRate, type Maturity, maturityOf } from "./maturity.js";
import { teamFindings } from "./rules.js";
import {
  type Figure,
  ROLES,
  type Role,
  type TeamFinding,
  type TeamRepo,
  type TeamSettings,
} from "./types.js";

export interface TeamRow {
  team: string;
  url: string;
  names: string[];
  /** The team's repositories, and products of repositories with products (`label`). */
  repos: { repo: string; label?: string; url: string }[];
  trio: Record<Role, RoleFill>;
  members: Figure<number>;
  /** PMs and designers of this team named on other teams too. */
  shared: { login: string; roles: Role[]; otherTeams: string[] }[];
  outcomes: TeamOutcomeRow[];
  delivery: {
    deploymentDaysPerWeek: Figure<number | null>;
    leadTimeMedianHours: Figure<number | null>;
    tracedShare: Figure<number | null>;
    changeFailureRate: Figure<number | null>;
    /** The median over the team's repositories of their median time to restore. */
    timeToRestoreHours: Figure<number | null>;
  };
  durability: TeamDurability;
  findings: TeamFinding[];
  maturity: Maturity;
}

export interface TeamReport {
  teams: TeamRow[];
  unowned: { repo: string; reason: string; url: string }[];
  /** How many teams are at each level, L0 to L4. */
  levels: [number, number, number, number, number];
  settings: TeamSettings;
}

export interface TeamReportInput {
  repos: readonly TeamRepo[];
  settings: TeamSettings;
  now: Date;
  links?: Links;
  /** The membership history of the owning teams (durability figures), when one was kept. */
  history?: TeamHistory;
}

const unknown = (reason: string): Figure<never> => ({ value: "unknown", evidence: [], reason });

/**
 * The team section.
 *
 * @example teamReport({ repos, settings: teamSettings(policy), now }).teams[0].maturity.level // 2
 */
export function teamReport(input: TeamReportInput): TeamReport {
  const links = input.links ?? GITHUB_WEB;
  const { settings } = input;
  const { teams: groups, unowned } = groupTeams(input.repos, input.now, settings.limits.staleDays, links);
  const shared = sharedPeople(groups);
  const levels: TeamReport["levels"] = [0, 0, 0, 0, 0];
  const teams = groups.map((g): TeamRow => {
    const maturity = maturityOf(g, shared, settings, links);
    levels[maturity.level]++;
    return {
      team: g.team,
      url: teamLink(links, g.team),
      names: g.names,
      repos: g.repos.map((r) => ({
        repo: r.repo,
        ...(r.label ? { label: r.label } : {}),
        url: repoLink(links, r.repo),
      })),
      trio: Object.fromEntries(ROLES.map((role) => [role, roleFill(g.trio, role, g.members)])) as Record<
        Role,
        RoleFill
      >,
      members:
        g.members === null
          ? unknown("the team's members were not read")
          : { value: g.members.length, evidence: [teamLink(links, g.team)] },
      shared: [...shared.values()]
        .filter((p) => p.teams.includes(g.team))
        .map((p) => ({
          login: p.login,
          roles: ROLES.filter((r) => p.roles.has(r)),
          otherTeams: p.teams.filter((t) => t !== g.team).sort(),
        })),
      outcomes: g.outcomes,
      delivery: delivery(g.repos, links),
      durability: durabilityRow(input.history, g.team, input.now, links),
      findings: teamFindings(g, shared, settings, links),
      maturity,
    };
  });
  return { teams, unowned, levels, settings };
}

function delivery(repos: readonly TeamRepo[], links: Links): TeamRow["delivery"] {
  const frequency = repos.flatMap((r) => (r.metrics.releaseFrequency ? [r] : []));
  const lead = repos.flatMap((r) =>
    r.metrics.leadTime && r.metrics.leadTime.medianHours !== null ? [r] : [],
  );
  const traced = repos.flatMap((r) => (r.metrics.traceability ? [r] : []));
  const sum = (f: (r: TeamRepo) => number) => traced.reduce((a, r) => a + f(r), 0);
  const tracedShare = share(
    sum((r) => r.metrics.traceability?.traced ?? 0),
    sum((r) => r.metrics.traceability?.pullRequests ?? 0),
  );
  const cfr = changeFailureRate(repos, links);
  const restoring = repos.filter((r) => r.stability);
  const medianOf = (values: number[], digits: number) => {
    const m = median(values);
    return m === null ? null : round(m, digits);
  };
  return {
    deploymentDaysPerWeek:
      frequency.length === 0
        ? unknown("no repository's releases were read")
        : {
            value: medianOf(
              frequency.map((r) => r.metrics.releaseFrequency?.deploymentDaysPerWeek ?? 0),
              2,
            ),
            evidence: frequency.flatMap((r) => {
              const last = r.metrics.releaseFrequency?.lastRelease;
              return last ? [releaseLink(links, r.repo, last.tag)] : [repoLink(links, r.repo)];
            }),
          },
    leadTimeMedianHours: repos.every((r) => !r.metrics.leadTime)
      ? unknown("no repository's merged pull requests were read")
      : {
          value: medianOf(
            lead.map((r) => r.metrics.leadTime?.medianHours ?? 0),
            1,
          ),
          evidence: lead.map((r) => repoLink(links, r.repo)),
        },
    tracedShare:
      traced.length === 0
        ? unknown("no repository's pull requests were traced")
        : {
            value: tracedShare === null ? null : round(tracedShare, 3),
            evidence: traced.flatMap((r) => r.traced.map((p) => pullLink(links, r.repo, p.number))),
          },
    timeToRestoreHours:
      restoring.length === 0
        ? unknown("the releases of no repository were read")
        : {
            value: medianOf(
              restoring.flatMap((r) =>
                typeof r.stability?.timeToRestoreHours === "number" ? [r.stability.timeToRestoreHours] : [],
              ),
              1,
            ),
            evidence: cfr.evidence,
          },
    changeFailureRate:
      cfr.value === "unknown"
        ? unknown("the releases of a repository were not read")
        : { value: cfr.value, evidence: cfr.evidence },
  };
}
