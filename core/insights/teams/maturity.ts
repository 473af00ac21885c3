/**
 * The maturity ladder of a team (docs/maturity.md), computed only from the team view's facts:
 * L1 owned, L2 cross-functional, L3 shipping, L4 outcome-driven; L0 an owning team that does not
 * meet L1. A level is reached when every criterion of it and of the levels below is met; a
 * criterion that cannot be decided is "unknown" and stops the climb like an unmet one, never
 * passing silently. What stops a team is the first criterion of the next level it does not meet.
 */
import type { Status } from "../../engine/types.js";
import { share } from "../metrics/stats.js";
import { roleFill, type TeamGroup } from "./group.js";
import { type Links, manifestLink, pullLink, releaseLink, repoLink, teamLink } from "./links.js";
import type { SharedPeople } from "./rules.js";
import { ROLE_NAMES, ROLES, type TeamRepo, type TeamSettings } from "./types.js";

export const LEVEL_NAMES = ["L0", "L1 owned", "L2 cross-functional", "L3 shipping", "L4 outcome-driven"];

export type Met = true | false | "unknown";

export interface Criterion {
  level: 1 | 2 | 3 | 4;
  id: string;
  met: Met;
  detail: string;
  evidence: string[];
}

export interface Maturity {
  level: 0 | 1 | 2 | 3 | 4;
  /** The first criterion of the next level the team does not meet; null at L4. */
  next: { level: number; criterion: string; detail: string } | null;
  criteria: Criterion[];
}

/** Every repository's status of `rule`: met when all pass, unknown when any was not decided. */
function allPass(repos: readonly TeamRepo[], rule: string, links: Links): { met: Met; evidence: string[] } {
  const statuses = repos.map((r) => ({ repo: r.repo, status: r.statuses[rule] as Status | undefined }));
  const failing = statuses.filter((s) => s.status === "fail" || s.status === "waived");
  const open = statuses.filter((s) => s.status !== "pass" && s.status !== "fail" && s.status !== "waived");
  const met: Met = failing.length > 0 ? false : open.length > 0 ? "unknown" : true;
  const named = met === true ? statuses : [...failing, ...open];
  return { met, evidence: named.map((s) => repoLink(links, s.repo)) };
}

function worst(...mets: Met[]): Met {
  return mets.includes(false) ? false : mets.includes("unknown") ? "unknown" : true;
}

/**
 * The maturity of one team.
 *
 * @example maturityOf(group, shared, settings, links).level // 2
 */
export function maturityOf(
  group: TeamGroup,
  shared: SharedPeople,
  settings: TeamSettings,
  links: Links,
): Maturity {
  const { repos } = group;
  const c: Criterion[] = [];
  const add = (level: Criterion["level"], id: string, met: Met, detail: string, evidence: string[]) =>
    c.push({ level, id, met, detail, evidence });
  const team = teamLink(links, group.team);

  const push = allPass(repos, "ownership.team", links);
  add(1, "team has push access", push.met, "ownership.team passes on every repository", [
    team,
    ...push.evidence,
  ]);
  const owners = allPass(repos, "ownership.codeowners", links);
  add(
    1,
    "named in CODEOWNERS",
    owners.met,
    "ownership.codeowners passes on every repository",
    owners.evidence,
  );

  const fills = ROLES.map((role) => ({ role, ...roleFill(group.trio, role, group.members) }));
  const missing = fills.filter((f) => f.login === null).map((f) => ROLE_NAMES[f.role]);
  add(
    2,
    "trio named",
    missing.length === 0,
    missing.length === 0 ? "product manager, designer and tech lead are named" : `no ${missing.join(", ")}`,
    repos.map((r) => manifestLink(links, r.repo)),
  );
  const outside = fills.filter((f) => f.login !== null && f.member === false).map((f) => f.login);
  const members: Met =
    outside.length > 0 ? false : fills.some((f) => f.member === "unknown") ? "unknown" : true;
  add(
    2,
    "trio are members",
    missing.length > 0 ? false : members,
    members === "unknown"
      ? "the team's members were not read"
      : outside.length > 0
        ? `${outside.join(", ")} not a member of ${group.team}`
        : "each of the trio is a member of the team",
    [team],
  );
  add(
    2,
    "one trio",
    group.trioConflicts.length === 0,
    group.trioConflicts.length === 0
      ? "the manifests agree on the trio"
      : "the manifests name different trios",
    group.trioConflicts.flatMap((x) => x.named.flatMap((n) => n.repos.map((r) => manifestLink(links, r)))),
  );
  const limit = settings.limits.rolesShared;
  const over = [...shared.values()].filter((p) => p.teams.includes(group.team) && p.teams.length > limit);
  add(
    2,
    "not over-shared",
    over.length === 0,
    over.length === 0
      ? `no product manager or designer is on more than ${limit} teams`
      : `${over.map((p) => p.login).join(", ")} on more than ${limit} teams`,
    over.flatMap((p) => p.teams.map((t) => teamLink(links, t))),
  );

  const minCoverage = settings.maturity.cadenceCoverage;
  const coverage = repos.map((r) => ({ r, f: r.metrics.releaseFrequency }));
  const behind = coverage.filter((x) => x.f && x.f.cadence.coverage < minCoverage);
  const unread = coverage.filter((x) => !x.f);
  add(
    3,
    "on cadence",
    behind.length > 0 ? false : unread.length > 0 ? "unknown" : true,
    behind.length > 0
      ? behind
          .map((x) => `${x.r.label ?? x.r.repo} on cadence ${x.f?.cadence.coverage} of the window`)
          .join("; ")
      : unread.length > 0
        ? `releases not read for ${unread.map((x) => x.r.label ?? x.r.repo).join(", ")}`
        : `every repository on cadence at least ${minCoverage} of the window`,
    coverage.map((x) =>
      x.f?.lastRelease ? releaseLink(links, x.r.repo, x.f.lastRelease.tag) : repoLink(links, x.r.repo),
    ),
  );
  const slow = repos.filter((r) => (r.metrics.leadTime?.medianHours ?? 0) * 3_600_000 > r.cadence.ms);
  add(
    3,
    "lead time within cadence",
    slow.length > 0 ? false : repos.some((r) => !r.metrics.leadTime) ? "unknown" : true,
    slow.length > 0
      ? slow
          .map((r) => `${r.label ?? r.repo}: median ${r.metrics.leadTime?.medianHours} h > ${r.cadence.text}`)
          .join("; ")
      : "the median lead time of every repository is within its cadence",
    slow.map((r) => repoLink(links, r.repo)),
  );
  const unreleased = allPass(repos, "release.unreleased", links);
  add(
    3,
    "unreleased work within cadence",
    unreleased.met,
    "release.unreleased passes on every repository",
    unreleased.evidence,
  );

  const counts = repos.reduce(
    (sum, r) => ({
      prs: sum.prs + (r.metrics.traceability?.pullRequests ?? 0),
      traced: sum.traced + (r.metrics.traceability?.traced ?? 0),
      unread: sum.unread || !r.metrics.traceability,
    }),
    { prs: 0, traced: 0, unread: false },
  );
  const traced = share(counts.traced, counts.prs);
  const minTraced = settings.maturity.tracedShare;
  add(
    4,
    "work traces to outcomes",
    traced !== null && traced < minTraced ? false : counts.unread ? "unknown" : traced !== null,
    traced === null
      ? "no merged pull request in the window"
      : `${counts.traced} of ${counts.prs} merged pull requests trace to an active outcome (at least ${minTraced})`,
    repos.flatMap((r) => r.traced.map((p) => pullLink(links, r.repo, p.number))),
  );
  const vague = group.outcomes.filter((o) => !o.metric || o.target === null || o.target === "" || !o.due);
  add(
    4,
    "outcomes measurable",
    group.outcomes.length > 0 && vague.length === 0,
    group.outcomes.length === 0
      ? "no active outcome declared"
      : vague.length === 0
        ? "every active outcome has a metric, a target and a due date"
        : `${vague.map((o) => o.id).join(", ")} lack a metric, target or due date`,
    group.outcomes.flatMap((o) => o.evidence.slice(0, 1)),
  );
  const overdue = group.outcomes.filter((o) => o.overdue);
  const stale = group.outcomes.filter((o) => o.stale === true);
  const staleUnknown = group.outcomes.filter((o) => o.stale === "unknown");
  add(
    4,
    "none stale or overdue",
    worst(overdue.length + stale.length === 0, staleUnknown.length > 0 ? "unknown" : true),
    overdue.length + stale.length > 0
      ? [
          ...overdue.map((o) => `${o.id} was due ${o.due}`),
          ...stale.map((o) => `${o.id} has no traced work in ${settings.limits.staleDays} days`),
        ].join("; ")
      : staleUnknown.length > 0
        ? `the history does not reach back ${settings.limits.staleDays} days for ${staleUnknown.map((o) => o.id).join(", ")}`
        : "no active outcome is stale or overdue",
    [...overdue, ...stale, ...staleUnknown].flatMap((o) => o.evidence),
  );
  const maxFailure = settings.maturity.changeFailureRate;
  if (maxFailure !== null) {
    const rate = changeFailureRate(repos, links);
    // A rate some of whose signals were not read is a lower bound: above the limit it fails,
    // below it nothing is known.
    const met: Met =
      rate.value === "unknown"
        ? "unknown"
        : rate.value !== null && rate.value > maxFailure
          ? false
          : rate.unread.length > 0
            ? "unknown"
            : true;
    add(
      4,
      "change failure rate",
      met,
      rate.value === "unknown"
        ? "the change failure rate is unknown: the releases of a repository were not read"
        : met === "unknown"
          ? `change failure rate at least ${rate.value ?? 0}: reverts or incidents were not read in ${rate.unread.join(", ")}`
          : `change failure rate ${rate.value ?? "none (no release)"} (at most ${maxFailure})`,
      rate.evidence,
    );
  }
  return climb(c);
}

/**
 * The team's change failure rate: the mean of its repositories' rates (those with a deployment),
 * with the failed releases as evidence and the repositories whose revert or incident signals
 * were not read; unknown when a repository's releases were not read.
 */
export function changeFailureRate(
  repos: readonly TeamRepo[],
  links: Links,
): { value: number | null | "unknown"; evidence: string[]; unread: string[] } {
  if (repos.some((r) => !r.stability)) return { value: "unknown", evidence: [], unread: [] };
  const rates = repos.flatMap((r) =>
    r.stability?.changeFailureRate === null ? [] : [r.stability?.changeFailureRate as number],
  );
  return {
    value:
      rates.length === 0 ? null : Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 1000) / 1000,
    evidence: repos.flatMap((r) =>
      (r.stability?.failedTags ?? []).map((tag) => releaseLink(links, r.repo, tag)),
    ),
    unread: repos.filter((r) => (r.stability?.unread ?? []).length > 0).map((r) => r.label ?? r.repo),
  };
}

function climb(criteria: Criterion[]): Maturity {
  let level: Maturity["level"] = 0;
  for (const l of [1, 2, 3, 4] as const) {
    if (criteria.filter((x) => x.level === l).every((x) => x.met === true)) level = l;
    else break;
  }
  const blocking = criteria.find((x) => x.level === level + 1 && x.met !== true);
  return {
    level,
    next: blocking
      ? {
          level: blocking.level,
          criterion: blocking.id,
          detail: blocking.met === "unknown" ? `unknown: ${blocking.detail}` : blocking.detail,
        }
      : null,
    criteria,
  };
}
