/**
 * Repositories grouped by their owning team (`org/slug`, case-insensitively): each team's
 * repositories, its trio as the manifests name it (and where they disagree), its members, its
 * active outcomes with when work last traced to them, and the people it shares with other teams.
 */
import { staleness } from "../../domain/outcome-activity.js";
import { DAY_MS } from "../metrics/time.js";
import { type Links, manifestLink, pullLink, repoLink } from "./links.js";
import { ROLES, type Role, type TeamRepo, type Trio } from "./types.js";

export interface RoleFill {
  login: string | null;
  /** Whether the login is a member of the team; "unknown" when the members were not read. */
  member: boolean | "unknown";
}

export interface TeamOutcomeRow {
  id: string;
  repos: string[];
  metric: string | null;
  target: string | number | null;
  due: string | null;
  overdue: boolean;
  /** The newest merged pull request traced to it; null when none was read. */
  lastActivity: string | null;
  /** No traced work for the stale limit; "unknown" when the history does not reach back that far. */
  stale: boolean | "unknown";
  evidence: string[];
}

export interface TeamGroup {
  team: string;
  names: string[];
  repos: TeamRepo[];
  /** The trio most manifests name (ties: the first repository's), role by role. */
  trio: Trio;
  /** Roles on which the team's manifests disagree: each login with the repositories naming it. */
  trioConflicts: { role: Role; named: { login: string | null; repos: string[] }[] }[];
  members: string[] | null;
  outcomes: TeamOutcomeRow[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Groups `repos` by team; repositories without one are returned as `unowned`.
 *
 * @example groupTeams(repos, now, 60, links).teams[0].team // "acme/payments"
 */
export function groupTeams(
  repos: readonly TeamRepo[],
  now: Date,
  staleDays: number,
  links: Links,
): { teams: TeamGroup[]; unowned: { repo: string; reason: string; url: string }[] } {
  const byTeam = new Map<string, TeamRepo[]>();
  const unowned: { repo: string; reason: string; url: string }[] = [];
  for (const r of repos) {
    if (!r.team) {
      unowned.push({ repo: r.repo, reason: r.unowned ?? "no owning team", url: repoLink(links, r.repo) });
      continue;
    }
    const key = lower(r.team);
    byTeam.set(key, [...(byTeam.get(key) ?? []), r]);
  }
  const teams = [...byTeam.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([team, rs]) => {
      const name = (r: TeamRepo) => r.label ?? r.repo;
      const sorted = [...rs].sort((a, b) => (name(a) < name(b) ? -1 : 1));
      const { trio, conflicts } = trioOf(sorted);
      const names = [...new Set(sorted.flatMap((r) => (r.teamName ? [r.teamName] : [])))].sort();
      const members = sorted.find((r) => r.members)?.members ?? null;
      return {
        team,
        names,
        repos: sorted,
        trio,
        trioConflicts: conflicts,
        members: members ? [...new Set(members.map(lower))].sort() : null,
        outcomes: outcomesOf(sorted, now, staleDays, links),
      };
    });
  return { teams, unowned: unowned.sort((a, b) => (a.repo < b.repo ? -1 : 1)) };
}

function trioOf(repos: readonly TeamRepo[]): { trio: Trio; conflicts: TeamGroup["trioConflicts"] } {
  const trio: Trio = {};
  const conflicts: TeamGroup["trioConflicts"] = [];
  for (const role of ROLES) {
    const named = new Map<string, { login: string | null; repos: string[] }>();
    for (const r of repos) {
      if (!r.trio) continue;
      const login = r.trio[role] ?? null;
      const key = login === null ? "" : lower(login);
      const held = named.get(key) ?? { login, repos: [] };
      held.repos.push(r.repo);
      named.set(key, held);
    }
    const ranked = [...named.values()].sort((a, b) => b.repos.length - a.repos.length);
    const chosen = ranked[0]?.login;
    if (chosen) trio[role] = chosen;
    if (ranked.length > 1) conflicts.push({ role, named: ranked });
  }
  return { trio, conflicts };
}

/** Whether `login` fills `role` and is among `members`. */
export function roleFill(trio: Trio, role: Role, members: readonly string[] | null): RoleFill {
  const login = trio[role] ?? null;
  if (login === null) return { login, member: false };
  if (members === null) return { login, member: "unknown" };
  return { login, member: members.includes(lower(login)) };
}

function outcomesOf(
  repos: readonly TeamRepo[],
  now: Date,
  staleDays: number,
  links: Links,
): TeamOutcomeRow[] {
  const today = now.toISOString().slice(0, 10);
  const staleFrom = now.getTime() - staleDays * DAY_MS;
  const rows = new Map<string, TeamOutcomeRow>();
  for (const r of repos) {
    // The team's own outcomes: org-wide ones belong to every team and count for none.
    for (const o of r.outcomes.filter((x) => x.status === "active" && x.from === "manifest")) {
      const key = lower(o.id);
      const row = rows.get(key) ?? {
        id: o.id,
        repos: [],
        metric: o.metric ?? null,
        target: o.target ?? null,
        due: o.due ?? null,
        overdue: o.due !== undefined && o.due < today,
        lastActivity: null,
        stale: false,
        evidence: [],
      };
      row.repos.push(r.repo);
      row.evidence.push(manifestLink(links, r.repo));
      rows.set(key, row);
    }
  }
  for (const row of rows.values()) {
    let newest: { at: number; link: string } | null = null;
    let covered = true;
    for (const repo of row.repos) {
      const r = repos.find((x) => x.repo === repo) as TeamRepo;
      const since = r.historySince === undefined ? Number.NaN : Date.parse(r.historySince);
      if (!(since <= staleFrom)) covered = false;
      for (const pr of r.traced) {
        if (!pr.outcomes.some((id) => lower(id) === lower(row.id))) continue;
        const at = Date.parse(pr.mergedAt);
        if (!newest || at > newest.at) newest = { at, link: pullLink(links, r.repo, pr.number) };
      }
    }
    row.lastActivity = newest ? new Date(newest.at).toISOString() : null;
    if (newest) row.evidence.push(newest.link);
    row.stale = staleness(newest?.at ?? null, staleFrom, covered);
  }
  return [...rows.values()].sort((a, b) => (lower(a.id) < lower(b.id) ? -1 : 1));
}

/** The people named PM or designer on more than one team, with those teams. */
export function sharedPeople(
  groups: readonly TeamGroup[],
): Map<string, { login: string; roles: Set<Role>; teams: string[] }> {
  const people = new Map<string, { login: string; roles: Set<Role>; teams: string[] }>();
  for (const g of groups) {
    for (const role of ["productManager", "designer"] as const) {
      const login = g.trio[role];
      if (!login) continue;
      const held = people.get(lower(login)) ?? { login, roles: new Set<Role>(), teams: [] };
      held.roles.add(role);
      if (!held.teams.includes(g.team)) held.teams.push(g.team);
      people.set(lower(login), held);
    }
  }
  for (const [k, v] of people) if (v.teams.length < 2) people.delete(k);
  return people;
}
