import { describe, expect, it } from "vitest";
import { readCheckResult, readReportHistory } from "../../../../core/insights/report/read.js";
import { syntheticRepos } from "./fixtures.js";

const repo = syntheticRepos(1)[0];
const result = (insights: unknown) =>
  JSON.stringify({ conclusion: "success", findings: [], insights }, null, 2);

describe("readCheckResult", () => {
  it("reads the insights of a pom check --format json result", () => {
    const read = readCheckResult(result(repo), "r.json");
    expect(read).toEqual({ ok: true, value: repo });
  });

  it("points at a JSON syntax error by line and column", () => {
    const read = readCheckResult('{\n  "conclusion": "success",\n  "findings": [\n}', "bad.json");
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem).toMatchObject({ file: "bad.json", line: 4, column: 1 });
    expect(read.problem.message).toContain("not valid JSON");
  });

  it("points at the first value of the wrong shape, with its path", () => {
    const text = result({ ...repo, cadence: { text: "14d", ms: "fourteen" } });
    const read = readCheckResult(text, "r.json");
    expect(read.ok).toBe(false);
    if (read.ok) return;
    const line = text.split("\n").findIndex((l) => l.includes('"fourteen"')) + 1;
    expect(read.problem).toMatchObject({
      file: "r.json",
      line,
      message: "insights.cadence.ms: expected a whole number above 0",
    });
    expect(read.problem.column).toBeGreaterThan(1);
    // A cadence of 0 ms would divide the window into nothing.
    const zero = readCheckResult(result({ ...repo, cadence: { text: "0d", ms: 0 } }), "r.json");
    expect(zero.ok || zero.problem.message).toBe("insights.cadence.ms: expected a whole number above 0");
  });

  it("names a missing field and a bad entry of a list", () => {
    const { conclusion: _c, ...noConclusion } = repo as unknown as Record<string, unknown>;
    const missing = readCheckResult(result(noConclusion), "r.json");
    expect(missing.ok || missing.problem.message).toBe('insights: "conclusion" is missing');
    const badRelease = readCheckResult(
      result({ ...repo, releases: [{ tag: "v1", publishedAt: "yesterday" }] }),
      "r.json",
    );
    expect(badRelease.ok || badRelease.problem.message).toBe(
      "insights.releases[0].publishedAt: expected an ISO 8601 time",
    );
  });

  it("refuses a verdict without insights, and a report given where a result was expected", () => {
    const plain = readCheckResult(JSON.stringify({ conclusion: "success", findings: [] }), "old.json");
    expect(plain.ok || plain.problem).toMatchObject({ line: 1, column: 1 });
    expect(plain.ok || plain.problem.message).toContain('no "insights"');
    const report = readCheckResult(JSON.stringify({ kind: "pom-governance-report" }), "report.json");
    expect(report.ok || report.problem.message).toContain("a report, not a check result");
    // Told apart from other problems: a report left in a directory of results is skipped.
    expect(report).toMatchObject({ ok: false, report: true });
    expect(plain).not.toHaveProperty("report");
  });
});

describe("readReportHistory", () => {
  it("reads the snapshots of an earlier report, and refuses anything else", () => {
    const history = [{ at: "2026-06-14T06:00:00Z", metrics: { repos: 3 } }];
    expect(readReportHistory(JSON.stringify({ kind: "pom-governance-report", history }), "r.json")).toEqual({
      ok: true,
      value: { snapshots: history },
    });
    const bad = readReportHistory(
      JSON.stringify({ kind: "pom-governance-report", history: [{ at: "x" }] }),
      "r.json",
    );
    expect(bad.ok || bad.problem.message).toBe("history[0].at: expected an ISO 8601 time");
    expect(readReportHistory("[]", "r.json").ok).toBe(false);
    const figures = (metrics: unknown) =>
      readReportHistory(
        JSON.stringify({ kind: "pom-governance-report", history: [{ at: "2026-06-14", metrics }] }),
        "r.json",
      );
    expect(figures({ repos: null }).ok).toBe(true);
    const none = figures(null);
    expect(none.ok || none.problem.message).toBe("history[0].metrics: expected an object of figures");
    const text = figures({ repos: "3" });
    expect(text.ok || text.problem.message).toBe("history[0].metrics.repos: expected a number or null");
  });

  it("reads the teams' membership history beside them, and names where it is not one", () => {
    const teamHistory = {
      kind: "pom-team-history",
      org: "acme",
      snapshots: [
        {
          at: "2026-03-01T00:00:00Z",
          by: "sweep",
          teams: [{ team: "acme/core", members: ["ann"], trio: {} }],
        },
      ],
    };
    const read = (value: unknown) =>
      readReportHistory(
        JSON.stringify({ kind: "pom-governance-report", history: [], teamHistory: value }, null, 2),
        "r.json",
      );
    expect(read(teamHistory)).toEqual({ ok: true, value: { snapshots: [], teamHistory } });
    const members = structuredClone(teamHistory) as { snapshots: { teams: { members: unknown }[] }[] };
    (members.snapshots[0]?.teams[0] as { members: unknown }).members = "ann";
    const bad = read(members);
    expect(bad.ok || [bad.problem.message, bad.problem.line]).toEqual([
      "teamHistory.snapshots[0].teams[0].members: expected a list",
      14,
    ]);
  });
});
