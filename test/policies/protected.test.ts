import { describe, expect, it } from "vitest";
import type { Approval, Facts, GovernanceChanges } from "../../core/engine/facts.js";
import { known, unavailable } from "../../core/engine/facts.js";
import type { Status } from "../../core/engine/types.js";
import { findingsOf, check as judge, manifest, policy } from "../helpers/engine.js";

const OWNER = ["ann", "ben"];
const GOVERNANCE = ["gwen"];
const NEWCOMERS = ["nia"];

const changes = (paths: string[], extra: Partial<GovernanceChanges> = {}): GovernanceChanges => ({
  paths,
  teamChanges: false,
  policyChanges: false,
  ...extra,
});
const approval = (login: string, governanceChangedSince = false): Approval => ({
  login,
  commit: "c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe",
  governanceChangedSince,
});

function facts(change: GovernanceChanges, approvals: Approval[], extra: Facts = {}): Facts {
  return {
    pullRequest: known({ number: 4, title: "Serves CHK-12", body: null, labels: [], author: "zed" }),
    governanceChanges: known(change),
    reviews: known(approvals),
    teamMembers: known(OWNER),
    governanceTeamMembers: known(GOVERNANCE),
    proposedTeamMembers: known(NEWCOMERS),
    ...extra,
  };
}

const GOVERNED = policy({ governance_team: "acme/platform" });

function verdict(input: Parameters<typeof judge>[0]) {
  const found = findingsOf(judge(input), "manifest.protected");
  return found[0];
}

describe("manifest.protected", () => {
  const cases: {
    name: string;
    change: GovernanceChanges;
    approvals: Approval[];
    governed?: boolean;
    noManifest?: boolean;
    extra?: Facts;
    status: Status | "none";
    message?: RegExp;
  }[] = [
    {
      name: "a pull request that changes no governance file has nothing to say",
      change: changes([]),
      approvals: [],
      status: "none",
    },
    {
      name: "a CODEOWNERS change without an approval fails, naming the owning team",
      change: changes([".github/CODEOWNERS"]),
      approvals: [],
      status: "fail",
      message: /needs an approving review from a member of @acme\/payments/,
    },
    {
      name: "a CODEOWNERS change approved by a member of the owning team passes",
      change: changes(["CODEOWNERS"]),
      approvals: [approval("Ben")],
      status: "pass",
      message: /approved by @Ben of @acme\/payments/,
    },
    {
      name: "with a governance team, its members may approve an edit too",
      change: changes([".github/pom.yml"]),
      approvals: [approval("gwen")],
      governed: true,
      status: "pass",
      message: /@gwen of @acme\/platform/,
    },
    {
      name: "an approval from outside the team fails and names the outsider",
      change: changes([".github/pom.yml"]),
      approvals: [approval("mallory")],
      status: "fail",
      message: /needs an approving review/,
    },
    {
      name: "an approval given before a governance file changed again does not count",
      change: changes([".github/pom.yml"]),
      approvals: [approval("ann", true)],
      status: "fail",
    },
    {
      name: "a change of the owning team needs the governance team, not the old owner",
      change: changes([".github/pom.yml"], { teamChanges: true, proposedTeam: "acme/growth" }),
      approvals: [approval("ann")],
      governed: true,
      status: "fail",
      message: /hands the repository from @acme\/payments to @acme\/growth.*@acme\/platform|@acme\/platform/,
    },
    {
      name: "a change of the owning team approved by the governance team passes",
      change: changes([".github/pom.yml"], { teamChanges: true, proposedTeam: "acme/growth" }),
      approvals: [approval("gwen")],
      governed: true,
      status: "pass",
    },
    {
      name: "a change of the owning team without a governance_team is unknown, never a pass",
      change: changes([".github/pom.yml"], { teamChanges: true, proposedTeam: "acme/growth" }),
      approvals: [approval("ann")],
      status: "unknown",
      message: /names no governance_team/,
    },
    {
      name: "a change of the org policy needs the governance team",
      change: changes([".github/pom-policy.yml"], { policyChanges: true }),
      approvals: [approval("ann")],
      governed: true,
      status: "fail",
      message: /changes the org policy|@acme\/platform/,
    },
    {
      name: "a first manifest may be approved by a member of the team it names",
      change: changes([".github/pom.yml"], { teamChanges: true, proposedTeam: "acme/newcomers" }),
      approvals: [approval("nia")],
      governed: true,
      noManifest: true,
      status: "pass",
      message: /@acme\/newcomers/,
    },
    {
      name: "team membership that cannot be read is unknown, never a pass",
      change: changes(["CODEOWNERS"]),
      approvals: [approval("ann")],
      extra: { teamMembers: unavailable("HTTP 404", "members: read") },
      status: "unknown",
      message: /could not be read/,
    },
    {
      name: "reviews that cannot be read are unknown, never a pass",
      change: changes(["CODEOWNERS"]),
      approvals: [],
      extra: { reviews: unavailable("HTTP 502") },
      status: "unknown",
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const found = verdict({
        subject: "pull_request",
        facts: facts(c.change, c.approvals, c.extra),
        ...(c.noManifest ? { manifest: null } : {}),
        ...(c.governed ? { policy: GOVERNED } : {}),
      });
      if (c.status === "none") return expect(found).toBeUndefined();
      expect(found?.status, JSON.stringify(found)).toBe(c.status);
      if (c.message) expect(found?.message).toMatch(c.message);
    });

  it("a pull request that adds a waiver needs the governance team when the policy requires approval", () => {
    const current = manifest();
    const proposed = manifest({
      waivers: [{ rule: "release.cadence", until: "2026-07-01", granted: "2026-06-10", reason: "freeze" }],
    });
    const found = verdict({
      subject: "pull_request",
      manifest: current,
      proposed,
      policy: policy({ governance_team: "acme/platform", waivers: { require_approval: true } }),
      facts: facts(changes([".github/pom.yml"]), [approval("ann")]),
    });
    expect(found?.status).toBe("fail");
    expect(found?.message).toMatch(/@acme\/platform/);
    expect(found?.evidence.join("\n")).toMatch(
      /adds or extends the waiver of release\.cadence \(until 2026-07-01\)/,
    );
  });

  it("fails at error level when the org policy sets it, and the check names who must approve", () => {
    const evaluation = judge({
      subject: "pull_request",
      policy: policy({ governance_team: "acme/platform", rules: { "manifest.protected": "error" } }),
      facts: facts(changes([".github/pom.yml"], { teamChanges: true, proposedTeam: "acme/growth" }), []),
    });
    const found = findingsOf(evaluation, "manifest.protected")[0];
    expect(found?.level).toBe("error");
    expect(found?.fix).toMatch(/ask a member of @acme\/platform to approve/);
  });
});

describe("waivers under the org's max_days", () => {
  it("a pull request proposing a waiver longer than max_days fails manifest.valid, positioned", () => {
    const evaluation = judge({
      subject: "pull_request",
      proposed: manifest({
        waivers: [{ rule: "release.cadence", until: "2026-12-31", granted: "2026-06-01", reason: "freeze" }],
      }),
      policy: policy({ governance_team: "acme/platform", waivers: { require_approval: true, max_days: 90 } }),
      facts: facts(changes([".github/pom.yml"]), [approval("gwen")]),
    });
    const valid = findingsOf(evaluation, "manifest.valid").find((f) => f.status === "fail");
    expect(valid?.message).toMatch(/lasts 213 days .* longer than the 90 days the org policy allows/);
    expect(valid?.location?.line).toBeGreaterThan(1);
  });

  it("a waiver without granted under max_days is not honoured on the repository", () => {
    const evaluation = judge({
      subject: "repo",
      manifest: manifest({ waivers: [{ rule: "release.cadence", until: "2026-07-01", reason: "freeze" }] }),
      policy: policy({ waivers: { max_days: 90 } }),
      facts: { releases: known([]) },
    });
    expect(findingsOf(evaluation, "release.cadence")[0]?.status).toBe("fail");
    expect(findingsOf(evaluation, "manifest.valid")[0]?.message).toMatch(
      /says nothing of when it was granted/,
    );
  });
});
