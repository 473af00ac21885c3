/**
 * `pom init --github OWNER/REPO`: the team comes from the organization's custom property `team` of
 * that repository, read with GITHUB_TOKEN at GITHUB_API_URL (the loopback fake GitHub), and wins
 * over CODEOWNERS; a repository without the property, or one that cannot be read, still gets a
 * starter manifest, with a note.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { daysAgo, ensureBuilt, pom } from "./pom.js";

let fake: FakeGitHub;
let tmp: TempRoot;
const token = "ghs_cli_init_property";

beforeAll(async () => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-init-github-");
  fake = await startFakeGitHub({
    repos: [
      { owner: "acme", name: "checkout", properties: { team: "payments" } },
      { owner: "acme", name: "wallet", properties: { team: "@acme/wallet-team", tier: "1" } },
      { owner: "acme", name: "bare" },
      { owner: "acme", name: "locked", properties: { team: "payments" } },
    ],
  });
  fake.state.tokens.set(token, 1);
  fake.inject({
    match: "GET /repos/{owner}/{repo}/properties/values",
    repo: "acme/locked",
    times: Number.POSITIVE_INFINITY,
    status: 403,
  });
}, 120_000);

afterAll(async () => {
  try {
    expect(fake.counts().writes).toBe(0);
    expect(fake.problems).toEqual([]);
  } finally {
    await fake?.close();
    tmp?.cleanup();
  }
});

function init(dir: string, slug: string, env: Record<string, string> = {}) {
  return pom(["init", "--github", slug], {
    cwd: dir,
    env: { GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3`, ...env },
  });
}

function freshRepo(codeowners?: string) {
  const repo = tmp.repo();
  if (codeowners) repo.write(".github/CODEOWNERS", codeowners);
  repo.write("README.md", "hello\n").commit("initial commit", daysAgo(3));
  return repo;
}

describe.concurrent("pom init --github", () => {
  it("proposes the team the custom property names (a slug is a team of the owner)", async () => {
    const repo = freshRepo();
    const result = await init(repo.dir, "acme/checkout");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "wrote .github/pom.yml (team acme/payments from the custom property team of acme/checkout)",
    );
    expect(readFileSync(join(repo.dir, ".github/pom.yml"), "utf8")).toContain("github: acme/payments");
  });

  it("prefers the property to CODEOWNERS, and says that CODEOWNERS names another team", async () => {
    const repo = freshRepo("* @acme/platform\n");
    const result = await init(repo.dir, "acme/wallet");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(team acme/wallet-team from the custom property team of acme/wallet)");
    expect(result.stdout).toContain(
      "note: CODEOWNERS names acme/platform; make it name acme/wallet-team too (ownership.codeowners)",
    );
  });

  it("falls back to CODEOWNERS when the property is not set", async () => {
    const repo = freshRepo("* @acme/platform\n");
    const result = await init(repo.dir, "acme/bare");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("note: acme/bare has no custom property team set");
    expect(result.stdout).toContain("(team acme/platform from CODEOWNERS)");
  });

  it("writes the starter manifest with a note when GitHub cannot tell", async () => {
    const repo = freshRepo();
    const result = await init(repo.dir, "acme/missing");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("note: acme/missing has no custom property team set");
    const denied = await init(freshRepo().dir, "acme/locked");
    expect(denied.code).toBe(0);
    expect(denied.stdout).toContain(
      "note: could not read the custom properties of acme/locked: GitHub answered 403",
    );
    expect(denied.stdout).toContain("wrote .github/pom.yml");
  });

  it("refuses a --github that is not OWNER/REPO, and one without a token", async () => {
    const repo = freshRepo();
    const bad = await init(repo.dir, "acme");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--github takes OWNER/REPO; got "acme"');
    const none = await pom(["init", "--github", "acme/checkout"], { cwd: freshRepo().dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("needs a token in GITHUB_TOKEN");
  });
});
