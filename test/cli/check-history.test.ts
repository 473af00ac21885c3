/**
 * `pom check` reads the release history the way git has it: releases are the tags reachable from
 * HEAD (not a newer backport tagged on a maintenance branch), `--now` in the past sees only what
 * existed then (never a negative age), release.unreleased counts every unreleased change, and the
 * evidence says that tags were read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import {
  checkJson,
  DAY,
  daysAgo,
  ensureBuilt,
  findingOf,
  governedRepo,
  type JsonVerdict,
  manifestYaml,
  NOW,
} from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-history-");
});

afterAll(() => tmp?.cleanup());

/** The messages and evidence of a verdict: where an age or a wait would be printed. */
const printed = (verdict: JsonVerdict) => verdict.findings.flatMap((f) => [f.message, ...(f.evidence ?? [])]);

describe.concurrent("releases are the tags reachable from HEAD", () => {
  it("judges the cadence from main's v1.0.0, not from a newer backport tag on release-0.9", async () => {
    const repo = governedRepo(tmp, daysAgo(60));
    repo.git(["checkout", "-q", "-b", "release-0.9"]);
    repo.write("fix.txt", "backport\n").commit("Backport a fix", daysAgo(3));
    repo.tag("v0.9.1");
    repo.git(["checkout", "-q", "main"]);
    repo.write("feature.txt", "feature\n").commit("Add the feature", daysAgo(25));
    repo.tag("v1.0.0", { annotated: true, date: daysAgo(20) });
    const after = repo.write("more.txt", "more\n").commit("More work", daysAgo(5));

    const { code, verdict } = await checkJson(repo.dir);
    const cadence = findingOf(verdict, "release.cadence");
    expect(cadence).toMatchObject({ status: "fail", level: "error" });
    expect(cadence.message).toBe("the latest release v1.0.0 is 20d old; the cadence is 14d");
    // Unreleased work counts from v1.0.0: only the commit after it, not main's history since the branch.
    const unreleased = findingOf(verdict, "release.unreleased");
    expect(unreleased.status).toBe("pass");
    expect(unreleased.evidence).toContain("1 unreleased change");
    expect(unreleased.evidence).toContain(
      `oldest: ${after.slice(0, 7)} "More work" at ${daysAgo(5).toISOString()}`,
    );
    expect(code).toBe(1);
  });
});

describe.concurrent("--now in the past", () => {
  it("ignores the tags and commits made after it, and prints no negative age", async () => {
    const repo = governedRepo(tmp, daysAgo(30));
    repo.tag("v1.0.0");
    const waiting = repo.write("a.txt", "a\n").commit("Waiting change", daysAgo(20));
    repo.write("b.txt", "b\n").commit("Released later", daysAgo(6));
    repo.tag("v1.1.0");
    repo.write("c.txt", "c\n").commit("Newest change", daysAgo(2));
    const then = daysAgo(10);

    const { verdict } = await checkJson(repo.dir, [], then.toISOString());
    // As of ten days ago, v1.1.0 did not exist: v1.0.0 was 20 days old.
    expect(findingOf(verdict, "release.cadence").message).toBe(
      "the latest release v1.0.0 is 20d old; the cadence is 14d",
    );
    const unreleased = findingOf(verdict, "release.unreleased");
    expect(unreleased.status).toBe("pass");
    expect(unreleased.evidence).toEqual([
      "1 unreleased change",
      `oldest: ${waiting.slice(0, 7)} "Waiting change" at ${daysAgo(20).toISOString()}`,
      "cadence: 14d",
    ]);
    expect(unreleased.message).toContain("has waited 10d");
    for (const text of printed(verdict)) expect(text).not.toMatch(/(^|[\s(])-\d+[smhdw]\b/);
  });

  it("before the first tag and commit, sees no release and nothing unreleased", async () => {
    const repo = governedRepo(tmp, daysAgo(5));
    repo.tag("v1.0.0");
    const { verdict } = await checkJson(repo.dir, [], new Date(NOW.getTime() - 9 * DAY).toISOString());
    expect(findingOf(verdict, "release.cadence").message).toContain("no qualifying release");
    expect(findingOf(verdict, "release.unreleased").message).toBe(
      "every change on the default branch is released",
    );
  });
});

describe.concurrent("release.unreleased counts every unreleased change", () => {
  it("counts 1,500 unreleased commits and judges by the oldest of them", async () => {
    const repo = governedRepo(tmp, daysAgo(60), manifestYaml({ extra: "rules:\n  release.cadence: warn" }));
    repo.tag("v1.0.0");
    // 500 commits 30 to 20 days old, then 1,000 in the last ten days: the oldest waited 30 days.
    const changes = Array.from({ length: 1_500 }, (_, i) => ({
      message: `Change ${i + 1}`,
      date: i < 500 ? daysAgo(30 - (i / 500) * 10) : daysAgo(10 - ((i - 500) / 1_000) * 9),
    }));
    repo.commits(changes);

    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.unreleased");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toMatch(/^[0-9a-f]{7} has waited 30d unreleased; the cadence is 14d$/);
    expect(finding.evidence?.[0]).toBe("1500 unreleased changes");
    expect(finding.evidence?.[1]).toContain('"Change 1" at');
    expect(code).toBe(0);
  });
});

describe.concurrent("the evidence names what was read", () => {
  it("says tags, not releases, for a manifest whose release.source is releases", async () => {
    const manifest = manifestYaml().replace("source: tags", "source: releases");
    const repo = governedRepo(tmp, daysAgo(3), manifest);
    repo.tag("v1.0.0");
    const { verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "release.cadence").evidence).toContain(
      "source: tags (release.source is releases), tag pattern v*",
    );
  });
});
