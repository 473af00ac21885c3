/** The form of the manifest with several products: schema, positioned problems, per-product configuration. */
import { describe, expect, it } from "vitest";
import { productsOf, resolveConfig } from "../../../core/manifest/config.js";
import { loadManifest, loadPolicy } from "../../../core/manifest/manifest.js";
import { DEFAULT_LEVELS } from "../../../policies/registry.js";
import { MONOREPO_MANIFEST } from "../../../testkit/monorepo.js";

const NOW = new Date("2026-06-15T12:00:00Z");

const load = (text: string, files?: string[]) =>
  loadManifest(text, ".github/pom.yml", files ? { files } : {});
const problems = (text: string, files?: string[]) => {
  const loaded = load(text, files);
  return loaded.ok ? [] : loaded.problems;
};

describe("a manifest with products", () => {
  it("loads, and resolves one configuration per product", () => {
    const loaded = load(MONOREPO_MANIFEST);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    const policy = loadPolicy(
      "version: 1\nrelease: { max_cadence: 30d }\noutcomes: [{ id: OKR-1 }]\n",
      "pom-policy.yml",
    );
    if (!policy.ok) throw new Error("policy");
    const config = resolveConfig({
      now: NOW,
      defaults: DEFAULT_LEVELS,
      manifest: { value: loaded.value, source: loaded.source },
      policy: { value: policy.value, source: policy.source },
    });
    const [checkout, search] = productsOf(config);
    expect(productsOf(config)).toHaveLength(2);
    expect(checkout?.product).toEqual({
      name: "Checkout",
      index: 0,
      paths: ["services/checkout/**", "web/checkout/**"],
    });
    expect(checkout?.team?.github).toBe("acme/payments");
    expect(search?.team).toEqual({
      name: "Discovery",
      github: "acme/discovery",
      productManager: "dana",
      designer: "erin",
      techLead: "frank",
    });
    expect(search?.cadence.value.text).toBe("7d");
    expect(search?.cadence.location).toMatchObject({ line: 11 });
    expect(search?.tagPattern.value).toBe("search-v*");
    // Org-wide outcomes count for every product; a product's own are its only.
    expect(checkout?.outcomes.map((o) => o.id)).toEqual(["OKR-1", "CHK-12"]);
    expect(search?.outcomes.map((o) => o.id)).toEqual(["OKR-1", "SRCH-3", "SRCH-4"]);
    expect(config.outcomes.map((o) => o.id)).toEqual(["OKR-1", "CHK-12", "SRCH-3", "SRCH-4"]);
    expect(config.shared).toEqual({ paths: ["tools/**", "docs/**"], team: "acme/platform" });
    expect(config.violations).toEqual([]);
  });

  it("keeps the single form as one product at the top", () => {
    const loaded = load("version: 1\nproduct: { name: A }\nteam: { name: T, github: acme/t }\n");
    if (!loaded.ok) throw new Error("invalid");
    const config = resolveConfig({ defaults: DEFAULT_LEVELS, manifest: { value: loaded.value }, now: NOW });
    expect(productsOf(config)).toEqual([config]);
    expect(config.product).toBeUndefined();
  });

  it("applies the org's max_cadence to each product, positioned at the product's cadence", () => {
    const loaded = load(MONOREPO_MANIFEST.replace("cadence: 14d", "cadence: 60d"));
    const policy = loadPolicy("version: 1\nrelease: { max_cadence: 30d }\n", "pom-policy.yml");
    if (!loaded.ok || !policy.ok) throw new Error("invalid");
    const config = resolveConfig({
      now: NOW,
      defaults: DEFAULT_LEVELS,
      manifest: { value: loaded.value, source: loaded.source },
      policy: { value: policy.value },
    });
    expect(config.violations).toEqual([
      expect.objectContaining({
        line: 6,
        path: "products[0].release.cadence",
        message: expect.stringContaining(
          "products[0].release.cadence is 60d, slower than the org policy allows",
        ),
      }),
    ]);
    expect(productsOf(config)[0]?.cadence.value.text).toBe("30d");
  });

  it("applies a waiver naming a product to that product only", () => {
    const text = `${MONOREPO_MANIFEST}waivers:\n  - { rule: release.cadence, product: Search, until: 2027-01-31, reason: Freeze }\n  - { rule: ownership.roles, until: 2027-01-31, reason: Hiring }\n`;
    const loaded = load(text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const config = resolveConfig({ defaults: DEFAULT_LEVELS, manifest: { value: loaded.value }, now: NOW });
    const [checkout, search] = productsOf(config);
    expect(checkout?.waivers.map((w) => w.rule)).toEqual(["ownership.roles"]);
    expect(search?.waivers.map((w) => w.rule)).toEqual(["release.cadence", "ownership.roles"]);
  });

  it("reports a misspelt key of a product where it is, with the intended key", () => {
    const [problem] = problems(
      MONOREPO_MANIFEST.replace("    team: { name: Discovery", "    tem: { name: Discovery"),
    );
    expect(problem).toMatchObject({
      file: ".github/pom.yml",
      line: 10,
      column: 5,
      message: 'unknown key "tem" in products[1]',
      hint: 'did you mean "team"?',
    });
    const [top] = problems(MONOREPO_MANIFEST.replace("shared:", "shard:"));
    expect(top).toMatchObject({
      line: 15,
      message: 'unknown key "shard" in the top level',
      hint: 'did you mean "shared"?',
    });
  });

  it("refuses the single form's keys beside products, positioned", () => {
    const [problem] = problems(`${MONOREPO_MANIFEST}team: { name: T, github: acme/t }\n`);
    expect(problem).toMatchObject({ line: 18, message: 'unknown key "team" in the top level' });
  });

  it("refuses overlapping paths, naming both products and the patterns", () => {
    const text = MONOREPO_MANIFEST.replace('paths: ["services/search/**"]', 'paths: ["services/**"]');
    expect(problems(text)).toEqual([
      expect.objectContaining({
        line: 9,
        column: 13,
        path: "products[1].paths[0]",
        message: expect.stringMatching(
          /^product Search and product Checkout overlap: "services\/\*\*" and "services\/checkout\/\*\*"/,
        ),
      }),
    ]);
  });

  it("refuses a product's paths that overlap shared", () => {
    const text = MONOREPO_MANIFEST.replace(
      '["tools/**", "docs/**"]',
      '["tools/**", "services/search/docs/**"]',
    );
    expect(problems(text)[0]?.message).toMatch(/^shared and product Search overlap/);
  });

  it("decides overlaps on the repository's files when they are at hand", () => {
    const text = MONOREPO_MANIFEST.replace(
      'paths: ["services/search/**"]',
      'paths: ["services/*/search.ts"]',
    );
    // Without files the literal prefixes (services/) could overlap; on these files nothing matches both.
    expect(problems(text)).toHaveLength(1);
    expect(problems(text, ["services/checkout/pay.ts", "services/search/search.ts"])).toEqual([]);
    expect(problems(text, ["services/checkout/search.ts"])[0]?.message).toContain(
      "both match services/checkout/search.ts",
    );
  });

  it("requires outcome ids unique across the file", () => {
    const text = MONOREPO_MANIFEST.replace("{ id: SRCH-3,", "{ id: chk-12,");
    expect(problems(text)).toEqual([
      expect.objectContaining({
        line: 13,
        path: "products[1].outcomes[0].id",
        message: 'outcome id "chk-12" is declared twice (first as products[0].outcomes[0])',
      }),
    ]);
  });

  it("requires product names unique, and a waiver's product to exist", () => {
    const text = `${MONOREPO_MANIFEST.replace("name: Search", "name: Checkout")}waivers:\n  - { rule: release.cadence, product: Serch, until: 2027-01-31, reason: x }\n`;
    expect(problems(text).map((p) => [p.line, p.message, p.hint])).toEqual([
      [8, 'product name "Checkout" is used twice (first by products[0])', "give each product its own name"],
      [19, 'waivers[0].product: no product is named "Serch" (products: Checkout)', expect.any(String)],
    ]);
  });

  it("keeps the single form's errors and hints", () => {
    const [problem] = problems("version: 1\nproduct: { name: A }\ntem: { name: T, github: acme/t }\n");
    expect(problem).toMatchObject({
      line: 3,
      column: 1,
      message: 'unknown key "tem" in the top level',
      hint: 'did you mean "team"?',
    });
  });
});
