/** What a policy preview makes of repositories judged under the current and the proposed policy. */
import { describe, expect, it } from "vitest";
import type { Finding, RuleId } from "../../../core/engine/types.js";
import { invalidPreview, type JudgedTwice, previewOf, stateOf } from "../../../core/insights/preview.js";

const NOW = new Date("2026-06-15T12:00:00Z");

function finding(rule: RuleId, status: Finding["status"], level: Finding["level"] = "error"): Finding {
  return { rule, status, level, message: "", fix: "", evidence: [] };
}

const passing = stateOf({ conclusion: "success", findings: [finding("manifest.valid", "pass")] });
const warned = (rule: RuleId) =>
  stateOf({ conclusion: "neutral", findings: [finding(rule, "fail", "warn")] });
const failing = (...rules: RuleId[]) =>
  stateOf({ conclusion: "failure", findings: rules.map((r) => finding(r, "fail")) });

const twice = (
  repo: string,
  current: JudgedTwice["current"],
  proposed: JudgedTwice["proposed"],
  priv = false,
) => ({
  repo,
  private: priv,
  current,
  proposed,
});

const preview = (judged: JudgedTwice[]) =>
  previewOf({ org: "acme", now: NOW, proposed: { file: ".github/pom-policy.yml" }, judged });

describe("a repository's state under one policy", () => {
  it("keeps each failing rule at the highest level it fails at, and skips what passes or is off", () => {
    const state = stateOf({
      conclusion: "failure",
      findings: [
        finding("release.cadence", "fail", "warn"),
        finding("release.cadence", "fail", "error"),
        finding("ownership.roles", "fail", "off"),
        finding("ownership.team", "unknown"),
        finding("manifest.valid", "pass"),
      ],
    });
    expect(state).toEqual({ conclusion: "failure", failing: { "release.cadence": "error" } });
  });

  it("is 'not governed' without a verdict", () => {
    expect(stateOf(undefined)).toEqual({ conclusion: "not governed", failing: {} });
  });
});

describe("the preview", () => {
  it("lists the repositories that would start and stop failing, with the rules that moved", () => {
    const result = preview([
      twice("acme/b", passing, failing("manifest.valid")),
      twice("acme/a", failing("release.cadence"), passing),
      twice("acme/c", passing, passing),
    ]);
    expect(result.startFailing).toEqual([
      { repo: "acme/b", private: false, from: "success", to: "failure", rules: ["manifest.valid"] },
    ]);
    expect(result.stopFailing).toEqual([
      { repo: "acme/a", private: false, from: "failure", to: "success", rules: ["release.cadence"] },
    ]);
    expect(result.repositories).toBe(3);
    expect(result.conclusion).toBe("neutral");
  });

  it("counts a repository already failing for one rule under the rule that now fails too, not among those that start failing", () => {
    const result = preview([
      twice("acme/late", failing("release.cadence"), failing("release.cadence", "manifest.valid")),
    ]);
    expect(result.startFailing).toEqual([]);
    expect(result.rules).toEqual([
      {
        rule: "manifest.valid",
        worse: [{ repo: "acme/late", private: false, from: "pass", to: "error" }],
        better: [],
      },
    ]);
    expect(result.conclusion).toBe("neutral");
  });

  it("is neutral when a rule newly fails at warning level only, and success when things only get better", () => {
    expect(preview([twice("acme/a", passing, warned("ownership.roles"))]).conclusion).toBe("neutral");
    const better = preview([twice("acme/a", warned("ownership.roles"), passing)]);
    expect(better.conclusion).toBe("success");
    expect(better.rules[0]?.better).toEqual([{ repo: "acme/a", private: false, from: "warn", to: "pass" }]);
  });

  it("takes a repository that becomes governed, or stops being governed, as not failing before or after", () => {
    const result = preview([
      twice("acme/new", stateOf(undefined), failing("manifest.present")),
      twice("acme/gone", failing("manifest.present"), stateOf(undefined)),
    ]);
    expect(result.startFailing.map((f) => [f.repo, f.from])).toEqual([["acme/new", "not governed"]]);
    expect(result.stopFailing.map((f) => [f.repo, f.to])).toEqual([["acme/gone", "not governed"]]);
  });

  it("counts private repositories, and lists rules in catalogue order", () => {
    const result = preview([
      twice("acme/p", passing, failing("release.cadence", "manifest.valid"), true),
      twice("acme/q", passing, passing, true),
    ]);
    expect(result.privateRepositories).toBe(2);
    expect(result.rules.map((r) => r.rule)).toEqual(["manifest.valid", "release.cadence"]);
    expect(result.startFailing[0]?.rules).toEqual(["manifest.valid", "release.cadence"]);
  });

  it("of an invalid policy is a failure with its problems and nothing judged", () => {
    const problem = { file: "acme/.github/.github/pom-policy.yml", line: 3, column: 5, message: "bad" };
    const result = invalidPreview({ org: "acme", now: NOW, proposed: { file: "pom-policy.yml" } }, [problem]);
    expect(result.conclusion).toBe("failure");
    expect(result.invalid).toEqual([problem]);
    expect(result.repositories).toBe(0);
  });
});
