/**
 * `pom policy preview`, the real built command: offline over real temporary git repositories (the
 * policy as it stands from HEAD of the org's `.github` checkout, or --current), live against the
 * loopback fake GitHub (nothing written), an invalid proposal (exit 1, file:line:col), bad usage
 * (exit 2).
 */
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PolicyPreview } from "../../core/insights/preview.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { DAY, daysAgo, ensureBuilt, NOW, NOW_ISO, pom } from "./pom.js";

const POLICY = ".github/pom-policy.yml";
const policy = (maxCadence: string) => stringify({ version: 1, release: { max_cadence: maxCadence } });
const manifest = (cadence: string, source = "tags") =>
  stringify({
    version: 1,
    product: { name: "P" },
    team: { name: "Core", github: "acme/core" },
    release: { cadence, source },
    outcomes: [{ id: "OKR-1", title: "Faster", metric: "m", target: "1", status: "active" }],
  });

let root: TempRoot;
let org: GitRepo;
const checkouts: Record<string, GitRepo> = {};

function checkout(name: string, cadence: string, releasedDaysAgo: number): GitRepo {
  const repo = root.repo(name);
  repo.write(".github/pom.yml", manifest(cadence)).write(".github/CODEOWNERS", "* @acme/core\n");
  repo.commit("Release", daysAgo(releasedDaysAgo));
  repo.tag("v1.0.0");
  return repo;
}

beforeAll(() => {
  ensureBuilt();
  root = tempRoot("pom-policy-preview-");
  org = root.repo("dotgithub");
  org.write(POLICY, policy("90d")).commit("Policy", daysAgo(100));
  // The proposal, in the working tree: HEAD keeps the policy as it stands.
  org.write(POLICY, policy("30d"));
  checkouts.slow = checkout("slow", "60d", 10); // starts failing: its cadence is over the new maximum
  checkouts.steady = checkout("steady", "14d", 5); // unchanged
  checkouts.late = checkout("late", "90d", 80); // starts failing on two rules
}, 60_000);

afterAll(() => root?.cleanup());

const dirs = () => Object.values(checkouts).map((c) => c.dir);
const nameOf = (key: string) => basename(checkouts[key]?.dir ?? "");

describe("pom policy preview --repos (offline)", () => {
  it("lists the checkouts that would start failing under the proposed policy, against HEAD's", async () => {
    const result = await pom(
      ["policy", "preview", "--policy", POLICY, "--now", NOW_ISO, "--format", "json", "--repos", ...dirs()],
      {
        cwd: org.dir,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout) as PolicyPreview;
    expect(preview.repositories).toBe(3);
    expect(preview.startFailing.map((f) => [f.repo, f.rules])).toEqual(
      [
        [nameOf("late"), ["manifest.valid", "release.cadence"]],
        [nameOf("slow"), ["manifest.valid"]],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(preview.stopFailing).toEqual([]);
    expect(preview.conclusion).toBe("neutral");
  });

  it("compares with --current, and prints text and markdown", async () => {
    const current = `${root.path}/current.yml`;
    (await import("node:fs")).writeFileSync(current, policy("30d"));
    const text = await pom(
      ["policy", "preview", "--policy", POLICY, "--current", current, "--now", NOW_ISO, "--repos", ...dirs()],
      {
        cwd: org.dir,
      },
    );
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe("POM policy preview: nothing gets worse in 3 repositories");
    const markdown = await pom(
      [
        "policy",
        "preview",
        "--policy",
        POLICY,
        "--now",
        NOW_ISO,
        "--format",
        "markdown",
        "--repos",
        ...dirs(),
      ],
      { cwd: org.dir },
    );
    expect(markdown.stdout).toMatch(/^## POM policy preview: 2 repositories would start failing/);
    expect(markdown.stdout).toContain(`| ${nameOf("slow")} | neutral | failure | \`manifest.valid\` |`);
  });

  it("exits 1 with file:line:col when the proposed policy is invalid, judging nothing", async () => {
    const bad = root.repo("bad");
    bad.write(POLICY, "version: 1\nrules:\n  release.cadence: blocking\n");
    const result = await pom(["policy", "preview", "--policy", POLICY, "--repos", ...dirs()], {
      cwd: bad.dir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\.github\/pom-policy\.yml:3:\d+: manifest\.valid: /);
  });

  it("exits 2 on bad usage", async () => {
    const cases = [
      ["policy"],
      ["policy", "preview"],
      ["policy", "preview", "--policy", POLICY, "--format", "html", "--repos", "."],
      ["policy", "preview", "--policy", POLICY, "--org", "acme", "--repos", "."],
      ["policy", "preview", "--policy", POLICY, "extra"],
      ["policy", "preview", "--policy", POLICY, "--repos", `${root.path}/missing`],
    ];
    for (const args of cases) {
      const result = await pom(args, { cwd: org.dir });
      expect([args.join(" "), result.code]).toEqual([args.join(" "), 2]);
    }
  });
});

describe("pom policy preview --org (live)", () => {
  let fake: FakeGitHub;
  const token = "ghs_policy_preview_cli";
  beforeAll(async () => {
    const repo = (name: string, cadence: string, age: number) => ({
      owner: "acme",
      name,
      private: name === "hidden",
      files: { ".github/pom.yml": manifest(cadence, "releases") },
      commits: [{ message: "Initial commit", date: new Date(NOW.getTime() - (age + 1) * DAY).toISOString() }],
      releases: [{ tag: "v1", publishedAt: new Date(NOW.getTime() - age * DAY).toISOString() }],
    });
    fake = await startFakeGitHub({
      repos: [
        { owner: "acme", name: ".github", files: { [POLICY]: policy("90d") } },
        repo("slow", "60d", 10),
        repo("hidden", "60d", 10),
        repo("steady", "14d", 5),
      ],
      teams: [
        {
          org: "acme",
          slug: "core",
          members: ["alice"],
          repos: { "acme/slow": "push", "acme/hidden": "push", "acme/steady": "push" },
        },
      ],
    });
    fake.state.tokens.set(token, 1);
  });
  afterAll(() => fake?.close());

  it("judges the organization's repositories from batched reads, names private ones to its user, writes nothing", async () => {
    const result = await pom(
      ["policy", "preview", "--policy", POLICY, "--org", "acme", "--now", NOW_ISO, "--format", "json"],

      { cwd: org.dir, env: { GITHUB_TOKEN: token, GITHUB_API_URL: `${fake.url}/api/v3` } },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout) as PolicyPreview;
    expect(
      preview.startFailing.map((f) => [f.repo, f.private]),
      result.stdout,
    ).toEqual([
      ["acme/hidden", true],
      ["acme/slow", false],
    ]);
    const counts = fake.counts();
    expect(counts.writes).toBe(0);
    expect(counts.graphql).toBe(1);
    expect(fake.problems).toEqual([]);
  });
});
