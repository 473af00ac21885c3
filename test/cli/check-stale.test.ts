/**
 * `pom check` on real git repositories judges outcome.stale from what the checkout has: the commit
 * messages of the limit's days and the messages of annotated tags; a shallow clone that reaches
 * back less than the limit leaves an outcome nothing names unknown, never passed.
 */

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, type GitRepo, gitEnv, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, daysAgo, ensureBuilt, findingOf, findingsOf, governedRepo, manifestYaml } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-stale-");
});

afterAll(() => tmp?.cleanup());

const ON = manifestYaml({ extra: "rules:\n  outcome.stale: warn" });

/** A governed repository (outcome CHK-12 active) created 200 days ago, the rule on unless `manifest` says otherwise. */
const repoWith = (manifest = ON): GitRepo => governedRepo(tmp, daysAgo(200), manifest);

describe.concurrent("outcome.stale offline", () => {
  it("passes when a commit message body names the outcome within 60 days", async () => {
    const repo = repoWith();
    repo.commit("Shorter payment form\n\nServes CHK-12.", daysAgo(30));
    repo.commit("Tidy", daysAgo(2));
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "outcome.stale");
    expect(finding).toMatchObject({ status: "pass", level: "warn" });
    expect(finding.evidence.join("\n")).toMatch(/CHK-12: last named by commit [0-9a-f]{7} on 2026-05-16/);
    expect(finding.evidence).toContain("read: commit messages and annotated tags since 2026-04-16 (2 items)");
  });

  it("fails, naming the outcome, when only work older than 60 days named it", async () => {
    const repo = repoWith();
    repo.commit("CHK-12: one-page form", daysAgo(80));
    repo.commit("Tidy", daysAgo(5));
    const { verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "outcome.stale");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe("CHK-12 has had no traced work in the last 60 days");
    expect(finding.location?.file).toBe(".github/pom.yml");
  });

  it("counts an annotated tag's message (release notes) naming the outcome", async () => {
    const repo = repoWith();
    repo.commit("Tidy", daysAgo(12));
    repo.tag("v1.1.0", { annotated: true, date: daysAgo(10), message: "v1.1.0\n\nOutcomes: CHK-12" });
    const finding = findingOf((await checkJson(repo.dir)).verdict, "outcome.stale");
    expect(finding.status).toBe("pass");
    expect(finding.evidence).toContain("CHK-12: last named by tag v1.1.0 on 2026-06-05");
  });

  it("takes the limit from the org policy given with --policy", async () => {
    const repo = repoWith(manifestYaml());
    repo.commit("CHK-12: one-page form", daysAgo(20));
    const policy = join(tmp.dir("policy"), "pom-policy.yml");
    writeFileSync(policy, "version: 1\nrules:\n  outcome.stale: warn\nlimits:\n  outcome.stale: 2w\n");
    const { verdict } = await checkJson(repo.dir, ["--policy", policy]);
    const finding = findingOf(verdict, "outcome.stale");
    expect(finding.status).toBe("fail");
    expect(finding.message).toBe("CHK-12 has had no traced work in the last 14 days");
    expect(finding.evidence).toContain("limit: 14d (from policy)");
  });

  it("in a shallow clone that reaches back 5 days, an outcome nothing names is unknown", async () => {
    const origin = repoWith();
    origin.commit("CHK-12: one-page form", daysAgo(30));
    origin.commit("Tidy", daysAgo(5));
    const dir = join(tmp.dir("shallow"), "clone");
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${origin.dir}`, dir], { env: gitEnv() });
    const finding = findingOf((await checkJson(dir)).verdict, "outcome.stale");
    expect(finding.status).toBe("unknown");
    expect(finding.message).toBe(
      "nothing read names CHK-12 within 60 days, and what was read reaches back only to 2026-06-10",
    );
  });

  it("a repository without any commit yet: nothing names the outcome, and nothing older exists", async () => {
    const repo = createRepo(tmp.dir("empty"));
    repo.write(".github/pom.yml", ON);
    const finding = findingOf((await checkJson(repo.dir)).verdict, "outcome.stale");
    expect(finding.status).toBe("fail");
  });

  it("is off by default: no finding", async () => {
    const repo = repoWith(manifestYaml());
    repo.commit("Tidy", daysAgo(5));
    expect(findingsOf((await checkJson(repo.dir)).verdict, "outcome.stale")).toEqual([]);
  });
});
