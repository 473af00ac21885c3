/**
 * The team section as Markdown: one row per team (maturity level and what stops the next, the
 * trio, outcomes, repositories), then each team's findings under a heading of its own, which the
 * tracking issues of the team's repositories link to. User text (team names, logins, ids) is
 * escaped; logins are not @mentioned.
 */
import type { TeamReport, TeamRow } from "../insights/teams/report.js";
import { ROLES } from "../insights/teams/types.js";
import { escapeInline } from "./escape.js";

const LEVEL = ["L0", "L1", "L2", "L3", "L4"];

/**
 * The anchor GitHub gives the heading of a team's findings: "Team acme/payments" → "team-acmepayments".
 *
 * @example teamAnchor("acme/payments") // "team-acmepayments"
 */
export function teamAnchor(team: string): string {
  return `team-${team
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-")}`;
}

const fig = (v: number | null | "unknown", unit = "") =>
  v === "unknown" ? "unknown" : v === null ? "–" : `${v}${unit}`;

function trioCell(t: TeamRow): string {
  return ROLES.map((role) => {
    const f = t.trio[role];
    if (f.login === null) return "none";
    const mark = f.member === true ? "" : f.member === false ? " (not a member)" : " (?)";
    return `${escapeInline(f.login, 60)}${mark}`;
  }).join(" / ");
}

/** How often the trio changed in 90 days, flagged when more than once. */
function trioChanges(t: TeamRow): string {
  const v = t.durability.trioChanges90d.value;
  return t.durability.trioUnstable === true ? `${v} (unstable)` : fig(v);
}

function teamLine(t: TeamRow): string {
  const next = t.maturity.next
    ? `${escapeInline(t.maturity.next.criterion, 60)}: ${escapeInline(t.maturity.next.detail, 200)}`
    : "–";
  const failing = t.findings.filter((f) => f.status === "fail").length;
  const shared = t.shared.map((p) => escapeInline(p.login, 60)).join(", ") || "–";
  return `| [${escapeInline(t.team, 100)}](#${teamAnchor(t.team)}) | ${LEVEL[t.maturity.level]} | ${next} | ${t.repos.length} | ${trioCell(t)} | ${shared} | ${t.outcomes.length} | ${fig(t.delivery.deploymentDaysPerWeek.value)} | ${fig(t.delivery.leadTimeMedianHours.value, " h")} | ${fig(t.delivery.changeFailureRate.value)} | ${fig(t.delivery.timeToRestoreHours.value, " h")} | ${fig(t.durability.churn90d.value)} | ${trioChanges(t)} | ${failing} |`;
}

/**
 * The "## Teams" section of a report, at most `limit` characters (teams past it are counted).
 *
 * @example renderTeamsMarkdown(report.teams).startsWith("## Teams") // true
 */
export function renderTeamsMarkdown(teams: TeamReport, limit = 30_000): string {
  const l = teams.levels;
  const head = [
    "## Teams",
    "",
    `${teams.teams.length} teams: L0 ${l[0]}, L1 ${l[1]}, L2 ${l[2]}, L3 ${l[3]}, L4 ${l[4]} (docs/maturity.md). Unowned repositories: ${teams.unowned.length}.`,
    "",
    "| team | level | what stops the next level | repos | PM / designer / tech lead | shared | active outcomes | deployment days / week | lead time | change failure rate | time to restore | churn (90 d) | trio changes (90 d) | team findings |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ].join("\n");
  let body = head;
  let shown = 0;
  for (const t of teams.teams) {
    const line = `\n${teamLine(t)}`;
    if (body.length + line.length > limit / 2) break;
    body += line;
    shown++;
  }
  if (shown < teams.teams.length)
    body += `\n\n${teams.teams.length - shown} more teams: see the JSON report.`;
  if (teams.unowned.length > 0) {
    const names = teams.unowned
      .slice(0, 50)
      .map((u) => `${escapeInline(u.repo, 140)} (${escapeInline(u.reason, 60)})`);
    const more = teams.unowned.length > 50 ? `, and ${teams.unowned.length - 50} more` : "";
    body += `\n\nUnowned: ${names.join(", ")}${more}.`;
  }
  for (const t of teams.teams.slice(0, shown)) {
    const failing = t.findings.filter((f) => f.status === "fail");
    const events = t.durability.events.map(
      (e) => `- ${e.at.slice(0, 10)}: the team was ${e.change} (${escapeInline(e.detail, 200)})`,
    );
    if (failing.length === 0 && events.length === 0) continue;
    const part = [
      "",
      "",
      `### Team ${escapeInline(t.team, 100)}`,
      "",
      ...failing.map(
        (f) => `- **${f.rule}** (${f.level}): ${escapeInline(f.message, 500)}. ${escapeInline(f.fix, 300)}`,
      ),
      ...events,
    ].join("\n");
    if (body.length + part.length > limit) {
      body += "\n\nMore team findings: see the JSON report.";
      break;
    }
    body += part;
  }
  return body;
}
