/** `pom validate`: manifests and org policies, as `file:line:col: rule: message` lines and exit codes. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { ensureBuilt, manifestYaml, pom } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-validate-");
});

afterAll(() => tmp?.cleanup());

/** A new directory holding `files`. */
function dirWith(files: Record<string, string>): string {
  const dir = tmp.dir("v");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const PROBLEM_LINE = /^[^:]+:\d+:\d+: manifest\.valid: /;

/** Two problems: the cadence on line 8 (column 12) and an unknown key on line 15 (column 5). */
const INVALID = `version: 1
product:
  name: Checkout
team:
  name: Payments
  github: acme/payments
release:
  cadence: fortnight
  tag_pattern: "v*"
outcomes:
  - id: CHK-12
    title: Cut abandonment
    metric: abandonment
    target: "55%"
    colour: blue
`;

const POLICY = "version: 1\nlocked: [release.cadence]\nrelease: { max_cadence: 7d }\n";

function lines(text: string): string[] {
  return text.split("\n").filter(Boolean);
}

describe.concurrent("pom validate", () => {
  it("prints valid and exits 0 for a valid manifest", async () => {
    const cwd = dirWith({ "pom.yml": manifestYaml() });
    const { code, stdout, stderr } = await pom(["validate", "pom.yml"], { cwd });
    expect(code).toBe(0);
    expect(stdout).toBe("pom.yml: valid\n");
    expect(stderr).toBe("");
  });

  it("prints file:line:col: manifest.valid: message for each problem and exits 1", async () => {
    const cwd = dirWith({ "bad.yml": INVALID });
    const { code, stdout } = await pom(["validate", "bad.yml"], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(2);
    for (const line of out) expect(line).toMatch(PROBLEM_LINE);
    expect(out[0]).toMatch(/^bad\.yml:8:12: manifest\.valid: release\.cadence: .*found "fortnight"/);
    expect(out[1]).toMatch(/^bad\.yml:15:5: manifest\.valid: unknown key "colour" in outcomes\[0\]/);
  });

  it("locates YAML syntax errors and unknown top-level keys with did-you-mean hints", async () => {
    const cwd = dirWith({
      "syntax.yml": 'version: 1\nproduct:\n  name: "Checkout\nteam:\n  name: x\n',
      "typo.yml": manifestYaml().replace("release:", "relase:"),
    });
    const { code, stdout } = await pom(["validate", "syntax.yml", "typo.yml"], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    for (const line of out) expect(line).toMatch(PROBLEM_LINE);
    expect(out).toContainEqual(expect.stringMatching(/^syntax\.yml:3:9: manifest\.valid: .*never closed/));
    expect(out).toContainEqual(
      expect.stringMatching(/^typo\.yml:10:1: manifest\.valid: unknown key "relase".*did you mean "release"/),
    );
  });

  it("checks several files at once: one valid and one invalid exits 1 and reports both", async () => {
    const cwd = dirWith({ "good.yml": manifestYaml(), "bad.yml": INVALID });
    const { code, stdout } = await pom(["validate", "good.yml", "bad.yml"], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toContain("good.yml: valid");
    expect(out.filter((l) => l.startsWith("bad.yml:"))).toHaveLength(2);
  });

  it("finds .github/pom.yml by default, before pom.yml", async () => {
    const cwd = dirWith({ ".github/pom.yml": manifestYaml(), "pom.yml": INVALID });
    const { code, stdout } = await pom(["validate"], { cwd });
    expect(stdout).toBe(".github/pom.yml: valid\n");
    expect(code).toBe(0);
  });

  it("falls back to pom.yml at the root", async () => {
    const cwd = dirWith({ "pom.yml": INVALID });
    const { code, stdout } = await pom(["validate"], { cwd });
    expect(code).toBe(1);
    expect(lines(stdout)[0]).toMatch(/^pom\.yml:8:12: manifest\.valid: /);
  });

  it("exits 2 when there is no manifest to find, with a hint", async () => {
    const cwd = dirWith({ "README.md": "# nothing here\n" });
    const { code, stdout, stderr } = await pom(["validate"], { cwd });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("no .github/pom.yml or pom.yml here");
    expect(stderr).toContain("pom init");
  });

  it("exits 2 for a file that does not exist or is a directory", async () => {
    const cwd = dirWith({ "pom.yml": manifestYaml() });
    const [missing, directory] = await Promise.all([
      pom(["validate", "pom.yml", "nope.yml"], { cwd }),
      pom(["validate", "."], { cwd }),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yml: no such file");
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/cannot read/);
  });

  it("validates a file named pom-policy.yml as an org policy", async () => {
    const cwd = dirWith({
      ".github/pom-policy.yml": POLICY,
      "bad/pom-policy.yml": "version: 1\nlocked: [release.cadense]\nrelease:\n  max_cadence: soon\n",
      "org.yml": POLICY,
    });
    const [good, bad, misnamed] = await Promise.all([
      pom(["validate", ".github/pom-policy.yml"], { cwd }),
      pom(["validate", "bad/pom-policy.yml"], { cwd }),
      pom(["validate", "org.yml"], { cwd }),
    ]);
    expect(good.stdout).toBe(".github/pom-policy.yml: valid\n");
    expect(good.code).toBe(0);

    expect(bad.code).toBe(1);
    const out = lines(bad.stdout);
    for (const line of out) expect(line).toMatch(PROBLEM_LINE);
    expect(out[0]).toMatch(
      /^bad\/pom-policy\.yml:2:10: .*unknown rule id "release\.cadense".*"release\.cadence"/,
    );
    expect(out[1]).toMatch(/^bad\/pom-policy\.yml:4:16: .*release\.max_cadence: .*"soon"/);

    // Under another name the same text is read as a manifest, which it is not.
    expect(misnamed.code).toBe(1);
    expect(misnamed.stdout).toContain('org.yml:2:1: manifest.valid: unknown key "locked"');
  });

  it("reports the manifests' violations of a --policy's locks and max_cadence", async () => {
    const cwd = dirWith({
      "org.yml": POLICY,
      "pom.yml": manifestYaml({ extra: "rules:\n  release.cadence: off" }),
      "fast.yml": manifestYaml({ cadence: "7d" }),
    });
    const { code, stdout } = await pom(["validate", "pom.yml", "fast.yml", "--policy", "org.yml"], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toContain("org.yml: valid");
    expect(out).toContain("fast.yml: valid");
    expect(out).toContainEqual(
      expect.stringMatching(
        /^pom\.yml:20:20: manifest\.valid: rules\.release\.cadence is "off", but the org policy locks release\.cadence/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/^pom\.yml:11:12: manifest\.valid: release\.cadence is 14d, slower than .*7d/),
    );
  });

  it("with --policy alone, checks the policy and the manifest found here against it", async () => {
    const cwd = dirWith({ ".github/pom.yml": manifestYaml(), "org.yml": POLICY });
    const { code, stdout } = await pom(["validate", "--policy", "org.yml"], { cwd });
    expect(code).toBe(1);
    expect(lines(stdout)).toEqual([
      "org.yml: valid",
      expect.stringMatching(/^\.github\/pom\.yml:11:12: manifest\.valid: release\.cadence is 14d, slower/),
    ]);
    // In the org's .github repository there is only the policy.
    const orgRepo = dirWith({ ".github/pom-policy.yml": POLICY });
    const policyOnly = await pom(["validate", "--policy", ".github/pom-policy.yml"], { cwd: orgRepo });
    expect(policyOnly.stdout).toBe(".github/pom-policy.yml: valid\n");
    expect(policyOnly.code).toBe(0);
  });
});
