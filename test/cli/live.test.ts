/**
 * `pom check --github OWNER/REPO`: the built command (`node bin/pom.js`) evaluates a repository
 * live, with GITHUB_TOKEN and GITHUB_API_URL pointing at the loopback fake GitHub. It only reads:
 * the fake must see no write, and every request must be one GitHub's API description allows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../testkit/fake-github/server.js";
import {
  daysAgo,
  ensureBuilt,
  findingOf,
  type JsonVerdict,
  manifestYaml,
  NOW_ISO,
  pom,
  ROOT,
} from "./pom.js";

let fake: FakeGitHub;
let token: string;
let tmp: string;

/**
 * ensureBuilt() watches core/, policies/, cli/ and schemas/; `--github` also runs github/, so a
 * github/ file newer than its build is built here too (tsc's type errors are not this test's job).
 */
function ensureGithubBuilt(): void {
  const built = join(ROOT, "dist", "github");
  const stale = readdirSync(join(ROOT, "github")).some((f) => {
    const out = join(built, f.replace(/\.ts$/, ".js"));
    return (
      f.endsWith(".ts") &&
      (!existsSync(out) || statSync(out).mtimeMs < statSync(join(ROOT, "github", f)).mtimeMs)
    );
  });
  if (stale) {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  }
}

beforeAll(async () => {
  ensureBuilt();
  ensureGithubBuilt();
  tmp = mkdtempSync(join(tmpdir(), "pom-cli-live-"));
  const released = (name: string, days: number) => ({
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifestYaml(), ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [
      { message: "Initial commit", date: daysAgo(days + 20).toISOString() },
      { sha: shaOf(`${name} v1.0.0`), message: "Ship it (#2)", date: daysAgo(days).toISOString() },
    ],
    tags: { "v1.0.0": shaOf(`${name} v1.0.0`) },
  });
  fake = await startFakeGitHub({
    repos: [
      released("checkout", 5),
      released("legacy", 20),
      { owner: "acme", name: "bare", commits: [{ message: "Initial commit" }] },
      {
        ...released("stale", 5),
        files: {
          ".github/pom.yml": manifestYaml({ extra: "rules:\n  outcome.stale: warn" }),
          ".github/CODEOWNERS": "* @acme/payments\n",
        },
        pulls: [
          { number: 7, title: "CHK-12: one-page form", mergedAt: daysAgo(70).toISOString(), state: "closed" },
        ],
      },
    ],
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["alice", "bob", "carol"],
        repos: { "acme/checkout": "push", "acme/legacy": "push" },
      },
    ],
  });
  token = "ghs_cli_live_test_token";
  fake.state.tokens.set(token, 1);
}, 120_000);

afterAll(async () => {
  try {
    // Reads only, each one a request GitHub would accept, all with the token it was given.
    expect(fake.counts().writes).toBe(0);
    expect(fake.problems).toEqual([]);
    expect(fake.requests.filter((r) => r.headers.authorization !== `token ${token}`)).toEqual([]);
  } finally {
    await fake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
});

function live(args: string[], env: Record<string, string> = {}) {
  return pom(["check", "--format", "json", "--now", NOW_ISO, ...args], {
    cwd: tmp,
    env: { GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3`, ...env },
  });
}

function verdictOf(result: { stdout: string; stderr: string; code: number | null }): JsonVerdict {
  try {
    return JSON.parse(result.stdout) as JsonVerdict;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

describe.concurrent("pom check --github", () => {
  it("a compliant repository: every repository rule passes, exit 0", async () => {
    const result = await live(["--github", "acme/checkout"]);
    const verdict = verdictOf(result);
    expect(result.code, result.stderr).toBe(0);
    expect(verdict.conclusion).toBe("success");
    expect(verdict.findings.filter((f) => f.status !== "pass")).toEqual([]);
    expect(verdict.findings.map((f) => f.rule).sort()).toEqual([
      "manifest.valid",
      "outcome.declared",
      "outcome.overdue",
      "ownership.codeowners",
      "ownership.roles",
      "ownership.team",
      "release.cadence",
      "release.unreleased",
    ]);
    expect(findingOf(verdict, "release.cadence").message).toContain("v1.0.0 is 5d old");
    expect(result.stderr).toBe("");
  });

  it("an overdue repository: release.cadence fails at error level, located in pom.yml, exit 1", async () => {
    const result = await live(["--github", "acme/legacy"]);
    const verdict = verdictOf(result);
    expect(result.code, result.stderr).toBe(1);
    expect(verdict.conclusion).toBe("failure");
    const cadence = findingOf(verdict, "release.cadence");
    expect(cadence).toMatchObject({ status: "fail", level: "error" });
    expect(cadence.message).toContain("v1.0.0 is 20d old; the cadence is 14d");
    expect(cadence.location).toMatchObject({ file: ".github/pom.yml", line: 11, column: 12 });
    expect(verdict.findings.filter((f) => f.status === "fail").map((f) => f.rule)).toEqual([
      "release.cadence",
    ]);
  });

  it("outcome.stale turned on in the manifest: judged from the pull requests GitHub has, in one query", async () => {
    const verdict = verdictOf(await live(["--github", "acme/stale"]));
    const finding = findingOf(verdict, "outcome.stale");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe(
      "CHK-12 has had no traced work in the last 60 days (the newest found: pull request #7, 70 days ago)",
    );
    // The one query of the repository's recent work (the other tests judge other repositories).
    const queries = fake.requests.filter((r) => {
      const body = r.body as { query?: string; variables?: { repo?: string } };
      return (
        /pullRequests\(first: 100, states: \[MERGED\]/.test(String(body?.query)) &&
        body.variables?.repo === "stale"
      );
    });
    expect(queries).toHaveLength(1);
  });

  it.each([["acme"], ["acme/checkout/extra"], ["/checkout"], ["acme/"]])(
    "a bad slug (%s) is a usage error, exit 2, before any request",
    async (slug) => {
      const unused = `ghs_bad_slug_${slug.length}`;
      const result = await live(["--github", slug], { GITHUB_TOKEN: unused });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`--github takes OWNER/REPO; got "${slug}"`);
      expect(fake.requests.filter((r) => r.headers.authorization === `token ${unused}`)).toEqual([]);
    },
  );

  it("without a token: exit 2, naming GITHUB_TOKEN", async () => {
    const result = await live(["--github", "acme/checkout"], { GITHUB_TOKEN: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GITHUB_TOKEN");
  });

  it("a repository without a manifest (and no org policy): exit 2, saying so", async () => {
    const result = await live(["--github", "acme/bare"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("acme/bare");
    expect(result.stderr).toMatch(/no pom\.yml/);
  });
});
