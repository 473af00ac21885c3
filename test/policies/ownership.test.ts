import { describe, expect, it } from "vitest";
import { tooLargeCodeowners } from "../../core/domain/codeowners.js";
import type { Fact, TeamInfo } from "../../core/engine/facts.js";
import { known, unavailable } from "../../core/engine/facts.js";
import type { Status } from "../../core/engine/types.js";
import { check, findingsOf, manifest, manifestText, verdictOf } from "../helpers/engine.js";

const NO_PROPERTY = known(null);

describe("ownership.team", () => {
  const cases: { name: string; team: Fact<TeamInfo>; status: Status; message?: string }[] = [
    {
      name: "when the declared team does not exist, it fails",
      team: known({ exists: false }),
      status: "fail",
      message: "does not exist",
    },
    {
      name: "when the team has no access to the repository, it fails",
      team: known({ exists: true, permission: null }),
      status: "fail",
      message: "has no access to the repository",
    },
    {
      name: "when the team has only pull access, it fails",
      team: known({ exists: true, permission: "pull" }),
      status: "fail",
      message: "has only pull access",
    },
    {
      name: "when the team has only triage access, it fails",
      team: known({ exists: true, permission: "triage" }),
      status: "fail",
    },
    {
      name: "when the team has push access, it passes",
      team: known({ exists: true, permission: "push" }),
      status: "pass",
    },
    {
      name: "when the team has maintain access, it passes",
      team: known({ exists: true, permission: "maintain" }),
      status: "pass",
    },
    {
      name: "when the team has admin access, it passes",
      team: known({ exists: true, permission: "admin" }),
      status: "pass",
    },
    {
      name: "when the token cannot read the team, it is unknown",
      team: unavailable("HTTP 403", "members:read"),
      status: "unknown",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("ownership.team", {
        subject: "repo",
        facts: { team: c.team, teamProperty: NO_PROPERTY },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("error");
      if (c.message) expect(finding.message).toContain(c.message);
      if (c.status === "fail") {
        expect(finding.message).toContain("acme/payments");
        expect(finding.location?.file).toBe(".github/pom.yml");
      }
    });
  }

  it("when the token lacks members:read, the unknown finding names the permission in its fix and evidence", () => {
    const finding = verdictOf("ownership.team", {
      subject: "repo",
      facts: { team: unavailable("HTTP 403", "members:read") },
    });
    expect(finding.status).toBe("unknown");
    expect(finding.fix).toContain("members:read");
    expect(finding.evidence).toContain("needs permission: members:read");
    expect(finding.message).toContain("HTTP 403");
  });

  it("when the team fact was not gathered at all, it is unknown, never a pass", () => {
    const finding = verdictOf("ownership.team", { subject: "repo", facts: {} });
    expect(finding.status).toBe("unknown");
  });

  it("when the team has pull access, the failure points at team.github", () => {
    const loaded = manifestText(
      [
        "version: 1",
        "product: { name: Checkout }",
        "team:",
        "  name: Payments",
        "  github: acme/payments",
        "",
      ].join("\n"),
    );
    const finding = verdictOf("ownership.team", {
      subject: "repo",
      manifest: loaded,
      facts: { team: known({ exists: true, permission: "pull" }), teamProperty: NO_PROPERTY },
    });
    expect(finding.location).toMatchObject({ file: ".github/pom.yml", line: 5 });
  });
});

describe("ownership.team and the custom property team", () => {
  const PUSH = known<TeamInfo>({ exists: true, permission: "push" });
  const judged = (teamProperty: Fact<string | string[] | null>, team: Fact<TeamInfo> = PUSH) =>
    findingsOf(check({ subject: "repo", facts: { team, teamProperty } }), "ownership.team");

  it("adds no finding when the organization set no value (or has no such property)", () => {
    expect(judged(known(null)).map((f) => f.status)).toEqual(["pass"]);
    expect(judged(known([])).map((f) => f.status)).toEqual(["pass"]);
  });

  const agreeing: [string, string | string[]][] = [
    ["the slug", "payments"],
    ["org/slug", "acme/payments"],
    ["another case and a leading @", "@ACME/Payments"],
    ["one value of a multi-select", ["platform", "payments"]],
  ];
  for (const [name, value] of agreeing) {
    it(`passes when the property names the team as ${name}`, () => {
      const [team, property] = judged(known(value));
      expect(team?.status).toBe("pass");
      expect(property).toMatchObject({ status: "pass", level: "error" });
      expect(property?.message).toContain("agrees with team.github acme/payments");
    });
  }

  it("fails, naming both, when the property names another team", () => {
    const [team, property] = judged(known("checkout"));
    expect(team?.status).toBe("pass");
    expect(property).toMatchObject({ status: "fail", level: "error" });
    expect(property?.message).toBe(
      'the custom property team is "checkout" but team.github is acme/payments: they name different teams',
    );
    expect(property?.evidence).toEqual(["custom property team: checkout", "team.github: acme/payments"]);
    expect(property?.location?.file).toBe(".github/pom.yml");
    expect(
      check({ subject: "repo", facts: { team: PUSH, teamProperty: known("checkout") } }).conclusion,
    ).toBe("failure");
  });

  it("is unknown, never a pass, when the property could not be read; the team's own check stands", () => {
    const [team, property] = judged(
      unavailable("GitHub answered 403", "custom properties: read (organization)"),
    );
    expect(team?.status).toBe("pass");
    expect(property?.status).toBe("unknown");
    expect(property?.lasting).toBe(true);
    expect(property?.message).toContain("whether it agrees with team.github acme/payments is unknown");
    expect(property?.fix).toContain("custom properties: read (organization)");
    expect(property?.evidence).toEqual(["needs permission: custom properties: read (organization)"]);
  });

  it("still reports the team's failure beside a disagreeing property", () => {
    const statuses = judged(known("checkout"), known({ exists: false })).map((f) => f.status);
    expect(statuses).toEqual(["fail", "fail"]);
  });

  it("is unknown as a whole when the property was never gathered (no source can give it)", () => {
    expect(judged(undefined as never).map((f) => f.status)).toEqual(["unknown"]);
  });
});

describe("ownership.roles", () => {
  const cases: {
    name: string;
    team?: Record<string, unknown>;
    members: Fact<string[]>;
    status: Status;
    message?: string;
  }[] = [
    {
      name: "when all three roles are named and are members, it passes",
      members: known(["alice", "bob", "carol", "dave"]),
      status: "pass",
    },
    {
      name: "when the designer is not named, it fails naming the missing role",
      team: { designer: undefined },
      members: known(["alice", "bob", "carol"]),
      status: "fail",
      message: "the team has no designer named",
    },
    {
      name: "when no role is named, it fails naming all three",
      team: { product_manager: undefined, designer: undefined, tech_lead: undefined },
      members: known([]),
      status: "fail",
      message: "product_manager, designer, tech_lead",
    },
    {
      name: "when the tech lead is not a member of the team, it fails naming them",
      members: known(["alice", "bob"]),
      status: "fail",
      message: "carol (tech lead) is not a member of acme/payments",
    },
    {
      name: "when two roles are not members, it fails naming both",
      members: known(["carol"]),
      status: "fail",
      message: "alice (product manager), bob (designer) are not members of acme/payments",
    },
    {
      name: "when the logins carry a leading @, they are matched without it",
      team: { product_manager: "@alice", designer: "@bob", tech_lead: "@carol" },
      members: known(["alice", "bob", "carol"]),
      status: "pass",
    },
    {
      name: "when the logins differ from the members only in case, it passes",
      team: { product_manager: "Alice", designer: "BOB", tech_lead: "@Carol" },
      members: known(["alice", "Bob", "CAROL"]),
      status: "pass",
    },
    {
      name: "when the members cannot be read, it is unknown",
      members: unavailable("HTTP 403", "members:read"),
      status: "unknown",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("ownership.roles", {
        subject: "repo",
        manifest: manifest(c.team ? { team: c.team } : {}),
        facts: { teamMembers: c.members },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
      if (c.message) expect(finding.message).toContain(c.message);
    });
  }

  it("when a leading @ is used, the messages show the login without it", () => {
    const finding = verdictOf("ownership.roles", {
      subject: "repo",
      manifest: manifest({ team: { tech_lead: "@zed" } }),
      facts: { teamMembers: known(["alice", "bob"]) },
    });
    expect(finding.message).toContain("zed (tech lead)");
    expect(finding.message).not.toContain("@zed");
  });

  it("when a role is missing, the team members are not needed to decide", () => {
    const finding = verdictOf("ownership.roles", {
      subject: "repo",
      manifest: manifest({ team: { designer: undefined } }),
      facts: { teamMembers: unavailable("HTTP 403", "members:read") },
    });
    expect(finding.status).toBe("fail");
  });

  it("when the members cannot be read, the fix names the permission", () => {
    const finding = verdictOf("ownership.roles", {
      subject: "repo",
      facts: { teamMembers: unavailable("HTTP 403", "members:read") },
    });
    expect(finding.fix).toContain("members:read");
  });
});

describe("ownership.codeowners", () => {
  const file = (text: string, path = ".github/CODEOWNERS") => known({ path, text });
  const cases: {
    name: string;
    codeowners: Fact<{ path: string; text: string } | null>;
    status: Status;
    line?: number;
    message?: string;
  }[] = [
    {
      name: "when the repository has no CODEOWNERS file, it fails",
      codeowners: known(null),
      status: "fail",
      message: "no CODEOWNERS file",
    },
    {
      name: "when CODEOWNERS has no catch-all line, it fails",
      codeowners: file("/src/ @acme/payments\n*.md @acme/docs\n"),
      status: "fail",
      message: "no catch-all rule",
    },
    {
      name: "when the catch-all line gives everything to the team, it passes",
      codeowners: file("# owners\n* @acme/payments\n/docs/ @acme/docs\n"),
      status: "pass",
    },
    {
      name: "when the team is one of several owners of the catch-all line, it passes",
      codeowners: file("* @acme/platform @acme/payments alice\n"),
      status: "pass",
    },
    {
      name: "when the team slug differs only in case, it passes",
      codeowners: file("* @ACME/Payments\n"),
      status: "pass",
    },
    {
      name: "when the catch-all line is written /**, it counts",
      codeowners: file("/** @acme/payments\n"),
      status: "pass",
    },
    {
      name: "when the catch-all line has a trailing comment, it still passes",
      codeowners: file("* @acme/payments # the owning team\n"),
      status: "pass",
    },
    {
      name: "when a later catch-all line gives everything to another team, it fails pointing at that line",
      codeowners: file("* @acme/payments\n/docs/ @acme/docs\n* @acme/platform\n"),
      status: "fail",
      line: 3,
      message: "line 3",
    },
    {
      name: "when a later catch-all line gives everything back to the team, it passes",
      codeowners: file("* @acme/platform\n* @acme/payments\n"),
      status: "pass",
    },
    {
      name: "when the catch-all line names only a person, it fails",
      codeowners: file("* @alice\n"),
      status: "fail",
      line: 1,
    },
    {
      name: "when the catch-all line names nobody, it fails",
      codeowners: file("*\n"),
      status: "fail",
      message: "nobody",
    },
    {
      name: "when the team appears only in a commented-out catch-all line, it fails",
      codeowners: file("# * @acme/payments\n/src/ @acme/payments\n"),
      status: "fail",
    },
    {
      name: "when CODEOWNERS is in docs/, the finding names that file",
      codeowners: file("* @acme/other\n", "docs/CODEOWNERS"),
      status: "fail",
      message: "docs/CODEOWNERS",
    },
    {
      name: "when CODEOWNERS is over 3 MB, which GitHub ignores, it fails saying so",
      codeowners: known(tooLargeCodeowners(".github/CODEOWNERS", 3_670_016)),
      status: "fail",
      line: 1,
      message: "GitHub ignores a CODEOWNERS file over 3 MB",
    },
    {
      name: "when CODEOWNERS cannot be read, it is unknown",
      codeowners: unavailable("HTTP 500"),
      status: "unknown",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("ownership.codeowners", {
        subject: "repo",
        facts: { codeowners: c.codeowners },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
      if (c.message) expect(finding.message).toContain(c.message);
      if (c.line) expect(finding.location?.line).toBe(c.line);
      if (c.status === "fail") expect(finding.fix).toContain("@acme/payments");
    });
  }
});
