/**
 * The team rules, set in the org policy only: focus (active outcomes per team), load (repositories
 * per team), roles shared (a PM or designer on too many teams), and one trio (the manifests naming
 * a team agree on it). Their findings live in the report's team section and never change a
 * repository's or a pull request's conclusion.
 */
import type { TeamGroup } from "./group.js";
import { type Links, manifestLink, repoLink, teamLink } from "./links.js";
import { ROLE_NAMES, type Role, type TeamFinding, type TeamRuleId, type TeamSettings } from "./types.js";

export type SharedPeople = Map<string, { login: string; roles: Set<Role>; teams: string[] }>;

/**
 * The findings of every team rule the settings leave on, for one team.
 *
 * @example teamFindings(group, shared, settings, links).filter((f) => f.status === "fail")
 */
export function teamFindings(
  group: TeamGroup,
  shared: SharedPeople,
  settings: TeamSettings,
  links: Links,
): TeamFinding[] {
  const out: TeamFinding[] = [];
  const on = (rule: TeamRuleId) => settings.levels[rule] !== "off";
  const make = (rule: TeamRuleId, fail: boolean, message: string, fix: string, evidence: string[]) =>
    out.push({
      rule,
      status: fail ? "fail" : "pass",
      level: settings.levels[rule],
      message,
      fix: fail ? fix : "",
      evidence,
    });
  if (on("team.focus")) {
    const n = group.outcomes.length;
    const max = settings.limits.focus;
    make(
      "team.focus",
      n > max,
      `${group.team} has ${n} active outcome${n === 1 ? "" : "s"} (at most ${max})`,
      `finish, drop or hand over ${n - max} of ${group.outcomes.map((o) => o.id).join(", ")}; a team moves few outcomes at a time`,
      [...new Set(group.outcomes.flatMap((o) => o.repos.map((r) => manifestLink(links, r))))],
    );
  }
  const max = settings.limits.load;
  if (on("team.load") && max !== null) {
    const n = group.repos.length;
    make(
      "team.load",
      n > max,
      `${group.team} owns ${n} repositor${n === 1 ? "y" : "ies"} (at most ${max})`,
      `hand ${n - max} repositories to another team, or split the team's products`,
      group.repos.map((r) => repoLink(links, r.repo)),
    );
  }
  if (on("team.roles_shared")) {
    const limit = settings.limits.rolesShared;
    const over = [...shared.values()].filter((p) => p.teams.includes(group.team) && p.teams.length > limit);
    const names = over.map((p) => {
      const roles = [...p.roles].map((r) => ROLE_NAMES[r]).join(" and ");
      const others = p.teams.filter((t) => t !== group.team).sort();
      return `${p.login} (${roles}) is also on ${others.join(", ")}`;
    });
    make(
      "team.roles_shared",
      over.length > 0,
      over.length > 0
        ? `${names.join("; ")}: on more than ${limit} teams`
        : `no product manager or designer of ${group.team} is on more than ${limit} teams`,
      "give each team its own product manager and designer, or merge the teams they serve",
      over.length > 0
        ? [
            teamLink(links, group.team),
            ...over.flatMap((p) => p.teams.filter((t) => t !== group.team).map((t) => teamLink(links, t))),
          ]
        : [teamLink(links, group.team)],
    );
  }
  if (on("team.trio")) {
    const c = group.trioConflicts;
    make(
      "team.trio",
      c.length > 0,
      c.length > 0
        ? `the manifests naming ${group.team} disagree on its ${c
            .map(
              (x) =>
                `${ROLE_NAMES[x.role]} (${x.named.map((n) => `${n.login ?? "none"} in ${n.repos.join(", ")}`).join("; ")})`,
            )
            .join(" and ")}`
        : `every manifest naming ${group.team} names the same trio`,
      "name the same product manager, designer and tech lead in every manifest the team owns",
      c.length > 0
        ? [...new Set(c.flatMap((x) => x.named.flatMap((n) => n.repos)))].map((r) => manifestLink(links, r))
        : [],
    );
  }
  return out;
}
