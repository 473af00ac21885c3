/**
 * `pom check --format json` on a real git repository with two products, then `pom report --from`:
 * one row per product ("owner/name / Product") with its team, each product's release figures
 * computed from its own tags only (interleaved checkout-v* and search-v*), the team view placing
 * each product under its team, and a result written before products were reported read as one row.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgReport } from "../../core/insights/report/build.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { monorepo } from "../helpers/monorepo-repo.js";
import { daysAgo, ensureBuilt, governedRepo, NOW_ISO, pom } from "./pom.js";

let tmp: TempRoot;
let results: string;

beforeAll(async () => {
  ensureBuilt();
  tmp = tempRoot("pom-report-products-");
  results = join(tmp.path, "results");
  mkdirSync(results);
  const shop = monorepo(tmp, daysAgo);
  shop.git(["remote", "add", "origin", "https://github.com/acme/shop.git"]);
  const single = governedRepo(tmp, daysAgo(40));
  single.git(["remote", "add", "origin", "https://github.com/acme/checkout.git"]);
  single.write("a.txt", "1").commit("Work", daysAgo(9));
  single.tag("v1.0.0", { annotated: true, date: daysAgo(8) });
  for (const [name, dir] of [
    ["shop", shop.dir],
    ["checkout", single.dir],
  ]) {
    const run = await pom(["check", "--now", NOW_ISO, "--format", "json"], { cwd: dir as string });
    expect(run.stderr).toBe("");
    writeFileSync(join(results, `${name}.json`), run.stdout);
  }
}, 60_000);

afterAll(() => tmp?.cleanup());

const report = async (dir: string, format = "json") => {
  const run = await pom(["report", "--from", dir, "--now", NOW_ISO, "--format", format], { cwd: tmp.path });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run.stdout;
};

describe("pom check --format json of a repository with products", () => {
  it("carries each product's own configuration and findings beside the repository's history", () => {
    const { insights } = JSON.parse(readFileSync(join(results, "shop.json"), "utf8")) as {
      insights: RepoInsights;
    };
    expect(insights.repo).toBe("acme/shop");
    expect(insights.releases?.map((r) => r.tag).sort()).toEqual([
      "checkout-v0.9.0",
      "checkout-v1.0.0",
      "search-v0.9.0",
      "search-v1.0.0",
    ]);
    expect(insights.products?.map((p) => [p.product, p.team, p.tagPattern, p.cadence.text])).toEqual([
      ["Checkout", "acme/payments", "checkout-v*", "14d"],
      ["Search", "acme/discovery", "search-v*", "7d"],
    ]);
    const search = insights.products?.[1];
    expect(search?.activeOutcomes).toEqual(["SRCH-3"]);
    expect(search?.trio).toEqual({ productManager: "dana", designer: "erin", techLead: "frank" });
    // Its own findings and the repository's (ownership.paths is judged once, for the whole repository).
    expect(new Set(search?.findings.map((f) => f.product))).toEqual(new Set(["Search", undefined]));
    expect(search?.findings.some((f) => f.rule === "ownership.paths")).toBe(true);
    expect(search?.conclusion).toBe("failure");
    expect(insights.products?.[0]?.findings.some((f) => f.product === "Search")).toBe(false);
  });
});

describe("pom report --from with a repository with products", () => {
  it("shows one row per product with its team, each released on its own tags", async () => {
    const r = JSON.parse(await report(results)) as OrgReport;
    expect(r.repos.map((x) => [x.label ?? x.repo, x.product, x.team])).toEqual([
      ["acme/checkout", "Checkout", "acme/payments"],
      ["acme/shop / Checkout", "Checkout", "acme/payments"],
      ["acme/shop / Search", "Search", "acme/discovery"],
    ]);
    const [, checkout, search] = r.repos;
    // Checkout: checkout-v0.9.0 (15 days ago) and checkout-v1.0.0 (3); the search tags between them do not count.
    expect(checkout?.metrics.releaseFrequency).toMatchObject({
      releases: 2,
      deploymentDays: 2,
      daysSinceLastRelease: 3,
      lastRelease: { tag: "checkout-v1.0.0" },
    });
    expect(checkout?.timeline.map((t) => t.tag)).toEqual(["checkout-v0.9.0", "checkout-v1.0.0"]);
    // Search: search-v0.9.0 (20 days ago) and search-v1.0.0 (12), overdue on its 7-day cadence.
    expect(search?.metrics.releaseFrequency).toMatchObject({
      releases: 2,
      deploymentDays: 2,
      daysSinceLastRelease: 12,
      lastRelease: { tag: "search-v1.0.0" },
    });
    expect(search?.cadence).toBe("7d");
    expect(search?.failing).toContain("release.cadence");
    expect(checkout?.failing).not.toContain("release.cadence");
    expect(r.matrix.rows.map((m) => [m.repo, m.statuses["release.cadence"]])).toEqual([
      ["acme/checkout", "pass"],
      ["acme/shop / Checkout", "pass"],
      ["acme/shop / Search", "fail"],
    ]);
    // The organization counts each product as one of its releasing units.
    expect(r.metrics.releaseFrequency.repos).toBe(3);
  });

  it("puts each product under the team that owns it", async () => {
    const r = JSON.parse(await report(results)) as OrgReport;
    const teams = Object.fromEntries(
      r.teams.teams.map((t) => [t.team, t.repos.map((x) => x.label ?? x.repo)]),
    );
    expect(teams).toEqual({
      "acme/discovery": ["acme/shop / Search"],
      "acme/payments": ["acme/checkout", "acme/shop / Checkout"],
    });
    const discovery = r.teams.teams.find((t) => t.team === "acme/discovery");
    expect(discovery?.repos[0]?.url).toBe("https://github.com/acme/shop");
    expect(discovery?.delivery.deploymentDaysPerWeek.value).not.toBeNull();
    // Its maturity names the product, not the repository: Search was on cadence only part of the window.
    expect(JSON.stringify(discovery?.maturity)).toContain("acme/shop / Search on cadence");
  });

  it("labels the rows in Markdown", async () => {
    const markdown = await report(results, "markdown");
    expect(markdown).toMatch(
      /^\| acme\/shop \/ Checkout \| acme\/payments \| [^|]+ \| [^|]+ \| checkout-v1\.0\.0 /m,
    );
    expect(markdown).toMatch(
      /^\| acme\/shop \/ Search \| acme\/discovery \| failure \| [^|]+ \| search-v1\.0\.0 /m,
    );
  });

  it("reads a result written before products were reported as one row", async () => {
    const old = join(tmp.path, "old");
    mkdirSync(old);
    const result = JSON.parse(readFileSync(join(results, "shop.json"), "utf8")) as {
      insights: RepoInsights;
    };
    delete result.insights.products;
    writeFileSync(join(old, "shop.json"), JSON.stringify(result));
    const r = JSON.parse(await report(old)) as OrgReport;
    expect(r.repos.map((x) => [x.repo, x.label, x.team])).toEqual([["acme/shop", undefined, null]]);
    // Without a tag pattern every tag counts.
    expect(r.repos[0]?.metrics.releaseFrequency?.releases).toBe(4);
  });

  it("refuses a product whose name is not text, naming where", async () => {
    const bad = join(tmp.path, "bad");
    mkdirSync(bad);
    const result = JSON.parse(readFileSync(join(results, "shop.json"), "utf8")) as {
      insights: { products: { product: unknown }[] };
    };
    (result.insights.products[1] as { product: unknown }).product = 7;
    writeFileSync(join(bad, "shop.json"), JSON.stringify(result, null, 2));
    const run = await pom(["report", "--from", bad, "--now", NOW_ISO], { cwd: tmp.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/shop\.json:\d+:\d+: insights\.products\[1\]\.product: expected a string/);
  });
});
