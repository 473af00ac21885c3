/** `pom init`: a starter .github/pom.yml that validates, the team guessed from CODEOWNERS, no overwrites. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, daysAgo, ensureBuilt, findingOf, manifestYaml, pom } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-init-");
});

afterAll(() => tmp?.cleanup());

describe.concurrent("pom init", () => {
  it("writes a .github/pom.yml that pom validate accepts, with the team from CODEOWNERS", async () => {
    const repo = tmp.repo();
    repo.write(".github/CODEOWNERS", "# default owners\n*.md @acme/docs\n* @acme/payments @alice\n");
    repo.commit("initial commit", daysAgo(3));
    const init = await pom(["init"], { cwd: repo.dir });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote .github/pom.yml (team acme/payments from CODEOWNERS)");

    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toMatch(/^ {2}github: acme\/payments(\s|$)/m);
    expect(written).not.toContain("your-org/your-team");

    const validate = await pom(["validate"], { cwd: repo.dir });
    expect(validate.stdout).toBe(".github/pom.yml: valid\n");
    expect(validate.code).toBe(0);

    // The starter manifest is usable right away: the guessed team owns the repository in CODEOWNERS.
    const { verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "manifest.valid").status).toBe("pass");
    expect(findingOf(verdict, "ownership.codeowners").status).toBe("pass");
  });

  it("uses a placeholder team without CODEOWNERS or when * goes to a person, and still validates", async () => {
    const plain = tmp.dir("plain");
    const person = tmp.repo();
    person.write("CODEOWNERS", "* @alice\n");
    const [a, b] = await Promise.all([pom(["init"], { cwd: plain }), pom(["init"], { cwd: person.dir })]);
    for (const [result, dir] of [
      [a, plain],
      [b, person.dir],
    ] as const) {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("wrote .github/pom.yml\n");
      const written = readFileSync(join(dir, ".github/pom.yml"), "utf8");
      expect(written).toContain("github: your-org/your-team");
      const validate = await pom(["validate"], { cwd: dir });
      expect(validate.code).toBe(0);
    }
  });

  it("refuses to overwrite an existing .github/pom.yml (exit 1, file unchanged)", async () => {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", "# mine\n").write(".github/CODEOWNERS", "* @acme/payments\n");
    const { code, stdout, stderr } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(".github/pom.yml already exists; not overwriting it");
    expect(readFileSync(join(repo.dir, ".github/pom.yml"), "utf8")).toBe("# mine\n");
  });

  it("refuses when a root pom.yml exists, and writes nothing", async () => {
    const repo = tmp.repo();
    repo.write("pom.yml", manifestYaml());
    const { code, stderr } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(1);
    expect(stderr).toContain("pom.yml already exists");
    expect(existsSync(join(repo.dir, ".github/pom.yml"))).toBe(false);
  });

  it("writes into --repo, naming the product after package.json", async () => {
    const repo = tmp.repo();
    writeFileSync(join(repo.dir, "package.json"), JSON.stringify({ name: "@acme/checkout-web" }));
    const cwd = tmp.dir("cwd");
    const { code, stdout } = await pom(["init", "--repo", repo.dir], { cwd });
    expect(code).toBe(0);
    expect(stdout).toContain(join(repo.dir, ".github/pom.yml"));
    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toContain('name: "checkout-web"');
    const validate = await pom(["validate", join(repo.dir, ".github/pom.yml")], { cwd });
    expect(validate.code).toBe(0);
  });

  it("quotes a product name taken from an odd directory name so that the YAML stays valid", async () => {
    const parent = tmp.dir("odd");
    const dir = join(parent, 'shop: "new" #1');
    mkdirSync(dir);
    const { code } = await pom(["init", "--repo", dir], { cwd: parent });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, ".github/pom.yml"), "utf8")).toContain('name: "shop: \\"new\\" #1"');
    const validate = await pom(["validate", join(dir, ".github/pom.yml")], { cwd: parent });
    expect(validate.stdout).toContain("valid");
    expect(validate.code).toBe(0);
  });

  it("exits 2 for a --repo that does not exist", async () => {
    const cwd = tmp.dir("cwd");
    const { code, stderr } = await pom(["init", "--repo", "missing"], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain("does not exist");
  });
});
