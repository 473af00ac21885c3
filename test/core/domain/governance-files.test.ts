import { describe, expect, it } from "vitest";
import { owningRule } from "../../../core/domain/codeowners.js";
import {
  addedWaivers,
  governanceChangesOf,
  governancePaths,
  manifestRepoPath,
} from "../../../core/domain/governance-files.js";
import { standingApprovals } from "../../../core/domain/reviews.js";
import { manifest, manifestText } from "../../helpers/engine.js";

describe("governance files", () => {
  it("are the manifest's and CODEOWNERS' places, and the org policy in the .github repository only", () => {
    expect(governancePaths("checkout")).toEqual([
      ".github/pom.yml",
      "pom.yml",
      ".github/CODEOWNERS",
      "CODEOWNERS",
      "docs/CODEOWNERS",
    ]);
    expect(governancePaths(".github")).toContain(".github/pom-policy.yml");
  });

  it("a proposal naming another team, none, or an invalid one changes the owner", () => {
    const current = manifest();
    const other = manifest({ team: { github: "acme/growth" } });
    expect(governanceChangesOf([".github/pom.yml"], current, other)).toEqual({
      paths: [".github/pom.yml"],
      teamChanges: true,
      proposedTeam: "acme/growth",
      policyChanges: false,
    });
    expect(governanceChangesOf([".github/pom.yml"], current, manifestText("version: [")).teamChanges).toBe(
      true,
    );
    // The same team in other letters is the same team.
    const same = manifest({ team: { github: "ACME/Payments" } });
    expect(governanceChangesOf([".github/pom.yml"], current, same).teamChanges).toBe(false);
    // CODEOWNERS alone changes no owner.
    expect(governanceChangesOf(["CODEOWNERS"], current, undefined).teamChanges).toBe(false);
    expect(governanceChangesOf([".github/pom-policy.yml"], current, undefined).policyChanges).toBe(true);
  });

  it("a waiver is added or extended when its rule and dates are new; a reworded reason is not", () => {
    const waiver = { rule: "release.cadence", until: "2026-07-01", granted: "2026-06-01", reason: "freeze" };
    const current = manifest({ waivers: [waiver] });
    expect(addedWaivers(current, manifest({ waivers: [{ ...waiver, reason: "peak season" }] }))).toEqual([]);
    expect(addedWaivers(current, manifest({ waivers: [{ ...waiver, until: "2026-08-01" }] }))).toEqual([
      { index: 0, rule: "release.cadence", until: "2026-08-01" },
    ]);
    expect(addedWaivers(null, current)).toHaveLength(1);
  });

  it("knows a manifest's repository path from a loader's file name", () => {
    expect(manifestRepoPath("checkout/.github/pom.yml")).toBe(".github/pom.yml");
    expect(manifestRepoPath("pom.yml")).toBe("pom.yml");
  });
});

describe("owningRule (GitHub's CODEOWNERS semantics for one path)", () => {
  const cases: { text: string; path: string; owners: string[] | undefined }[] = [
    { text: "* @acme/a\n/.github/ @acme/b\n", path: ".github/pom.yml", owners: ["@acme/b"] },
    { text: "/.github/ @acme/b\n* @acme/a\n", path: ".github/pom.yml", owners: ["@acme/a"] },
    { text: "* @acme/a\n/*.yml @acme/c\n", path: "pom.yml", owners: ["@acme/c"] },
    { text: "* @acme/a\n/*.yml @acme/c\n", path: ".github/pom.yml", owners: ["@acme/a"] },
    { text: "* @acme/a\npom.yml @acme/d\n", path: ".github/pom.yml", owners: ["@acme/d"] },
    { text: "* @acme/a\n.github/* @acme/e\n", path: ".github/pom.yml", owners: ["@acme/e"] },
    { text: "* @acme/a\n**/pom.yml @acme/f # comment\n", path: ".github/pom.yml", owners: ["@acme/f"] },
    { text: "* @acme/a\n!.github/ @acme/x\n", path: ".github/pom.yml", owners: ["@acme/a"] },
    { text: "docs/ @acme/docs\n", path: ".github/pom.yml", owners: undefined },
  ];
  for (const c of cases)
    it(`${JSON.stringify(c.text)} gives ${c.path} to ${c.owners?.join(" ") ?? "nobody"}`, () => {
      expect(owningRule(c.text, c.path)?.owners).toEqual(c.owners);
    });
});

describe("standing approvals", () => {
  const at = (login: string, state: "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "COMMENTED") => ({
    login,
    state,
    commit: "a",
  });
  it("take each reviewer's latest opinion; a dismissal or a request for changes cancels an approval", () => {
    expect(
      standingApprovals([
        at("ann", "APPROVED"),
        at("ann", "COMMENTED"),
        at("ben", "APPROVED"),
        at("ben", "CHANGES_REQUESTED"),
        at("cy", "APPROVED"),
        at("CY", "DISMISSED"),
        at("dee", "CHANGES_REQUESTED"),
        at("dee", "APPROVED"),
      ]).map((r) => r.login),
    ).toEqual(["ann", "dee"]);
  });
});
