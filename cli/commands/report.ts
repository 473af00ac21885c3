/** `pom report`: the organization's insights, from check results on disk or live from GitHub. */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_WINDOW_DAYS } from "../../core/insights/metrics/index.js";
import { DAY_MS, MAX_WINDOW_DAYS } from "../../core/insights/metrics/time.js";
import type { Snapshot } from "../../core/insights/metrics/trend.js";
import { buildReport, type OrgReport } from "../../core/insights/report/build.js";
import { daysAddedBy } from "../../core/insights/report/history.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import { readCheckResult, readReportHistory } from "../../core/insights/report/read.js";
import {
  emptyHistory,
  recordSweep,
  type TeamHistory,
  type TeamState,
} from "../../core/insights/teams/history.js";
import type { OrgPolicy } from "../../core/manifest/manifest.js";
import type { Command } from "../command.js";
import { displayPath } from "../files.js";
import { EXIT, type Io, UsageError } from "../io.js";
import { parseNow } from "./shared.js";

const FORMATS = ["markdown", "json", "html"] as const;
/** Files read from a directory at most, so that a wrong --from cannot walk a whole disk. */
const MAX_FILES = 100_000;

export const reportCommand: Command = {
  name: "report",
  usage: `
Usage: pom report --from DIR [--org NAME] [options]
       pom report --org ORG [options]

The organization's delivery and traceability figures (docs/metrics.md): release frequency with
its DORA tier, lead time, traceability to outcomes, ownership coverage, a compliance matrix
(repository x rule), release timelines and trend lines.

With --from, the figures come from a directory of \`pom check --format json\` results (every
*.json file below it; a repository found more than once counts with its latest check; an earlier
report found there, such as one written with --output into DIR, is skipped with a note). Without
it, --org ORG is read live from GitHub, many repositories per GraphQL query, with the token in
GITHUB_TOKEN (or GH_TOKEN) and the API at GITHUB_API_URL.

Options:
  --from DIR       read check results from DIR instead of GitHub
  --org NAME       the organization (live), or the name to show (with --from)
  --since DATE     start the window on this UTC day (default: ${DEFAULT_WINDOW_DAYS} days ending today)
  --now ISO        as of this time instead of now
  --history FILE   an earlier \`pom report --format json\`: its snapshots become the trend lines
                   (one point per UTC day: a note says when they add none to this report's),
                   and its teams' membership history (with --org, this reading's is added) gives
                   churn, trio changes and tenure once it covers 90 days
  --by team        the team view: repositories grouped by owning team, with the trio, shared
                   people, active outcomes, delivery figures, team findings and the maturity
                   level of each team (docs/maturity.md); json then prints the team section
  --format FORMAT  markdown (default), json, or html (one self-contained dashboard file)
  --output FILE    write the report to FILE instead of standard output

Exit codes: 0 report written, 2 usage or I/O error (a file that is not a check result is one).`,
  options: {
    from: { type: "string" },
    org: { type: "string" },
    since: { type: "string" },
    now: { type: "string" },
    history: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    by: { type: "string" },
  },
  positionals: false,
  async run({ values }, io) {
    const format = (values.format as string | undefined) ?? "markdown";
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${format}"`);
    }
    const by = values.by as string | undefined;
    if (by !== undefined && by !== "team") throw new UsageError(`--by takes "team"; got "${by}"`);
    const now = parseNow(values.now);
    const windowDays = windowFrom(values.since, now);
    const org = values.org as string | undefined;
    const from = values.from as string | undefined;
    if (from === undefined && org === undefined)
      throw new UsageError("give --from DIR, or --org ORG to read GitHub");
    const earlier =
      values.history === undefined ? { snapshots: [] } : readHistory(String(values.history), io, now);
    const { repos, failed, policy, teams } =
      from !== undefined
        ? { repos: readResults(from, io), failed: [], policy: null, teams: undefined }
        : await readLive(String(org), io, now, windowDays);
    // The owning teams' membership history: the earlier report's, with this reading's snapshot.
    const teamHistory =
      teams && org !== undefined
        ? recordSweep(earlier.teamHistory ?? emptyHistory(org), now, teams.teams, teams.unlisted)
        : earlier.teamHistory;
    const report = buildReport({
      repos,
      now,
      windowDays,
      history: earlier.snapshots,
      failed,
      policy,
      links: { web: webAddress(io.env) },
      ...(org ? { org } : {}),
      ...(teamHistory ? { teamHistory } : {}),
    });
    const text = await render(report, format, by === "team", teamHistory);
    if (values.output !== undefined) {
      const out = resolve(io.cwd, String(values.output));
      try {
        writeFileSync(out, text);
      } catch (error) {
        throw new UsageError(
          `${displayPath(out, io.cwd)}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`,
        );
      }
      if (io.errIsTTY) io.err(`wrote ${displayPath(out, io.cwd)}: ${report.repos.length} repositories`);
    } else io.out(text.replace(/\n$/, ""));
    return EXIT.ok;
  },
};

async function render(
  report: OrgReport,
  format: string,
  byTeam: boolean,
  teamHistory: TeamHistory | undefined,
): Promise<string> {
  // The report's JSON carries the membership history on, for the next run's --history.
  const full = teamHistory ? { ...report, teamHistory } : report;
  if (format === "json") return `${JSON.stringify(byTeam ? teamJson(report) : full, null, 2)}\n`;
  if (format === "html") return (await import("../../core/render/dashboard/page.js")).renderDashboard(report);
  const markdown = await import("../../core/render/report-markdown.js");
  return `${byTeam ? markdown.renderTeamReportMarkdown(report) : markdown.renderReportMarkdown(report)}\n`;
}

/** `--by team --format json`: the team section with what says which report it is. */
function teamJson(report: OrgReport) {
  return {
    kind: "pom-governance-team-report",
    version: 1,
    generatedAt: report.generatedAt,
    org: report.org,
    window: report.window,
    ...report.teams,
  };
}

/**
 * The web address evidence links point to: GITHUB_SERVER_URL, or the API address's server
 * (GitHub Enterprise Server's `/api/v3`), or github.com.
 */
export function webAddress(env: Record<string, string | undefined>): string {
  if (env.GITHUB_SERVER_URL) return env.GITHUB_SERVER_URL.replace(/\/+$/, "");
  const api = env.GITHUB_API_URL;
  if (api && /\/api\/v3\/?$/.test(api)) return api.replace(/\/api\/v3\/?$/, "");
  return "https://github.com";
}

/** The window's length in days from --since (a day or a time, UTC), or the default. */
export function windowFrom(since: unknown, now: Date): number {
  if (since === undefined) return DEFAULT_WINDOW_DAYS;
  const text = String(since);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  // Date.parse takes 2026-02-30 for March 2: the day must read back as written.
  const real = !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || (text.length === 10 ? !real : Number.isNaN(ms)))
    throw new UsageError(`--since must be a day such as 2026-09-01 (or an ISO time); got "${text}"`);
  const days = Math.floor(now.getTime() / DAY_MS) - Math.floor(ms / DAY_MS) + 1;
  if (days < 1) throw new UsageError(`--since ${text} is after --now (${now.toISOString()})`);
  if (days > MAX_WINDOW_DAYS)
    throw new UsageError(`--since ${text} is more than ${MAX_WINDOW_DAYS} days back`);
  return days;
}

/**
 * The snapshots (and membership history) of an earlier report; said on stderr when they add no
 * point to the trend lines.
 */
function readHistory(path: string, io: Io, now: Date): { snapshots: Snapshot[]; teamHistory?: TeamHistory } {
  const shown = displayPath(path, io.cwd);
  const read = readReportHistory(readFile(resolve(io.cwd, path), shown), shown);
  if (!read.ok)
    throw new UsageError(
      `${read.problem.file}:${read.problem.line}:${read.problem.column}: ${read.problem.message}`,
    );
  const snapshots = read.value.snapshots;
  if (daysAddedBy(snapshots, now).length === 0) {
    const what = snapshots.length === 1 ? "its snapshot is" : `its ${snapshots.length} snapshots are`;
    io.err(
      `note: ${shown} adds no point to the trend lines: ${what} from ${now.toISOString().slice(0, 10)}, the UTC day of this report, which has one point (its own figures); give a report from an earlier day`,
    );
  }
  return read.value;
}

function readFile(path: string, shown: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? `${shown}: no such file` : `${shown}: cannot read (${code ?? error})`,
    );
  }
}

/** Every *.json below `dir`, in a stable order. */
function jsonFiles(dir: string, shown: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    throw new UsageError(`${shown}: no such directory`);
  }
  if (!stat.isDirectory())
    throw new UsageError(`${shown}: not a directory (--from takes a directory of check results)`);
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".json")) out.push(path);
      if (out.length > MAX_FILES) throw new UsageError(`${shown}: more than ${MAX_FILES} JSON files`);
    }
  };
  walk(dir);
  return out;
}

/**
 * The check results of a directory; every file that is not one is named, and nothing is reported.
 * Earlier reports are skipped with a note: `--output DIR/report.json` must not break the next run.
 */
function readResults(from: string, io: Io): RepoInsights[] {
  const dir = resolve(io.cwd, from);
  const files = jsonFiles(dir, displayPath(dir, io.cwd));
  const repos: RepoInsights[] = [];
  const problems: string[] = [];
  const reports: string[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const read = readCheckResult(readFile(file, shown), shown);
    if (read.ok) repos.push(read.value);
    else if ("report" in read) reports.push(shown);
    else
      problems.push(
        `${read.problem.file}:${read.problem.line}:${read.problem.column}: ${read.problem.message}`,
      );
  }
  if (reports.length > 0) {
    const more = reports.length > 5 ? `, and ${reports.length - 5} more` : "";
    io.err(
      `note: skipped ${reports.length} earlier report(s), not check results: ${reports.slice(0, 5).join(", ")}${more}`,
    );
  }
  if (problems.length > 0) {
    for (const p of problems.slice(0, 50)) io.err(p);
    if (problems.length > 50) io.err(`… and ${problems.length - 50} more`);
    throw new UsageError(
      `${problems.length} of ${files.length} files in ${displayPath(dir, io.cwd)} are not check results; nothing was reported`,
    );
  }
  if (repos.length === 0) throw new UsageError(`no check results (*.json) in ${displayPath(dir, io.cwd)}`);
  return repos;
}

async function readLive(
  org: string,
  io: Io,
  now: Date,
  windowDays: number,
): Promise<{
  repos: RepoInsights[];
  failed: { repo: string; reason: string }[];
  policy: OrgPolicy | null;
  teams?: { teams: TeamState[]; unlisted: string[] } | undefined;
}> {
  const { reportLive } = await import("../report-live.js");
  return reportLive(org, io, now, windowDays);
}
