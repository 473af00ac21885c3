/**
 * A sweep of the six-team organization (team-seed.ts) against the loopback fake GitHub, as the
 * app runs it: each team finding lives once, in the report issue's team section, and each
 * repository the team owns names it in one line of its tracking issue, linking there; team rules
 * change no repository's conclusion; `outcome.declared: error` in the policy still makes an
 * overdue outcome an error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RepoInsights } from "../../../core/insights/report/insights.js";
import { emptyTally } from "../../../github/flows/sweep.js";
import { gatherInsights } from "../../../github/insights/org-insights.js";
import { issueWish, keepOrgReport } from "../../../github/insights/org-report.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { MemoryReportStore } from "../../../testkit/memory-store.js";
import { teamSeed } from "../../core/insights/teams/team-seed.js";
import { NOW } from "../../helpers/engine.js";
import { installationClient } from "../../helpers/fake-client.js";

const LINK = "https://github.com/acme/.github/issues/1";
let fake: FakeGitHub;
const judged = new Map<string, RepoInsights>();
let reportBody = "";

const log = { info: () => {}, warn: () => {}, error: () => {} };
const tracking = (repo: string) =>
  fake.state.repo(repo).issues.filter((i) => i.title.startsWith("POM governance:") && i.state === "open");

beforeAll(async () => {
  fake = await startFakeGitHub(teamSeed(NOW));
  const client = installationClient(fake, "ghs_team_notes");
  const deps = { client, cache: new FileCache(), now: NOW };
  const gathered = await gatherInsights(
    deps,
    { id: 1, account: "acme", selection: "all" },
    log,
    {
      now: NOW,
      windowDays: 90,
      teamReport: LINK,
    },
    emptyTally(),
  );
  for (const i of gathered.insights) judged.set(i.repo, i);
  await keepOrgReport(deps, new MemoryReportStore(), log, {
    org: "acme",
    insights: gathered.insights,
    issue: issueWish(gathered.policy),
    policy: gathered.policy?.ok ? gathered.policy.value : null,
    failed: gathered.failed,
    now: NOW,
    windowDays: 90,
  });
  reportBody =
    fake.state.repo("acme/.github").issues.find((i) => i.title === "POM governance report")?.body ?? "";
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

describe("team findings in a sweep", () => {
  it("lives once in the report issue's team section", () => {
    expect(reportBody).toContain("## Teams");
    expect(reportBody.match(/### Team acme\/focus/g)).toHaveLength(1);
    expect(reportBody.match(/team\.focus/g)?.length).toBe(1);
    expect(reportBody.match(/### Team acme\/l0/g)).toHaveLength(1);
    expect(reportBody).not.toContain("### Team acme/l4");
  });

  it("is one line in the tracking issue of each repository the team owns, linking to the report", () => {
    for (const repo of ["acme/focus-a", "acme/focus-b"]) {
      const [issue, ...more] = tracking(repo);
      expect(more, repo).toEqual([]);
      const lines = (issue?.body ?? "").split("\n").filter((l) => l.includes("Team acme/focus"));
      expect(lines, repo).toHaveLength(1);
      expect(lines[0]).toContain("team.focus, team.load, team.roles_shared, team.trio");
      expect(lines[0]).toContain(`(${LINK}#team-acmefocus)`);
    }
    const l0 = tracking("acme/l0-app")[0]?.body ?? "";
    expect(l0.split("\n").filter((l) => l.includes("Team acme/l0"))).toHaveLength(1);
    // l3's team has no finding: its issue (for nothing) or none at all carries no team line.
    for (const i of tracking("acme/l3-app")) expect(i.body).not.toContain("**Team");
  });

  it("changes no repository's conclusion: no team rule is among a repository's findings", () => {
    for (const [repo, result] of judged) {
      expect(
        result.findings.filter((f) => f.rule.startsWith("team.")),
        repo,
      ).toEqual([]);
    }
    // l4-app complies with every repository rule: no tracking issue, whatever its team.
    expect(judged.get("acme/l4-app")?.conclusion).toBe("success");
    expect(tracking("acme/l4-app")).toEqual([]);
  });

  it("reports the overdue outcome at error level: outcome.declared is error in the policy", () => {
    const finding = judged.get("acme/l2-app")?.findings.find((f) => f.rule === "outcome.overdue");
    expect(finding).toMatchObject({ status: "fail", level: "error", message: "L2-1 was due 2026-05-01" });
    expect(judged.get("acme/l2-app")?.conclusion).toBe("failure");
  });
});
