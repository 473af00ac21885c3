/** `pom explain`, `pom config`, help, version and unknown commands. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { ensureBuilt, manifestYaml, pom, ROOT } from "./pom.js";

let tmp: TempRoot;
let cwd: string;

const RULE_IDS = [
  "manifest.valid",
  "manifest.present",
  "ownership.team",
  "ownership.roles",
  "ownership.codeowners",
  "release.cadence",
  "release.unreleased",
  "outcome.pull_request",
  "outcome.issue",
  "problem.issue",
  "outcome.release",
  "outcome.declared",
  "outcome.overdue",
  "outcome.stale",
  "manifest.protected",
  "ownership.paths",
];

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-commands-");
  cwd = tmp.dir("empty");
});

afterAll(() => tmp?.cleanup());

describe.concurrent("pom explain", () => {
  it("explains a rule: what it checks, why it matters, how to fix it", async () => {
    const { code, stdout, stderr } = await pom(["explain", "release.cadence"], { cwd });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^release\.cadence — /);
    expect(stdout).toContain("Default level: error.");
    const what = stdout.indexOf("What it checks:");
    const why = stdout.indexOf("Why it matters:");
    const how = stdout.indexOf("How to fix a failure:");
    expect(what).toBeGreaterThan(0);
    expect(why).toBeGreaterThan(what);
    expect(how).toBeGreaterThan(why);
    expect(stdout).toContain("tag_pattern");
    expect(stdout).toContain("rules: { release.cadence: error | warn | off }");
  });

  it("lists all 16 rules with their default levels", async () => {
    const { code, stdout } = await pom(["explain"], { cwd });
    expect(code).toBe(0);
    const listed = stdout
      .split("\n")
      .map((line) => /^ {2}([a-z_]+\.[a-z_]+)\s+\[(error|warn|off)\]/.exec(line)?.[1])
      .filter(Boolean);
    expect(listed).toEqual(RULE_IDS);
    expect(stdout).toMatch(/release\.cadence\s+\[error\]/);
    expect(stdout).toMatch(/problem\.issue\s+\[off\]/);
  });

  it("exits 2 with a did-you-mean for a misspelt rule, and for extra arguments", async () => {
    const [typo, extra] = await Promise.all([
      pom(["explain", "relase.cadence"], { cwd }),
      pom(["explain", "release.cadence", "release.unreleased"], { cwd }),
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("");
    expect(typo.stderr).toContain('unknown rule "relase.cadence"; did you mean "release.cadence"?');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("explain takes one rule id");
  });
});

describe.concurrent("pom config", () => {
  const policy = [
    "version: 1",
    "rules:",
    "  outcome.issue: error",
    "locked: [release.cadence, outcome.issue]",
    "outcomes:",
    "  - id: ORG-1",
    "    title: Grow revenue",
    "",
  ].join("\n");

  /** A checkout whose manifest sets problem.issue, with an org policy in org/pom-policy.yml. */
  function checkout(): string {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml({ extra: "rules:\n  problem.issue: warn" }));
    repo.write("org/pom-policy.yml", policy);
    return repo.dir;
  }

  it("shows each level with its origin (default, policy or manifest) and the locks", async () => {
    const dir = checkout();
    const { code, stdout, stderr } = await pom(["config", "--policy", "org/pom-policy.yml"], { cwd: dir });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    const ruleLine = (id: string) => lines.find((l) => l.trimStart().startsWith(`${id} `)) ?? "";
    expect(ruleLine("problem.issue")).toMatch(/warn\s+\(manifest \.github\/pom\.yml:20:18\)$/);
    expect(ruleLine("outcome.issue")).toMatch(/error\s+\(policy org\/pom-policy\.yml:3:18\)\s+locked$/);
    expect(ruleLine("release.cadence")).toMatch(/error\s+\(default\)\s+locked$/);
    expect(ruleLine("ownership.team")).toMatch(/error\s+\(default\)$/);
    expect(stdout).toMatch(/cadence\s+14d\s+\(manifest \.github\/pom\.yml:11:12\)/);
    expect(stdout).toMatch(/tag_pattern\s+v\*\s+\(manifest /);
    expect(stdout).toMatch(/ORG-1\s+active\s+\(policy org\/pom-policy\.yml:6:5\)\s+Grow revenue/);
    expect(stdout).toMatch(/CHK-12\s+active\s+\(manifest \.github\/pom\.yml:15:5\)/);
  });

  it("prints the configuration as JSON with --format json", async () => {
    const dir = checkout();
    const { code, stdout } = await pom(["config", "--policy", "org/pom-policy.yml", "--format", "json"], {
      cwd: dir,
    });
    expect(code).toBe(0);
    const config = JSON.parse(stdout);
    expect(Object.keys(config.rules)).toEqual(RULE_IDS);
    expect(config.rules["release.cadence"]).toEqual({ value: "error", from: "default", locked: true });
    expect(config.rules["outcome.issue"]).toMatchObject({
      value: "error",
      from: "policy",
      locked: true,
      location: { file: "org/pom-policy.yml", line: 3 },
    });
    expect(config.rules["problem.issue"]).toMatchObject({ value: "warn", from: "manifest", locked: false });
    expect(config.release.cadence).toMatchObject({ value: "14d", from: "manifest" });
  });

  it("reports a manifest's attempt to weaken a lock on stderr", async () => {
    const dir = checkout();
    const repoManifest = join(dir, ".github/pom.yml");
    const text = readFileSync(repoManifest, "utf8").replace("problem.issue: warn", "outcome.issue: off");
    writeFileSync(repoManifest, text);
    const { stdout, stderr } = await pom(["config", "--policy", "org/pom-policy.yml"], { cwd: dir });
    expect(stderr).toMatch(
      /^\.github\/pom\.yml:20:18: manifest\.valid: rules\.outcome\.issue is "off", but the org policy locks outcome\.issue/m,
    );
    expect(stdout).toMatch(/outcome\.issue\s+error\s+\(policy org\/pom-policy\.yml:3:18\)\s+locked/);
  });

  it("exits 2 for an unknown --format and without a manifest", async () => {
    const dir = checkout();
    const [format, none] = await Promise.all([
      pom(["config", "--format", "yaml"], { cwd: dir }),
      pom(["config"], { cwd }),
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be text or json; got "yaml"');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("pom init");
  });
});

describe.concurrent("help, version and unknown commands", () => {
  it("prints the overview with --help and without arguments (exit 0)", async () => {
    const results = await Promise.all([["--help"], []].map((args) => pom(args, { cwd })));
    for (const { code, stdout } of results) {
      expect(code).toBe(0);
      expect(stdout).toContain("Usage: pom <command> [options]");
      for (const command of ["validate", "check", "init", "explain", "config"])
        expect(stdout).toMatch(new RegExp(`^ {2}${command}\\s`, "m"));
      expect(stdout).toContain("Exit codes:");
    }
  });

  it("prints a command's help with pom check --help and pom help check (exit 0)", async () => {
    const results = await Promise.all(
      [
        ["check", "--help"],
        ["help", "check"],
      ].map((args) => pom(args, { cwd })),
    );
    for (const { code, stdout } of results) {
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: pom check /);
      for (const option of ["--repo", "--policy", "--now", "--format"]) expect(stdout).toContain(option);
    }
  });

  it("exits 2 for an unknown command, suggesting the closest one", async () => {
    const [typo, nonsense] = await Promise.all([pom(["chek"], { cwd }), pom(["frobnicate"], { cwd })]);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("");
    expect(typo.stderr).toContain('unknown command "chek" (did you mean "check"?)');
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toContain('unknown command "frobnicate"; see pom --help');
  });

  it("prints the package.json version with --version and -v", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const results = await Promise.all([["--version"], ["-v"]].map((args) => pom(args, { cwd })));
    for (const { code, stdout } of results) {
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });
});
