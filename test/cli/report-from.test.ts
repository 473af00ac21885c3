/**
 * `pom check --format json` on real git checkouts, then `pom report --from DIR` over the results:
 * the history travels in the results (tags and merged pull requests from git), the figures are
 * computed for the window asked, and a file that is not a result stops the report with its
 * position instead of being left out.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgReport } from "../../core/insights/report/build.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { daysAgo, ensureBuilt, governedRepo, manifestYaml, NOW_ISO, pom } from "./pom.js";

let tmp: TempRoot;
let results: string;

beforeAll(async () => {
  ensureBuilt();
  tmp = tempRoot("pom-report-from-");
  results = join(tmp.path, "results");
  mkdirSync(results);
  // checkout: released 3 and 17 days ago; pull requests merged 5 and 20 days ago, and a direct commit.
  const checkout = governedRepo(tmp, daysAgo(40));
  checkout.git(["remote", "add", "origin", "git@github.com:acme/checkout.git"]);
  checkout.write("a.txt", "1").commit("Merge pull request #4 from acme/cart\n\nKeep carts", daysAgo(20));
  checkout.tag("v1.0.0", { annotated: true, date: daysAgo(17) });
  checkout.write("b.txt", "2").commit("Faster totals (#7)", daysAgo(5));
  checkout.write("c.txt", "3").commit("Tidy up", daysAgo(4));
  checkout.tag("v1.1.0", { annotated: true, date: daysAgo(3) });
  // legacy: never released.
  const legacy = governedRepo(tmp, daysAgo(100), manifestYaml({ cadence: "30d" }));
  legacy.git(["remote", "add", "origin", "https://github.com/acme/legacy.git"]);
  for (const [name, dir] of [
    ["checkout", checkout.dir],
    ["legacy", legacy.dir],
  ]) {
    const run = await pom(["check", "--now", NOW_ISO, "--format", "json"], { cwd: dir as string });
    expect(run.stderr).toBe("");
    writeFileSync(join(results, `${name}.json`), run.stdout);
  }
}, 60_000);

afterAll(() => tmp?.cleanup());

const report = async (args: string[], dir = results) => {
  const run = await pom(["report", "--from", dir, "--now", NOW_ISO, "--format", "json", ...args], {
    cwd: tmp.path,
  });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as OrgReport;
};

describe("pom check --format json: the insights", () => {
  it("names the repository from its origin and carries tags and merged pull requests from git", () => {
    const insights = (
      JSON.parse(readFileSync(join(results, "checkout.json"), "utf8")) as { insights: RepoInsights }
    ).insights;
    expect(insights.repo).toBe("acme/checkout");
    expect(insights.checkedAt).toBe(NOW_ISO);
    expect(insights.releases?.map((r) => r.tag).sort()).toEqual(["v1.0.0", "v1.1.0"]);
    // Only commits that merged a pull request count; offline there is no trace.
    expect(insights.merged).toEqual([
      { number: 7, mergedAt: daysAgo(5).toISOString() },
      { number: 4, mergedAt: daysAgo(20).toISOString() },
    ]);
    expect(insights.cadence).toEqual({ text: "14d", ms: 14 * 86_400_000 });
    expect(insights.activeOutcomes).toEqual(["CHK-12"]);
  });
});

describe("pom report --from", () => {
  it("computes each repository's figures from the results", async () => {
    const r = await report([]);
    expect(r.repos.map((x) => x.repo)).toEqual(["acme/checkout", "acme/legacy"]);
    const checkout = r.repos[0]?.metrics;
    expect(checkout?.releaseFrequency).toMatchObject({
      releases: 2,
      deploymentDays: 2,
      daysSinceLastRelease: 3,
    });
    // #4: merged 20 days ago, released 17 days ago (72 h); #7: 5 days ago, released 3 days ago (48 h).
    expect(checkout?.leadTime).toMatchObject({ pullRequests: 2, medianHours: 60 });
    expect(checkout?.traceability).toBeUndefined();
    expect(r.repos[0]?.gaps).toEqual(["pull requests read from git history only: no traceability"]);
    expect(r.repos[1]?.metrics.releaseFrequency?.lastRelease).toBeNull();
    expect(r.metrics.releaseFrequency.neverReleased).toBe(1);
  });

  it("measures the window --since asks for", async () => {
    const r = await report(["--since", "2026-06-01"]);
    expect(r.window).toEqual({ from: "2026-06-01", to: "2026-06-15", days: 15 });
    expect(r.repos[0]?.metrics.releaseFrequency?.releases).toBe(1);
    expect(r.repos[0]?.metrics.leadTime?.pullRequests).toBe(1);
  });

  /** An earlier `pom report --format json` of the results, made at `at`, written to `name`. */
  const earlierReport = async (name: string, at: string) => {
    const path = join(tmp.path, name);
    const run = await pom(["report", "--from", results, "--now", at, "--format", "json", "--output", path], {
      cwd: tmp.path,
    });
    expect(run.code, run.stderr).toBe(0);
    return path;
  };

  it("carries an earlier report's snapshots into the trend lines", async () => {
    const earlier = await earlierReport("earlier.json", "2026-06-10T12:00:00Z");
    const r = await report(["--history", earlier]);
    expect(r.history.map((s) => s.at)).toEqual(["2026-06-10T12:00:00.000Z", NOW_ISO]);
    expect(r.trend.days).toHaveLength(6);
    expect(r.trend.series.repos).toEqual([2, null, null, null, null, 2]);
  });

  it("says so when --history adds no trend point: every snapshot is from the report's own UTC day", async () => {
    const sameDay = await earlierReport("same-day.json", "2026-06-15T06:00:00Z");
    const args = ["report", "--from", results, "--now", NOW_ISO, "--format", "json", "--history", sameDay];
    const run = await pom(args, { cwd: tmp.path });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "note: same-day.json adds no point to the trend lines: its snapshot is from 2026-06-15, the UTC day of this report, which has one point (its own figures); give a report from an earlier day\n",
    );
    expect((JSON.parse(run.stdout) as OrgReport).trend.days).toEqual(["2026-06-15"]);
  });

  it("skips, with a note, an earlier report written into the --from directory, instead of failing on it", async () => {
    const dir = join(tmp.path, "with-report");
    mkdirSync(dir);
    writeFileSync(join(dir, "checkout.json"), readFileSync(join(results, "checkout.json")));
    const options = { cwd: tmp.path };
    const written = await pom(
      ["report", "--from", dir, "--now", NOW_ISO, "--format", "json", "--output", join(dir, "report.json")],
      options,
    );
    expect(written.code, written.stderr).toBe(0);
    const again = await pom(["report", "--from", dir, "--now", NOW_ISO, "--format", "json"], options);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe(
      "note: skipped 1 earlier report(s), not check results: with-report/report.json\n",
    );
    expect((JSON.parse(again.stdout) as OrgReport).repos.map((r) => r.repo)).toEqual(["acme/checkout"]);
  });

  it("writes Markdown by default and a self-contained HTML file on request", async () => {
    const md = await pom(["report", "--from", results, "--now", NOW_ISO], { cwd: tmp.path });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# POM governance report\n/);
    expect(md.stdout).toContain("| acme/checkout | acme/payments |");
    const html = await pom(["report", "--from", results, "--now", NOW_ISO, "--format", "html"], {
      cwd: tmp.path,
    });
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("stops at a file that is not a check result, naming it with line and column, and reports nothing", async () => {
    const dir = join(tmp.path, "mixed");
    mkdirSync(join(dir, "nested"), { recursive: true });
    writeFileSync(join(dir, "checkout.json"), readFileSync(join(results, "checkout.json")));
    writeFileSync(join(dir, "nested", "broken.json"), '{\n  "conclusion": "success",\n  "findings": [\n}');
    writeFileSync(join(dir, "old.json"), JSON.stringify({ conclusion: "success", findings: [] }));
    const run = await pom(["report", "--from", dir, "--now", NOW_ISO], { cwd: tmp.path });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("mixed/nested/broken.json:4:1: not valid JSON");
    expect(run.stderr).toContain('mixed/old.json:1:1: no "insights"');
    expect(run.stderr).toContain("2 of 3 files in mixed are not check results; nothing was reported");
  });

  it("refuses bad options with a pointer to --help", async () => {
    const cases: [string[], string][] = [
      [["--from", results, "--since", "June"], "--since must be a day"],
      [["--from", results, "--since", "2026-02-30"], "--since must be a day"],
      [["--from", results, "--since", "2026-07-01"], "is after --now"],
      [["--from", results, "--format", "pdf"], "--format must be one of markdown, json, html"],
      [["--from", join(tmp.path, "nowhere")], "no such directory"],
      [[], "give --from DIR, or --org ORG"],
    ];
    for (const [args, message] of cases) {
      const run = await pom(["report", "--now", NOW_ISO, ...args], { cwd: tmp.path });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
