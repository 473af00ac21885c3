import { describe, expect, it } from "vitest";
import { buildReport } from "../../../../core/insights/report/build.js";
import { repoInsights } from "../../../../core/insights/report/insights.js";
import { configOf } from "../../../../core/manifest/config.js";
import { renderReportMarkdown } from "../../../../core/render/report-markdown.js";
import { DEFAULT_LEVELS } from "../../../../policies/registry.js";
import { manifest, NOW, policy } from "../../../helpers/engine.js";

const verdict = { conclusion: "success" as const, findings: [] };

function insightsOf(repo: string, waivers: Record<string, unknown>[], locked: string[] = []) {
  const config = configOf(
    DEFAULT_LEVELS,
    manifest({ waivers }),
    policy({ locked, waivers: { max_days: 90 } }),
    NOW,
  );
  return repoInsights({ repo, checkedAt: NOW, verdict, config });
}

describe("the org report's active waivers", () => {
  const repos = [
    insightsOf("acme/checkout", [
      { rule: "release.cadence", until: "2026-06-30", granted: "2026-06-01", reason: "Peak season freeze" },
      // Over: not listed.
      { rule: "outcome.declared", until: "2026-06-14", granted: "2026-06-01", reason: "done" },
    ]),
    insightsOf(
      "acme/search",
      [
        { rule: "ownership.roles", until: "2026-06-15", granted: "2026-06-01", reason: "Hiring a designer" },
        // Too long for max_days, and of a locked rule: neither is honoured, neither is listed.
        { rule: "outcome.issue", until: "2026-12-31", granted: "2026-06-01", reason: "too long" },
        { rule: "release.unreleased", until: "2026-06-20", granted: "2026-06-01", reason: "locked" },
      ],
      ["release.unreleased"],
    ),
  ];

  it("lists each waiver in force with its reason and the days it has left, soonest to end first", () => {
    const report = buildReport({ repos, now: NOW });
    expect(report.waivers).toEqual([
      {
        repo: "acme/search",
        rule: "ownership.roles",
        until: "2026-06-15",
        granted: "2026-06-01",
        reason: "Hiring a designer",
        daysLeft: 1,
      },
      {
        repo: "acme/checkout",
        rule: "release.cadence",
        until: "2026-06-30",
        granted: "2026-06-01",
        reason: "Peak season freeze",
        daysLeft: 16,
      },
    ]);
  });

  it("shows them in the Markdown report; the pinned issue's stable text leaves out the days left", () => {
    const report = buildReport({ repos, now: NOW });
    const text = renderReportMarkdown(report);
    expect(text).toContain("## Active waivers");
    expect(text).toContain(
      "| acme/search | `ownership.roles` | 2026-06-15 (1 day left) | 2026-06-01 | Hiring a designer |",
    );
    expect(text).toContain("2026-06-30 (16 days left)");
    const stable = renderReportMarkdown(report, { stable: true });
    expect(stable).toContain(
      "| acme/checkout | `release.cadence` | 2026-06-30 | 2026-06-01 | Peak season freeze |",
    );
    expect(stable).not.toContain("days left");
  });
});

describe("a check result's waivers", () => {
  it("are read back by pom report --from", async () => {
    const { readCheckResult } = await import("../../../../core/insights/report/read.js");
    const insights = insightsOf("acme/checkout", [
      { rule: "release.cadence", until: "2026-06-30", granted: "2026-06-01", reason: "freeze" },
    ]);
    const read = readCheckResult(JSON.stringify({ insights }), "checkout.json");
    expect(read).toMatchObject({
      ok: true,
      value: { waivers: [{ rule: "release.cadence", reason: "freeze" }] },
    });
  });
});
