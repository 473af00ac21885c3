/**
 * Durability of a team from its membership history (history.ts): churn over the window (members
 * who joined plus those who left, relative to its size now), how long each of the trio has held
 * the role, how often the trio changed, and renames and re-creations. A figure the history cannot
 * cover is null (`unknown`), never zero. Definitions: docs/metrics.md ("Team durability").
 */
import { round, share } from "../metrics/stats.js";
import { DAY_MS, dayWindow, inWindow, windowBounds } from "../metrics/time.js";
import { type TeamHistory, type TeamState, TRIO_ROLES, type Trio } from "./history.js";

export interface Tenure {
  login: string;
  /** Since when (as far as the history knows) this login holds the role. */
  since: string;
  /** now − since, in days to 1 decimal. */
  days: number;
  /** The history begins with this login in the role: the tenure is at least this long. */
  atLeast: boolean;
}

export interface MembershipChange {
  at: string;
  change: "joined" | "left" | "trio" | "renamed" | "re-created";
  login?: string;
  detail?: string;
  /** What recorded it: a sweep's snapshot or a webhook. */
  by: "sweep" | "membership" | "team";
}

export interface Durability {
  team: string;
  window: { from: string; to: string; days: number };
  /** When the history begins; null when it holds nothing. */
  historySince: string | null;
  /** Whether the history covers the window: otherwise churn and trio changes are unknown (null). */
  covered: boolean;
  /** Direct members now; null when the team is not in the latest snapshot. */
  size: number | null;
  churn: { joined: number; left: number; rate: number | null } | null;
  trio: Record<keyof Trio, Tenure | null>;
  /** How many times the trio changed in the window; null when not covered. */
  trioChanges: number | null;
  /** The trio changed more than once in the window; null when not covered. */
  trioUnstable: boolean | null;
  /** The changes in the window: the evidence of every figure above. */
  changes: MembershipChange[];
}

/** The team's state in a snapshot: the same id (it survives a rename), else the same name. */
function stateIn(teams: readonly TeamState[], key: string, id: number | undefined): TeamState | undefined {
  return (id === undefined ? undefined : teams.find((t) => t.id === id)) ?? teams.find((t) => t.team === key);
}

/**
 * The team's state in each snapshot, walking back from the latest: by id (a renamed team keeps
 * it), else by name (a re-created team has a new id), the identity moving with each state found.
 */
function lineage(snaps: TeamHistory["snapshots"], key: string): (TeamState | undefined)[] {
  const states: (TeamState | undefined)[] = [];
  let name = key;
  let id: number | undefined;
  for (let i = snaps.length - 1; i >= 0; i--) {
    const state = stateIn((snaps[i] as TeamHistory["snapshots"][0]).teams, name, id);
    if (state) {
      name = state.team;
      id = state.id;
    }
    states[i] = state;
  }
  return states;
}

/**
 * The durability of `team` ("org/slug") over the window ending at `now`.
 *
 * @example durability(history, "acme/payments", now).churn?.rate // 0.5
 */
export function durability(history: TeamHistory, team: string, now: Date, windowDays = 90): Durability {
  const window = dayWindow(now, windowDays);
  const key = team.toLowerCase();
  const snaps = history.snapshots.filter((s) => Date.parse(s.at) <= window.nowMs);
  const latest = snaps.at(-1);
  const current = latest ? stateIn(latest.teams, key, undefined) : undefined;
  const states = lineage(snaps, key);
  const first = snaps[0];
  const covered = first !== undefined && Date.parse(first.at) <= window.first * DAY_MS;

  const changes: MembershipChange[] = [];
  let joined = 0;
  let left = 0;
  let trioChanges = 0;
  for (let i = 1; i < snaps.length; i++) {
    const snap = snaps[i] as (typeof snaps)[0];
    if (!inWindow(window, Date.parse(snap.at))) continue;
    const before = states[i - 1];
    const after = states[i];
    if (!after) continue;
    const at = snap.at;
    const by = snap.by;
    const earlier = snaps.slice(0, i).some((s) => s.teams.some((t) => t.team === after.team));
    if (
      (!before && earlier) ||
      (before && before.id !== undefined && after.id !== undefined && before.id !== after.id)
    )
      changes.push({ at, change: "re-created", detail: `${after.team} has a new id`, by });
    if (!before) continue;
    if (before.team !== after.team)
      changes.push({ at, change: "renamed", detail: `${before.team} → ${after.team}`, by });
    for (const login of after.members.filter((m) => !before.members.includes(m))) {
      joined++;
      changes.push({ at, change: "joined", login, by });
    }
    for (const login of before.members.filter((m) => !after.members.includes(m))) {
      left++;
      changes.push({ at, change: "left", login, by });
    }
    const moved = TRIO_ROLES.filter((r) => before.trio[r] !== after.trio[r]);
    if (moved.length > 0) {
      trioChanges++;
      changes.push({
        at,
        change: "trio",
        detail: moved.map((r) => `${r}: ${before.trio[r] ?? "none"} → ${after.trio[r] ?? "none"}`).join(", "),
        by,
      });
    }
  }

  const size = current ? current.members.length : null;
  const rate = size === null ? null : share(joined + left, size);
  return {
    team: key,
    window: windowBounds(window),
    historySince: first?.at ?? null,
    covered,
    size,
    churn: covered && current ? { joined, left, rate: rate === null ? null : round(rate, 3) } : null,
    trio: Object.fromEntries(
      TRIO_ROLES.map((r) => [r, tenure(snaps, states, r, window.nowMs)]),
    ) as Durability["trio"],
    trioChanges: covered ? trioChanges : null,
    trioUnstable: covered ? trioChanges > 1 : null,
    changes,
  };
}

function tenure(
  snaps: TeamHistory["snapshots"],
  states: readonly (TeamState | undefined)[],
  role: keyof Trio,
  nowMs: number,
): Tenure | null {
  const login = states.at(-1)?.trio[role];
  if (!login) return null;
  let since = snaps.length - 1;
  while (since > 0 && states[since - 1]?.trio[role] === login) since--;
  const at = (snaps[since] as TeamHistory["snapshots"][0]).at;
  return { login, since: at, days: round((nowMs - Date.parse(at)) / DAY_MS, 1), atLeast: since === 0 };
}
