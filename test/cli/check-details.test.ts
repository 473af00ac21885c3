/** `pom check` details: pre-release tags, zone-less --now, running from a subdirectory, offline notes. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import {
  checkJson,
  daysAgo,
  ensureBuilt,
  findingOf,
  governedRepo as governedRepoIn,
  manifestYaml,
  NOW_ISO,
  pom,
} from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-details-");
});

afterAll(() => tmp?.cleanup());

const governedRepo = (at: Date, manifest?: string): GitRepo => governedRepoIn(tmp, at, manifest);

describe.concurrent("pom check details", () => {
  it("does not count a semantic-versioning pre-release tag (v2.0.0-rc.1) as a release", async () => {
    const repo = governedRepo(daysAgo(20));
    repo.tag("v1.0.0");
    repo.commit("release candidate", daysAgo(2));
    repo.tag("v2.0.0-rc.1");
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("v1.0.0 is 20d old");
  });

  it("reads --now without a time zone as UTC", async () => {
    const repo = governedRepo(daysAgo(14));
    repo.tag("v1.0.0");
    const zoned = await pom(["check", "--format", "json", "--now", NOW_ISO], { cwd: repo.dir });
    const bare = await pom(["check", "--format", "json", "--now", NOW_ISO.replace(/\.000Z$/, "")], {
      cwd: repo.dir,
      env: { TZ: "America/New_York" },
    });
    expect(bare.code).toBe(zoned.code);
    expect(JSON.parse(bare.stdout)).toEqual(JSON.parse(zoned.stdout));
  });

  it("finds the checkout's manifest when run from a subdirectory", async () => {
    const repo = governedRepo(daysAgo(3));
    repo.tag("v1.0.0");
    const sub = join(repo.dir, "src", "deep");
    mkdirSync(sub, { recursive: true });
    const run = await pom(["check", "--format", "json", "--now", NOW_ISO], { cwd: sub });
    expect(run.code).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(findingOf(verdict, "release.cadence").status).toBe("pass");
    expect(findingOf(verdict, "ownership.codeowners").status).toBe("pass");
  });

  it("notes on stderr that releases come from git tags when release.source is not tags", async () => {
    const repo = governedRepo(daysAgo(3), manifestYaml().replace(/source: tags\n/, "source: releases\n"));
    repo.tag("v1.0.0");
    const run = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expect(run.stderr).toMatch(/offline, releases are read from git tags \(release\.source is releases\)/);
  });

  it("pom config exits 1 when the manifest weakens a locked rule", async () => {
    const repo = governedRepo(daysAgo(3), manifestYaml({ extra: "rules:\n  release.cadence: warn" }));
    repo.write("policy.yml", "version: 1\nlocked: [release.cadence]\n");
    const run = await pom(["config", "--policy", "policy.yml"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /manifest\.valid: rules\.release\.cadence is "warn", but the org policy locks/,
    );
  });
});
