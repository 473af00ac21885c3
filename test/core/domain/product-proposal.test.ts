import { describe, expect, it } from "vitest";
import { mayOverlap } from "../../../core/domain/path-patterns.js";
import { prefixName, productPrefixes, proposePaths } from "../../../core/domain/product-proposal.js";

const tag = (name: string, day: number) => ({
  tag: name,
  publishedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
});

describe("prefixName", () => {
  it.each([
    ["checkout-v", "Checkout"],
    ["search-", "Search"],
    ["app2-v", "App2"],
    ["v", ""],
    ["", ""],
  ])("%s: %s", (prefix, name) => {
    expect(prefixName(prefix)).toBe(name);
  });
});

describe("productPrefixes", () => {
  it("gives one product per prefix that names one, most tags first, its tags oldest first", () => {
    const products = productPrefixes([
      tag("search-v2.0.1", 9),
      tag("checkout-v1.1.0", 8),
      tag("checkout-v1.0.0", 1),
      tag("search-v2.0.0", 2),
      tag("checkout-v1.2.0", 15),
      tag("v3.0.0", 3),
      { ...tag("checkout-v1.3.0-rc.1", 16), prerelease: true },
    ]);
    expect(products.map((p) => [p.name, p.tagPattern, p.tags.map((t) => t.tag)])).toEqual([
      ["Checkout", "checkout-v*", ["checkout-v1.0.0", "checkout-v1.1.0", "checkout-v1.2.0"]],
      ["Search", "search-v*", ["search-v2.0.0", "search-v2.0.1"]],
    ]);
    expect(products[0]?.cadence?.text).toBe("7d");
  });

  it("gives none when fewer than two prefixes name a product", () => {
    expect(productPrefixes([tag("v1.0.0", 1), tag("api-v1.0.0", 2)])).toEqual([]);
  });
});

describe("proposePaths", () => {
  it("takes the directories named after a product, else those no other product changed, never overlapping", () => {
    const proposed = proposePaths(
      new Map([
        // Interleaved tags: each product's ranges hold the other's commits too.
        [
          "Checkout",
          [
            "services/checkout/pay.ts",
            "services/search/index.ts",
            "web/checkout/app.ts",
            "README.md",
            "billing/x.ts",
          ],
        ],
        [
          "Search",
          ["services/search/rank.ts", "services/checkout/pay.ts", ".github/CODEOWNERS", "libs/query/q.ts"],
        ],
      ]),
    );
    expect(proposed.get("Checkout")).toEqual(["billing/**", "services/checkout/**", "web/checkout/**"]);
    expect(proposed.get("Search")).toEqual(["libs/**", "services/search/**"]);
    for (const a of proposed.get("Checkout") ?? [])
      for (const b of proposed.get("Search") ?? []) expect(mayOverlap(a, b), `${a} ${b}`).toBe(false);
  });

  it("gives a directory two products could claim to neither", () => {
    const proposed = proposePaths(
      new Map([
        ["Search", ["services/search/a.ts"]],
        ["Searchui", ["services/search/searchui/b.ts"]],
      ]),
    );
    expect(proposed.get("Search")).toEqual([]);
    expect(proposed.get("Searchui")).toEqual([]);
  });
});
