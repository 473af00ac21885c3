/**
 * `pom check` on a real git repository with two products: each judged on its own tags
 * (interleaved checkout-v* and search-v*), its own unreleased commits (those touching its
 * paths only) and its own CODEOWNERS lines; files of no product are an ownership.paths warning.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONOREPO_MANIFEST } from "../../testkit/monorepo.js";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { MONOREPO_CODEOWNERS, monorepo as makeMonorepo } from "../helpers/monorepo-repo.js";
import { checkJson, daysAgo, ensureBuilt, NOW_ISO, pom } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-products-");
});

afterAll(() => tmp?.cleanup());

const CODEOWNERS = MONOREPO_CODEOWNERS;
const monorepo = (options: Parameters<typeof makeMonorepo>[2] = {}) => makeMonorepo(tmp, daysAgo, options);

type Findings = Awaited<ReturnType<typeof checkJson>>["verdict"]["findings"];
const of = (findings: Findings, rule: string, product?: string) => {
  const found = findings.find((f) => f.rule === rule && (f as { product?: string }).product === product);
  if (!found) throw new Error(`no ${rule} finding for ${product ?? "the repository"}`);
  return found;
};

describe.concurrent("pom check with products", () => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = monorepo();
  });

  it("judges each product's cadence on its own tags: Checkout released 3 days ago, Search overdue by 5 days", async () => {
    const { verdict, code } = await checkJson(repo.dir);
    expect(code).toBe(1);
    expect(of(verdict.findings, "release.cadence", "Checkout")).toMatchObject({
      status: "pass",
      message: "the latest release checkout-v1.0.0 is 3d old, within 14d",
    });
    expect(of(verdict.findings, "release.cadence", "Search")).toMatchObject({
      status: "fail",
      level: "error",
      message: "the latest release search-v1.0.0 is 12d old; the cadence is 7d",
      fix: "ship a release: it is overdue by 5d",
      location: { file: ".github/pom.yml", line: 11 },
    });
  });

  it("counts as a product's unreleased work only the commits touching its paths", async () => {
    const { verdict } = await checkJson(repo.dir);
    const checkout = of(verdict.findings, "release.unreleased", "Checkout");
    const search = of(verdict.findings, "release.unreleased", "Search");
    expect(checkout.evidence[0]).toBe("1 unreleased change");
    expect(checkout.evidence[1]).toContain('"change services/checkout/pay.ts 1"');
    expect(search.evidence[0]).toBe("2 unreleased changes");
    expect(search.evidence[1]).toContain('"change services/search/index.ts 4"');
  });

  it("prints a section per product", async () => {
    const text = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    const lines = text.stdout.split("\n");
    const checkout = lines.indexOf("  Checkout");
    const search = lines.indexOf("  Search");
    expect(checkout).toBeGreaterThan(0);
    expect(search).toBeGreaterThan(checkout);
    expect(lines.slice(search).join("\n")).toMatch(
      /✖ fail\s+release\.cadence\s+error\s+the latest release search-v1\.0\.0/,
    );
  });

  it("passes CODEOWNERS that gives each product's paths to its team, file by file", async () => {
    const { verdict } = await checkJson(repo.dir);
    expect(of(verdict.findings, "ownership.codeowners", "Checkout").status).toBe("pass");
    expect(of(verdict.findings, "ownership.codeowners", "Search").status).toBe("pass");
    expect(of(verdict.findings, "ownership.paths")).toMatchObject({ status: "pass" });
  });
});

describe.concurrent("pom check with products: ownership", () => {
  it("fails ownership.codeowners for Search only when CODEOWNERS gives services/search/ to the wrong team", async () => {
    const repo = monorepo({
      codeowners: CODEOWNERS.replace("services/search/ @acme/discovery", "services/search/ @acme/payments"),
    });
    const { verdict } = await checkJson(repo.dir);
    expect(of(verdict.findings, "ownership.codeowners", "Checkout").status).toBe("pass");
    const search = of(verdict.findings, "ownership.codeowners", "Search");
    expect(search).toMatchObject({
      status: "fail",
      level: "warn",
      location: { file: ".github/CODEOWNERS", line: 4 },
    });
    expect(search.message).toBe(
      'services/search/index.ts is Search\'s, but .github/CODEOWNERS line 4 ("services/search/") gives it to @acme/payments, not @acme/discovery',
    );
  });

  it("warns of a file no product owns and shared does not list: unowned path", async () => {
    const repo = monorepo({ extra: { "scripts/deploy.sh": "x" } });
    const { verdict } = await checkJson(repo.dir);
    expect(of(verdict.findings, "ownership.paths")).toMatchObject({
      status: "fail",
      level: "warn",
      message: "unowned path: scripts/deploy.sh belongs to no product and is not shared",
    });
  });

  it("refuses overlapping products with a positioned error naming both, decided on the checkout's files", async () => {
    const manifest = MONOREPO_MANIFEST.replace('paths: ["services/search/**"]', 'paths: ["services/**"]');
    const repo = monorepo({ manifest });
    const validate = await pom(["validate"], { cwd: repo.dir });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(
      '.github/pom.yml:9:13: manifest.valid: product Search and product Checkout overlap: "services/**" and "services/checkout/**": both match services/checkout/pay.ts',
    );
    const { verdict, code } = await checkJson(repo.dir);
    expect(code).toBe(1);
    expect(of(verdict.findings, "manifest.valid")).toMatchObject({
      status: "fail",
      location: { file: ".github/pom.yml", line: 9, column: 13 },
    });
  });
});
