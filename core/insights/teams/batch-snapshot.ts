/**
 * One snapshot of an account's owning teams from a sweep that judged it in batches (several
 * replicas sharing Redis): each batch read the direct members of the teams its repositories name,
 * so the teams are merged, and the trio is taken as one process takes it, from the first manifest
 * (by repository name) that names one. Teams no batch could read are kept as they were. Pure.
 */
import type { TeamState, Trio } from "./history.js";

export interface BatchTeams {
  teams: TeamState[];
  unlisted: string[];
}

/** What a repository's insights say of its owning team's trio (the manifest's logins). */
export interface TrioOfRepo {
  repo: string;
  team?: string;
  trio?: { productManager?: string; designer?: string; techLead?: string };
}

/**
 * The merged snapshot: every team a batch read, with the trio of the first repository naming one.
 *
 * @example mergeBatchTeams([{ teams, unlisted: [] }], insights).teams[0]?.members
 */
export function mergeBatchTeams(batches: readonly BatchTeams[], repos: readonly TrioOfRepo[]): BatchTeams {
  const teams = new Map<string, TeamState>();
  const unlisted = new Set<string>();
  for (const batch of batches) {
    for (const t of batch.teams) if (!teams.has(t.team)) teams.set(t.team, { ...t, trio: {} });
    for (const k of batch.unlisted) unlisted.add(k.toLowerCase());
  }
  const sorted = [...repos].sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  for (const r of sorted) {
    const state = r.team ? teams.get(r.team.toLowerCase()) : undefined;
    if (!state || Object.keys(state.trio).length > 0 || !r.trio) continue;
    const trio: Trio = {};
    // The insights' trio is the configuration's, its logins already without "@".
    if (r.trio.productManager) trio.product_manager = r.trio.productManager;
    if (r.trio.designer) trio.designer = r.trio.designer;
    if (r.trio.techLead) trio.tech_lead = r.trio.techLead;
    state.trio = trio;
  }
  return { teams: [...teams.values()], unlisted: [...unlisted].filter((k) => !teams.has(k)) };
}
