import { describe, expect, it } from "vitest";
import type { WorkItem } from "../../core/engine/facts.js";
import { known } from "../../core/engine/facts.js";
import type { Status } from "../../core/engine/types.js";
import {
  check,
  findingOf,
  findingsOf,
  manifest,
  manifestText,
  POLICY_FILE,
  policy,
  verdictOf,
} from "../helpers/engine.js";

const issue = (body: string | null): WorkItem => ({
  number: 21,
  title: "Checkout is slow",
  body,
  labels: [],
  author: "erin",
});

describe("problem.issue", () => {
  const enabled = manifest({ rules: { "problem.issue": "warn" } });
  const cases: { name: string; body: string | null; status: Status; message?: string }[] = [
    {
      name: "when the issue has no body, it fails",
      body: null,
      status: "fail",
      message: 'no "## Problem" section',
    },
    {
      name: "when the body has no Problem heading, it fails",
      body: "Users abandon checkout.\n\n## Idea\nA shorter form.",
      status: "fail",
      message: 'no "## Problem" section',
    },
    {
      name: "when the word Problem appears only in text, not as a heading, it fails",
      body: "Problem: users abandon checkout.",
      status: "fail",
      message: 'no "## Problem" section',
    },
    {
      name: "when the Problem section is empty before the next heading, it fails as empty",
      body: "## Problem\n\n## Idea\nA shorter form.",
      status: "fail",
      message: "is empty",
    },
    {
      name: "when the Problem heading ends the body, it fails as empty",
      body: "## Problem\n",
      status: "fail",
      message: "is empty",
    },
    {
      name: "when the Problem section holds only an HTML comment (the template hint), it fails as empty",
      body: "## Problem\n<!-- Who has the problem, and why does it matter? -->\n\n## Proposal\nX",
      status: "fail",
      message: "is empty",
    },
    {
      name: "when the Problem section holds only an unclosed HTML comment, it fails as empty",
      body: "## Problem\n<!-- describe the problem",
      status: "fail",
      message: "is empty",
    },
    {
      name: "when the heading is '### Problem statement', it counts",
      body: "### Problem statement\nShoppers on mobile give up at the address step.",
      status: "pass",
    },
    {
      name: "when the heading is '# problem:' in lower case, it counts",
      body: "# problem:\nShoppers give up.",
      status: "pass",
    },
    {
      name: "when the Problem section has text next to a template comment, it passes",
      body: "## Problem\n<!-- hint -->\nShoppers give up at the address step.\n## Idea\nAutofill.",
      status: "pass",
    },
    {
      name: "when the Problem section follows other sections, it passes",
      body: "## Context\nWe measured.\n\n## Problem\n68% abandon checkout.\r\n",
      status: "pass",
    },
    {
      name: "when the Problem section is organised in sub-headings with text under them, it passes",
      body: "## Problem\n### Who is affected\nMobile shoppers\n### Why it matters\n68% abandon\n## Idea\nx",
      status: "pass",
    },
    {
      name: "when the Problem section has only empty sub-headings, it fails as empty",
      body: "## Problem\n### Who is affected\n### Why it matters\n## Idea\nAutofill",
      status: "fail",
      message: "is empty",
    },
    {
      name: "when the Problem heading closes with hashes (## Problem ##), it counts",
      body: "## Problem ##\nShoppers give up.",
      status: "pass",
    },
    {
      name: "when a Problem heading appears only inside a code block, it does not count",
      body: "Our template:\n```md\n## Problem\nexample text\n```\n",
      status: "fail",
      message: 'no "## Problem" section',
    },
    {
      name: "when the Problem section contains a code block with a # comment, the comment does not end it",
      body: "## Problem\n```sh\n# reproduce\n```\nThe install fails.\n## Idea\nx",
      status: "pass",
    },
    {
      name: "when '#Problem' has no space after the hashes, it is not a heading",
      body: "#Problem\nShoppers give up.",
      status: "fail",
      message: 'no "## Problem" section',
    },
    {
      name: "when the heading is 'Problems' (a different word), it does not count",
      body: "## Problems\nMany.",
      status: "fail",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("problem.issue", {
        subject: "issue",
        manifest: enabled,
        facts: { issue: known(issue(c.body)) },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
      if (c.message) expect(finding.message).toContain(c.message);
    });
  }

  it("when the manifest does not enable it, problem.issue is off and produces no finding", () => {
    const evaluation = check({ subject: "issue", facts: { issue: known(issue(null)) } });
    expect(findingsOf(evaluation, "problem.issue")).toEqual([]);
  });

  it("when the issue has an exempt label, it is skipped", () => {
    const finding = verdictOf("problem.issue", {
      subject: "issue",
      manifest: manifest({ rules: { "problem.issue": "warn" }, exemptions: { labels: ["chore"] } }),
      facts: { issue: known({ ...issue(null), labels: ["chore"] }) },
    });
    expect(finding.status).toBe("skip");
  });
});

const BROKEN = [
  "version: 1",
  "product:",
  "  name: Checkout",
  "teem:",
  "  name: Payments",
  "release:",
  "  cadence: fortnight",
  "",
].join("\n");

const VALID = [
  "version: 1",
  "product: { name: Checkout }",
  "team: { name: Payments, github: acme/payments }",
  "rules:",
  "  outcome.pull_request: warn",
  "",
].join("\n");

describe("manifest.valid", () => {
  it("when the manifest is valid, it passes", () => {
    const finding = verdictOf("manifest.valid", { subject: "repo" });
    expect(finding.status).toBe("pass");
    expect(finding.level).toBe("error");
    expect(finding.evidence).toEqual([".github/pom.yml"]);
  });

  it("when the manifest is invalid, it gives one finding per problem, each with its location", () => {
    const loaded = manifestText(BROKEN);
    expect(loaded.ok).toBe(false);
    const findings = findingsOf(check({ subject: "repo", manifest: loaded }), "manifest.valid");
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.status)).toEqual(["fail", "fail"]);
    expect(findings[0]?.location).toMatchObject({ file: ".github/pom.yml", line: 4, column: 1 });
    expect(findings[0]?.message).toContain('unknown key "teem"');
    expect(findings[0]?.fix).toContain('did you mean "team"');
    expect(findings[1]?.location).toMatchObject({ file: ".github/pom.yml", line: 7, column: 12 });
    expect(findings[1]?.message).toContain("release.cadence");
    expect(findings[1]?.evidence).toEqual([".github/pom.yml:7:12"]);
  });

  it("when the manifest is not YAML at all, it fails with a location", () => {
    const findings = findingsOf(
      check({ subject: "repo", manifest: manifestText("version: 1\nproduct: [unclosed\n") }),
      "manifest.valid",
    );
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.status).toBe("fail");
      expect(f.location?.file).toBe(".github/pom.yml");
    }
  });

  it("when the repository has no manifest, manifest.valid has nothing to judge and gives no finding", () => {
    expect(findingsOf(check({ subject: "repo", manifest: null }), "manifest.valid")).toEqual([]);
  });

  it("when a pull request proposes an invalid manifest, it judges the proposed one, not the default branch's", () => {
    const findings = findingsOf(
      check({ subject: "pull_request", manifest: manifest(), proposed: manifestText(BROKEN) }),
      "manifest.valid",
    );
    expect(findings).toHaveLength(2);
    expect(findings.every((f) => f.status === "fail" && f.message.startsWith("the proposed manifest"))).toBe(
      true,
    );
  });

  it("when a pull request proposes a valid manifest while the default branch's is broken, the proposal passes", () => {
    const finding = findingOf(
      check({ subject: "pull_request", manifest: manifestText(BROKEN), proposed: manifestText(VALID) }),
      "manifest.valid",
    );
    expect(finding.status).toBe("pass");
    expect(finding.message).toBe("the proposed manifest is valid");
  });

  it("when a pull request does not edit the manifest, manifest.valid gives no finding", () => {
    expect(findingsOf(check({ subject: "pull_request" }), "manifest.valid")).toEqual([]);
  });

  it("when a proposed manifest lowers a locked rule, it fails naming the lock and pointing at the line", () => {
    const findings = findingsOf(
      check({
        subject: "pull_request",
        policy: policy({ locked: ["outcome.pull_request"] }),
        proposed: manifestText(VALID),
      }),
      "manifest.valid",
    );
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.status).toBe("fail");
    expect(finding?.message).toContain("the org policy locks outcome.pull_request");
    expect(finding?.location).toMatchObject({ file: ".github/pom.yml", line: 5 });
    expect(finding?.fix).toContain("rules.outcome.pull_request");
  });

  it("when a proposed manifest lowers a locked rule, the pull request is still gated at the default branch's level", () => {
    const evaluation = check({
      subject: "pull_request",
      policy: policy({ locked: ["outcome.pull_request"] }),
      proposed: manifestText(VALID),
      facts: {
        pullRequest: known({ number: 1, title: "x", body: null, labels: [], author: "a", closingIssues: [] }),
      },
    });
    expect(findingOf(evaluation, "outcome.pull_request")).toMatchObject({ status: "fail", level: "error" });
  });

  it("when a proposed manifest declares a cadence slower than max_cadence, it fails", () => {
    const finding = findingOf(
      check({
        subject: "pull_request",
        policy: policy({ release: { max_cadence: "30d" } }),
        proposed: manifest({ release: { cadence: "6w" } }),
      }),
      "manifest.valid",
    );
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("max_cadence 30d");
  });

  it("when the org policy itself is invalid, manifest.valid reports its problems too", () => {
    const badPolicy = {
      ok: false as const,
      problems: [{ file: POLICY_FILE, line: 2, column: 1, message: "boom" }],
    };
    const findings = findingsOf(check({ subject: "repo", policy: badPolicy }), "manifest.valid");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe("the org policy: boom");
    expect(findings[0]?.location?.file).toBe(POLICY_FILE);
  });
});

describe("manifest.present", () => {
  it("when there is no org policy, manifest.present is off and a repository without a manifest gets no finding", () => {
    const evaluation = check({ subject: "repo", manifest: null });
    expect(findingsOf(evaluation, "manifest.present")).toEqual([]);
    expect(evaluation.config.levels["manifest.present"]).toEqual({ value: "off", from: "default" });
  });

  it("when the org policy says manifest: error and the repository has none, it fails at error level", () => {
    const evaluation = check({ subject: "repo", manifest: null, policy: policy({ manifest: "error" }) });
    const finding = findingOf(evaluation, "manifest.present");
    expect(finding).toMatchObject({ status: "fail", level: "error" });
    expect(finding.fix).toContain("pom init");
    expect(evaluation.conclusion).toBe("failure");
    expect(evaluation.config.levels["manifest.present"]?.from).toBe("policy");
  });

  it("when the org policy says manifest: warn and the repository has none, the conclusion is neutral", () => {
    const evaluation = check({ subject: "repo", manifest: null, policy: policy({ manifest: "warn" }) });
    expect(findingOf(evaluation, "manifest.present")).toMatchObject({ status: "fail", level: "warn" });
    expect(evaluation.conclusion).toBe("neutral");
  });

  it("when the org policy says manifest: error and the repository has one, it passes", () => {
    const finding = verdictOf("manifest.present", { subject: "repo", policy: policy({ manifest: "error" }) });
    expect(finding.status).toBe("pass");
  });

  it("when the repository's manifest is invalid, it is still present", () => {
    const finding = verdictOf("manifest.present", {
      subject: "repo",
      manifest: manifestText(BROKEN),
      policy: policy({ manifest: "error" }),
    });
    expect(finding.status).toBe("pass");
  });

  it("when the org policy sets rules.manifest.present, it takes precedence over manifest:", () => {
    const evaluation = check({
      subject: "repo",
      manifest: null,
      policy: policy({ manifest: "error", rules: { "manifest.present": "warn" } }),
    });
    expect(findingOf(evaluation, "manifest.present").level).toBe("warn");
  });
});
