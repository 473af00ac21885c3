/**
 * The membership history of the owning teams: a snapshot of each owning team's direct members and
 * trio at every sweep, changed between sweeps by `membership` and `team` webhooks (without reading
 * GitHub), logins only, kept 180 days. A snapshot is appended only when something changed, so the
 * history is a list of states, each true from its `at` until the next. Pure.
 */

/** How long snapshots are kept. */
export const TEAM_HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;

export interface Trio {
  product_manager?: string;
  designer?: string;
  tech_lead?: string;
}
export const TRIO_ROLES = ["product_manager", "designer", "tech_lead"] as const;

export interface TeamState {
  /** "org/slug", lower-cased. */
  team: string;
  /** GitHub's id of the team: a team renamed keeps it, a team re-created gets a new one. */
  id?: number;
  /** Direct members' logins, sorted (child teams' members are not the team's). */
  members: string[];
  /** The trio the manifests name (absent: no manifest names one). */
  trio: Trio;
}

export interface TeamSnapshot {
  at: string;
  /** What made it: a sweep (everything read) or a webhook (one change). */
  by: "sweep" | "membership" | "team";
  teams: TeamState[];
}

export interface TeamHistory {
  kind: "pom-team-history";
  org: string;
  /** Oldest first. */
  snapshots: TeamSnapshot[];
}

export function emptyHistory(org: string): TeamHistory {
  return { kind: "pom-team-history", org: org.toLowerCase(), snapshots: [] };
}

const teamKey = (org: string, slug: string) => `${org}/${slug}`.toLowerCase();
const sameState = (a: readonly TeamState[], b: readonly TeamState[]) =>
  JSON.stringify(a) === JSON.stringify(b);
const normal = (teams: readonly TeamState[]): TeamState[] =>
  teams
    .map((t) => ({ ...t, team: t.team.toLowerCase(), members: [...new Set(t.members)].sort() }))
    .sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));

/** The history with `teams` as the state from `at`, appended when it differs; pruned to 180 days. */
function append(
  history: TeamHistory,
  at: Date,
  by: TeamSnapshot["by"],
  teams: readonly TeamState[],
): TeamHistory {
  const latest = history.snapshots.at(-1);
  const state = normal(teams);
  const snapshots =
    latest && sameState(latest.teams, state)
      ? history.snapshots
      : [...history.snapshots, { at: at.toISOString(), by, teams: state }];
  return { ...history, snapshots: prune(snapshots, at) };
}

/**
 * Drops snapshots older than TEAM_HISTORY_DAYS, but keeps the newest of them: it is the state at
 * the start of the kept period.
 */
function prune(snapshots: readonly TeamSnapshot[], now: Date): TeamSnapshot[] {
  const cutoff = now.getTime() - TEAM_HISTORY_DAYS * DAY_MS;
  const old = snapshots.filter((s) => Date.parse(s.at) < cutoff);
  return old.length <= 1 ? [...snapshots] : snapshots.slice(old.length - 1);
}

/**
 * A sweep's snapshot: the owning teams as read now; those in `unlisted` (the sweep did not read
 * them) keep their latest state.
 *
 * @example recordSweep(history, now, [{ team: "acme/payments", id: 7, members: ["alice"], trio: {} }])
 */
export function recordSweep(
  history: TeamHistory,
  now: Date,
  teams: readonly TeamState[],
  unlisted: readonly string[] = [],
): TeamHistory {
  const keep = new Set(unlisted.map((k) => k.toLowerCase()));
  const kept = (history.snapshots.at(-1)?.teams ?? []).filter((t) => keep.has(t.team));
  return append(history, now, "sweep", [...teams, ...kept]);
}

/** The parts of a `membership` webhook payload read (no read of GitHub). */
export interface MembershipEvent {
  action: "added" | "removed" | string;
  scope?: string;
  member?: { login: string } | null;
  team?: { id?: number; slug?: string; deleted?: boolean } | null;
  organization?: { login: string } | null;
}

/** The parts of a `team` webhook payload read. */
export interface TeamEvent {
  action: "created" | "deleted" | "edited" | string;
  team: { id: number; slug: string };
  organization?: { login: string } | null;
}

/** The snapshot's team a payload names: by id, else by slug. */
function find(teams: readonly TeamState[], org: string, team: { id?: number; slug?: string }): number {
  const byId = team.id === undefined ? -1 : teams.findIndex((t) => t.id === team.id);
  return byId >= 0 || !team.slug
    ? byId
    : teams.findIndex((t) => t.team === teamKey(org, team.slug as string));
}

/**
 * The history after a `membership` webhook: the member added to or removed from the owning team
 * it names. A team not in the latest snapshot is not an owning team the sweep knows: no change.
 *
 * @example applyMembership(history, now, payload).snapshots.at(-1)?.teams[0]?.members
 */
export function applyMembership(history: TeamHistory, at: Date, event: MembershipEvent): TeamHistory {
  const latest = history.snapshots.at(-1);
  const login = event.member?.login;
  const org = event.organization?.login ?? history.org;
  if (!latest || !login || !event.team || (event.scope && event.scope !== "team")) return history;
  const i = find(latest.teams, org, event.team);
  const team = latest.teams[i];
  if (!team) return history;
  const members =
    event.action === "added"
      ? [...team.members, login]
      : event.action === "removed"
        ? team.members.filter((m) => m.toLowerCase() !== login.toLowerCase())
        : team.members;
  const teams = latest.teams.map((t, k) => (k === i ? { ...t, members } : t));
  return append(history, at, "membership", teams);
}

/**
 * The history after a `team` webhook: a rename (`edited`, the same id under a new slug), a deleted
 * owning team (gone from the snapshot), or a team created under the slug of an owning team that
 * was deleted (re-created: a new id, no members yet).
 */
export function applyTeamEvent(history: TeamHistory, at: Date, event: TeamEvent): TeamHistory {
  const latest = history.snapshots.at(-1);
  if (!latest) return history;
  const org = event.organization?.login ?? history.org;
  const key = teamKey(org, event.team.slug);
  const i = latest.teams.findIndex((t) => t.id === event.team.id);
  let teams = latest.teams;
  if (event.action === "edited" && i >= 0) {
    teams = latest.teams.map((t, k) => (k === i ? { ...t, team: key } : t));
  } else if (event.action === "deleted" && i >= 0) {
    teams = latest.teams.filter((_, k) => k !== i);
  } else if (event.action === "created" && !latest.teams.some((t) => t.team === key)) {
    const known = history.snapshots.flatMap((s) => s.teams.filter((t) => t.team === key)).at(-1);
    if (!known) return history;
    // The manifests still name the old trio: kept until the next sweep reads them again.
    teams = [...latest.teams, { team: key, id: event.team.id, members: [], trio: known.trio }];
  }
  return append(history, at, "team", teams);
}
