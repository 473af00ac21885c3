/**
 * A repository with products contributes one row per product: the repository's history with the
 * product's own team, cadence, tag pattern, outcomes and findings; a repository without products
 * (or a result written before products were reported) stays one row, unchanged.
 */
import { describe, expect, it } from "vitest";
import { buildReport } from "../../../../core/insights/report/build.js";
import { productRows, rowLabel } from "../../../../core/insights/report/insights.js";
import { mergeBatchTeams } from "../../../../core/insights/teams/batch-snapshot.js";
import { REPORT_NOW, syntheticMonorepo, syntheticRepos } from "./fixtures.js";

describe("productRows", () => {
  it("makes one row per product, each with the repository's history and its own configuration", () => {
    const shop = syntheticMonorepo();
    const rows = productRows(shop);
    expect(rows.map((r) => [rowLabel(r), r.team, r.tagPattern, r.cadence.text, r.conclusion])).toEqual([
      ["acme/shop / Checkout", "acme/payments", "checkout-v*", "14d", "success"],
      ["acme/shop / Search", "acme/discovery", "search-v*", "7d", "failure"],
    ]);
    for (const r of rows) {
      expect(r.releases).toBe(shop.releases);
      expect(r.products).toBeUndefined();
      expect(r.perProduct).toBe(true);
    }
    expect(rows[1]?.findings.map((f) => [f.rule, f.product])).toEqual([
      ["ownership.paths", undefined],
      ["release.cadence", "Search"],
    ]);
  });

  it("leaves a repository without products as it is, named by the repository alone", () => {
    const [single] = syntheticRepos(1);
    expect(productRows(single as never)).toEqual([single]);
    expect(rowLabel(single as never)).toBe("acme/svc-00");
  });

  it("gives each product's team its trio in a batched sweep's team snapshot", () => {
    const shop = syntheticMonorepo();
    (shop.products?.[1] as { trio?: object }).trio = { productManager: "dana" };
    const merged = mergeBatchTeams(
      [{ teams: [{ team: "acme/discovery", members: ["dana"], trio: {} }], unlisted: [] }],
      productRows(shop),
    );
    expect(merged.teams).toEqual([
      { team: "acme/discovery", members: ["dana"], trio: { product_manager: "dana" } },
    ]);
  });
});

describe("buildReport of a repository checked more than once", () => {
  const labels = (repos: Parameters<typeof buildReport>[0]["repos"]) =>
    buildReport({ repos, now: REPORT_NOW }).repos.map((r) => r.label ?? r.repo);
  const earlier = new Date(REPORT_NOW.getTime() - 86_400_000).toISOString();

  it("takes its rows from its latest check: products added since, or products removed since", () => {
    const withProducts = syntheticMonorepo();
    const { products: _products, ...whole } = withProducts;
    expect(labels([{ ...whole, checkedAt: earlier }, withProducts])).toEqual([
      "acme/shop / Checkout",
      "acme/shop / Search",
    ]);
    expect(labels([{ ...withProducts, checkedAt: earlier }, whole])).toEqual(["acme/shop"]);
  });
});
