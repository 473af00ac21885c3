/**
 * `pom report --org ORG --by team` against the loopback fake GitHub: an organization of six teams,
 * each built to stop at a maturity level or break a team rule (team-seed.ts), and one repository
 * without a manifest. Every expected figure is worked out by hand below.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
      // 3 of 3 traced to L4-1 (metric, target, due 2027-01-31, last traced 3 days ago); change
      // failure rate 0.022, within 0.15.
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

  it("fills the trio with membership, and leaves churn unknown without a membership history", () => {
    expect(team("l1").trio).toEqual({
      productManager: { login: "sam", member: true },
      designer: { login: null, member: false },
      techLead: { login: "ted", member: true },
    });
    // sam, ted and dev.
    expect(team("l1").members.value).toBe(3);
    // This reading is the history's first snapshot: it covers no 90 days yet.
    expect(team("l4").durability.churn90d).toMatchObject({ value: "unknown" });
    expect(team("l4").durability.trioUnstable).toBe("unknown");
  });

  it("measures change failure rate and time to restore per team", () => {
    const web = fake.url;
    const stability = (slug: string) => ({
      rate: team(slug).delivery.changeFailureRate.value,
      restore: team(slug).delivery.timeToRestoreHours.value,
    });
    // l3: releases 1, 3, …, 89 days ago in the 90-day window (45) and the hotfix: 46 deployments.
    // The hotfix comes 6 h after v1.5.0 (11 days ago): 1 failure, restored in 6 h. 1/46 = 0.022.
    expect(stability("l3")).toEqual({ rate: 0.022, restore: 6 });
    expect(team("l3").delivery.changeFailureRate.evidence).toEqual([
      `${web}/acme/l3-app/releases/tag/v1.5.0`,
    ]);
    // l4: 45 deployments; the incident naming v1.2.0 was open 12 h (4 days ago to 3.5). 1/45 = 0.022,
    // within the L4 threshold of 0.15 (the level test above).
    expect(stability("l4")).toEqual({ rate: 0.022, restore: 12 });
    // l2: releases 1, 21, 41, 61 and 81 days ago, none failed; focus: no release at all.
    expect(stability("l2")).toEqual({ rate: 0, restore: null });
    expect(stability("focus")).toEqual({ rate: null, restore: null });
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
    // One page of repositories with the teams and the policy, one history batch, one batch of
    // stability signals (reverts, incidents) for the repositories that released: as without teams.
    expect(counts.graphql).toBe(3);
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

  it("computes churn, trio changes and tenure from the membership history given with --history", async () => {
    // An earlier report whose membership history has l2 100 and 40 days ago; this reading adds
    // today's snapshot: dev, pia, dov and tia (members "dev" plus the trio).
    const day = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
    const l2 = (members: string[], designer: string) => ({
      team: "acme/l2",
      members,
      trio: { product_manager: "pia", designer, tech_lead: "tia" },
    });
    const earlier = {
      kind: "pom-governance-report",
      history: [],
      teamHistory: {
        kind: "pom-team-history",
        org: "acme",
        snapshots: [
          { at: day(100), by: "sweep", teams: [l2(["dev", "dov", "old", "pia", "tia"], "dov")] },
          { at: day(40), by: "sweep", teams: [l2(["dev", "dov", "new", "old", "pia", "tia"], "dex")] },
        ],
      },
    };
    const file = join(tmp, "earlier.json");
    writeFileSync(file, JSON.stringify(earlier));
    const run = (args: string[]) =>
      pom(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json", "--history", file, ...args], {
        cwd: tmp,
        env: env(),
      });
    const byTeam = await run(["--by", "team"]);
    expect(byTeam.code, byTeam.stderr).toBe(0);
    const row = (JSON.parse(byTeam.stdout) as TeamReport).teams.find((t) => t.team === "acme/l2");
    // In the 90 days: "new" joined (40 days ago), "new" and "old" left (today): (1 + 2) / 4 = 0.75.
    expect(row?.durability.churn90d.value).toBe(0.75);
    // The designer went dov → dex (40 days ago) → dov (today): two changes, flagged.
    expect(row?.durability.trioChanges90d.value).toBe(2);
    expect(row?.durability.trioUnstable).toBe(true);
    expect(row?.durability.trioTenureDays.productManager).toMatchObject({ value: 100, atLeast: true });
    expect(row?.durability.trioTenureDays.designer).toMatchObject({ value: 0 });
    // The full report carries the history on, with today's snapshot, for the next --history.
    const full = await run([]);
    const carried = JSON.parse(full.stdout).teamHistory;
    expect(carried.snapshots.map((s: { at: string }) => s.at)).toEqual([day(100), day(40), NOW_ISO]);
    expect(carried.snapshots[2].teams.find((t: { team: string }) => t.team === "acme/l2")).toMatchObject({
      team: "acme/l2",
      members: ["dev", "dov", "pia", "tia"],
      trio: { product_manager: "pia", designer: "dov", tech_lead: "tia" },
    });
  });
});
