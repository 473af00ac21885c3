import { afterEach, describe, expect, it, vi } from "vitest";
import { factSource } from "../../../core/engine/fact-source.js";
import type { FactKey, Facts, ReleaseInfo } from "../../../core/engine/facts.js";
import { known, unavailable } from "../../../core/engine/facts.js";
import { declaredFacts, judge } from "../../../core/engine/judge.js";
import type { Rule } from "../../../core/engine/rule.js";
import {
  type Conclusion,
  type Finding,
  type Level,
  RULE_IDS,
  type Status,
  type SubjectKind,
} from "../../../core/engine/types.js";
import { conclude } from "../../../core/engine/verdict.js";
import { isWaiverActive, utcDay } from "../../../core/engine/waivers.js";
import { configOf } from "../../../core/manifest/config.js";
import { loadPolicy } from "../../../core/manifest/manifest.js";
import { DEFAULT_LEVELS, RULES } from "../../../policies/registry.js";
import {
  ago,
  check,
  DAY,
  findingOf,
  findingsOf,
  MANIFEST_FILE,
  manifest,
  manifestText,
  NOW,
  POLICY_FILE,
  policy,
} from "../../helpers/engine.js";

/** Releases whose latest is 20 days old: release.cadence fails at the default 14d. */
const STALE: Facts = { releases: known<ReleaseInfo[]>([{ tag: "v1", publishedAt: ago(20 * DAY) }]) };
const FRESH: Facts = { releases: known<ReleaseInfo[]>([{ tag: "v1", publishedAt: ago(DAY) }]) };

const waiving = (until: string, rule = "release.cadence") =>
  manifest({ waivers: [{ rule, until, reason: "Code freeze for peak season" }] });

describe("waivers", () => {
  const cases: { name: string; until: string; now: string; status: Status }[] = [
    {
      name: "when the waiver's until day is today, the failure is waived",
      until: "2026-06-15",
      now: "2026-06-15T12:00:00.000Z",
      status: "waived",
    },
    {
      name: "when it is the last millisecond of the until day in UTC, the failure is still waived",
      until: "2026-06-15",
      now: "2026-06-15T23:59:59.999Z",
      status: "waived",
    },
    {
      name: "when it is midnight UTC after the until day, the waiver has expired and the failure stands",
      until: "2026-06-15",
      now: "2026-06-16T00:00:00.000Z",
      status: "fail",
    },
    {
      name: "when the waiver expired yesterday, the failure stands",
      until: "2026-06-14",
      now: "2026-06-15T12:00:00.000Z",
      status: "fail",
    },
    {
      name: "when the waiver runs until next year, the failure is waived",
      until: "2027-01-31",
      now: "2026-06-15T12:00:00.000Z",
      status: "waived",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const now = new Date(c.now);
      const releases = known<ReleaseInfo[]>([{ tag: "v1", publishedAt: ago(20 * DAY, now) }]);
      const evaluation = check({ subject: "repo", manifest: waiving(c.until), facts: { releases }, now });
      const finding = findingOf(evaluation, "release.cadence");
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("error");
      // Other error-level rules lack their facts here (unknown); the waiver's effect is that no
      // error-level rule fails.
      const errorFailures = evaluation.findings.filter((f) => f.status === "fail" && f.level === "error");
      if (c.status === "waived") expect(errorFailures).toEqual([]);
      else expect(evaluation.conclusion).toBe("failure");
    });
  }

  it("when a failure is waived, the report says so: message, evidence and a non-failing conclusion", () => {
    const evaluation = check({ subject: "repo", manifest: waiving("2026-12-31"), facts: STALE });
    const finding = findingOf(evaluation, "release.cadence");
    expect(finding.message).toMatch(/^waived until 2026-12-31 \(Code freeze for peak season\): /);
    expect(finding.evidence).toContain("waiver: until 2026-12-31, reason: Code freeze for peak season");
    expect(finding.fix).not.toBe("");
    expect(evaluation.findings.filter((f) => f.status === "fail" && f.level === "error")).toEqual([]);
  });

  it("when the waiver expired yesterday, the failure keeps status fail and its evidence mentions the expired waiver", () => {
    const finding = findingOf(
      check({ subject: "repo", manifest: waiving("2026-06-14"), facts: STALE }),
      "release.cadence",
    );
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("waiver expired on 2026-06-14: Code freeze for peak season");
  });

  it("when a waived rule passes anyway, the pass is reported as a pass", () => {
    const finding = findingOf(
      check({ subject: "repo", manifest: waiving("2026-12-31"), facts: FRESH }),
      "release.cadence",
    );
    expect(finding.status).toBe("pass");
    expect(finding.evidence.some((e) => e.startsWith("waiver"))).toBe(false);
  });

  it("when a waived rule cannot be decided, it stays unknown rather than waived", () => {
    const finding = findingOf(
      check({ subject: "repo", manifest: waiving("2026-12-31"), facts: {} }),
      "release.cadence",
    );
    expect(finding.status).toBe("unknown");
  });

  it("when a waiver names another rule, it does not waive this one", () => {
    const finding = findingOf(
      check({ subject: "repo", manifest: waiving("2026-12-31", "release.unreleased"), facts: STALE }),
      "release.cadence",
    );
    expect(finding.status).toBe("fail");
  });

  it("when a waiver names a locked rule, it is ignored and manifest.valid fails naming the lock", () => {
    const evaluation = check({
      subject: "repo",
      manifest: waiving("2026-12-31"),
      policy: policy({ locked: ["release.cadence"] }),
      facts: STALE,
    });
    expect(findingOf(evaluation, "release.cadence").status).toBe("fail");
    const valid = findingOf(evaluation, "manifest.valid");
    expect(valid.status).toBe("fail");
    expect(valid.message).toContain("waives release.cadence, which the org policy locks");
    expect(valid.location?.file).toBe(MANIFEST_FILE);
    expect(evaluation.config.waivers).toEqual([]);
    expect(evaluation.conclusion).toBe("failure");
  });

  it("when a manifest waives manifest.valid, its own errors still fail", () => {
    const evaluation = check({
      subject: "repo",
      manifest: waiving("2026-12-31", "manifest.valid"),
      policy: policy({ locked: ["release.cadence"], rules: { "release.cadence": "error" } }),
      facts: STALE,
    });
    const lowering = manifestText(
      `version: 1\nproduct: { name: X }\nteam: { name: T, github: acme/t }\nrules: { release.cadence: off }\nwaivers:\n  - { rule: manifest.valid, until: 2026-12-31, reason: hide it }\n`,
    );
    const hidden = check({
      subject: "repo",
      manifest: lowering,
      policy: policy({ locked: ["release.cadence"] }),
      facts: STALE,
    });
    expect(findingOf(hidden, "manifest.valid").status).toBe("fail");
    expect(hidden.conclusion).toBe("failure");
    expect(findingOf(evaluation, "manifest.valid").status).toBe("pass");
  });

  it("isWaiverActive refuses an unreadable date", () => {
    expect(isWaiverActive("someday", NOW)).toBe(false);
  });

  it("utcDay gives the UTC calendar day, not the local one", () => {
    expect(utcDay(new Date("2026-06-15T23:30:00-05:00"))).toBe("2026-06-16");
  });
});

describe("levels and their provenance", () => {
  it("when nothing configures a rule, its level is the registry default", () => {
    const { config } = check({ subject: "repo", facts: FRESH });
    for (const id of RULE_IDS) {
      // outcome.overdue, set nowhere, says whose level it takes.
      const inherited = id === "outcome.overdue" ? { inheritedFrom: "outcome.declared" } : {};
      expect(config.levels[id]).toEqual({ value: DEFAULT_LEVELS[id], from: "default", ...inherited });
    }
  });

  it("the registry defaults are those of the rule catalogue", () => {
    expect(DEFAULT_LEVELS).toEqual({
      "manifest.valid": "error",
      "manifest.present": "off",
      "ownership.team": "error",
      "ownership.roles": "warn",
      "ownership.codeowners": "warn",
      "release.cadence": "error",
      "release.unreleased": "warn",
      "outcome.pull_request": "error",
      "outcome.issue": "warn",
      "problem.issue": "off",
      "outcome.release": "warn",
      "outcome.declared": "warn",
      "outcome.overdue": "warn",
      "outcome.stale": "off",
      "manifest.protected": "warn",
      "ownership.paths": "warn",
    });
  });

  const cases: {
    name: string;
    policyRules?: Record<string, Level>;
    manifestRules?: Record<string, Level>;
    locked?: string[];
    level: Level;
    from: "default" | "policy" | "manifest";
  }[] = [
    {
      name: "when only the policy sets a level, the policy's level applies",
      policyRules: { "ownership.roles": "error" },
      level: "error",
      from: "policy",
    },
    {
      name: "when only the manifest sets a level, the manifest's level applies",
      manifestRules: { "ownership.roles": "off" },
      level: "off",
      from: "manifest",
    },
    {
      name: "when both set an unlocked rule, the manifest wins",
      policyRules: { "ownership.roles": "error" },
      manifestRules: { "ownership.roles": "warn" },
      level: "warn",
      from: "manifest",
    },
    {
      name: "when the policy locks a rule and the manifest lowers it, the policy's level stays",
      policyRules: { "ownership.roles": "error" },
      manifestRules: { "ownership.roles": "warn" },
      locked: ["ownership.roles"],
      level: "error",
      from: "policy",
    },
    {
      name: "when the policy locks a rule without a level and the manifest lowers it, the default stays",
      manifestRules: { "ownership.roles": "off" },
      locked: ["ownership.roles"],
      level: "warn",
      from: "default",
    },
    {
      name: "when the policy locks a rule and the manifest raises it, the manifest's level applies",
      manifestRules: { "ownership.roles": "error" },
      locked: ["ownership.roles"],
      level: "error",
      from: "manifest",
    },
    {
      name: "when the policy locks a rule and the manifest repeats its level, that is allowed",
      policyRules: { "ownership.roles": "error" },
      manifestRules: { "ownership.roles": "error" },
      locked: ["ownership.roles"],
      level: "error",
      from: "manifest",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const evaluation = check({
        subject: "repo",
        manifest: manifest(c.manifestRules ? { rules: c.manifestRules } : {}),
        policy: policy({
          ...(c.policyRules ? { rules: c.policyRules } : {}),
          ...(c.locked ? { locked: c.locked } : {}),
        }),
        facts: { ...FRESH, teamMembers: known(["alice", "bob", "carol"]) },
      });
      expect(evaluation.config.levels["ownership.roles"]).toMatchObject({ value: c.level, from: c.from });
      const lowered = Boolean(c.locked && c.from !== "manifest");
      const violations = findingsOf(evaluation, "manifest.valid").filter((f) => f.status === "fail");
      expect(violations).toHaveLength(lowered ? 1 : 0);
      if (lowered) {
        expect(violations[0]?.message).toContain(`the org policy locks ownership.roles at "${c.level}"`);
        expect(violations[0]?.fix).toContain("rules.ownership.roles");
      }
      const roles = findingsOf(evaluation, "ownership.roles");
      expect(roles.map((f) => f.level)).toEqual(c.level === "off" ? [] : [c.level]);
    });
  }

  it("when a level comes from a file, its provenance points at the line that set it", () => {
    const loadedPolicy = policy({ rules: { "outcome.issue": "error" } });
    const loadedManifest = manifestText(
      [
        "version: 1",
        "product: { name: Checkout }",
        "team: { name: Payments, github: acme/payments }",
        "rules:",
        "  ownership.roles: off",
        "",
      ].join("\n"),
    );
    const { config } = check({ subject: "repo", manifest: loadedManifest, policy: loadedPolicy });
    expect(config.levels["ownership.roles"]).toMatchObject({
      value: "off",
      from: "manifest",
      location: { file: MANIFEST_FILE, line: 5 },
    });
    expect(config.levels["outcome.issue"]).toMatchObject({
      value: "error",
      from: "policy",
      location: { file: POLICY_FILE },
    });
    expect(config.levels["release.cadence"]).toEqual({ value: "error", from: "default" });
  });

  it("when a policy locks rules, the effective config lists them", () => {
    const { config } = check({
      subject: "repo",
      policy: policy({ locked: ["release.cadence", "outcome.pull_request"] }),
    });
    expect(config.locked).toEqual(["release.cadence", "outcome.pull_request"]);
  });

  it("when a lock is attempted to be weakened, the pull request subject is still gated by the locked level", () => {
    const evaluation = check({
      subject: "pull_request",
      manifest: manifest({ rules: { "outcome.pull_request": "off" } }),
      policy: policy({ locked: ["outcome.pull_request"] }),
      facts: {
        pullRequest: known({ number: 3, title: "x", body: null, labels: [], author: "a", closingIssues: [] }),
      },
    });
    expect(findingOf(evaluation, "outcome.pull_request")).toMatchObject({ status: "fail", level: "error" });
    expect(evaluation.conclusion).toBe("failure");
  });
});

describe("release.max_cadence", () => {
  const cases: {
    name: string;
    cadence?: string;
    max: string;
    effective: string;
    from: "default" | "policy" | "manifest";
    violation: boolean;
  }[] = [
    {
      name: "when the manifest declares a slower cadence than max_cadence, the effective cadence is the max and manifest.valid fails",
      cadence: "6w",
      max: "30d",
      effective: "30d",
      from: "policy",
      violation: true,
    },
    {
      name: "when the manifest declares monthly against a max of 2w, the max applies",
      cadence: "monthly",
      max: "2w",
      effective: "2w",
      from: "policy",
      violation: true,
    },
    {
      name: "when the manifest's cadence equals max_cadence, it is allowed",
      cadence: "30d",
      max: "30d",
      effective: "30d",
      from: "manifest",
      violation: false,
    },
    {
      name: "when the manifest's cadence is faster than max_cadence, it is allowed",
      cadence: "weekly",
      max: "30d",
      effective: "weekly",
      from: "manifest",
      violation: false,
    },
    {
      name: "when the manifest declares no cadence and the default is slower than max_cadence, the max applies without a violation",
      max: "7d",
      effective: "7d",
      from: "policy",
      violation: false,
    },
    {
      name: "when the manifest declares no cadence and the default is within max_cadence, the default applies",
      max: "30d",
      effective: "14d",
      from: "default",
      violation: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const evaluation = check({
        subject: "repo",
        manifest: manifest({ release: c.cadence ? { cadence: c.cadence } : undefined }),
        policy: policy({ release: { max_cadence: c.max } }),
        facts: FRESH,
      });
      expect(evaluation.config.cadence.value.text).toBe(c.effective);
      expect(evaluation.config.cadence.from).toBe(c.from);
      const valid = findingsOf(evaluation, "manifest.valid");
      if (c.violation) {
        expect(valid).toHaveLength(1);
        expect(valid[0]?.status).toBe("fail");
        expect(valid[0]?.message).toContain(
          `slower than the org policy allows (release.max_cadence ${c.max})`,
        );
        expect(valid[0]?.location?.file).toBe(MANIFEST_FILE);
      } else {
        expect(valid.map((f) => f.status)).toEqual(["pass"]);
      }
    });
  }

  it("when the max applies, release.cadence judges against it", () => {
    const evaluation = check({
      subject: "repo",
      manifest: manifest({ release: { cadence: "6w" } }),
      policy: policy({ release: { max_cadence: "30d" } }),
      facts: { releases: known<ReleaseInfo[]>([{ tag: "v1", publishedAt: ago(31 * DAY) }]) },
    });
    const finding = findingOf(evaluation, "release.cadence");
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("cadence: 30d (from policy)");
  });
});

describe("conclude", () => {
  const f = (status: Status, level: Level): Finding => ({
    rule: "release.cadence",
    status,
    level,
    message: "m",
    fix: "",
    evidence: [],
  });
  const cases: { name: string; findings: Finding[]; conclusion: Conclusion }[] = [
    {
      name: "when an error-level rule fails, the conclusion is failure",
      findings: [f("pass", "error"), f("fail", "error")],
      conclusion: "failure",
    },
    {
      name: "when an error-level failure comes with warnings, the conclusion is failure",
      findings: [f("fail", "warn"), f("fail", "error")],
      conclusion: "failure",
    },
    {
      name: "when only warn-level rules fail, the conclusion is neutral",
      findings: [f("pass", "error"), f("fail", "warn")],
      conclusion: "neutral",
    },
    {
      name: "when an error-level rule is unknown, the conclusion is failure: a gate does not pass on what it did not see",
      findings: [f("pass", "error"), f("unknown", "error")],
      conclusion: "failure",
    },
    {
      name: "when a warn-level rule is unknown, the conclusion is neutral",
      findings: [f("unknown", "warn")],
      conclusion: "neutral",
    },
    {
      name: "when everything passes, the conclusion is success",
      findings: [f("pass", "error"), f("pass", "warn")],
      conclusion: "success",
    },
    {
      name: "when an error-level failure is waived, the conclusion is success",
      findings: [f("waived", "error")],
      conclusion: "success",
    },
    {
      name: "when rules are skipped, the conclusion is success",
      findings: [f("skip", "error")],
      conclusion: "success",
    },
    { name: "when there are no findings, the conclusion is success", findings: [], conclusion: "success" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(conclude(c.findings)).toBe(c.conclusion);
    });
  }

  it("when an error-level rule cannot be decided with this setup at all (offline, a missing permission), the conclusion is neutral", () => {
    expect(conclude([f("pass", "error"), { ...f("unknown", "error"), lasting: true }])).toBe("neutral");
  });
});

describe("evaluation", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("when a rule is off, it produces no finding at all", () => {
    const evaluation = check({
      subject: "repo",
      manifest: manifest({ rules: { "release.cadence": "off", "ownership.team": "off" } }),
      facts: STALE,
    });
    expect(findingsOf(evaluation, "release.cadence")).toEqual([]);
    expect(findingsOf(evaluation, "ownership.team")).toEqual([]);
    expect(evaluation.findings.some((finding) => finding.level === "off")).toBe(false);
  });

  it("when a rule does not apply to the subject, it produces no finding", () => {
    const evaluation = check({
      subject: "issue",
      facts: { issue: known({ number: 1, title: "CHK-12", body: null, labels: [], author: "a" }) },
    });
    expect(new Set(evaluation.findings.map((finding) => finding.rule))).toEqual(new Set(["outcome.issue"]));
  });

  it("when the manifest is invalid, the other rules are unknown, not passed, and manifest.valid fails", () => {
    const evaluation = check({
      subject: "repo",
      manifest: manifestText("version: 1\nproduct: { name: Checkout }\nteem: {}\n"),
      facts: FRESH,
    });
    for (const finding of evaluation.findings.filter((x) => x.rule !== "manifest.valid")) {
      expect(finding.status).toBe("unknown");
      expect(finding.message).toContain("manifest has errors");
      expect(finding.fix).toContain("manifest.valid");
    }
    expect(findingOf(evaluation, "release.cadence").level).toBe("error");
    expect(findingsOf(evaluation, "manifest.valid").every((x) => x.status === "fail")).toBe(true);
    expect(evaluation.conclusion).toBe("failure");
  });

  it("when a pull request is judged against an invalid default-branch manifest, outcome.pull_request is unknown", () => {
    const evaluation = check({
      subject: "pull_request",
      manifest: manifestText("version: 2\n"),
      facts: { pullRequest: known({ number: 1, title: "CHK-12", body: null, labels: [], author: "a" }) },
    });
    expect(findingOf(evaluation, "outcome.pull_request").status).toBe("unknown");
    expect(evaluation.conclusion).toBe("failure");
  });

  it("when the repository has no manifest, the rules that need one are not evaluated", () => {
    const evaluation = check({ subject: "repo", manifest: null, facts: STALE });
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.conclusion).toBe("success");
  });

  const withRule = (replacement: Rule): Rule[] =>
    RULES.map((r) => (r.id === replacement.id ? replacement : r));
  const testRule = (evaluate: Rule["evaluate"], extra: Partial<Rule> = {}): Rule => ({
    id: "outcome.declared",
    title: "a test rule",
    subjects: ["repo"],
    facts: [],
    defaultLevel: "error",
    explain: { checks: "", why: "", fix: "" },
    evaluate,
    ...extra,
  });

  it("when a rule throws, it becomes unknown instead of crashing the evaluation", () => {
    const rule = testRule(() => {
      throw new Error("kaboom");
    });
    const evaluation = check({ subject: "repo", facts: FRESH }, withRule(rule));
    const finding = findingOf(evaluation, "outcome.declared");
    expect(finding.status).toBe("unknown");
    expect(finding.level).toBe("error");
    expect(finding.message).toContain("kaboom");
    expect(finding.fix).toContain("bug");
    expect(findingOf(evaluation, "release.cadence").status).toBe("pass");
    expect(evaluation.conclusion).toBe("failure");
  });

  it("when a rule throws something that is not an Error, it is still unknown", () => {
    const rule = testRule(() => {
      throw "a string";
    });
    const finding = findingOf(check({ subject: "repo" }, [rule]), "outcome.declared");
    expect(finding.status).toBe("unknown");
  });

  it("when a rule's appliesTo throws, the rule is evaluated rather than silently dropped", () => {
    const rule = testRule(() => ({ status: "fail", message: "seen", fix: "f" }), {
      appliesTo: () => {
        throw new Error("nope");
      },
    });
    expect(findingOf(check({ subject: "repo" }, [rule]), "outcome.declared").status).toBe("fail");
  });

  it("when a rule returns several results, each becomes a finding with the rule's level", () => {
    const rule = testRule(() => [
      { status: "fail", message: "one", fix: "a" },
      { status: "pass", message: "two", fix: "ignored for a pass" },
    ]);
    const findings = findingsOf(check({ subject: "repo" }, [rule]), "outcome.declared");
    expect(findings).toEqual([
      { rule: "outcome.declared", status: "fail", level: "error", message: "one", fix: "a", evidence: [] },
      { rule: "outcome.declared", status: "pass", level: "error", message: "two", fix: "", evidence: [] },
    ]);
  });

  it("when a rule asks for a fact that was not gathered, it is unknown naming the fact", () => {
    const rule = testRule((ctx) => {
      ctx.need("teamMembers");
      return { status: "pass", message: "never" };
    });
    const finding = findingOf(check({ subject: "repo" }, [rule]), "outcome.declared");
    expect(finding.status).toBe("unknown");
    expect(finding.message).toContain("the owning team's members could not be read: it was not gathered");
    expect(finding.evidence).toEqual(["fact: teamMembers"]);
  });

  it("when the real clock says something else, only the injected now counts", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("1999-01-01T00:00:00Z"));
    const seen: Date[] = [];
    const rule = testRule((ctx) => {
      seen.push(ctx.now);
      return { status: "pass", message: "ok" };
    });
    check({ subject: "repo" }, withRule(rule));
    expect(seen).toEqual([NOW]);
    const evaluation = check({ subject: "repo", facts: STALE });
    expect(findingOf(evaluation, "release.cadence").status).toBe("fail");
  });

  it("when exemptions apply to a pull request, only exemptable rules are skipped", () => {
    const evaluation = check({
      subject: "pull_request",
      manifest: manifest({ exemptions: { labels: ["chore"] } }),
      proposed: manifest(),
      facts: { pullRequest: known({ number: 1, title: "t", body: null, labels: ["chore"], author: "a" }) },
    });
    expect(findingOf(evaluation, "outcome.pull_request").status).toBe("skip");
    expect(findingOf(evaluation, "manifest.valid").status).toBe("pass");
  });

  const scenarios: { name: string; input: Parameters<typeof check>[0] }[] = [
    {
      name: "a repository sweep",
      input: {
        subject: "repo",
        policy: policy({ manifest: "error" }),
        manifest: waiving("2026-01-01"),
        facts: {
          ...STALE,
          unreleased: known([]),
          team: unavailable("HTTP 403", "members:read"),
          teamMembers: known(["alice"]),
          codeowners: known(null),
        },
      },
    },
    {
      name: "a pull request",
      input: {
        subject: "pull_request",
        proposed: manifestText("version: 1\n"),
        facts: { pullRequest: known({ number: 1, title: "t", body: null, labels: [], author: "a" }) },
      },
    },
    {
      name: "an issue",
      input: {
        subject: "issue",
        manifest: manifest({ rules: { "problem.issue": "error" } }),
        facts: {
          issue: known({ number: 1, title: "OKR-3", body: "## Problem\nx", labels: [], author: "a" }),
        },
      },
    },
    {
      name: "a release",
      input: {
        subject: "release",
        facts: {
          release: known({ tag: "v2", publishedAt: NOW.toISOString(), body: "" }),
          releases: known([{ tag: "v1", publishedAt: ago(40 * DAY) }]),
          releasePullRequests: known([{ number: 1, title: "CHK-12", body: null, labels: [], author: "a" }]),
        },
      },
    },
    { name: "an invalid manifest", input: { subject: "repo", manifest: manifestText("nope: [") } },
  ];
  for (const s of scenarios) {
    it(`every finding of ${s.name} has rule, status, level, message, fix and evidence`, () => {
      const evaluation = check(s.input);
      expect(evaluation.findings.length).toBeGreaterThan(0);
      for (const finding of evaluation.findings) {
        expect(RULE_IDS).toContain(finding.rule);
        expect(["pass", "fail", "skip", "waived", "unknown"]).toContain(finding.status);
        expect(["error", "warn"]).toContain(finding.level);
        expect(typeof finding.message).toBe("string");
        expect(finding.message.length).toBeGreaterThan(0);
        expect(typeof finding.fix).toBe("string");
        if (finding.status === "fail" || finding.status === "unknown")
          expect(finding.fix.length).toBeGreaterThan(0);
        if (finding.status === "pass" || finding.status === "skip") expect(finding.fix).toBe("");
        expect(Array.isArray(finding.evidence)).toBe(true);
        for (const e of finding.evidence) expect(typeof e).toBe("string");
        if (finding.location) {
          expect(finding.location.line).toBeGreaterThanOrEqual(1);
          expect(finding.location.column).toBeGreaterThanOrEqual(1);
        }
      }
      expect(JSON.parse(JSON.stringify(evaluation.findings))).toEqual(evaluation.findings);
    });
  }
});

describe("an invalid org policy", () => {
  it("is reported by manifest.valid even in a repository without a manifest", () => {
    const broken = loadPolicy("version: 1\nlocked: [release.cadense]\n", POLICY_FILE);
    expect(broken.ok).toBe(false);
    const evaluation = check({ subject: "repo", manifest: null, policy: broken });
    const finding = findingOf(evaluation, "manifest.valid");
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(/^the org policy: /);
    expect(finding.location).toMatchObject({ file: POLICY_FILE, line: 2 });
    expect(evaluation.conclusion).toBe("failure");
  });
});

describe("judging through a fact source", () => {
  const pr = (title: string) =>
    known({ number: 7, title, body: null, labels: [], author: "alice" }) as Facts["pullRequest"];
  const input = (subject: SubjectKind, loaded = manifest()) => ({
    subject,
    manifest: loaded,
    policy: null,
    config: configOf(DEFAULT_LEVELS, loaded, null, NOW),
    now: NOW,
  });
  /** A source whose every read is recorded; `closing` answers the closing issues. */
  const recording = (title: string, closing?: Facts["closingIssues"]) => {
    const asked: string[][] = [];
    const source = factSource(
      { pullRequest: () => pr(title) as NonNullable<Facts["pullRequest"]> },
      closing ? { closingIssues: () => closing as NonNullable<Facts["closingIssues"]> } : {},
    );
    return {
      asked,
      source: {
        read: (keys: readonly FactKey[]) => {
          asked.push([...keys]);
          return source.read(keys);
        },
      },
    };
  };

  /** A source that gives nothing and records what it was asked. */
  const counting = (sorted = false) => {
    const asked: string[][] = [];
    const source = {
      read: async (keys: readonly FactKey[]): Promise<Facts> => {
        asked.push(sorted ? [...keys].sort() : [...keys]);
        return {};
      },
    };
    return { asked, source };
  };

  it("when the pull request names its outcome, nothing but the pull request is read", async () => {
    const { asked, source } = recording("Serves CHK-12");
    const evaluation = await judge(input("pull_request"), RULES, source);
    expect(asked).toEqual([["pullRequest", "governanceChanges"]]);
    expect(findingOf(evaluation, "outcome.pull_request").status).toBe("pass");
  });

  it("when it does not, the closing issues are read once and the verdict uses them", async () => {
    const issues = known([{ number: 3, title: "For CHK-12", body: null, labels: [], author: "bob" }]);
    const { asked, source } = recording("Tidy up", issues);
    const evaluation = await judge(input("pull_request"), RULES, source);
    expect(asked).toEqual([["pullRequest", "governanceChanges"], ["closingIssues"]]);
    expect(findingOf(evaluation, "outcome.pull_request").status).toBe("pass");
  });

  it("when reading fails, the rule is unknown, never a pass, and it is not asked again", async () => {
    const { asked, source } = recording("Tidy up", unavailable("GitHub answered 502"));
    const evaluation = await judge(input("pull_request"), RULES, source);
    expect(asked).toEqual([["pullRequest", "governanceChanges"], ["closingIssues"]]);
    expect(findingOf(evaluation, "outcome.pull_request").status).toBe("unknown");
  });

  it("asks a repository's source for what the enabled rules declare, all at once when eager", async () => {
    const { asked, source } = counting(true);
    await judge(input("repo"), RULES, source, { eager: true });
    // release.cadence also declares "release", the subject of a release event: a repository's
    // source has no reader for it and gives nothing.
    expect(asked).toEqual([
      [
        "codeowners",
        "release",
        "releases",
        "releasesReadFrom",
        "team",
        "teamMembers",
        "teamProperty",
        "unreleased",
        "unreleasedCount",
      ],
    ]);
  });

  it("reads no team, release, tag or CODEOWNERS fact when only the outcome rules are on", async () => {
    const loaded = manifest({
      rules: {
        "ownership.team": "off",
        "ownership.roles": "off",
        "ownership.codeowners": "off",
        "release.cadence": "off",
        "release.unreleased": "off",
      },
    });
    const { asked, source } = counting();
    const evaluation = await judge(input("repo", loaded), RULES, source, { eager: true });
    expect(asked).toEqual([]);
    expect(declaredFacts(RULES, "repo", evaluation.config)).toEqual([]);
  });

  it("never asks for a fact its rules did not declare", async () => {
    const greedy: Rule = {
      id: "outcome.declared",
      title: "reads what it did not declare",
      subjects: ["repo"],
      facts: [],
      defaultLevel: "warn",
      explain: { checks: "", why: "", fix: "" },
      evaluate: (ctx) => ({ status: "pass", message: String(ctx.need("team").exists) }),
    };
    const { asked, source } = counting();
    const evaluation = await judge(input("repo"), [greedy], source);
    expect(asked).toEqual([]);
    expect(findingOf(evaluation, "outcome.declared").status).toBe("unknown");
  });

  it("has every rule of the registry read only the facts it declares", () => {
    // Each rule is judged with only its own declared facts, all unavailable: whatever it reads
    // outside them would show as "not gathered".
    for (const rule of RULES) {
      for (const subject of rule.subjects) {
        const facts = Object.fromEntries(rule.facts.map((k) => [k, unavailable("withheld")])) as Facts;
        const evaluation = check({ subject, facts }, [rule]);
        expect(evaluation.needs, `${rule.id} on ${subject}`).toEqual([]);
      }
    }
  });
});
