/**
 * `pom check` and `pom validate` on the files of a checkout that they cannot trust: a FIFO where
 * pom.yml, a policy or CODEOWNERS should be (must not block), a huge sparse pom.yml (must not be
 * read), symbolic links out of the repository (must not be followed, nor their target printed),
 * and a CODEOWNERS too large for GitHub.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import {
  checkJson,
  daysAgo,
  ensureBuilt,
  findingOf,
  governedRepo,
  NOW_ISO,
  type PomResult,
  pom,
} from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-files-");
});

afterAll(() => tmp?.cleanup());

/**
 * What the tests that must not hang allow `pom` (a FIFO blocked it forever): long enough for a
 * busy machine to start Node, short of the test's own timeout, so a hang fails with its output.
 */
const PROMPTLY = { timeoutMs: 20_000 };
/** Text of a file outside the repository that must never be printed. */
const SECRET = "s3cr3t-outside-the-checkout";
const POSIX = process.platform !== "win32";

/** A released, governed repository whose `path` is replaced by what `make` puts there. */
function repoWith(path: string, make: (target: string, repo: GitRepo) => void): GitRepo {
  const repo = governedRepo(tmp, daysAgo(1));
  repo.tag("v1.0.0");
  rmSync(join(repo.dir, path), { recursive: true, force: true });
  mkdirSync(join(repo.dir, path, ".."), { recursive: true });
  make(join(repo.dir, path), repo);
  return repo;
}

const fifo = (target: string) => execFileSync("mkfifo", [target]);

/** A file outside every repository, holding YAML that an error message would quote. */
function outsideFile(content = `version: 1\nproduct: ${SECRET}\n`): string {
  const path = join(tmp.dir("outside"), "secret.yml");
  writeFileSync(path, content);
  return path;
}

function expectRefused(result: PomResult, file: string, why: RegExp): void {
  expect(result.code, JSON.stringify(result)).toBe(2);
  expect(result.stderr, JSON.stringify(result)).toContain(file);
  expect(result.stderr).toMatch(why);
  // A usage error, not a crash: no stack trace.
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
}

// One at a time: each must finish within its budget, which `pom` processes started together would share.
describe.skipIf(!POSIX)("files that are not regular files", () => {
  it("refuses a FIFO as .github/pom.yml at once (exit 2) in pom check and pom validate", async () => {
    const repo = repoWith(".github/pom.yml", fifo);
    const check = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir, ...PROMPTLY });
    const validate = await pom(["validate"], { cwd: repo.dir, ...PROMPTLY });
    expectRefused(check, ".github/pom.yml", /cannot read a FIFO: only regular files are read/);
    expectRefused(validate, ".github/pom.yml", /a FIFO/);
  });

  it("refuses a FIFO as CODEOWNERS at once (exit 2), naming it", async () => {
    const repo = repoWith(".github/CODEOWNERS", fifo);
    const result = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir, ...PROMPTLY });
    expectRefused(result, ".github/CODEOWNERS", /cannot read a FIFO/);
  });

  it("refuses a FIFO given as --policy at once (exit 2)", async () => {
    const repo = repoWith("org/pom-policy.yml", fifo);
    const result = await pom(["check", "--now", NOW_ISO, "--policy", "org/pom-policy.yml"], {
      cwd: repo.dir,
      ...PROMPTLY,
    });
    expectRefused(result, "org/pom-policy.yml", /a FIFO/);
  });

  it("reports a 1 GB sparse pom.yml by its size without reading it: the size-limit error, little memory", async () => {
    const repo = repoWith(".github/pom.yml", (target) => {
      writeFileSync(target, "");
      truncateSync(target, 1024 ** 3);
    });
    const options = { cwd: repo.dir, ...PROMPTLY, measureMemory: true };
    const check = await pom(["check", "--now", NOW_ISO, "--format", "json"], options);
    const validate = await pom(["validate"], options);
    const message = "the file is 1073741824 bytes; at most 262144 bytes are accepted";
    expect(validate.stdout).toBe(`.github/pom.yml:1:1: manifest.valid: ${message}\n`);
    expect(validate.code).toBe(1);
    expect(check.code).toBe(1);
    const finding = findingOf(JSON.parse(check.stdout), "manifest.valid");
    expect(finding).toMatchObject({
      status: "fail",
      message: `the manifest: ${message}`,
      location: { file: ".github/pom.yml", line: 1 },
    });
    for (const run of [check, validate]) expect(run.maxRssKb).toBeLessThan(200 * 1024);
  });
});

describe.skipIf(!POSIX).concurrent("symbolic links", () => {
  it("refuses a pom.yml linked out of the repository, naming it and never printing its target's text", async () => {
    const target = outsideFile();
    const repo = repoWith(".github/pom.yml", (link) => symlinkSync(target, link));
    const elsewhere = tmp.dir("cwd");
    const [check, checkJsonRun, validate] = await Promise.all([
      pom(["check", "--now", NOW_ISO, "--repo", repo.dir], { cwd: elsewhere }),
      pom(["check", "--now", NOW_ISO, "--format", "json"], { cwd: repo.dir }),
      pom(["validate", ".github/pom.yml"], { cwd: repo.dir }),
    ]);
    expectRefused(check, "pom.yml", /a symbolic link to outside the repository/);
    expectRefused(checkJsonRun, ".github/pom.yml", /outside the repository/);
    expectRefused(validate, ".github/pom.yml", /outside the repository/);
    expect(check.stderr).not.toContain(target);
  });

  it("refuses a pom.yml reached through a .github directory that links out of the repository", async () => {
    const outside = tmp.dir("outside-dir");
    writeFileSync(join(outside, "pom.yml"), `version: 1\nproduct: ${SECRET}\n`);
    const repo = repoWith(".github", (link) => symlinkSync(outside, link));
    expectRefused(await pom(["check", "--now", NOW_ISO], { cwd: repo.dir }), ".github/pom.yml", /outside/);
  });

  it("refuses a CODEOWNERS linked out of the repository instead of trusting it", async () => {
    const target = outsideFile("* @acme/payments\n");
    const repo = repoWith(".github/CODEOWNERS", (link) => symlinkSync(target, link));
    const result = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expectRefused(result, ".github/CODEOWNERS", /a symbolic link to outside the repository/);
  });

  it("follows links that stay inside the repository, for pom.yml and CODEOWNERS alike", async () => {
    const repo = governedRepo(tmp, daysAgo(1));
    repo.tag("v1.0.0");
    mkdirSync(join(repo.dir, "config"));
    for (const name of ["pom.yml", "CODEOWNERS"]) {
      renameSync(join(repo.dir, ".github", name), join(repo.dir, "config", name));
      symlinkSync(join("..", "config", name), join(repo.dir, ".github", name));
    }
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "manifest.valid").status).toBe("pass");
    expect(findingOf(verdict, "ownership.codeowners")).toMatchObject({ status: "pass" });
    expect(code).toBe(0);
  });

  it("in a part of a repository, follows links to elsewhere in that repository", async () => {
    const repo = governedRepo(tmp, daysAgo(1));
    repo.tag("v1.0.0");
    const part = join(repo.dir, "services", "checkout");
    mkdirSync(join(part, ".github"), { recursive: true });
    symlinkSync(join("..", "..", "..", ".github", "pom.yml"), join(part, ".github", "pom.yml"));
    const { code, verdict } = await checkJson(repo.dir, ["--repo", "services/checkout"]);
    expect(findingOf(verdict, "manifest.valid").status).toBe("pass");
    expect(code).toBe(0);
    const validate = await pom(["validate", ".github/pom.yml"], { cwd: part });
    expect(validate).toMatchObject({ code: 0, stdout: ".github/pom.yml: valid\n" });
  });
});

describe.concurrent("CODEOWNERS", () => {
  it("fails ownership.codeowners for a CODEOWNERS over 3 MB, which GitHub ignores, without echoing it", async () => {
    const repo = governedRepo(tmp, daysAgo(1));
    repo.tag("v1.0.0");
    // Right, but too large: GitHub loads no CODEOWNERS over 3 MB, so the team owns nothing.
    repo.write(".github/CODEOWNERS", "* @acme/payments\n".repeat(216_000));
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "ownership.codeowners");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe(
      ".github/CODEOWNERS is 3672000 bytes: GitHub ignores a CODEOWNERS file over 3 MB, so it makes no one an owner",
    );
    expect(JSON.stringify(verdict)).not.toContain("* @acme/payments\\n* @acme/payments");
    expect(code).toBe(0);
  });
});
