/**
 * `pom init` on a real git repository released on two tag prefixes: a manifest with one product
 * per prefix, its tag_pattern, and the paths the commits of its releases changed, each marked for
 * review; the written manifest loads without errors and `pom validate` accepts it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifest } from "../../core/manifest/manifest.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { DAY, ensureBuilt, pom } from "./pom.js";

const CLOCK = Date.now();
const ago = (days: number) => new Date(CLOCK - days * DAY);

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-init-products-");
});

afterAll(() => tmp?.cleanup());

describe("pom init on a repository with several tag prefixes", () => {
  it("proposes one product per prefix, with the directories its releases changed, marked for review", async () => {
    const repo = tmp.repo();
    repo
      .write("README.md", "shop\n")
      .write(".github/CODEOWNERS", "* @acme/platform\n/services/search/ @acme/discovery\n");
    repo.commit("initial commit", ago(60));
    // Interleaved releases: Checkout's between its tags change services/checkout and web/checkout,
    // Search's change services/search; both change the top-level README, which proposes nothing.
    repo.write("services/checkout/pay.ts", "1").commit("checkout: pay", ago(50));
    repo.tag("checkout-v1.0.0");
    repo.write("services/search/index.ts", "1").commit("search: index", ago(45));
    repo.tag("search-v2.0.0");
    repo
      .write("services/checkout/pay.ts", "2")
      .write("web/checkout/app.ts", "1")
      .commit("checkout: app", ago(40));
    repo.write("README.md", "shop 2\n").commit("readme", ago(38));
    repo.tag("checkout-v1.1.0");
    repo.write("services/search/rank.ts", "1").commit("search: rank", ago(37));
    repo.tag("search-v2.0.1");
    repo.write("services/checkout/pay.ts", "3").commit("checkout: fix", ago(30));
    repo.tag("checkout-v1.2.0");

    const init = await pom(["init"], { cwd: repo.dir });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote .github/pom.yml\n");
    expect(init.stdout).toContain(
      'product Checkout: tag_pattern "checkout-v*", paths services/checkout/**, web/checkout/** (review them)',
    );
    expect(init.stdout).toContain(
      'product Search: tag_pattern "search-v*", paths services/search/** (review them)',
    );

    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    const loaded = loadManifest(written, ".github/pom.yml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const products = loaded.value.products ?? [];
    expect(products.map((p) => [p.name, p.paths, p.release?.tag_pattern, p.release?.source])).toEqual([
      ["Checkout", ["services/checkout/**", "web/checkout/**"], "checkout-v*", "tags"],
      ["Search", ["services/search/**"], "search-v*", "tags"],
    ]);
    // The team CODEOWNERS gives each product's files, else a placeholder.
    expect(products.map((p) => p.team.github)).toEqual(["acme/platform", "acme/discovery"]);
    expect(written).toContain(
      "# REVIEW: guessed from the directories the commits of its releases changed (checkout-v1.0.0..checkout-v1.2.0);",
    );
    expect(written.match(/# REVIEW: guessed from the directories/g)).toHaveLength(2);

    const validate = await pom(["validate"], { cwd: repo.dir });
    expect(validate.stdout).toBe(".github/pom.yml: valid\n");
    expect(validate.code).toBe(0);
  });

  it("keeps the single form when only one prefix names a product", async () => {
    const repo = tmp.repo();
    repo.write("src/a.ts", "1").commit("a", ago(20));
    repo.tag("v1.0.0");
    repo.write("api/a.ts", "1").commit("api", ago(10));
    repo.tag("api-v1.0.0");
    const init = await pom(["init"], { cwd: repo.dir });
    expect(init.code).toBe(0);
    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toContain("\nproduct:\n");
    expect(written).not.toContain("products:");
  });
});
