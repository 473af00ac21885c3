/**
 * `pom check` on real checkouts: CODEOWNERS, offline team rules, the three output formats, usage
 * errors, org policies, missing manifests, non-git directories and colours.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckResult } from "../../core/insights/report/read.js";
import { type GitRepo, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, daysAgo, ensureBuilt, findingOf, findingsOf, manifestYaml, NOW_ISO, pom } from "./pom.js";

let tmp: TempRoot;
/** Manifest with the trio, CODEOWNERS, a v1.0.0 tag 10 days old and nothing unreleased. */
let healthy: GitRepo;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-check-");
  healthy = tmp.repo("healthy");
  healthy.write(".github/pom.yml", manifestYaml()).write(".github/CODEOWNERS", "* @acme/payments\n");
  healthy.commit("initial commit", daysAgo(10));
  healthy.tag("v1.0.0");
});

afterAll(() => tmp?.cleanup());

/** `pom check` on the healthy repository, run once and shared by the tests that only read it. */
let healthyJsonRun: ReturnType<typeof checkJson> | undefined;
let healthyTextRun: ReturnType<typeof pom> | undefined;
function healthyJson(): ReturnType<typeof checkJson> {
  healthyJsonRun ??= checkJson(healthy.dir);
  return healthyJsonRun;
}
function healthyText(): ReturnType<typeof pom> {
  healthyTextRun ??= pom(["check", "--now", NOW_ISO], { cwd: healthy.dir });
  return healthyTextRun;
}

/** A repository with `files`, committed and tagged v1.0.0 10 days ago. */
function repoWith(files: Record<string, string>): GitRepo {
  const repo = tmp.repo();
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  repo.commit("initial commit", daysAgo(10));
  repo.tag("v1.0.0");
  return repo;
}

const ESC = "\u001b[";

describe.concurrent("ownership rules offline", () => {
  it("passes ownership.codeowners when .github/CODEOWNERS gives * to the team", async () => {
    const { code, verdict } = await healthyJson();
    expect(findingOf(verdict, "ownership.codeowners")).toMatchObject({
      status: "pass",
      level: "warn",
      message: ".github/CODEOWNERS makes @acme/payments an owner of everything",
    });
    expect(code).toBe(0);
  });

  it("fails ownership.codeowners at warn level when there is no CODEOWNERS (exit 0)", async () => {
    const repo = repoWith({ ".github/pom.yml": manifestYaml() });
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "ownership.codeowners");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe("the repository has no CODEOWNERS file");
    expect(finding.fix).toContain("* @acme/payments");
    expect(verdict.conclusion).toBe("neutral");
    expect(code).toBe(0);
  });

  it("reads CODEOWNERS at the root and in docs/ too, and fails when * goes to another team", async () => {
    const root = repoWith({ ".github/pom.yml": manifestYaml(), CODEOWNERS: "# owners\n* @acme/payments\n" });
    const docs = repoWith({ ".github/pom.yml": manifestYaml(), "docs/CODEOWNERS": "* @acme/search\n" });
    const [rootResult, docsResult] = await Promise.all([checkJson(root.dir), checkJson(docs.dir)]);
    expect(findingOf(rootResult.verdict, "ownership.codeowners")).toMatchObject({
      status: "pass",
      message: "CODEOWNERS makes @acme/payments an owner of everything",
    });
    const other = findingOf(docsResult.verdict, "ownership.codeowners");
    expect(other.status).toBe("fail");
    expect(other.message).toBe('docs/CODEOWNERS line 1 gives "*" to @acme/search, not to @acme/payments');
  });

  it("reports the team rules unknown because it is offline", async () => {
    const { verdict } = await healthyJson();
    for (const rule of ["ownership.team", "ownership.roles"]) {
      const finding = findingOf(verdict, rule);
      expect(finding.status, rule).toBe("unknown");
      expect(finding.message, rule).toContain("offline");
    }
    expect(findingOf(verdict, "ownership.team").level).toBe("error");
    // unknown is never a pass: the conclusion is neutral, but only a failure exits 1.
    expect(verdict.conclusion).toBe("neutral");
  });

  it("prints the unknown team rules as unknown (offline) in text", async () => {
    const { code, stdout } = await healthyText();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^POM governance: neutral — 2 unknown, 6 passed$/m);
    expect(stdout).toMatch(/\? unknown ownership\.team\s+error\s+.*offline/);
    expect(stdout).toMatch(/\? unknown ownership\.roles\s+warn\s+.*offline/);
  });

  it("does not evaluate pull request, issue and release rules on a checkout", async () => {
    const { verdict } = await healthyJson();
    const rules = verdict.findings.map((f) => f.rule);
    for (const rule of ["outcome.pull_request", "outcome.issue", "problem.issue", "outcome.release"])
      expect(rules).not.toContain(rule);
    expect(findingOf(verdict, "outcome.declared").status).toBe("pass");
  });
});

describe.concurrent("output formats", () => {
  it("prints JSON with exactly conclusion, findings and insights, and the documented finding shape", async () => {
    const repo = repoWith({ ".github/pom.yml": manifestYaml({ trio: false }) });
    const { stdout, stderr, code } = await pom(["check", "--now", NOW_ISO, "--format", "json"], {
      cwd: repo.dir,
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(["conclusion", "findings", "insights"]);
    // The insights are what `pom report --from` reads back.
    expect(readCheckResult(stdout, "result.json").ok).toBe(true);
    expect(["success", "neutral", "failure"]).toContain(parsed.conclusion);
    const findings = parsed.findings as Record<string, unknown>[];
    expect(findings.length).toBeGreaterThan(3);
    for (const f of findings) {
      const keys = Object.keys(f).filter((k) => k !== "location");
      expect(keys).toEqual(["rule", "status", "level", "message", "fix", "evidence"]);
      expect(typeof f.rule).toBe("string");
      expect(["pass", "fail", "skip", "waived", "unknown"]).toContain(f.status);
      expect(["error", "warn"]).toContain(f.level);
      expect(typeof f.message).toBe("string");
      expect(typeof f.fix).toBe("string");
      expect(Array.isArray(f.evidence)).toBe(true);
      for (const e of f.evidence as unknown[]) expect(typeof e).toBe("string");
      if ("location" in f) {
        const location = f.location as Record<string, unknown>;
        expect(Object.keys(location)).toEqual(expect.arrayContaining(["file", "line", "column"]));
        expect(typeof location.file).toBe("string");
        expect(Number.isInteger(location.line) && (location.line as number) >= 1).toBe(true);
        expect(Number.isInteger(location.column) && (location.column as number) >= 1).toBe(true);
      }
    }
    // The missing trio points into the manifest: team: is on line 4.
    const roles = findings.find((f) => f.rule === "ownership.roles");
    expect(roles).toMatchObject({
      status: "fail",
      location: { file: ".github/pom.yml", line: 4, column: 1 },
    });
  });

  it("prints markdown: a ## headline and a table with one row per finding", async () => {
    const { stdout, code } = await pom(["check", "--now", NOW_ISO, "--format", "markdown"], {
      cwd: healthy.dir,
    });
    expect(code).toBe(0);
    expect(stdout.startsWith("## ")).toBe(true);
    expect(stdout).toContain("| Rule | Status | Level | Why | How to fix |");
    expect(stdout).toContain("| --- | --- | --- | --- | --- |");
    expect(stdout).toMatch(/^\| `release\.cadence` \| ✅ pass \| error \| .*v1\.0\.0/m);
    expect(stdout).toMatch(/^\| `ownership\.team` \| ❔ unknown \| error \|/m);
    expect(stdout).not.toContain(ESC);
  });

  it("rejects an unknown --format with exit 2 and a message", async () => {
    const { code, stdout, stderr } = await pom(["check", "--now", NOW_ISO, "--format", "yaml"], {
      cwd: healthy.dir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('--format must be one of text, json, markdown, sarif; got "yaml"');
    expect(stderr).toContain("see pom check --help");
  });

  it("rejects a --now that is not an ISO time with exit 2", async () => {
    const results = await Promise.all(
      ["yesterday", "2026-13-45T00:00:00Z"].map((now) => pom(["check", "--now", now], { cwd: healthy.dir })),
    );
    for (const { code, stdout, stderr } of results) {
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/--now must be an ISO 8601 time/);
    }
  });

  it("rejects an unknown option and a missing option value with exit 2", async () => {
    const [unknown, missing] = await Promise.all([
      pom(["check", "--nwo", NOW_ISO], { cwd: healthy.dir }),
      pom(["check", "--now"], { cwd: healthy.dir }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--nwo");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--now");
  });
});

describe.concurrent("org policy", () => {
  it("fails manifest.valid naming the lock when the manifest turns a locked rule off (exit 1)", async () => {
    const repo = repoWith({
      ".github/pom.yml": manifestYaml({ extra: "rules:\n  release.cadence: off" }),
      ".github/CODEOWNERS": "* @acme/payments\n",
    });
    const policyFile = join(tmp.dir("org"), "pom-policy.yml");
    writeFileSync(policyFile, "version: 1\nlocked: [release.cadence]\n");
    const { code, verdict } = await checkJson(repo.dir, ["--policy", policyFile]);
    expect(code).toBe(1);
    const valid = findingOf(verdict, "manifest.valid");
    expect(valid).toMatchObject({ status: "fail", level: "error" });
    expect(valid.message).toContain('the org policy locks release.cadence at "error"');
    expect(valid.location).toMatchObject({ file: ".github/pom.yml", line: 20, column: 20 });
    // The lock holds: release.cadence is still evaluated, at error level.
    expect(findingOf(verdict, "release.cadence")).toMatchObject({ status: "pass", level: "error" });

    // Without the policy the manifest may turn the rule off.
    const free = await checkJson(repo.dir);
    expect(findingsOf(free.verdict, "release.cadence")).toEqual([]);
    expect(findingOf(free.verdict, "manifest.valid").status).toBe("pass");
  });

  it("fails manifest.valid when the manifest's cadence is slower than release.max_cadence", async () => {
    const repo = repoWith({ ".github/pom.yml": manifestYaml(), ".github/CODEOWNERS": "* @acme/payments\n" });
    const policyFile = join(tmp.dir("org"), "pom-policy.yml");
    writeFileSync(policyFile, "version: 1\nrelease: { max_cadence: 7d }\n");
    const { code, verdict } = await checkJson(repo.dir, ["--policy", policyFile]);
    expect(code).toBe(1);
    const valid = findingOf(verdict, "manifest.valid");
    expect(valid.status).toBe("fail");
    expect(valid.message).toContain("release.cadence is 14d, slower than the org policy allows");
    expect(valid.message).toContain("release.max_cadence 7d");
    expect(valid.location).toMatchObject({ file: ".github/pom.yml", line: 11, column: 12 });
    // The policy's maximum applies: a 10-day-old release is overdue.
    const cadence = findingOf(verdict, "release.cadence");
    expect(cadence.status).toBe("fail");
    expect(cadence.message).toContain("the cadence is 7d");
  });

  it("fails manifest.present at the policy's level for a repository without a manifest", async () => {
    const repo = tmp.repo("unclaimed");
    repo.write("README.md", "# hi\n");
    repo.commit("initial commit", daysAgo(1));
    const policyFile = join(tmp.dir("org"), "pom-policy.yml");
    writeFileSync(policyFile, "version: 1\nmanifest: error\n");
    const { code, verdict } = await checkJson(repo.dir, ["--policy", policyFile]);
    expect(verdict.findings).toEqual([
      expect.objectContaining({ rule: "manifest.present", status: "fail", level: "error" }),
    ]);
    expect(verdict.conclusion).toBe("failure");
    expect(code).toBe(1);
  });

  it("reports a missing --policy file with exit 2", async () => {
    const { code, stderr } = await pom(["check", "--now", NOW_ISO, "--policy", "nope.yml"], {
      cwd: healthy.dir,
    });
    expect(code).toBe(2);
    expect(stderr).toContain("nope.yml: no such file");
  });
});

describe.concurrent("manifests and checkouts", () => {
  it("exits 2 with a hint to run pom init in a directory without a manifest", async () => {
    const repo = tmp.repo("bare");
    repo.write("README.md", "# hi\n");
    repo.commit("initial commit", daysAgo(1));
    const { code, stdout, stderr } = await pom(["check", "--now", NOW_ISO], { cwd: repo.dir });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("no .github/pom.yml or pom.yml in");
    expect(stderr).toContain("pom init");
  });

  it("reads a root pom.yml when there is no .github/pom.yml", async () => {
    const repo = repoWith({ "pom.yml": manifestYaml(), CODEOWNERS: "* @acme/payments\n" });
    const { code, verdict } = await checkJson(repo.dir);
    expect(findingOf(verdict, "manifest.valid")).toMatchObject({ status: "pass" });
    expect(findingOf(verdict, "release.cadence").location).toBeUndefined();
    expect(code).toBe(0);
  });

  it("exits 2 for a --repo that is not a git repository, instead of passing as neutral", async () => {
    const dir = tmp.dir("plain");
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github/pom.yml"), manifestYaml());
    writeFileSync(join(dir, ".github/CODEOWNERS"), "* @acme/payments\n");
    const cwd = tmp.dir("cwd");
    for (const args of [
      ["--repo", dir],
      ["--repo", dir, "--format", "json"],
    ]) {
      const { code, stdout, stderr } = await pom(["check", "--now", NOW_ISO, ...args], { cwd });
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain(`pom check: ${dir} is not a git repository`);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
    // Run inside it, too: the working directory is not a git repository either.
    const inside = await pom(["check", "--now", NOW_ISO], { cwd: dir });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`${dir} is not a git repository`);
  });

  it("exits 2 for a --repo that does not exist, saying so", async () => {
    const cwd = tmp.dir("cwd");
    const missing = join(tmp.path, "does", "not", "exist");
    const { code, stdout, stderr } = await pom(["check", "--now", NOW_ISO, "--repo", missing], { cwd });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`pom check: ${missing}: the directory does not exist`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("fails manifest.valid with its location and leaves the other rules unknown for an invalid manifest", async () => {
    const repo = repoWith({ ".github/pom.yml": manifestYaml({ cadence: "fortnight" }) });
    const { code, verdict } = await checkJson(repo.dir);
    expect(code).toBe(1);
    const valid = findingOf(verdict, "manifest.valid");
    expect(valid).toMatchObject({ status: "fail", level: "error" });
    expect(valid.message).toContain('found "fortnight"');
    expect(valid.location).toMatchObject({ file: ".github/pom.yml", line: 11, column: 12 });
    const cadence = findingOf(verdict, "release.cadence");
    expect(cadence.status).toBe("unknown");
    expect(cadence.message).toBe("not evaluated because the manifest has errors");
  });

  it("turns an overdue release into waived while a waiver is in force (exit 0)", async () => {
    const waiver = "waivers:\n  - rule: release.cadence\n    until: 2026-07-01\n    reason: Code freeze";
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml({ extra: waiver }));
    repo.commit("initial commit", daysAgo(20));
    repo.tag("v1.0.0");
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "release.cadence");
    expect(finding.status).toBe("waived");
    expect(finding.message).toContain("waived until 2026-07-01 (Code freeze)");
    expect(code).toBe(0);
    // After the waiver's date the failure counts again.
    const after = await checkJson(repo.dir, [], "2026-07-02T12:00:00Z");
    expect(findingOf(after.verdict, "release.cadence").status).toBe("fail");
    expect(after.code).toBe(1);
  });
});

describe.concurrent("colours", () => {
  it("uses ANSI colours with FORCE_COLOR=1", async () => {
    const { stdout, code } = await pom(["check", "--now", NOW_ISO], {
      cwd: healthy.dir,
      color: true,
      env: { FORCE_COLOR: "1" },
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`${ESC}32m`);
    expect(stdout).toContain(`${ESC}0m`);
  });

  it("uses no colours with NO_COLOR=1 and FORCE_COLOR unset, nor when not on a terminal", async () => {
    // pom() sets NO_COLOR=1 unless asked for colours; with `color: true` stdout is a pipe.
    const [noColor, pipe] = await Promise.all([
      healthyText(),
      pom(["check", "--now", NOW_ISO], { cwd: healthy.dir, color: true }),
    ]);
    for (const result of [noColor, pipe]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("POM governance: neutral");
      expect(result.stdout).not.toContain("\u001b");
    }
  });

  it("never colours JSON", async () => {
    const json = await pom(["check", "--now", NOW_ISO, "--format", "json"], {
      cwd: healthy.dir,
      color: true,
      env: { FORCE_COLOR: "1" },
    });
    expect(json.stdout).not.toContain("\u001b");
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});
