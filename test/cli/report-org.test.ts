/**
 * `pom report --org` against the loopback fake GitHub with 50 synthetic repositories: the figures
 * match what the seed makes them by hand, nothing is written, every request is one GitHub's API
 * description allows, and the reads are batched (a handful of GraphQL queries, not one per repository).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import type { OrgReport } from "../../core/insights/report/build.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { governed, orgSeed, RHYTHM, repoName } from "../core/insights/report/org-seed.js";
import { ensureBuilt, NOW, NOW_ISO, pom } from "./pom.js";

const COUNT = 50;
let fake: FakeGitHub;
let tmp: string;
const token = "ghs_report_org_token";

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), "pom-report-org-"));
  fake = await startFakeGitHub(orgSeed(COUNT, NOW));
  fake.state.tokens.set(token, 1);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3` });

describe("pom report --org", () => {
  let report: OrgReport;

  beforeAll(async () => {
    fake.reset();
    const result = await pom(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json"], {
      cwd: tmp,
      env: env(),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout) as OrgReport;
  }, 60_000);

  it("reads 50 repositories in a few GraphQL queries, writes nothing, and asks only what GitHub allows", () => {
    const counts = fake.counts();
    expect(fake.problems).toEqual([]);
    expect(counts.writes).toBe(0);
    // One page of 50 repositories (with the teams and the policy), one history batch: 2 queries.
    expect(counts.graphql).toBe(2);
    expect(counts.total - counts.graphql).toBeLessThanOrEqual(2);
  });

  it("lists the 45 governed repositories, not the five without a manifest", () => {
    const expected = Array.from({ length: COUNT }, (_, i) => i)
      .filter(governed)
      .map((i) => `acme/${repoName(i)}`);
    expect(report.repos.map((r) => r.repo)).toEqual(expected);
    expect(report.org).toBe("acme");
    expect(report.window).toEqual({ from: "2026-03-18", to: "2026-06-15", days: 90 });
  });

  it("traces each merged pull request as the outcome rule does: 3 traced, 1 exempt, 2 untraced per repository", () => {
    const t = report.metrics.traceability;
    expect({
      prs: t.pullRequests,
      traced: t.traced,
      exempt: t.exempt,
      untraced: t.untraced,
      waived: t.waived,
      unknown: t.unknown,
    }).toEqual({
      prs: 270,
      traced: 135,
      exempt: 45,
      untraced: 90,
      waived: 0,
      unknown: 0,
    });
    expect(t.tracedShare).toBe(0.5);
    expect(t.tracedShareOfGoverned).toBe(0.6);
    expect(t.byOutcome).toEqual([
      { id: "CHK-12", pullRequests: 90 },
      { id: "OKR-3", pullRequests: 45 },
    ]);
  });

  it("computes tiers and lead times from the release rhythm", () => {
    const rows = new Map(report.repos.map((r) => [r.repo, r]));
    // Every 2 days: 45 deployment days (high); each pull request is released 6 h or 30 h later.
    const every2 = rows.get("acme/svc-00")?.metrics;
    expect(every2?.releaseFrequency?.deploymentDays).toBe(45);
    expect(every2?.releaseFrequency?.tier).toBe("high");
    expect(every2?.leadTime?.medianHours).toBe(18);
    // Every 7 days: 13 deployment days (13 × 7 = 91 ≥ 90: high); every lead time is 54 h.
    const every7 = rows.get("acme/svc-01")?.metrics;
    expect(every7?.releaseFrequency?.deploymentDays).toBe(13);
    expect(every7?.releaseFrequency?.tier).toBe("high");
    expect(every7?.leadTime).toMatchObject({ pullRequests: 6, medianHours: 54, p90Hours: 54 });
    // Every 20 days: 5 deployment days (medium); lead times 54, 78, 222, 246, 390, 414 h.
    const every20 = rows.get("acme/svc-02")?.metrics;
    expect(every20?.releaseFrequency?.deploymentDays).toBe(5);
    expect(every20?.releaseFrequency?.tier).toBe("medium");
    expect(every20?.leadTime).toMatchObject({ pullRequests: 6, medianHours: 234, p90Hours: 402 });
    expect(every20?.releaseFrequency?.daysSinceLastRelease).toBe(1);
    const tiers = report.metrics.releaseFrequency.tiers;
    const byRhythm = (r: number) =>
      Array.from({ length: COUNT }, (_, i) => i).filter((i) => governed(i) && RHYTHM[i % 3] === r).length;
    expect(tiers).toEqual({ elite: 0, high: byRhythm(2) + byRhythm(7), medium: byRhythm(20), low: 0 });
  });

  it("fails ownership.team where the team only reads, in the matrix and the ownership figures", () => {
    const matrix = new Map(report.matrix.rows.map((r) => [r.repo, r.statuses]));
    expect(matrix.get("acme/svc-02")?.["ownership.team"]).toBe("fail");
    expect(matrix.get("acme/svc-00")?.["ownership.team"]).toBe("pass");
    const failing = report.repos.filter((r) => r.failing.includes("ownership.team")).length;
    expect(failing).toBe(
      Array.from({ length: COUNT }, (_, i) => i).filter((i) => governed(i) && i % 3 === 2).length,
    );
    expect(report.metrics.ownership.complete).toBe(45 - failing);
  });

  it("writes a Markdown report and a dashboard file", async () => {
    const md = await pom(["report", "--org", "acme", "--now", NOW_ISO], { cwd: tmp, env: env() });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("# POM governance report for acme");
    expect(md.stdout).toContain("| acme/svc-00 | acme/team-0 |");
    const out = join(tmp, "acme.html");
    const html = await pom(
      ["report", "--org", "acme", "--now", NOW_ISO, "--format", "html", "--output", out],
      { cwd: tmp, env: env() },
    );
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toContain('<script type="application/json" id="pom-report">');
    expect(page).toContain("acme/svc-49".replace("49", "48"));
  });

  it("shows its progress on a terminal's stderr, and clears it before the report", async () => {
    const progress: string[] = [];
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json"], {
      cwd: tmp,
      env: env(),
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      isTTY: false,
      errIsTTY: true,
      progress: (t) => progress.push(t),
    });
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(progress).toContain("judged 45 repositories of acme…");
    expect(progress).toContain("read the history of 45 of 45 repositories…");
    expect(progress.at(-1)).toBe("");
    expect((JSON.parse(out.join("\n")) as OrgReport).repos).toHaveLength(45);
  });

  it("shows no progress when stderr is not a terminal", async () => {
    const progress: string[] = [];
    await main(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json"], {
      cwd: tmp,
      env: env(),
      out: () => {},
      err: () => {},
      isTTY: false,
      errIsTTY: false,
      progress: (t) => progress.push(t),
    });
    expect(progress).toEqual([]);
  });

  it("reads the organization repository by repository when its batch query fails, and lists it over REST", async () => {
    fake.reset();
    const fault = fake.inject({
      match: (r) =>
        r.operation === "POST /graphql" && String((r.body as { query?: string }).query).includes("listing:"),
      status: 502,
      times: Number.POSITIVE_INFINITY,
    });
    const result = await pom(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json"], {
      cwd: tmp,
      env: { ...env(), POM_GITHUB_ATTEMPTS: "1" },
    });
    fault.remove();
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as OrgReport).repos).toHaveLength(45);
    expect(fake.requests.some((r) => r.operation === "GET /orgs/{org}/repos")).toBe(true);
    expect(fake.problems).toEqual([]);
  });

  it("says what is wrong without a token", async () => {
    const result = await pom(["report", "--org", "acme"], {
      cwd: tmp,
      env: { GITHUB_API_URL: `${fake.url}/api/v3` },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--org needs a token in GITHUB_TOKEN");
  });
});
