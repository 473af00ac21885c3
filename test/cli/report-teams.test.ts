/**
 * `pom report --org ORG --by team` against the loopback fake GitHub: an organization of six teams,
 * each built to stop at a maturity level or break a team rule (team-seed.ts), and one repository
 * without a manifest. Every expected figure is worked out by hand below.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamReport } from "../../core/insights/teams/report.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { teamSeed } from "../core/insights/teams/team-seed.js";
import { ensureBuilt, NOW, NOW_ISO, pom } from "./pom.js";

let fake: FakeGitHub;
let tmp: string;
const token = "ghs_report_teams_token";

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), "pom-report-teams-"));
  fake = await startFakeGitHub(teamSeed(NOW));
  fake.state.tokens.set(token, 1);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3` });

describe("pom report --org --by team", () => {
  let report: TeamReport & { kind: string };

  beforeAll(async () => {
    fake.reset();
    const result = await pom(
      ["report", "--org", "acme", "--by", "team", "--now", NOW_ISO, "--format", "json"],
      { cwd: tmp, env: env() },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout);
  }, 60_000);

  const team = (slug: string) => {
    const found = report.teams.find((t) => t.team === `acme/${slug}`);
    if (!found) throw new Error(`no team acme/${slug}`);
    return found;
  };
  const failing = (slug: string) =>
    team(slug)
      .findings.filter((f) => f.status === "fail")
      .map((f) => f.rule);

  it("groups the repositories into six teams and lists the two without a manifest as unowned", () => {
    expect(report.kind).toBe("pom-governance-team-report");
    expect(report.teams.map((t) => [t.team, t.repos.map((r) => r.repo)])).toEqual([
      ["acme/focus", ["acme/focus-a", "acme/focus-b"]],
      ["acme/l0", ["acme/l0-app"]],
      ["acme/l1", ["acme/l1-app"]],
      ["acme/l2", ["acme/l2-app"]],
      ["acme/l3", ["acme/l3-app"]],
      ["acme/l4", ["acme/l4-app"]],
    ]);
    // The policy repository has no manifest either: both are unowned.
    expect(report.unowned.map((u) => [u.repo, u.reason])).toEqual([
      ["acme/.github", "no manifest"],
      ["acme/no-manifest", "no manifest"],
    ]);
  });

  it("puts each team at the level it was built for, naming what stops the next", () => {
    const levels = Object.fromEntries(
      report.teams.map((t) => [t.team, [t.maturity.level, t.maturity.next?.criterion ?? null]]),
    );
    expect(levels).toEqual({
      // Push and CODEOWNERS hold; the manifests name two designers (dee, dana).
      "acme/focus": [1, "one trio"],
      // The team may only read l0-app.
      "acme/l0": [0, "team has push access"],
      // No designer named.
      "acme/l1": [1, "trio named"],
      // Releases 20 days apart against a 14d cadence: of each 20-day gap 14 days are on cadence;
      // over the window (2026-03-18 to 06-15: 2 + 4 × 14 + 2 = 60 of 90 days) 0.667.
      "acme/l2": [2, "on cadence"],
      // Ships every 2 days, lead time 6 h, but 0 of 3 pull requests name an outcome.
      "acme/l3": [3, "work traces to outcomes"],
      // 3 of 3 traced to L4-1 (metric, target, due 2027-01-31, last traced 3 days ago); the
      // policy leaves the change failure rate out (maturity.change_failure_rate: off).
      "acme/l4": [4, null],
    });
    expect(team("l2").maturity.next?.detail).toBe("acme/l2-app on cadence 0.667 of the window");
    expect(team("l3").maturity.next?.detail).toBe(
      "0 of 3 merged pull requests trace to an active outcome (at least 0.8)",
    );
    expect(team("l1").maturity.next?.detail).toBe("no designer");
    expect(report.levels).toEqual([1, 2, 1, 1, 1]);
  });

  it("breaks each team rule where it was built to, and no other", () => {
    expect(failing("focus")).toEqual(["team.focus", "team.load", "team.roles_shared", "team.trio"]);
    expect(failing("l0")).toEqual(["team.roles_shared"]);
    expect(failing("l1")).toEqual(["team.roles_shared"]);
    for (const slug of ["l2", "l3", "l4"]) expect(failing(slug), slug).toEqual([]);
    const focus = team("focus").findings;
    // F-1, F-2 (focus-a) and F-3, F-4 (focus-b): four active outcomes, the limit is 3.
    expect(focus.find((f) => f.rule === "team.focus")?.message).toBe(
      "acme/focus has 4 active outcomes (at most 3)",
    );
    expect(focus.find((f) => f.rule === "team.load")?.message).toBe(
      "acme/focus owns 2 repositories (at most 1)",
    );
    expect(focus.find((f) => f.rule === "team.trio")?.message).toContain(
      "designer (dee in acme/focus-a; dana in acme/focus-b)",
    );
  });

  it("flags sam, product manager on three teams with team.roles_shared 2, on each, naming the other two", () => {
    const message = (slug: string) =>
      team(slug).findings.find((f) => f.rule === "team.roles_shared")?.message;
    expect(message("focus")).toBe("sam (product manager) is also on acme/l0, acme/l1: on more than 2 teams");
    expect(message("l0")).toBe("sam (product manager) is also on acme/focus, acme/l1: on more than 2 teams");
    expect(message("l1")).toBe("sam (product manager) is also on acme/focus, acme/l0: on more than 2 teams");
    expect(team("l0").shared).toEqual([
      { login: "sam", roles: ["productManager"], otherTeams: ["acme/focus", "acme/l1"] },
    ]);
  });

  it("counts active outcomes per team, with overdue and stale ones", () => {
    const outcomes = Object.fromEntries(
      report.teams.map((t) => [
        t.team,
        t.outcomes.map((o) => `${o.id}${o.overdue ? " overdue" : ""}${o.stale === true ? " stale" : ""}`),
      ]),
    );
    expect(outcomes).toEqual({
      // F-4 is named by no pull request: stale after 60 days (the history reaches back 180).
      "acme/focus": ["F-1", "F-2", "F-3", "F-4 stale"],
      "acme/l0": ["L0-1"],
      "acme/l1": ["L1-1"],
      // Due 2026-05-01.
      "acme/l2": ["L2-1 overdue"],
      // No pull request names L3-1.
      "acme/l3": ["L3-1 stale"],
      "acme/l4": ["L4-1"],
    });
  });

  it("fills the trio with membership, and leaves churn and change failure rate unknown", () => {
    expect(team("l1").trio).toEqual({
      productManager: { login: "sam", member: true },
      designer: { login: null, member: false },
      techLead: { login: "ted", member: true },
    });
    // sam, ted and dev.
    expect(team("l1").members.value).toBe(3);
    expect(team("l4").delivery.changeFailureRate).toMatchObject({ value: "unknown" });
    expect(team("l4").durability.churn90d).toMatchObject({ value: "unknown" });
  });

  it("links every team figure to its evidence", () => {
    const web = fake.url;
    const l4 = team("l4");
    expect(l4.url).toBe(`${web}/orgs/acme/teams/l4`);
    expect(l4.delivery.tracedShare).toEqual({
      value: 1,
      evidence: [1, 2, 3].map((n) => `${web}/acme/l4-app/pull/${n}`),
    });
    expect(l4.delivery.deploymentDaysPerWeek.evidence).toEqual([`${web}/acme/l4-app/releases/tag/v1.0.0`]);
    expect(l4.outcomes[0]?.evidence).toEqual([
      `${web}/acme/l4-app/blob/HEAD/.github/pom.yml`,
      `${web}/acme/l4-app/pull/1`,
    ]);
    for (const t of report.teams) {
      for (const c of t.maturity.criteria.filter((x) => x.met === false))
        expect(c.evidence.length, `${t.team} ${c.id}`).toBeGreaterThan(0);
      for (const f of t.findings.filter((x) => x.status === "fail"))
        expect(f.evidence.length, `${t.team} ${f.rule}`).toBeGreaterThan(0);
    }
  });

  it("adds no GraphQL query for the team facts: members come with the sweep's page (budget ⌈6/50⌉ = 1)", () => {
    const counts = fake.counts();
    // One page of repositories with the teams and the policy, one history batch: as without teams.
    expect(counts.graphql).toBe(2);
    expect(counts.writes).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it("prints the team view as Markdown", async () => {
    const md = await pom(["report", "--org", "acme", "--by", "team", "--now", NOW_ISO], {
      cwd: tmp,
      env: env(),
    });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("# POM teams report for acme");
    expect(md.stdout).toContain(
      "6 teams: L0 1, L1 2, L2 1, L3 1, L4 1 (docs/maturity.md). Unowned repositories: 2.",
    );
    expect(md.stdout).toContain(
      "| [acme/l2](#team-acmel2) | L2 | on cadence: acme/l2-app on cadence 0.667 of the window |",
    );
    expect(md.stdout.match(/### Team acme\/focus/g)).toHaveLength(1);
  });

  it("refuses --by with anything but team", async () => {
    const bad = await pom(["report", "--org", "acme", "--by", "repo"], { cwd: tmp, env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--by takes "team"');
  });
});
