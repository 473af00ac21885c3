/**
 * The one line a repository's tracking issue carries for each team finding of its owning team:
 * the finding itself lives in the report's team section, the issue names it and links there.
 */
import { teamReport } from "./report.js";
import type { TeamRepo, TeamSettings } from "./types.js";

export interface TeamNote {
  team: string;
  /** The failing team rules, in order. */
  rules: string[];
  /** The findings' messages, for the line. */
  messages: string[];
}

/**
 * For each repository (lower-case `owner/name`) whose team has failing team findings, the note.
 *
 * @example teamNotes(repos, settings, now).get("acme/checkout")?.rules // ["team.focus"]
 */
export function teamNotes(
  repos: readonly TeamRepo[],
  settings: TeamSettings,
  now: Date,
): Map<string, TeamNote> {
  const notes = new Map<string, TeamNote>();
  for (const t of teamReport({ repos, settings, now }).teams) {
    const failing = t.findings.filter((f) => f.status === "fail");
    if (failing.length === 0) continue;
    const note = { team: t.team, rules: failing.map((f) => f.rule), messages: failing.map((f) => f.message) };
    for (const r of t.repos) notes.set(r.repo.toLowerCase(), note);
  }
  return notes;
}
