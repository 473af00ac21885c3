/**
 * The SARIF renderer: valid against the SARIF 2.1.0 schema, fingerprints that keep an alert one
 * alert across runs (and change when the finding does), levels, locations and GitHub's limits.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { codeownersFile } from "../../../core/domain/codeowners.js";
import { type Facts, known, unavailable } from "../../../core/engine/facts.js";
import type { Finding } from "../../../core/engine/types.js";
import { stageNote } from "../../../core/manifest/levels.js";
import { explainRule } from "../../../core/render/explain.js";
import {
  MAX_SARIF_BYTES,
  MAX_SARIF_RESULTS,
  renderSarif,
  type SarifInput,
  toSarif,
} from "../../../core/render/sarif.js";
import { FINGERPRINT_KEY, findingSubject } from "../../../core/render/sarif-fingerprint.js";
import { RULES } from "../../../policies/registry.js";
import { sarifValidator } from "../../../testkit/sarif/validate.js";
import { ago, check, DAY, MANIFEST_FILE, manifest, NOW } from "../../helpers/engine.js";

const validate = sarifValidator();

const REPO_RULES = RULES.filter((r) => r.subjects.includes("repo"));
const REPO_FILES = new Map([
  [MANIFEST_FILE, MANIFEST_FILE],
  [".github/CODEOWNERS", ".github/CODEOWNERS"],
]);

function sarifOf(findings: readonly Finding[], extra: Partial<SarifInput> = {}) {
  return toSarif({
    findings,
    rules: REPO_RULES,
    tool: { name: "pom-governance", version: "0.1.0" },
    manifestPath: MANIFEST_FILE,
    repoFiles: REPO_FILES,
    ...extra,
  });
}

/** The repository rules judged at `now`: the latest release `releaseAgeDays` old, CODEOWNERS as given. */
function judged(options: { releaseAgeDays: number; codeowners?: string; now?: Date }): Finding[] {
  const now = options.now ?? NOW;
  const facts: Facts = {
    releases: known([{ tag: "v1.4.0", publishedAt: ago(options.releaseAgeDays * DAY, now) }]),
    unreleased: known([]),
    team: unavailable("offline", undefined, "run with --github", true),
    teamMembers: unavailable("offline", undefined, "run with --github", true),
    codeowners: known(codeownersFile(".github/CODEOWNERS", options.codeowners ?? "* @acme/payments\n")),
  };
  return check({ subject: "repo", manifest: manifest(), facts, now }).findings;
}

const fingerprintsOf = (log: ReturnType<typeof sarifOf>) =>
  (log.runs[0]?.results ?? []).map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);

describe("SARIF output", () => {
  it("validates against the SARIF 2.1.0 schema", () => {
    const log = JSON.parse(
      renderSarif({
        findings: judged({ releaseAgeDays: 20, codeowners: "* @acme/other\n" }),
        rules: REPO_RULES,
        tool: { name: "pom-governance", version: "0.1.0" },
        manifestPath: MANIFEST_FILE,
        repoFiles: REPO_FILES,
      }),
    );
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results.length).toBeGreaterThan(1);
  });

  it("the schema check does reject a malformed log (this test can fail)", () => {
    const log = sarifOf(judged({ releaseAgeDays: 20 }));
    const broken = { ...log, runs: [{ ...log.runs[0], results: [{ level: "fatal", message: {} }] }] };
    expect(validate(broken)).toBe(false);
  });

  it("declares every repository rule, with its title and the pom explain text as help", () => {
    const driver = sarifOf([]).runs[0]?.tool.driver;
    expect(driver?.rules.map((r) => r.id)).toEqual(REPO_RULES.map((r) => r.id));
    const cadence = driver?.rules.find((r) => r.id === "release.cadence");
    const rule = REPO_RULES.find((r) => r.id === "release.cadence");
    expect(cadence?.shortDescription.text).toBe(rule?.title);
    expect(cadence?.help.text).toBe(rule && explainRule(rule));
    expect(cadence?.defaultConfiguration).toEqual({ level: "error" });
  });

  it("keeps the fingerprints equal across two runs on the same repository a day apart", () => {
    const today = judged({ releaseAgeDays: 20, codeowners: "* @acme/other\n" });
    const tomorrow = judged({
      releaseAgeDays: 21,
      codeowners: "* @acme/other\n",
      now: new Date(NOW.getTime() + DAY + 3 * 3_600_000),
    });
    // The messages differ ("20d old", "21d 3h old"); the alerts must not.
    expect(today.map((f) => f.message)).not.toEqual(tomorrow.map((f) => f.message));
    expect(fingerprintsOf(sarifOf(tomorrow))).toEqual(fingerprintsOf(sarifOf(today)));
    expect(fingerprintsOf(sarifOf(today))).toEqual(fingerprintsOf(sarifOf(today)));
  });

  it("changes the fingerprint when another rule fails or the finding points elsewhere", () => {
    const late = sarifOf(judged({ releaseAgeDays: 20 })).runs[0]?.results ?? [];
    const unowned = sarifOf(judged({ releaseAgeDays: 2, codeowners: "* @acme/other\n" })).runs[0]?.results;
    const cadence = late.find((r) => r.ruleId === "release.cadence");
    const codeowners = unowned?.find((r) => r.ruleId === "ownership.codeowners");
    expect(cadence && codeowners).toBeTruthy();
    expect(codeowners?.partialFingerprints).not.toEqual(cadence?.partialFingerprints);
    const finding = judged({ releaseAgeDays: 20 }).find((f) => f.rule === "release.cadence") as Finding;
    const elsewhere = { ...finding, location: { file: ".github/CODEOWNERS", line: 1, column: 1 } };
    const [here] = sarifOf([finding]).runs[0]?.results ?? [];
    const [there] = sarifOf([elsewhere]).runs[0]?.results ?? [];
    expect(there?.partialFingerprints).not.toEqual(here?.partialFingerprints);
  });

  it("keeps two findings of one rule that differ only in a number as two alerts", () => {
    const base: Finding = {
      rule: "manifest.valid",
      status: "fail",
      level: "error",
      message: "",
      fix: "",
      evidence: [],
    };
    const log = sarifOf([
      { ...base, message: "unknown key extra_1" },
      { ...base, message: "unknown key extra_2" },
    ]);
    const prints = log.runs[0]?.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]) ?? [];
    expect(new Set(prints).size).toBe(2);
    expect(prints.map((p) => p.split(":")[1])).toEqual(["1", "2"]);
  });

  it("leaves ages, dates and line numbers out of a finding's subject", () => {
    expect(findingSubject("the latest release v1.4.0 is 20d 3h old; the cadence is 14d")).toBe(
      findingSubject("the latest release v1.4.0 is 21d old; the cadence is 14d"),
    );
    expect(findingSubject("waiver expired on 2026-06-01")).toBe("waiver expired on <time>");
    expect(findingSubject("CODEOWNERS line 3 gives")).toBe(findingSubject("CODEOWNERS line 7 gives"));
    expect(findingSubject("the team acme/payments does not exist")).not.toBe(
      findingSubject("the team acme/platform does not exist"),
    );
  });

  it("keeps one subject for a finding when its staged level starts to block", () => {
    const level = {
      value: "warn" as const,
      from: "policy" as const,
      schedule: { initial: "warn" as const, steps: [{ from: "2027-02-01", level: "error" as const }] },
      campaign: "codeowners-2027",
    };
    const note = stageNote(level, new Date("2027-01-07T12:00:00Z"));
    expect(note).toBe("warning now; blocks from 2027-02-01 (in 25 days, campaign codeowners-2027)");
    expect(findingSubject(`${note}: there is no CODEOWNERS file`)).toBe(
      findingSubject("there is no CODEOWNERS file"),
    );
  });

  it("maps error to error, warn to warning and unknown to note, and leaves out passes, skips and waivers", () => {
    const base = { rule: "release.cadence", message: "m", fix: "", evidence: [] as string[] } as const;
    const findings: Finding[] = [
      { ...base, status: "fail", level: "error" },
      { ...base, rule: "release.unreleased", status: "fail", level: "warn" },
      { ...base, rule: "ownership.team", status: "unknown", level: "error" },
      { ...base, rule: "ownership.roles", status: "pass", level: "warn" },
      { ...base, rule: "outcome.declared", status: "skip", level: "warn" },
      { ...base, rule: "ownership.codeowners", status: "waived", level: "warn" },
    ];
    const results = sarifOf(findings).runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["release.cadence", "error"],
      ["release.unreleased", "warning"],
      ["ownership.team", "note"],
    ]);
    expect(results[2]?.message.text).toMatch(/^not decided: /);
  });

  it("locates findings in the manifest or CODEOWNERS, and everything else at line 1 of the manifest", () => {
    const base: Finding = {
      rule: "release.cadence",
      status: "fail",
      level: "error",
      message: "m",
      fix: "",
      evidence: [],
    };
    const results =
      sarifOf([
        { ...base, location: { file: MANIFEST_FILE, line: 12, column: 12, endLine: 12, endColumn: 15 } },
        {
          ...base,
          rule: "ownership.codeowners",
          location: { file: ".github/CODEOWNERS", line: 3, column: 1 },
        },
        { ...base, rule: "manifest.valid", location: { file: ".github/pom-policy.yml", line: 4, column: 2 } },
        { ...base, rule: "manifest.present" },
      ]).runs[0]?.results ?? [];
    expect(results.map((r) => r.locations[0]?.physicalLocation)).toEqual([
      {
        artifactLocation: { uri: MANIFEST_FILE },
        region: { startLine: 12, startColumn: 12, endLine: 12, endColumn: 15 },
      },
      { artifactLocation: { uri: ".github/CODEOWNERS" }, region: { startLine: 3, startColumn: 1 } },
      { artifactLocation: { uri: MANIFEST_FILE }, region: { startLine: 1 } },
      { artifactLocation: { uri: MANIFEST_FILE }, region: { startLine: 1 } },
    ]);
  });

  it("names files by their path in the repository, not as the command line showed them", () => {
    const finding: Finding = {
      rule: "manifest.valid",
      status: "fail",
      level: "error",
      message: "m",
      fix: "",
      evidence: [],
      location: { file: "../checkout/.github/pom.yml", line: 2, column: 1 },
    };
    const log = sarifOf([finding], {
      repoFiles: new Map([["../checkout/.github/pom.yml", ".github/pom.yml"]]),
    });
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      ".github/pom.yml",
    );
  });

  it(`stays within GitHub's limits: at most ${MAX_SARIF_RESULTS} results, errors kept first`, () => {
    const many: Finding[] = Array.from({ length: MAX_SARIF_RESULTS + 500 }, (_, i) => ({
      rule: "manifest.valid",
      status: "fail",
      level: i < 600 ? "warn" : "error",
      message: `unknown key extra_${i}`,
      fix: "",
      evidence: [],
    }));
    const log = sarifOf(many);
    const run = log.runs[0] as (typeof log.runs)[number] & { invocations?: unknown[] };
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run.results.filter((r) => r.level === "warning")).toHaveLength(100);
    expect(JSON.stringify(run.invocations)).toContain("500 of 25500 results were left out");
    expect(validate(log)).toBe(true);
  });

  it("stays under 10 MB gzipped however long the messages are", () => {
    const huge: Finding[] = Array.from({ length: 500 }, (_, i) => ({
      rule: "manifest.valid",
      status: "fail",
      level: "error",
      message: `${i} ${"x".repeat(10_000)}`,
      fix: "",
      evidence: Array.from({ length: 20 }, () => "y".repeat(5_000)),
    }));
    const text = renderSarif({
      findings: huge,
      rules: REPO_RULES,
      tool: { name: "pom-governance", version: "0.1.0" },
      manifestPath: MANIFEST_FILE,
      repoFiles: REPO_FILES,
    });
    const zipped = gzipSync(text);
    expect(zipped.length).toBeLessThan(MAX_SARIF_BYTES);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SARIF_BYTES + 1);
    const log = JSON.parse(gunzipSync(zipped).toString("utf8"));
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.length).toBeLessThan(huge.length);
    expect(log.runs[0].results[0].message.text.length).toBeLessThanOrEqual(4_000);
  });
});
