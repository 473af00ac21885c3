import { describe, expect, it } from "vitest";
import type { Finding, Status } from "../../../../core/engine/types.js";
import { ownershipCoverage } from "../../../../core/insights/metrics/ownership.js";
import { worstStatus } from "../../../../core/insights/metrics/status.js";
import { finding as f } from "./helpers.js";

const allPass = [
  f("manifest.valid", "pass"),
  f("ownership.team", "pass"),
  f("ownership.roles", "pass"),
  f("ownership.codeowners", "pass"),
  f("release.cadence", "fail"), // not an ownership rule
];

describe("ownershipCoverage", () => {
  const cases: {
    name: string;
    findings: Finding[];
    hasManifest?: boolean;
    manifest: string;
    rules: [Status | null, Status | null, Status | null, Status | null];
    passed: number;
    complete: boolean;
  }[] = [
    {
      name: "everything passes: complete",
      findings: allPass,
      hasManifest: true,
      manifest: "valid",
      rules: ["pass", "pass", "pass", "pass"],
      passed: 4,
      complete: true,
    },
    {
      name: "no manifest: absent, nothing evaluated",
      findings: [],
      hasManifest: false,
      manifest: "absent",
      rules: [null, null, null, null],
      passed: 0,
      complete: false,
    },
    {
      name: "no manifest, read from a failing manifest.present",
      findings: [f("manifest.present", "fail")],
      manifest: "absent",
      rules: [null, null, null, null],
      passed: 0,
      complete: false,
    },
    {
      name: "offline: the team rules are unknown, which is never covered",
      findings: [
        f("manifest.valid", "pass"),
        f("ownership.team", "unknown"),
        f("ownership.roles", "unknown"),
        f("ownership.codeowners", "pass"),
      ],
      manifest: "valid",
      rules: ["pass", "unknown", "unknown", "pass"],
      passed: 2,
      complete: false,
    },
    {
      name: "an invalid manifest: the other rules are unknown (not evaluated because of it)",
      findings: [
        f("manifest.valid", "fail"),
        f("manifest.valid", "fail"),
        f("ownership.team", "unknown"),
        f("ownership.roles", "unknown"),
        f("ownership.codeowners", "unknown"),
      ],
      hasManifest: true,
      manifest: "invalid",
      rules: ["fail", "unknown", "unknown", "unknown"],
      passed: 0,
      complete: false,
    },
    {
      name: "a waived rule is not covered",
      findings: [...allPass.slice(0, 3), f("ownership.codeowners", "waived")],
      manifest: "valid",
      rules: ["pass", "pass", "pass", "waived"],
      passed: 3,
      complete: false,
    },
    {
      name: "several findings of one rule: the worst speaks (a lock violation next to a pass)",
      findings: [f("manifest.valid", "pass"), f("manifest.valid", "fail")],
      manifest: "invalid",
      rules: ["fail", null, null, null],
      passed: 0,
      complete: false,
    },
    {
      name: "a manifest whose validity was not evaluated (the rule is off): unknown",
      findings: [f("ownership.team", "pass")],
      hasManifest: true,
      manifest: "unknown",
      rules: [null, "pass", null, null],
      passed: 1,
      complete: false,
    },
    {
      name: "nothing to go on: unknown",
      findings: [],
      manifest: "unknown",
      rules: [null, null, null, null],
      passed: 0,
      complete: false,
    },
  ];
  it.each(cases)("$name", ({ findings, hasManifest, manifest, rules, passed, complete }) => {
    const c = ownershipCoverage({ findings, ...(hasManifest === undefined ? {} : { hasManifest }) });
    expect(c).toEqual({
      manifest,
      rules: {
        "manifest.valid": rules[0],
        "ownership.team": rules[1],
        "ownership.roles": rules[2],
        "ownership.codeowners": rules[3],
      },
      passed,
      complete,
    });
  });
});

describe("worstStatus", () => {
  it.each<[Status[], Status | null]>([
    [[], null],
    [["pass"], "pass"],
    [["pass", "skip"], "skip"],
    [["skip", "waived"], "waived"],
    [["waived", "unknown"], "unknown"],
    [["unknown", "fail", "pass"], "fail"],
  ])("%j → %s", (statuses, worst) => {
    expect(worstStatus(statuses)).toBe(worst);
  });
});
