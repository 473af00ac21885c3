import { describe, expect, it } from "vitest";
import type { Finding, RuleId, Status } from "../../../../core/engine/types.js";
import { campaignReadiness } from "../../../../core/insights/metrics/campaigns.js";
import { buildReport } from "../../../../core/insights/report/build.js";
import type { RepoInsights } from "../../../../core/insights/report/insights.js";
import { renderReportMarkdown } from "../../../../core/render/report-markdown.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const CAMPAIGN = {
  id: "codeowners-2027",
  title: "Every repo names its owning team in CODEOWNERS",
  rules: ["ownership.codeowners", "ownership.roles"] as RuleId[],
  deadline: "2027-02-01",
};
const f = (rule: RuleId, status: Status): Finding => ({
  rule,
  status,
  level: "warn",
  message: `${rule} ${status}`,
  fix: "",
  evidence: [],
});

/** Six repositories; by hand: ready b, g; failing a, c; waived d; unknown e; f not judged. */
const FIXTURE: { repo: string; team: string | null; findings: Finding[] }[] = [
  {
    repo: "acme/a",
    team: "acme/x",
    findings: [f("ownership.codeowners", "fail"), f("ownership.roles", "pass")],
  },
  {
    repo: "acme/b",
    team: "acme/x",
    findings: [f("ownership.codeowners", "pass"), f("ownership.roles", "pass")],
  },
  {
    repo: "acme/c",
    team: "acme/y",
    findings: [f("ownership.codeowners", "pass"), f("ownership.roles", "fail")],
  },
  { repo: "acme/d", team: "acme/y", findings: [f("ownership.codeowners", "waived")] },
  {
    repo: "acme/e",
    team: null,
    findings: [f("ownership.codeowners", "unknown"), f("release.cadence", "fail")],
  },
  { repo: "acme/f", team: "acme/x", findings: [f("release.cadence", "pass")] },
  { repo: "acme/g", team: null, findings: [f("ownership.roles", "skip")] },
];

describe("campaign readiness", () => {
  it("counts, per campaign and per team, the repositories ready and those that would fail at the deadline", () => {
    const [c] = campaignReadiness([CAMPAIGN], FIXTURE, NOW);
    expect(c).toMatchObject({
      id: "codeowners-2027",
      daysLeft: 56,
      ready: 2,
      failing: 2,
      waived: 1,
      unknown: 1,
      total: 6,
      readyShare: 0.333,
      failingRepos: ["acme/a", "acme/c"],
    });
    expect(c?.byTeam.map((t) => [t.team, t.ready, t.failing, t.total])).toEqual([
      [null, 1, 0, 2],
      ["acme/x", 1, 1, 2],
      ["acme/y", 0, 1, 2],
    ]);
  });

  it("reaches the report from the repositories' check results, with its trend over the snapshots", () => {
    const insights: RepoInsights[] = FIXTURE.map((r) => ({
      repo: r.repo,
      checkedAt: NOW.toISOString(),
      conclusion: "neutral",
      findings: r.findings,
      hasManifest: true,
      ...(r.team ? { team: r.team } : {}),
      cadence: { text: "14d", ms: 14 * 86_400_000 },
      activeOutcomes: [],
      campaigns: [CAMPAIGN],
    }));
    const earlier = { at: "2026-11-30", metrics: { "campaign.codeowners-2027.readyShare": 0.1 } };
    const report = buildReport({ repos: insights, now: NOW, history: [earlier] });
    expect(report.campaigns?.[0]).toMatchObject({
      ready: 2,
      total: 6,
      since: { day: "2026-11-30", readyShare: 0.1 },
    });
    expect(report.history.at(-1)?.metrics).toMatchObject({
      "campaign.codeowners-2027.readyShare": 0.333,
      "campaign.codeowners-2027.failing": 2,
    });
    expect(report.trend.series["campaign.codeowners-2027.readyShare"]?.filter((v) => v !== null)).toEqual([
      0.1, 0.333,
    ]);
    const text = renderReportMarkdown(report);
    expect(text).toContain(
      "| `codeowners-2027` Every repo names its owning team in CODEOWNERS | ownership.codeowners, ownership.roles | 2027-02-01 (in 56 days) | 2 of 6 (33.3%) | 2 | 1 / 1 | 10% on 2026-11-30 → 33.3% |",
    );
    expect(text).toContain("- `codeowners-2027` by team (ready/judged): no team 1/2, acme/x 1/2, acme/y 0/2");
    expect(text).toContain("  - failing: acme/a, acme/c");
    expect(renderReportMarkdown(report, { stable: true })).toContain("| 2027-02-01 | 2 of 6");
  });

  it("is absent from a report whose repositories were judged under no campaign", () => {
    const report = buildReport({ repos: [], now: NOW });
    expect(report.campaigns).toEqual([]);
    expect(renderReportMarkdown(report)).not.toContain("## Campaigns");
  });
});
