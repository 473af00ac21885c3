import { describe, expect, it } from "vitest";
import { buildReport } from "../../../../core/insights/report/build.js";
import { renderDashboard } from "../../../../core/render/dashboard/page.js";
import { renderReportMarkdown } from "../../../../core/render/report-markdown.js";
import { REPORT_NOW, syntheticRepos } from "./fixtures.js";

const hostile = "acme/</script><img src=x onerror=alert(1)> @here #12 \u2028";

function report(count = 3, repoName?: string) {
  const repos = syntheticRepos(count).map((r, i) =>
    i === 0 && repoName ? { ...r, repo: repoName, team: repoName } : r,
  );
  return buildReport({ repos, now: REPORT_NOW, org: "acme" });
}

describe("renderReportMarkdown", () => {
  it("shows the organization figures, one row per repository and the compliance matrix", () => {
    const md = renderReportMarkdown(report(3));
    expect(md).toMatch(/^# POM governance report for acme\n/);
    expect(md).toContain(
      "Window: 2026-03-18 to 2026-06-15 (90 days, UTC); generated 2026-06-15T12:00:00.000Z.",
    );
    expect(md).toContain("DORA 2023 thresholds");
    expect(md).toContain("| acme/svc-00 | acme/team-0 | success | elite |");
    expect(md).toContain("| repository | manifest.valid | ownership.team |");
    expect(md).toContain("| CHK-12 |");
  });

  it("in its stable form, says the same thing days later when nothing happened", () => {
    // Repositories with no releases and no merges: nothing changes but the clock.
    const quiet = syntheticRepos(3).map((r) => ({ ...r, releases: [], merged: [] }));
    const at = (days: number) => new Date(REPORT_NOW.getTime() + days * 86_400_000);
    const render = (days: number) =>
      renderReportMarkdown(
        buildReport({
          repos: quiet.map((r) => ({ ...r, checkedAt: at(days).toISOString() })),
          now: at(days),
          org: "acme",
        }),
        { stable: true },
      );
    const today = render(0);
    expect(today).not.toContain("generated");
    expect(today).not.toContain("2026-0");
    expect(today).toContain("Window: the last 90 days (UTC) as of the last edit of this text.");
    expect(render(3)).toBe(today);
    // The dated form does change.
    const dated = (days: number) =>
      renderReportMarkdown(buildReport({ repos: quiet, now: at(days), org: "acme" }));
    expect(dated(3)).not.toBe(dated(0));
  });

  it("in its stable form, names the day of the last release rather than its age", () => {
    const md = renderReportMarkdown(report(3), { stable: true });
    expect(md).toMatch(/\| acme\/svc-00 \| acme\/team-0 \| [a-z]+ \| [a-z]+ \| v1\.0\.0 \(2026-06-1\d\) \|/);
    expect(md).not.toContain("d ago");
  });

  it("escapes user text: no HTML, no mentions, no references", () => {
    const md = renderReportMarkdown(report(2, hostile));
    expect(md).not.toContain("<img");
    expect(md).not.toContain("</script>");
    expect(md).not.toContain("@here");
    expect(md).not.toContain("#12");
  });

  it("stays within GitHub's limit, saying how many repositories it could not show", () => {
    const md = renderReportMarkdown(report(400), { limit: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/\d+ more repositories are not shown here/);
  });
});

describe("renderDashboard", () => {
  it("is one file that may ask for nothing: a policy without connect, script or image sources", () => {
    const html = renderDashboard(report(3));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(
      `content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;`,
    );
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
  });

  it("embeds the report as inert JSON: a hostile name cannot close the script element", () => {
    const html = renderDashboard(report(2, hostile));
    const data =
      /<script type="application\/json" id="pom-report">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(data).not.toContain("<");
    expect(data).not.toContain("\u2028");
    const parsed = JSON.parse(data) as { repos: { repo: string }[] };
    expect(parsed.repos.map((r) => r.repo)).toContain(hostile);
    // Only the page's own two script elements: the data and the code.
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it("escapes the title", () => {
    const r = { ...report(1), org: '<b>"acme"</b>' };
    expect(renderDashboard(r)).toContain(
      "<title>POM governance report — &#60;b&#62;&#34;acme&#34;&#60;/b&#62;</title>",
    );
  });
});
