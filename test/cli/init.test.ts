/**
 * `pom init`: a starter .github/pom.yml that validates, filled in from the repository (the team from
 * CODEOWNERS, the release source, tag pattern and cadence from its version tags), with a schema line
 * that leads to the running package's own schema, and no overwrite without --force.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, DAY, daysAgo, ensureBuilt, findingOf, manifestYaml, pom, ROOT } from "./pom.js";

/**
 * `days` days before one reading of the real clock (`pom init` reads the tags made by now, as
 * `pom check` does): one reading, so that the gaps between tags are exact.
 */
const CLOCK = Date.now();
function realDaysAgo(days: number): Date {
  return new Date(CLOCK - days * DAY);
}

/** A repository with one commit per tag, each tagged `days` ago (lightweight: dated by its commit). */
function taggedRepo(tmp: TempRoot, tags: readonly [name: string, days: number][]) {
  const repo = tmp.repo();
  for (const [name, days] of tags) {
    repo.write("CHANGELOG.md", `${name}\n`).commit(`release ${name}`, realDaysAgo(days));
    repo.tag(name);
  }
  return repo;
}

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

  it("replaces an existing manifest where it is with --force, and it validates", async () => {
    const repo = tmp.repo();
    repo.write("pom.yml", "# mine\n").write(".github/CODEOWNERS", "* @acme/payments\n");
    const { code, stdout } = await pom(["init", "--force"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(stdout).toContain("replaced pom.yml (team acme/payments from CODEOWNERS)");
    expect(readFileSync(join(repo.dir, "pom.yml"), "utf8")).toContain("github: acme/payments");
    // Replaced in place: no second manifest that would shadow the first.
    expect(existsSync(join(repo.dir, ".github/pom.yml"))).toBe(false);
    expect((await pom(["validate"], { cwd: repo.dir })).code).toBe(0);
  });

  it("replaces a linked manifest with --force without writing where the link points", async () => {
    const repo = tmp.repo();
    const outside = join(tmp.dir("outside"), "elsewhere.yml");
    writeFileSync(outside, "# not yours\n");
    mkdirSync(join(repo.dir, ".github"));
    symlinkSync(outside, join(repo.dir, ".github/pom.yml"));
    const { code } = await pom(["init", "--force"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(readFileSync(outside, "utf8")).toBe("# not yours\n");
    expect(readFileSync(join(repo.dir, ".github/pom.yml"), "utf8")).toContain("version: 1");
  });

  it("refuses with --force to replace a directory named like a manifest (exit 2)", async () => {
    const repo = tmp.repo();
    mkdirSync(join(repo.dir, ".github/pom.yml"), { recursive: true });
    const { code, stderr } = await pom(["init", "--force"], { cwd: repo.dir });
    expect(code).toBe(2);
    expect(stderr).toContain(".github/pom.yml is not a regular file; not replacing it");
  });

  it("refuses when a root pom.yml exists, and writes nothing", async () => {
    const repo = tmp.repo();
    repo.write("pom.yml", manifestYaml());
    const { code, stderr } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(1);
    expect(stderr).toContain("pom.yml already exists");
    expect(existsSync(join(repo.dir, ".github/pom.yml"))).toBe(false);
  });

  it("writes at the top of the work tree when run from a subdirectory of it", async () => {
    const repo = tmp.repo();
    repo.write("src/app/index.ts", "export {};\n").write("CODEOWNERS", "* @acme/web\n");
    const { code, stdout } = await pom(["init"], { cwd: join(repo.dir, "src/app") });
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${join(repo.dir, ".github/pom.yml")} (team acme/web from CODEOWNERS)`);
    expect(existsSync(join(repo.dir, "src/app/.github"))).toBe(false);
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

  it('writes source: tags and tag_pattern "checkout-v*" for a repository with only checkout-v* tags', async () => {
    const repo = taggedRepo(tmp, [
      ["checkout-v1.0.0", 40],
      ["checkout-v1.1.0", 30],
      ["checkout-v1.2.0-rc.1", 25],
      ["checkout-v1.2.0", 21],
      ["checkout-v1.3.0", 12],
    ]);
    const { code, stdout } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(stdout).toContain('release: source tags, tag_pattern "checkout-v*", cadence 14d');
    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toMatch(/^ {2}source: tags(\s|$)/m);
    expect(written).toMatch(/^ {2}tag_pattern: "checkout-v\*"(\s|$)/m);
    // Gaps of 10, 9 and 9 days (the pre-release does not count): a median of 9, rounded up to 14d.
    expect(written).toMatch(
      /^ {2}cadence: 14d # the median gap between the last 4 releases is 9 days, rounded up/m,
    );
    expect((await pom(["validate"], { cwd: repo.dir })).stdout).toBe(".github/pom.yml: valid\n");
    // The guesses judge the repository as it ships: its latest release, 12 days old, is on cadence.
    const { verdict } = await checkJson(repo.dir, [], new Date().toISOString());
    const cadence = findingOf(verdict, "release.cadence");
    expect(cadence.status).toBe("pass");
    expect(cadence.evidence.join("\n")).toContain("latest: checkout-v1.3.0");
  });

  it("takes the most common tag prefix and names the others in a comment", async () => {
    const repo = taggedRepo(tmp, [
      ["v0.9.0", 90],
      ["api-v1.0.0", 80],
      ["v1.0.0", 62],
      ["v1.1.0", 35],
      ["latest", 29],
    ]);
    const { code, stdout } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(stdout).toContain("other tags: api-v*");
    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toContain('tag_pattern: "v*" # the most common: 3 of 4 version tags; others: api-v* (1)');
    // Gaps of 28 and 27 days: a median of 27.5, rounded up to 30d.
    expect(written).toMatch(/^ {2}cadence: 30d # the median gap between the last 3 releases is 27.5 days/m);
    expect((await pom(["validate"], { cwd: repo.dir })).code).toBe(0);
  });

  it("keeps source: releases and writes no tag_pattern for a repository without version tags", async () => {
    const repo = taggedRepo(tmp, [["latest", 3]]);
    const { code, stdout } = await pom(["init"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(stdout).not.toContain("release:");
    const written = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(written).toMatch(/^ {2}source: releases /m);
    expect(written).toMatch(/^ {2}# tag_pattern: "v\*"$/m);
  });

  it("points the schema line at the running package's own schema file, which exists", async () => {
    const dir = tmp.dir("schema");
    expect((await pom(["init"], { cwd: dir })).code).toBe(0);
    const first = readFileSync(join(dir, ".github/pom.yml"), "utf8").split("\n")[0] ?? "";
    const url = /^# yaml-language-server: \$schema=(file:\/\/\S+)$/.exec(first)?.[1];
    expect(url).toBeDefined();
    const path = fileURLToPath(url ?? "");
    expect(path).toBe(join(ROOT, "schemas", "pom.schema.json"));
    expect(JSON.parse(readFileSync(path, "utf8")).$id).toBe(
      "https://pom-governance.dev/schemas/pom.schema.json",
    );
  });

  it("exits 2 for a --repo that does not exist", async () => {
    const cwd = tmp.dir("cwd");
    const { code, stderr } = await pom(["init", "--repo", "missing"], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain("does not exist");
  });
});
