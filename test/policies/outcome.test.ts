import { describe, expect, it } from "vitest";
import type { Facts, PullRequestInfo, ReleaseInfo, WorkItem } from "../../core/engine/facts.js";
import { known, unavailable } from "../../core/engine/facts.js";
import type { Status } from "../../core/engine/types.js";
import { DAY, manifest, NOW, policy, verdictOf } from "../helpers/engine.js";

const pr = (fields: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 7,
  title: "Tidy the payment form",
  body: null,
  labels: [],
  author: "dave",
  ...fields,
});

const issue = (fields: Partial<WorkItem> = {}): WorkItem => ({
  number: 11,
  title: "Payment form is confusing",
  body: null,
  labels: [],
  author: "erin",
  ...fields,
});

describe("outcome.pull_request", () => {
  const cases: {
    name: string;
    pullRequest: Partial<PullRequestInfo>;
    facts?: Facts;
    status: Status;
    message?: string;
  }[] = [
    {
      name: "when the title names an active outcome as a word, it passes",
      pullRequest: { title: "CHK-12: one-page form" },
      status: "pass",
    },
    {
      name: "when the body names an active outcome as a word, it passes",
      pullRequest: { body: "Serves CHK-12." },
      status: "pass",
    },
    {
      name: "when the id is written in another case, it still passes",
      pullRequest: { title: "Shorter form (chk-12)" },
      status: "pass",
    },
    {
      name: "when the id is followed by punctuation, it still passes",
      pullRequest: { body: "Outcomes: CHK-12, and more!" },
      status: "pass",
    },
    {
      name: "when the id is in bold markdown, it still passes",
      pullRequest: { body: "This serves **CHK-12**." },
      status: "pass",
    },
    {
      name: "when the id is in underscore-italic markdown (_CHK-12_), it still passes",
      pullRequest: { body: "This serves _CHK-12_." },
      status: "pass",
    },
    {
      name: "when the id is in double-underscore bold markdown (__CHK-12__), it still passes",
      pullRequest: { title: "__CHK-12__ form" },
      status: "pass",
    },
    {
      name: "when the id is part of a path such as a branch name, it still passes",
      pullRequest: { body: "Branch: feature/CHK-12" },
      status: "pass",
    },
    {
      name: "when the id only appears as part of a longer id (CHK-123), it does not count",
      pullRequest: { title: "Work for CHK-123", closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the id only appears glued to other letters (XCHK-12), it does not count",
      pullRequest: { body: "XCHK-12 and CHK-12x", closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the id only appears with a suffix (CHK-12-b), it does not count",
      pullRequest: { body: "see CHK-12-b", closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the pull request carries the label outcome:CHK-12, it passes",
      pullRequest: { labels: ["outcome:CHK-12"] },
      status: "pass",
    },
    {
      name: "when the label is written outcome: chk-12 in another case and with a space, it passes",
      pullRequest: { labels: ["Outcome: chk-12"] },
      status: "pass",
    },
    {
      name: "when an issue the pull request closes (from the payload) names the outcome, it passes",
      pullRequest: { closingIssues: [issue({ body: "Part of CHK-12" })] },
      status: "pass",
      message: "through #11",
    },
    {
      name: "when an issue the pull request closes (from the closingIssues fact) carries the outcome label, it passes",
      pullRequest: {},
      facts: {
        closingIssues: known([issue({ number: 3 }), issue({ number: 4, labels: ["outcome:CHK-12"] })]),
      },
      status: "pass",
      message: "through #4",
    },
    {
      name: "when the pull request and the issues it closes name nothing, it fails",
      pullRequest: {},
      facts: { closingIssues: known([issue()]) },
      status: "fail",
    },
    {
      name: "when the pull request names an achieved outcome, it fails",
      pullRequest: { title: "Finish OKR-3", closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the pull request names a dropped outcome, it fails",
      pullRequest: { labels: ["outcome:CHK-7"], closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the pull request carries a label naming an undeclared outcome, it fails",
      pullRequest: { labels: ["outcome:NOPE-1"], closingIssues: [] },
      status: "fail",
    },
    {
      name: "when the pull request names nothing and the closing issues could not be read, it is unknown",
      pullRequest: {},
      facts: { closingIssues: unavailable("GraphQL error") },
      status: "unknown",
    },
    {
      name: "when the pull request names nothing and the closing issues were not gathered, it is unknown",
      pullRequest: {},
      status: "unknown",
    },
    {
      name: "when the pull request names an active outcome, the closing issues are not needed",
      pullRequest: { title: "CHK-12" },
      facts: { closingIssues: unavailable("GraphQL error") },
      status: "pass",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("outcome.pull_request", {
        subject: "pull_request",
        facts: { pullRequest: known(pr(c.pullRequest)), ...c.facts },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("error");
      if (c.message) expect(finding.message).toContain(c.message);
    });
  }

  it("when the pull request names an achieved outcome, the failure lists the active ids and the inactive one", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      facts: { pullRequest: known(pr({ title: "Finish OKR-3", closingIssues: [] })) },
    });
    expect(finding.fix).toContain("CHK-12");
    expect(finding.evidence).toContain("active outcomes: CHK-12");
    expect(finding.evidence).toContain("referenced but not active: OKR-3 (achieved)");
  });

  it("when the pull request carries a label naming an undeclared outcome, the failure names it and lists the active ids", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      facts: { pullRequest: known(pr({ labels: ["outcome:NOPE-1"], closingIssues: [] })) },
    });
    expect(finding.evidence).toContain("labels naming undeclared outcomes: NOPE-1");
    expect(finding.evidence).toContain("active outcomes: CHK-12");
    expect(finding.fix).toContain("CHK-12");
  });

  it("when the pull request closes issues that name nothing, the failure lists them", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      facts: { pullRequest: known(pr({ closingIssues: [issue({ number: 5 }), issue({ number: 6 })] })) },
    });
    expect(finding.evidence).toContain("closes: #5, #6");
  });

  it("when the outcome is declared only in the org policy, a repository's pull request may reference it", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      policy: policy({ outcomes: [{ id: "OKR-1", title: "Org goal", metric: "m", target: 1 }] }),
      facts: { pullRequest: known(pr({ body: "Moves OKR-1" })) },
    });
    expect(finding.status).toBe("pass");
  });

  it("when the repo manifest marks an org outcome achieved, the repo's status wins", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      policy: policy({ outcomes: [{ id: "OKR-1" }] }),
      manifest: manifest({ outcomes: [{ id: "CHK-12" }, { id: "OKR-1", status: "achieved" }] }),
      facts: { pullRequest: known(pr({ body: "Moves OKR-1", closingIssues: [] })) },
    });
    expect(finding.status).toBe("fail");
  });

  it("when no outcome is active anywhere, the fix asks to declare one", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      manifest: manifest({ outcomes: [{ id: "OKR-3", status: "achieved" }] }),
      facts: { pullRequest: known(pr({ closingIssues: [] })) },
    });
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("active outcomes: none declared");
    expect(finding.fix).toContain("declare");
  });

  it("when the pull request has an exempt label, it is skipped, not hidden", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      manifest: manifest({ exemptions: { labels: ["dependencies"] } }),
      facts: { pullRequest: known(pr({ labels: ["Dependencies"] })) },
    });
    expect(finding.status).toBe("skip");
    expect(finding.message).toContain("dependencies");
  });

  it("when the pull request's author is exempt, it is skipped", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      manifest: manifest({ exemptions: { authors: ["dependabot[bot]"] } }),
      facts: { pullRequest: known(pr({ author: "dependabot[bot]" })) },
    });
    expect(finding.status).toBe("skip");
    expect(finding.message).toContain("dependabot[bot]");
  });

  it("when the org policy exempts the author, a repository's pull request is skipped", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      policy: policy({ exemptions: { authors: ["renovate[bot]"] } }),
      facts: { pullRequest: known(pr({ author: "Renovate[bot]" })) },
    });
    expect(finding.status).toBe("skip");
  });

  it("when the pull request itself cannot be read, it is unknown", () => {
    const finding = verdictOf("outcome.pull_request", {
      subject: "pull_request",
      facts: { pullRequest: unavailable("HTTP 404", "pull_requests:read") },
    });
    expect(finding.status).toBe("unknown");
    expect(finding.fix).toContain("pull_requests:read");
  });
});

describe("outcome.issue", () => {
  const cases: { name: string; item: Partial<WorkItem>; status: Status }[] = [
    {
      name: "when the title names an active outcome, it passes",
      item: { title: "CHK-12: form" },
      status: "pass",
    },
    {
      name: "when the body names an active outcome, it passes",
      item: { body: "for chk-12" },
      status: "pass",
    },
    {
      name: "when the issue has the label outcome:CHK-12, it passes",
      item: { labels: ["outcome:CHK-12"] },
      status: "pass",
    },
    { name: "when the issue names nothing, it fails", item: {}, status: "fail" },
    { name: "when the issue names only CHK-123, it fails", item: { title: "CHK-123" }, status: "fail" },
    { name: "when the issue names a dropped outcome, it fails", item: { body: "CHK-7" }, status: "fail" },
    {
      name: "when the issue's label names an undeclared outcome, it fails",
      item: { labels: ["outcome:X-1"] },
      status: "fail",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("outcome.issue", {
        subject: "issue",
        facts: { issue: known(issue(c.item)) },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
      if (c.status === "fail") {
        expect(finding.evidence).toContain("active outcomes: CHK-12");
        expect(finding.fix).toContain("CHK-12");
      }
    });
  }

  it("when the outcome is declared only in the org policy, an issue may reference it", () => {
    const finding = verdictOf("outcome.issue", {
      subject: "issue",
      policy: policy({ outcomes: [{ id: "OKR-1" }] }),
      facts: { issue: known(issue({ title: "OKR-1 groundwork" })) },
    });
    expect(finding.status).toBe("pass");
  });

  it("when the issue has an exempt label, it is skipped", () => {
    const finding = verdictOf("outcome.issue", {
      subject: "issue",
      manifest: manifest({ exemptions: { labels: ["chore"] } }),
      facts: { issue: known(issue({ labels: ["chore"] })) },
    });
    expect(finding.status).toBe("skip");
  });

  it("when the issue's author is exempt, it is skipped", () => {
    const finding = verdictOf("outcome.issue", {
      subject: "issue",
      manifest: manifest({ exemptions: { authors: ["erin"] } }),
      facts: { issue: known(issue()) },
    });
    expect(finding.status).toBe("skip");
  });

  it("when the issue cannot be read, it is unknown", () => {
    const finding = verdictOf("outcome.issue", { subject: "issue", facts: { issue: unavailable("gone") } });
    expect(finding.status).toBe("unknown");
  });
});

describe("outcome.release", () => {
  const release = (body: string, name?: string): ReleaseInfo => ({
    tag: "v2.0.0",
    publishedAt: NOW.toISOString(),
    body,
    ...(name ? { name } : {}),
  });
  const twoActive = manifest({
    outcomes: [
      { id: "CHK-12", metric: "m", target: 1 },
      { id: "CHK-14", metric: "m", target: 1 },
      { id: "OKR-3", status: "achieved" },
    ],
  });
  const cases: {
    name: string;
    release: ReleaseInfo;
    pulls: PullRequestInfo[];
    status: Status;
    missing?: string;
  }[] = [
    {
      name: "when the notes name every outcome the released pull requests served, it passes",
      release: release("Outcomes: CHK-12, chk-14"),
      pulls: [pr({ title: "CHK-12 form" }), pr({ number: 8, labels: ["outcome:CHK-14"] })],
      status: "pass",
    },
    {
      name: "when the release name names the outcome, it passes",
      release: release("", "v2 for CHK-12"),
      pulls: [pr({ title: "CHK-12 form" })],
      status: "pass",
    },
    {
      name: "when the notes miss an outcome a pull request served, it fails naming it",
      release: release("Outcomes: CHK-12"),
      pulls: [pr({ title: "CHK-12 form" }), pr({ number: 8, body: "serves CHK-14" })],
      status: "fail",
      missing: "CHK-14",
    },
    {
      name: "when the notes miss an outcome served through a closed issue, it fails naming it",
      release: release("Bug fixes"),
      pulls: [pr({ closingIssues: [issue({ body: "CHK-14" })] })],
      status: "fail",
      missing: "CHK-14",
    },
    {
      name: "when the notes mention only a longer id (CHK-123), the outcome is missing",
      release: release("CHK-123"),
      pulls: [pr({ title: "CHK-12" })],
      status: "fail",
      missing: "CHK-12",
    },
    {
      name: "when no released pull request served an active outcome, it passes",
      release: release("Bug fixes"),
      pulls: [pr({ title: "OKR-3 leftovers" }), pr({ number: 9 })],
      status: "pass",
    },
    {
      name: "when the release contains no pull requests, it passes",
      release: release(""),
      pulls: [],
      status: "pass",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("outcome.release", {
        subject: "release",
        manifest: twoActive,
        facts: { release: known(c.release), releasePullRequests: known(c.pulls), releases: known([]) },
      });
      expect(finding.status).toBe(c.status);
      if (c.missing) {
        expect(finding.message).toContain(c.missing);
        expect(finding.fix).toContain(c.missing);
      }
    });
  }

  it("when the pull requests in the release cannot be read, it is unknown", () => {
    const finding = verdictOf("outcome.release", {
      subject: "release",
      facts: { release: known(release("")), releasePullRequests: unavailable("compare failed") },
    });
    expect(finding.status).toBe("unknown");
  });
});

describe("outcome.declared", () => {
  const yesterday = new Date(NOW.getTime() - DAY).toISOString().slice(0, 10);
  const cases: {
    name: string;
    outcomes: Record<string, unknown>[];
    policyOutcomes?: Record<string, unknown>[];
    status: Status;
    message?: string;
  }[] = [
    {
      name: "when every active outcome has a metric and a target and is not due, it passes",
      outcomes: [{ id: "CHK-12", metric: "m", target: "55%", due: "2027-03-31" }],
      status: "pass",
    },
    {
      name: "when an active outcome has no metric, it fails naming it",
      outcomes: [{ id: "CHK-12", target: "55%" }],
      status: "fail",
      message: "CHK-12 has no metric",
    },
    {
      name: "when an active outcome has no target, it fails naming it",
      outcomes: [{ id: "CHK-12", metric: "m" }],
      status: "fail",
      message: "CHK-12 has no target",
    },
    {
      name: "when an active outcome has neither metric nor target, it fails naming both",
      outcomes: [{ id: "CHK-12" }],
      status: "fail",
      message: "CHK-12 has no metric or target",
    },
    {
      name: "when an active outcome's target is the number 0, it counts as a target",
      outcomes: [{ id: "CHK-12", metric: "incidents", target: 0 }],
      status: "pass",
    },
    {
      name: "when an active outcome was due yesterday, it passes: the due date is outcome.overdue's",
      outcomes: [{ id: "CHK-12", metric: "m", target: 1, due: yesterday }],
      status: "pass",
    },
    {
      name: "when an achieved outcome is past due and has no metric, it is not judged",
      outcomes: [
        { id: "CHK-12", metric: "m", target: 1 },
        { id: "OKR-3", status: "achieved", due: "2020-01-01" },
        { id: "OKR-4", status: "dropped" },
      ],
      status: "pass",
    },
    {
      name: "when no outcome is active, it fails",
      outcomes: [{ id: "OKR-3", status: "achieved", metric: "m", target: 1 }],
      status: "fail",
      message: "no active outcome",
    },
    {
      name: "when no outcome is declared at all, it fails",
      outcomes: [],
      status: "fail",
      message: "no active outcome",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("outcome.declared", {
        subject: "repo",
        manifest: manifest({ outcomes: c.outcomes }),
        ...(c.policyOutcomes ? { policy: policy({ outcomes: c.policyOutcomes }) } : {}),
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
      if (c.message) expect(finding.message).toContain(c.message);
    });
  }

  it("when several outcomes have problems, the message lists each and points at the first", () => {
    const finding = verdictOf("outcome.declared", {
      subject: "repo",
      manifest: manifest({
        outcomes: [{ id: "CHK-12", metric: "m", target: 1 }, { id: "CHK-13" }, { id: "CHK-14", metric: "m" }],
      }),
    });
    expect(finding.message).toBe("CHK-13 has no metric or target; CHK-14 has no target");
    expect(finding.evidence).toEqual(["CHK-13 (from manifest)", "CHK-14 (from manifest)"]);
    expect(finding.location?.file).toBe(".github/pom.yml");
  });
});

describe("outcome.overdue", () => {
  const today = NOW.toISOString().slice(0, 10);
  const yesterday = new Date(NOW.getTime() - DAY).toISOString().slice(0, 10);
  const due = (d: string) => ({ outcomes: [{ id: "CHK-12", metric: "m", target: 1, due: d }] });

  it("fails for an active outcome due yesterday, naming it and pointing at it", () => {
    const finding = verdictOf("outcome.overdue", { subject: "repo", manifest: manifest(due(yesterday)) });
    expect(finding).toMatchObject({ status: "fail", level: "warn", message: `CHK-12 was due ${yesterday}` });
    expect(finding.location?.file).toBe(".github/pom.yml");
  });

  it("passes for an outcome due today, and for an achieved outcome long past due", () => {
    expect(verdictOf("outcome.overdue", { subject: "repo", manifest: manifest(due(today)) }).status).toBe(
      "pass",
    );
    const achieved = manifest({ outcomes: [{ id: "CHK-12", status: "achieved", due: "2020-01-01" }] });
    expect(verdictOf("outcome.overdue", { subject: "repo", manifest: achieved }).status).toBe("pass");
  });

  it("names an org policy outcome past due", () => {
    const finding = verdictOf("outcome.overdue", {
      subject: "repo",
      manifest: manifest(due(today)),
      policy: policy({ outcomes: [{ id: "OKR-1", metric: "m", target: 1, due: yesterday }] }),
    });
    expect(finding.message).toContain("OKR-1 was due");
  });

  it("with outcome.declared: error in the org policy, an overdue outcome is still an error", () => {
    const finding = verdictOf("outcome.overdue", {
      subject: "repo",
      manifest: manifest(due(yesterday)),
      policy: policy({ rules: { "outcome.declared": "error" } }),
    });
    expect(finding).toMatchObject({ status: "fail", level: "error" });
  });

  it("takes the manifest's outcome.declared level and its waivers when it is set nowhere itself", () => {
    const finding = verdictOf("outcome.overdue", {
      subject: "repo",
      manifest: manifest({
        ...due(yesterday),
        rules: { "outcome.declared": "error" },
        waivers: [{ rule: "outcome.declared", until: "2026-12-31", reason: "re-planning" }],
      }),
    });
    expect(finding).toMatchObject({ status: "waived", level: "error" });
  });

  it("set itself, it keeps its own level and is not waived by outcome.declared's waiver", () => {
    const finding = verdictOf("outcome.overdue", {
      subject: "repo",
      manifest: manifest({
        ...due(yesterday),
        rules: { "outcome.overdue": "warn" },
        waivers: [{ rule: "outcome.declared", until: "2026-12-31", reason: "re-planning" }],
      }),
      policy: policy({ rules: { "outcome.declared": "error" } }),
    });
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
  });

  it("inherits outcome.declared's lock: a manifest may not lower it", () => {
    const finding = verdictOf("outcome.overdue", {
      subject: "repo",
      manifest: manifest({ ...due(yesterday), rules: { "outcome.overdue": "off" } }),
      policy: policy({ rules: { "outcome.declared": "error" }, locked: ["outcome.declared"] }),
    });
    expect(finding).toMatchObject({ status: "fail", level: "error" });
    const valid = verdictOf("manifest.valid", {
      subject: "repo",
      manifest: manifest({ ...due(yesterday), rules: { "outcome.overdue": "off" } }),
      policy: policy({ rules: { "outcome.declared": "error" }, locked: ["outcome.declared"] }),
    });
    expect(valid.message + valid.evidence.join(" ")).toContain("outcome.overdue");
  });
});
