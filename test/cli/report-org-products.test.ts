/**
 * `pom report --org` against the loopback fake GitHub with a repository whose manifest declares
 * two products: one row per product with its team, each product's release figures computed from
 * its own releases only (checkout-v* and search-v* interleaved), and each product under its team.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgReport } from "../../core/insights/report/build.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { MONOREPO_MANIFEST } from "../../testkit/monorepo.js";
import { MONOREPO_CODEOWNERS } from "../helpers/monorepo-repo.js";
import { DAY, ensureBuilt, NOW, NOW_ISO, pom } from "./pom.js";

let fake: FakeGitHub;
let tmp: string;
const token = "ghs_report_org_products";
const at = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** Checkout releases every 7 days from 1 day ago (13 in the window); Search every 20 days from 10 (4). */
const releases = [
  ...Array.from({ length: 13 }, (_, k) => ({ tag: `checkout-v1.${k}.0`, publishedAt: at(1 + 7 * k) })),
  ...Array.from({ length: 4 }, (_, k) => ({ tag: `search-v2.${k}.0`, publishedAt: at(10 + 20 * k) })),
].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1));

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), "pom-report-org-products-"));
  const team = (slug: string, members: string[]) => ({
    org: "acme",
    slug,
    members,
    repos: { "acme/shop": "push" as const },
  });
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "shop",
        files: {
          ".github/pom.yml": MONOREPO_MANIFEST.replaceAll("source: tags", "source: releases"),
          ".github/CODEOWNERS": MONOREPO_CODEOWNERS,
          "services/checkout/pay.ts": "1\n",
          "services/search/index.ts": "1\n",
        },
        commits: [{ message: "Initial commit", date: at(200) }],
        releases,
      },
    ],
    teams: [
      team("payments", ["alice", "bob", "carol"]),
      team("discovery", ["dana", "erin", "frank"]),
      team("platform", ["pat"]),
    ],
  });
  fake.state.tokens.set(token, 1);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("pom report --org with a repository with products", () => {
  let report: OrgReport;

  beforeAll(async () => {
    const result = await pom(["report", "--org", "acme", "--now", NOW_ISO, "--format", "json"], {
      cwd: tmp,
      env: { GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3` },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout) as OrgReport;
  }, 60_000);

  it("shows one row per product with its team and cadence, writing nothing", () => {
    expect(fake.problems).toEqual([]);
    expect(fake.counts().writes).toBe(0);
    expect(report.repos.map((r) => [r.label, r.repo, r.product, r.team, r.cadence])).toEqual([
      ["acme/shop / Checkout", "acme/shop", "Checkout", "acme/payments", "14d"],
      ["acme/shop / Search", "acme/shop", "Search", "acme/discovery", "7d"],
    ]);
  });

  it("computes each product's release figures from its own releases only", () => {
    const [checkout, search] = report.repos;
    // Checkout: 1, 8, …, 85 days ago: 13 deployment days (13 × 7 = 91 ≥ 90: high).
    expect(checkout?.metrics.releaseFrequency).toMatchObject({
      releases: 13,
      deploymentDays: 13,
      daysSinceLastRelease: 1,
      lastRelease: { tag: "checkout-v1.0.0" },
      tier: "high",
    });
    // Search: 10, 30, 50 and 70 days ago: 4 deployment days, 10 days since the last on a 7-day cadence.
    expect(search?.metrics.releaseFrequency).toMatchObject({
      releases: 4,
      deploymentDays: 4,
      daysSinceLastRelease: 10,
      lastRelease: { tag: "search-v2.0.0" },
    });
    expect(search?.failing).toContain("release.cadence");
    expect(checkout?.failing).not.toContain("release.cadence");
  });

  it("puts each product under the team that owns it", () => {
    const teams = Object.fromEntries(report.teams.teams.map((t) => [t.team, t.repos.map((r) => r.label)]));
    expect(teams).toEqual({
      "acme/discovery": ["acme/shop / Search"],
      "acme/payments": ["acme/shop / Checkout"],
    });
  });
});
