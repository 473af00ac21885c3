/**
 * The organization report as Markdown: for `pom report --format markdown` and the pinned report
 * issue. Within GitHub's 65,535-character limit for an issue body: repositories past what fits
 * are cut with a note saying how many. In its stable form (the pinned issue), the text changes
 * only when the figures do, so that an unchanged organization leaves the pinned issue unedited.
 */
import type { OrgReport, RepoRow } from "../insights/report/build.js";
import { escapeInline, truncateText } from "./escape.js";
import { MARKDOWN_LIMIT } from "./markdown.js";
import { renderTeamsMarkdown } from "./team-markdown.js";

const STATUS_MARK: Record<string, string> = {
  pass: "✅",
  fail: "❌",
  unknown: "❔",
  waived: "⏳",
  skip: "➖",
};

const pct = (share: number | null) => (share === null ? "–" : `${Math.round(share * 1000) / 10}%`);
const num = (value: number | null | undefined, unit = "") => (value == null ? "–" : `${value}${unit}`);

export interface ReportMarkdownOptions {
  /**
   * Text that changes only when the figures do (the pinned issue): no generation time, no window
   * dates (the window is "the last N days" as of the issue's last edit), the day of each
   * repository's last release instead of its age. Default: a dated report.
   */
  stable?: boolean;
  limit?: number;
}

/**
 * @example renderReportMarkdown(buildReport({ repos, now })).startsWith("# POM governance report") // true
 */
export function renderReportMarkdown(report: OrgReport, options: ReportMarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const m = report.metrics;
  const who = report.org ? ` for ${escapeInline(report.org, 100)}` : "";
  const head = [
    `# POM governance report${who}`,
    "",
    options.stable
      ? `Window: the last ${report.window.days} days (UTC) as of the last edit of this text.`
      : `Window: ${report.window.from} to ${report.window.to} (${report.window.days} days, UTC); generated ${report.generatedAt}.`,
    `Release tiers: ${report.tierThresholds.name} thresholds over deployment days (see docs/metrics.md).`,
    "",
    "## Organization",
    "",
    "| figure | value |",
    "| --- | --- |",
    `| repositories | ${m.repos} |`,
    `| release tiers (elite / high / medium / low) | ${m.releaseFrequency.tiers.elite} / ${m.releaseFrequency.tiers.high} / ${m.releaseFrequency.tiers.medium} / ${m.releaseFrequency.tiers.low} |`,
    `| deployment days per week (median) | ${num(m.releaseFrequency.deploymentDaysPerWeek.median)} |`,
    options.stable
      ? `| never released | ${m.releaseFrequency.neverReleased} |`
      : `| days since the last release (median) | ${num(m.releaseFrequency.daysSinceLastRelease.median)} (never released: ${m.releaseFrequency.neverReleased}) |`,
    `| cadence coverage (mean) | ${pct(m.releaseFrequency.cadenceCoverage.mean)} |`,
    `| lead time, merge to release (median of medians / p90) | ${num(m.leadTime.medianHours.median, " h")} / ${num(m.leadTime.p90Hours.median, " h")} over ${m.leadTime.pullRequests} pull requests |`,
    `| change failure rate | ${pct(m.stability.changeFailureRate)} of ${m.stability.deployments} deployments (${m.stability.failures} failed, ${m.stability.open} not yet restored${m.stability.incomplete > 0 ? `; reverts or incidents unread in ${m.stability.incomplete} repositories` : ""}) |`,
    `| time to restore (median / p90) | ${num(m.stability.timeToRestore.medianHours, " h")} / ${num(m.stability.timeToRestore.p90Hours, " h")} over ${m.stability.restored} restored failures |`,
    `| traced to an outcome | ${pct(m.traceability.tracedShare)} of ${m.traceability.pullRequests} merged pull requests (${pct(m.traceability.tracedShareOfGoverned)} of the governed; exempt ${pct(m.traceability.exemptShare)}, waived ${pct(m.traceability.waivedShare)}) |`,
    `| ownership complete | ${m.ownership.complete} of ${m.ownership.repos} (${pct(m.ownership.completeShare)}) |`,
    "",
  ];
  head.push(...campaignLines(report, !options.stable));
  const outcomes = m.traceability.byOutcome.slice(0, 30);
  if (outcomes.length > 0) {
    head.push("## Pull requests per outcome", "", "| outcome | merged pull requests |", "| --- | --- |");
    for (const o of outcomes) head.push(`| ${escapeInline(o.id, 100)} | ${o.pullRequests} |`);
    head.push("");
  }
  if (report.teams && report.teams.teams.length + report.teams.unowned.length > 0)
    head.push(renderTeamsMarkdown(report.teams, Math.floor(limit / 3)), "");
  head.push(
    "## Repositories",
    "",
    "| repository | team | conclusion | tier | last release | cadence coverage | lead time (median) | change failure rate | traced | failing rules |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  const rows = report.repos.map((r) => repoLine(r, !options.stable));
  const matrix = matrixLines(report);
  const legend = `\nLegend: ${Object.entries(STATUS_MARK)
    .map(([status, mark]) => `${mark} ${status}`)
    .join(", ")}, blank: not evaluated.\n`;
  let body = head.join("\n");
  let shown = 0;
  const tail = () => `\n\n## Compliance\n\n${matrix.join("\n")}\n${legend}`;
  for (const row of rows) {
    if (body.length + row.length + 1 + 200 > limit) break;
    body += `\n${row}`;
    shown++;
  }
  if (shown < rows.length)
    body += `\n\n${rows.length - shown} more repositories are not shown here (GitHub's size limit): see the JSON or HTML report.`;
  const failed = report.failed ?? [];
  if (failed.length > 0) {
    const listed = failed
      .slice(0, 50)
      .map((f) => `| ${escapeInline(f.repo, 140)} | ${escapeInline(f.reason, 300)} |`);
    const more = failed.length > 50 ? `\n\n…and ${failed.length - 50} more.` : "";
    body += `\n\n## Not judged\n\n${failed.length} repositories could not be judged and are not counted above.\n\n| repository | why |\n| --- | --- |\n${listed.join("\n")}${more}`;
  }
  body += waiverLines(report, !options.stable);
  if (body.length + tail().length <= limit) body += tail();
  return truncateText(body, limit);
}

/**
 * The team report (`pom report --by team`): the team section on its own.
 *
 * @example renderTeamReportMarkdown(report).startsWith("# POM teams report") // true
 */
export function renderTeamReportMarkdown(report: OrgReport): string {
  const who = report.org ? ` for ${escapeInline(report.org, 100)}` : "";
  return [
    `# POM teams report${who}`,
    "",
    `Window: ${report.window.from} to ${report.window.to} (${report.window.days} days, UTC); generated ${report.generatedAt}.`,
    "",
    renderTeamsMarkdown(report.teams, MARKDOWN_LIMIT - 500),
  ].join("\n");
}

/** The waivers in force (the first 50), with the days they have left unless the text must stay stable. */
function waiverLines(report: OrgReport, daysLeft: boolean): string {
  const waivers = report.waivers ?? [];
  if (waivers.length === 0) return "";
  const rows = waivers.slice(0, 50).map((w) => {
    const until = daysLeft ? `${w.until} (${w.daysLeft} ${w.daysLeft === 1 ? "day" : "days"} left)` : w.until;
    return `| ${escapeInline(w.repo, 140)} | \`${w.rule}\` | ${until} | ${w.granted ?? "–"} | ${escapeInline(w.reason, 300)} |`;
  });
  const more = waivers.length > 50 ? `\n\n…and ${waivers.length - 50} more.` : "";
  return `\n\n## Active waivers\n\n${waivers.length} waivers in force. Approvals are checked on the pull request that adds or extends a waiver (manifest.protected).\n\n| repository | rule | until | granted | reason |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}${more}`;
}

function repoLine(r: RepoRow, ages: boolean): string {
  const f = r.metrics.releaseFrequency;
  const l = r.metrics.leadTime;
  const t = r.metrics.traceability;
  const s = r.metrics.stability;
  const cfr = s ? `${pct(s.changeFailureRate)} (${s.failures}/${s.deployments})` : "–";
  const when = f?.lastRelease
    ? ages
      ? `${f.daysSinceLastRelease} d ago`
      : new Date(f.lastRelease.publishedAt).toISOString().slice(0, 10)
    : "";
  const last = f?.lastRelease ? `${escapeInline(f.lastRelease.tag, 60)} (${when})` : f ? "never" : "–";
  return `| ${escapeInline(r.label ?? r.repo, 200)} | ${r.team ? escapeInline(r.team, 100) : "–"} | ${r.conclusion} | ${f?.tier ?? "–"} | ${last} | ${f ? pct(f.cadence.coverage) : "–"} | ${num(l?.medianHours, " h")} | ${cfr} | ${t ? pct(t.tracedShare) : "–"} | ${r.failing.join(", ") || "none"} |`;
}

function matrixLines(report: OrgReport): string[] {
  const rules = report.matrix.rules;
  if (rules.length === 0) return ["No rule was evaluated."];
  const lines = [`| repository | ${rules.join(" | ")} |`, `| --- |${rules.map(() => " --- |").join("")}`];
  for (const row of report.matrix.rows) {
    lines.push(
      `| ${escapeInline(row.repo, 140)} | ${rules.map((rule) => STATUS_MARK[row.statuses[rule] ?? ""] ?? " ").join(" | ")} |`,
    );
  }
  lines.push(
    `| pass share | ${rules.map((rule) => pct(report.matrix.totals[rule]?.passShare ?? null)).join(" | ")} |`,
  );
  return lines;
}

/**
 * The campaigns' readiness: per campaign its deadline, how many repositories are ready and how
 * many would fail once it blocks, where the trend started, per team and which repositories fail
 * (the first 10).
 */
function campaignLines(report: OrgReport, dated: boolean): string[] {
  const campaigns = report.campaigns ?? [];
  if (campaigns.length === 0) return [];
  const lines = [
    "## Campaigns",
    "",
    "| campaign | rules | deadline | ready | would fail at the deadline | waived / undecided | trend |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const c of campaigns) {
    const left = dated ? (c.daysLeft > 0 ? ` (in ${c.daysLeft} days)` : " (passed)") : "";
    const trend = c.since ? `${pct(c.since.readyShare)} on ${c.since.day} → ${pct(c.readyShare)}` : "–";
    lines.push(
      `| \`${escapeInline(c.id, 64)}\` ${escapeInline(c.title, 200)} | ${c.rules.join(", ")} | ${c.deadline}${left} | ${c.ready} of ${c.total} (${pct(c.readyShare)}) | ${c.failing} | ${c.waived} / ${c.unknown} | ${trend} |`,
    );
  }
  lines.push("");
  // Per team and the failing repositories for the ten nearest deadlines: within GitHub's limit.
  for (const c of campaigns.slice(0, 10)) {
    if (c.total === 0) continue;
    const teams = c.byTeam
      .slice(0, 15)
      .map((t) => `${t.team ? escapeInline(t.team, 100) : "no team"} ${t.ready}/${t.total}`);
    const more = c.byTeam.length > 15 ? `, and ${c.byTeam.length - 15} more teams` : "";
    lines.push(`- \`${escapeInline(c.id, 64)}\` by team (ready/judged): ${teams.join(", ")}${more}`);
    if (c.failingRepos.length > 0) {
      const names = c.failingRepos.slice(0, 10).map((r) => escapeInline(r, 140));
      const rest = c.failingRepos.length > 10 ? `, and ${c.failingRepos.length - 10} more` : "";
      lines.push(`  - failing: ${names.join(", ")}${rest}`);
    }
  }
  lines.push("");
  return lines;
}
