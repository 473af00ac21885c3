/**
 * `pom check` on real git repositories: release.cadence from tags (lightweight and annotated,
 * filtered by tag_pattern) and release.unreleased from the commits after the newest release.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import {
  checkJson,
  DAY,
  daysAgo,
  ensureBuilt,
  findingOf,
  governedRepo as governedRepoIn,
  manifestYaml,
  NOW,
  NOW_ISO,
  pom,
} from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-release-");
});

afterAll(() => tmp?.cleanup());

/** A repository with a valid manifest (cadence 14d, tag_pattern v*) and CODEOWNERS, committed at `at`. */
const governedRepo = (at: Date, manifest?: string): GitRepo => governedRepoIn(tmp, at, manifest);

describe.concurrent("release.cadence", () => {
  it("passes when the latest v* tag is 10 days old (exit 0)", async () => {
    const repo = governedRepo(daysAgo(10));
    repo.tag("v1.0.0");
    const text = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/✔ pass\s+release\.cadence\s+error\s+the latest release v1\.0\.0 is 10d old/);
  });

  it("fails at error level when the latest tag is 15 days old: names the tag, says it is overdue, exit 1", async () => {
    const repo = governedRepo(daysAgo(15));
    repo.tag("v1.0.0");
    const text = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^POM governance: failure/);
    expect(text.stdout).toMatch(
      /✖ fail\s+release\.cadence\s+error\s+.*v1\.0\.0 is 15d old; the cadence is 14d/,
    );
    expect(text.stdout).toContain("fix: ship a release: it is overdue by 1d");
    expect(text.stdout).toContain("at .github/pom.yml:11:12");

    const { code, verdict } = await checkJson(repo.dir);
    expect(code).toBe(1);
    expect(verdict.conclusion).toBe("failure");
    const finding = findingOf(verdict, "release.cadence");
    expect(finding).toMatchObject({ status: "fail", level: "error" });
    expect(finding.message).toContain("v1.0.0");
    expect(finding.fix).toMatch(/overdue/);
    expect(finding.location).toMatchObject({ file: ".github/pom.yml", line: 11, column: 12 });
  });

  it("passes at exactly the cadence (14 days to the second)", async () => {
    const repo = governedRepo(daysAgo(14));
    repo.tag("v1.0.0");
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.cadence")).toMatchObject({ status: "pass" });
    expect(code).toBe(0);
    // One second later it is overdue.
    const later = await checkJson(repo.dir, [], new Date(NOW.getTime() + 1000).toISOString());
    expect(findingOf(later.verdict, "release.cadence").status).toBe("fail");
    expect(later.code).toBe(1);
  });

  it("ignores tags that do not match tag_pattern, however new they are", async () => {
    const repo = governedRepo(daysAgo(15));
    repo.tag("v1.0.0");
    repo.commit("nightly work", daysAgo(1));
    repo.tag("nightly-2026-06-14");
    repo.tag("release-2026-06-14", { annotated: true, date: daysAgo(1) });
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("v1.0.0 is 15d old");
    expect(finding.message).not.toContain("nightly");
    expect(finding.evidence).toContain("source: tags, tag pattern v*");
    expect(code).toBe(1);
  });

  it("fails when the repository has no tag at all", async () => {
    const repo = governedRepo(daysAgo(1));
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding).toMatchObject({ status: "fail", level: "error" });
    expect(finding.message).toContain("no qualifying release");
    expect(code).toBe(1);
  });

  it("fails when only non-matching tags exist", async () => {
    const repo = governedRepo(daysAgo(1));
    repo.tag("nightly-2026-06-14");
    const { verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.cadence").message).toContain("no qualifying release");
  });

  it("counts every tag when there is no tag_pattern", async () => {
    const repo = governedRepo(daysAgo(3), manifestYaml({ tagPattern: null }));
    repo.tag("nightly-2026-06-12");
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.cadence")).toMatchObject({ status: "pass" });
    expect(findingOf(verdict, "release.cadence").message).toContain("nightly-2026-06-12 is 3d old");
    expect(code).toBe(0);
  });

  it("dates an annotated tag by its tagger date, not by the commit", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(10) });
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("pass");
    expect(finding.evidence).toContain(`latest: v1.0.0 at ${daysAgo(10).toISOString()}`);
    expect(code).toBe(0);
  });

  it("dates an annotated tag made long after its commit as overdue when the tag itself is old", async () => {
    const repo = governedRepo(daysAgo(40));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(20) });
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("v1.0.0 is 20d old");
  });

  it("dates a lightweight tag by the commit it points to", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.tag("v1.0.0");
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain(`latest: v1.0.0 at ${daysAgo(30).toISOString()}`);
  });

  it("picks the newest release by date across annotated and lightweight tags", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(3) }); // newest, on an old commit
    repo.commit("more work", daysAgo(8));
    repo.tag("v1.1.0"); // lightweight, dated 8 days ago by its commit
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("pass");
    expect(finding.message).toContain("v1.0.0 is 3d old");
  });

  it("reads a tag that shares its name with a branch", async () => {
    const repo = governedRepo(daysAgo(5));
    repo.tag("v1.0.0");
    repo.git(["branch", "v1.0.0"]);
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("pass");
    expect(finding.message).toContain("the latest release v1.0.0 is 5d old");
    expect(findingOf(verdict, "release.unreleased").status).toBe("pass");
    expect(code).toBe(0);
  });

  it("ignores a tag on a blob, which has no date, instead of giving up on every tag", async () => {
    const repo = governedRepo(daysAgo(5));
    repo.tag("v1.0.0");
    repo.tag("signing-key", { ref: "HEAD:.github/CODEOWNERS" });
    repo.tag("v-tree", { ref: "HEAD^{tree}" });
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.cadence")).toMatchObject({ status: "pass" });
    expect(findingOf(verdict, "release.cadence").message).toContain("v1.0.0 is 5d old");
    expect(findingOf(verdict, "release.unreleased").status).toBe("pass");
    expect(code).toBe(0);
  });

  it("evaluates another checkout with --repo, and --now changes the verdict", async () => {
    const repo = governedRepo(daysAgo(10));
    repo.tag("v1.0.0");
    const elsewhere = tmp.dir("cwd");
    const soon = await checkJson(elsewhere, ["--repo", repo.dir]);
    expect(findingOf(soon.verdict, "release.cadence").status).toBe("pass");
    const later = await checkJson(
      elsewhere,
      ["--repo", repo.dir],
      new Date(NOW.getTime() + 5 * DAY).toISOString(),
    );
    expect(findingOf(later.verdict, "release.cadence").message).toContain("15d old");
    expect(later.code).toBe(1);
  });
});

describe.concurrent("release.unreleased", () => {
  it("fails at warn level (exit 0) when a commit after the newest release is older than the cadence", async () => {
    // The release v1.0.0 was tagged 10 days ago on an old commit; the commit after it, from
    // 20 days ago, has never been released.
    const repo = governedRepo(daysAgo(30));
    const released = repo.git(["rev-parse", "HEAD"]);
    repo.write("src/feature.txt", "feature\n");
    const waiting = repo.commit("add the feature", daysAgo(20));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(10), ref: released });

    const text = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^POM governance: neutral/);
    expect(text.stdout).toMatch(/✖ fail\s+release\.unreleased\s+warn\s+/);

    const { code, verdict } = await checkJson(repo.dir);
    expect(code).toBe(0);
    expect(verdict.conclusion).toBe("neutral");
    expect(findingOf(verdict, "release.cadence").status).toBe("pass");
    const finding = findingOf(verdict, "release.unreleased");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe(`${waiting.slice(0, 7)} has waited 20d unreleased; the cadence is 14d`);
    expect(finding.evidence).toContain("1 unreleased change");
    expect(finding.evidence).toContain(
      `oldest: ${waiting.slice(0, 7)} "add the feature" at ${daysAgo(20).toISOString()}`,
    );
  });

  it("passes when there is no commit after the newest tag", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(2) });
    const { verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.unreleased")).toMatchObject({
      status: "pass",
      message: "every change on the default branch is released",
    });
  });

  it("passes when the commits after the tag are younger than the cadence", async () => {
    const repo = governedRepo(daysAgo(10));
    repo.tag("v1.0.0");
    repo.commit("small fix", daysAgo(5));
    repo.commit("another fix", daysAgo(1));
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.unreleased");
    expect(finding.status).toBe("pass");
    expect(finding.evidence).toContain("2 unreleased changes");
    expect(finding.message).toContain("waited 5d");
    expect(code).toBe(0);
  });

  it("counts commits after the newest matching tag, not after a newer non-matching one", async () => {
    const repo = governedRepo(daysAgo(30), manifestYaml({ extra: "rules:\n  release.cadence: warn" }));
    repo.tag("v1.0.0");
    repo.commit("work", daysAgo(20));
    repo.tag("nightly-1");
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.unreleased")).toMatchObject({ status: "fail", level: "warn" });
    expect(findingOf(verdict, "release.cadence")).toMatchObject({ status: "fail", level: "warn" });
    expect(code).toBe(0);
  });

  it("dates a merged branch by its merge, not by the branch's older commits", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(3) });
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.write("src/feature.txt", "started long ago\n");
    repo.commit("feature work", daysAgo(25));
    repo.git(["checkout", "-q", "main"]);
    const merge = daysAgo(2);
    repo.git(["merge", "-q", "--no-ff", "feature", "-m", "Merge branch feature"], merge);
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.unreleased");
    expect(finding.status).toBe("pass");
    expect(finding.evidence).toContain("1 unreleased change");
    expect(finding.evidence).toContainEqual(
      expect.stringContaining(`"Merge branch feature" at ${merge.toISOString()}`),
    );
  });

  it("counts every commit when there is no release yet", async () => {
    const repo = governedRepo(daysAgo(30));
    repo.commit("second", daysAgo(2));
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.unreleased");
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("2 unreleased changes");
    expect(finding.message).toContain("waited 30d");
  });

  it("passes on a repository without any commit", async () => {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml());
    const { verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.unreleased").status).toBe("pass");
    expect(findingOf(verdict, "release.cadence").message).toContain("no qualifying release");
  });
});
