/**
 * Staged levels and campaigns through the built CLI on real git repositories: `pom check --now`
 * before, between and after a schedule's dates; `pom config` showing the schedule; `pom validate`
 * refusing a postponed locked schedule; `pom report` counting a campaign's readiness.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, ensureBuilt, findingOf, findingsOf, manifestYaml, pom } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-staged-");
});

afterAll(() => tmp?.cleanup());

const POLICY = `version: 1
rules:
  release.cadence: off
  release.unreleased: off
  ownership.codeowners: { warn: 2027-01-10, error: 2027-02-01 }
locked: [ownership.codeowners]
`;

/** A repository without CODEOWNERS, with `policy` at org/pom-policy.yml. */
function repoWithout(manifest = manifestYaml(), policy = POLICY) {
  const repo = tmp.repo();
  repo.write(".github/pom.yml", manifest).write("org/pom-policy.yml", policy);
  repo.commit("initial commit", new Date("2027-01-01T12:00:00Z"));
  return repo;
}

const policyArg = ["--policy", "org/pom-policy.yml"];

describe("a staged level in `pom check --now`", () => {
  it("is off before the warn date, a warning naming the day it blocks, then an error (exit 1)", async () => {
    const repo = repoWithout();
    const before = await checkJson(repo.dir, policyArg, "2027-01-09T23:00:00Z");
    expect(findingsOf(before.verdict, "ownership.codeowners")).toEqual([]);
    expect(before.code).toBe(0);

    const between = await checkJson(repo.dir, policyArg, "2027-01-20T12:00:00Z");
    expect(findingOf(between.verdict, "ownership.codeowners")).toMatchObject({
      status: "fail",
      level: "warn",
    });
    expect(findingOf(between.verdict, "ownership.codeowners").message).toMatch(
      /^warning now; blocks from 2027-02-01 \(in 12 days\): /,
    );
    expect(between.verdict.conclusion).toBe("neutral");
    expect(between.code).toBe(0);

    const after = await checkJson(repo.dir, policyArg, "2027-02-01T00:00:00Z");
    expect(findingOf(after.verdict, "ownership.codeowners")).toMatchObject({
      status: "fail",
      level: "error",
    });
    expect(after.verdict.conclusion).toBe("failure");
    expect(after.code).toBe(1);
  });

  it("is shown by `pom config` as it is on the day of --now, with its schedule", async () => {
    const repo = repoWithout();
    const result = await pom(["config", "--now", "2027-01-20T12:00:00Z", ...policyArg], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /ownership\.codeowners\s+warn\s+\(policy org\/pom-policy\.yml:5:\d+\)\s+locked\s+schedule: off, warn from 2027-01-10, error from 2027-02-01/,
    );
  });

  it("may not be postponed by the repository: `pom validate` and `pom check` name the lock", async () => {
    const repo = repoWithout(
      manifestYaml({ extra: "rules:\n  ownership.codeowners: { warn: 2027-01-10, error: 2027-05-01 }" }),
    );
    const validate = await pom(["validate", ...policyArg], { cwd: repo.dir });
    expect(validate.code).toBe(1);
    expect(validate.stderr + validate.stdout).toMatch(
      /\.github\/pom\.yml:\d+:\d+: manifest\.valid: rules\.ownership\.codeowners is \{ warn: 2027-01-10, error: 2027-05-01 \}, but the org policy locks ownership\.codeowners/,
    );
    const check = await checkJson(repo.dir, policyArg, "2027-01-20T12:00:00Z");
    expect(findingsOf(check.verdict, "manifest.valid").find((f) => f.status === "fail")?.message).toContain(
      "never postpone them",
    );
    expect(check.code).toBe(1);
  });
});

describe("a campaign in `pom report`", () => {
  const CAMPAIGN = `version: 1
rules:
  release.cadence: off
  release.unreleased: off
campaigns:
  - id: codeowners-2027
    rules: [ownership.codeowners]
    deadline: 2027-02-01
    title: Every repo names its owning team in CODEOWNERS
`;

  it("counts the repositories ready and those that would fail at the deadline, as a hand count does", async () => {
    const out = join(tmp.path, "results");
    mkdirSync(out, { recursive: true });
    // Three repositories: two name their team in CODEOWNERS, one has none.
    const repos = [true, false, true].map((owned, i) => {
      const repo = repoWithout(manifestYaml(), CAMPAIGN);
      if (owned) {
        repo.write(".github/CODEOWNERS", "* @acme/payments\n");
        repo.commit("owners", new Date("2027-01-02T12:00:00Z"));
      }
      return { repo, name: `r${i}` };
    });
    for (const { repo, name } of repos) {
      const result = await pom(["check", "--now", "2027-01-20T12:00:00Z", "--format", "json", ...policyArg], {
        cwd: repo.dir,
      });
      expect(result.stderr).toBe("");
      writeFileSync(join(out, `${name}.json`), result.stdout);
    }
    const report = await pom(["report", "--from", out, "--now", "2027-01-20T12:00:00Z"], { cwd: tmp.path });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("## Campaigns");
    expect(report.stdout).toMatch(
      /\| `codeowners-2027` Every repo names its owning team in CODEOWNERS \| ownership\.codeowners \| 2027-02-01 \(in 12 days\) \| 2 of 3 \(66\.7%\) \| 1 \|/,
    );
  });
});
