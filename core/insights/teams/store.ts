/**
 * Where the app keeps each account's team history (history.ts): beside its reports, in files or
 * in Redis. Changes go through `update`, one at a time per account (across replicas with Redis),
 * so that a webhook and a sweep never overwrite each other's change.
 */
import { emptyHistory, type TeamHistory } from "./history.js";

export interface TeamHistoryStore {
  /** The history of `org` (empty when none was kept). */
  load(org: string): Promise<TeamHistory>;
  /** Keeps `change(history)` as the history of `org`, and returns it. */
  update(org: string, change: (history: TeamHistory) => TeamHistory): Promise<TeamHistory>;
}

/** A stored text read back as a team history, or undefined when it is not one. */
export function parseTeamHistory(text: string): TeamHistory | undefined {
  try {
    const value = JSON.parse(text) as Partial<TeamHistory> | null;
    return value?.kind === "pom-team-history" &&
      typeof value.org === "string" &&
      Array.isArray(value.snapshots)
      ? (value as TeamHistory)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The history kept under a key, or an empty one (a text that is not one starts a new history). */
export function historyOf(org: string, text: string | null | undefined): TeamHistory {
  return (text ? parseTeamHistory(text) : undefined) ?? emptyHistory(org);
}
