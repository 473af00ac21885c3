/**
 * An account's sweep into its organization report, against the loopback fake GitHub: a
 * repository whose tracking issue cannot be written is still in the report; the report issue's
 * number is kept with the stored report, so a removed label opens no second issue; and once the
 * policy stops asking for the issue, it is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../../core/insights/report/build.js";
import { emptyTally } from "../../../github/flows/sweep.js";
import { gatherInsights } from "../../../github/insights/org-insights.js";
import { issueWish, keepOrgReport } from "../../../github/insights/org-report.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { MemoryReportStore } from "../../../testkit/memory-store.js";
import { orgSeed } from "../../core/insights/report/org-seed.js";
import { installationClient } from "../../helpers/fake-client.js";

const TOKEN = "ghs_org_report";
const NOW = new Date();
const POLICY = ".github/pom-policy.yml";
let fake: FakeGitHub;
let client: GitHubClient;
const store = new MemoryReportStore();
const warnings: string[] = [];
const log = { info: () => {}, warn: (_o: object, m?: string) => warnings.push(m ?? ""), error: () => {} };

/** One sweep of acme into the store, as the app runs it. */
async function sweepAcme() {
  const deps = { client, cache: new FileCache(), now: NOW };
  const gathered = await gatherInsights(
    deps,
    { id: 1, account: "acme", selection: "all" },
    log,
    { now: NOW, windowDays: 90 },
    emptyTally(),
  );
  return keepOrgReport(deps, store, log, {
    org: "acme",
    insights: gathered.insights,
    issue: issueWish(gathered.policy),
    failed: gathered.failed,
    now: NOW,
    windowDays: 90,
  });
}

const reportIssues = () =>
  fake.state.repo("acme/.github").issues.filter((i) => i.title === "POM governance report");

beforeAll(async () => {
  const seed = orgSeed(6, NOW);
  fake = await startFakeGitHub({
    ...seed,
    repos: [
      ...(seed.repos ?? []),
      { owner: "acme", name: ".github", files: { [POLICY]: "version: 1\nreport: issue\n" } },
    ],
  });
  client = installationClient(fake, TOKEN);
});

afterAll(async () => {
  await fake?.close();
});

describe("keepOrgReport after a sweep", () => {
  it("keeps a repository whose tracking issue could not be written in the report", async () => {
    // svc-02's team only reads: ownership.team fails and a tracking issue is due; GitHub refuses it.
    fake.inject({ match: "POST /repos/{owner}/{repo}/issues", repo: "acme/svc-02", status: 502, times: 10 });
    const kept = await sweepAcme();
    expect(kept.report.repos.map((r) => r.repo)).toContain("acme/svc-02");
    expect(kept.report.repos.find((r) => r.repo === "acme/svc-02")?.failing).toContain("ownership.team");
    // Judged, so not "not judged": the tracking write is the sweep's failure, logged.
    expect(kept.report.failed).toEqual([]);
    expect(kept.issue?.action).toBe("opened");
    expect((await store.latest("acme"))?.issue).toEqual({ number: kept.issue?.number });
  });

  it("finds its issue by the number it kept, when someone took the label off", async () => {
    const [issue] = reportIssues();
    if (!issue) throw new Error("no report issue");
    issue.labels = [];
    const kept = await sweepAcme();
    expect(kept.issue).toMatchObject({ number: issue.number });
    expect(reportIssues()).toHaveLength(1);
  });

  it("closes the issue once the policy no longer asks for it, and forgets it", async () => {
    fake.state.repo("acme/.github").files.set(POLICY, "version: 1\nreport: off\n");
    const kept = await sweepAcme();
    expect(kept.retired).toBe("closed");
    expect(reportIssues().map((i) => i.state)).toEqual(["closed"]);
    expect((await store.latest("acme"))?.issue).toBeUndefined();
    expect((await sweepAcme()).retired).toBeUndefined();
  });
});

describe("a report with repositories that could not be judged", () => {
  it("names them in every rendering", async () => {
    const { renderReportMarkdown } = await import("../../../core/render/report-markdown.js");
    const report = buildReport({
      repos: [],
      now: NOW,
      org: "acme",
      failed: [
        { repo: "acme/zeta", reason: "GitHub answered 502" },
        { repo: "acme/alpha", reason: "timed out" },
      ],
    });
    expect(report.failed.map((f) => f.repo)).toEqual(["acme/alpha", "acme/zeta"]);
    const md = renderReportMarkdown(report);
    expect(md).toContain("## Not judged");
    expect(md).toContain("| acme/zeta | GitHub answered 502 |");
  });
});
