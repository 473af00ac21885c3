/**
 * The GitHub Action as the runner runs it: the COMMITTED bundle (`node action/dist/index.cjs`) in
 * a child process with the runner's environment, real webhook payloads as the event file, and the
 * loopback fake GitHub as the API (GITHUB_API_URL). For each mode a passing and a failing subject;
 * assertions are on what a workflow run shows (exit code, outputs, job summary, annotations) and
 * on what GitHub received and holds afterwards.
 *
 * Runs share one fake, each with its own token (so its requests can be told apart) and, where it
 * writes, its own repository or issue; they run in parallel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACTION,
  type ActionRun,
  findingOf,
  findingsOf,
  inputEnvironment,
  installationToken,
  type RunOptions,
  runAction,
} from "../../testkit/action-runner.js";
import {
  actionSeed,
  addActionsTokenInstallation,
  BROKEN_MANIFEST,
  CHECK_NAME,
  CHECKOUT_MANIFEST,
  FEEDBACK_MARKER,
  ISSUE_WITH_OUTCOME,
  ISSUE_WITHOUT_OUTCOME,
  issueEvent,
  lineOf,
  NEEDS_OUTCOME,
  PR_WITH_OUTCOME,
  PR_WITHOUT_OUTCOME,
  platformManifest,
  pullRequestEvent,
  pushEvent,
  releaseEvent,
  scheduleEvent,
  TRACKING_LABEL,
  TRACKING_MARKER,
  workflowDispatchEvent,
} from "../../testkit/action-seed.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { startFakeGitHub } from "../../testkit/fake-github/server.js";
import { sarifProblems } from "../../testkit/sarif/validate.js";

/** The installation the ordinary token belongs to, and one that behaves like Actions' GITHUB_TOKEN. */
const APP_INSTALLATION = 1;
const GITHUB_TOKEN_INSTALLATION = 2;
const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";
const CHECK_RUNS = "POST /repos/{owner}/{repo}/check-runs";
const MODE_TITLES = {
  pull_request: "pull request",
  issue: "issue",
  release: "release",
  repo: "repo",
  sweep: "sweep",
} as const;

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub(actionSeed(Date.now()));
  addActionsTokenInstallation(fake, GITHUB_TOKEN_INSTALLATION, "acme/checkout");
});

afterAll(async () => {
  try {
    // Every request of every run was one GitHub's API description allows, to a route the fake has.
    expect(fake.problems).toEqual([]);
  } finally {
    await fake?.close();
  }
});

type Run = Omit<RunOptions, "fake" | "inputs"> & { inputs?: Record<string, string>; installation?: number };

/** One step of a workflow: the bundle with a fresh token of `installation` (default: the app's). */
function step(options: Run): Promise<ActionRun> {
  const { installation = APP_INSTALLATION, inputs = {}, ...rest } = options;
  return runAction({ fake, ...rest, inputs: { token: installationToken(fake, installation), ...inputs } });
}

const writesOf = (run: ActionRun) =>
  run.requests.filter((r) => r.method !== "GET" && r.operation !== "POST /graphql");

/**
 * What every completed evaluation must show: both outputs in the runner's `name<<delimiter`
 * format (the parser refuses anything else), findings as JSON, a job summary with one table row
 * per finding, annotations within the runner's limits that point at the manifest lines of located
 * failures, the manifest read from the default branch (no `ref`), and nothing on stderr.
 */
function expectReport(run: ActionRun, mode: keyof typeof MODE_TITLES, conclusion: string): void {
  const why = run.describe();
  expect(Object.keys(run.outputs).sort(), why).toEqual(Object.keys(ACTION.outputs).sort());
  expect(run.outputs.conclusion, why).toBe(conclusion);
  const findings = findingsOf(run);
  expect(findings.length, why).toBeGreaterThan(0);
  for (const f of findings) {
    expect(f).toMatchObject({
      rule: expect.stringMatching(/^[a-z]+\.[a-z_]+$/),
      status: expect.stringMatching(/^(pass|fail|unknown|waived|skip)$/),
      level: expect.stringMatching(/^(error|warn|off)$/),
      message: expect.any(String),
      fix: expect.any(String),
      evidence: expect.any(Array),
    });
  }
  if (run.summary !== undefined) {
    expect(run.summary, why).toMatch(
      new RegExp(`^## POM governance \\(${MODE_TITLES[mode]}\\): ${conclusion}\n`),
    );
    expect(run.summary).toContain(
      "| Rule | Status | Level | Why | How to fix |\n| --- | --- | --- | --- | --- |",
    );
    expect(run.summary.match(/^\| `[a-z]+\.[a-z_]+` \| /gm)?.length).toBe(findings.length);
  }
  // The runner shows at most 10 error and 10 warning annotations per step.
  expect(run.errors.length).toBeLessThanOrEqual(10);
  expect(run.warnings.length).toBeLessThanOrEqual(10);
  // Located failures are annotated on their manifest line (a run past the limits is checked on its own).
  const located = findings.filter((x) => x.location && (x.status === "fail" || x.status === "unknown"));
  for (const f of located.length < 10 ? located : []) {
    const kind = f.status === "fail" && f.level === "error" ? "error" : "warning";
    expect(run.commands, why).toContainEqual({
      command: kind,
      properties: {
        title: `${f.rule} (${f.status})`,
        file: f.location?.file,
        line: String(f.location?.line),
        col: String(f.location?.column),
      },
      message: expect.stringContaining(f.message),
    });
  }
  expect(run.stdout).toContain(`POM governance: ${conclusion} (${findings.length} findings, mode ${mode})`);
  const manifestReads = run.requests.filter((r) => r.operation === CONTENTS && /pom\.yml/.test(r.path));
  expect(manifestReads.length, why).toBeGreaterThan(0);
  // The configuration comes from the default branch; the only read at another ref is the
  // manifest at a pull request's head commit, which is compared and validated, never obeyed.
  expect(manifestReads.filter((r) => !/[?&]ref=/.test(r.path)).length, why).toBeGreaterThan(0);
  for (const r of manifestReads.filter((x) => /[?&]ref=/.test(x.path))) {
    expect(mode, why).toBe("pull_request");
    expect(r.path).toMatch(/\.github%2Fpom\.yml\?ref=[0-9a-f]{40}$/);
  }
  expect(run.stderr, why).toBe("");
}

/** The step failed with the action's own message, as the last error annotation. */
function expectFailedStep(run: ActionRun, failOn = "error"): void {
  expect(run.code, run.describe()).toBe(1);
  expect(run.errors.at(-1)).toEqual({
    command: "error",
    properties: {},
    message: `POM governance: rules failed at the fail-on level "${failOn}"; see the job summary`,
  });
}

function expectPassedStep(run: ActionRun): void {
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).not.toContain("rules failed at the fail-on level");
}

interface SarifResult {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

/** The results of the SARIF file a step wrote at `path`, which must be valid SARIF 2.1.0. */
function sarifResults(run: ActionRun, path: string): SarifResult[] | undefined {
  const text = run.files[path];
  expect(text, `${path} was not written\n${run.describe()}`).toBeDefined();
  const log = JSON.parse(text ?? "{}");
  expect(sarifProblems(log)).toEqual([]);
  return log.runs[0].results as SarifResult[];
}

function checkRunsOn(repo: string, sha: string) {
  return fake.state.repo(repo).checkRuns.filter((r) => r.head_sha === sha && r.name === CHECK_NAME);
}

function trackingIssues(repo: string) {
  return fake.state
    .repo(repo)
    .issues.filter((i) => i.labels.includes(TRACKING_LABEL) && i.body?.includes(TRACKING_MARKER));
}

describe("the runner's inputs", () => {
  it("are every input of action.yml, upper-cased with hyphens kept, defaulted from action.yml", () => {
    const env = inputEnvironment({ token: "t" });
    expect(env).toEqual({
      INPUT_TOKEN: "t",
      INPUT_MANIFEST: ACTION.inputs.manifest?.default,
      "INPUT_FAIL-ON": ACTION.inputs["fail-on"]?.default,
      INPUT_MODE: ACTION.inputs.mode?.default,
      "INPUT_CHECK-RUN": ACTION.inputs["check-run"]?.default,
      INPUT_SARIF: "",
    });
    expect(ACTION.inputs.token?.default).toContain("github.token");
  });
});

describe.concurrent("the committed bundle, run as the Actions runner runs it", () => {
  describe("pull_request", () => {
    it("passes a pull request that names an active outcome, with a check run only when asked", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "pull_request",
        payload: pullRequestEvent(PR_WITH_OUTCOME, "Moves the address form onto the payment page."),
        sha: PR_WITH_OUTCOME.sha,
        inputs: { "check-run": "true" },
      });
      expectPassedStep(run);
      expectReport(run, "pull_request", "success");
      expect(findingOf(run, "outcome.pull_request")).toMatchObject({
        status: "pass",
        message: "#7 serves CHK-12",
      });
      expect(run.errors.concat(run.warnings)).toEqual([]);
      expect(run.requests.filter((r) => r.operation === CHECK_RUNS)).toHaveLength(1);
      const checks = checkRunsOn("acme/checkout", PR_WITH_OUTCOME.sha);
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ status: "completed", conclusion: "success" });
      expect(checks[0]?.external_id).toMatch(/^pr:7:[0-9a-f]{16}$/);
      expect(writesOf(run).map((r) => r.operation)).toEqual([CHECK_RUNS]);
    });

    it("fails one that does not (exit 1 with fail-on error, 0 with fail-on never), without a check run by default", async () => {
      const payload = pullRequestEvent(PR_WITHOUT_OUTCOME, "Tidies the form code.");
      const [failing, tolerant] = await Promise.all([
        step({ repository: "acme/checkout", event: "pull_request", payload, sha: PR_WITHOUT_OUTCOME.sha }),
        step({
          repository: "acme/checkout",
          event: "pull_request",
          payload,
          sha: PR_WITHOUT_OUTCOME.sha,
          inputs: { "fail-on": "never" },
        }),
      ]);
      for (const run of [failing, tolerant]) {
        expectReport(run, "pull_request", "failure");
        const finding = findingOf(run, "outcome.pull_request");
        expect(finding).toMatchObject({ status: "fail", level: "error" });
        expect(finding.message).toBe("#8 does not reference an active outcome");
        expect(run.errors[0]).toMatchObject({
          properties: { title: "outcome.pull_request (fail)" },
          message: expect.stringContaining("name one of CHK-12"),
        });
        expect(run.summary).toMatch(/\| `outcome\.pull_request` \| ❌ fail \| error \|/);
        // check-run defaults to "false" in action.yml: the step's status is the only verdict.
        expect(run.requests.filter((r) => r.operation === CHECK_RUNS)).toEqual([]);
        expect(writesOf(run)).toEqual([]);
      }
      expectFailedStep(failing);
      expectPassedStep(tolerant);
      expect(tolerant.errors).toHaveLength(1); // the finding's annotation; the step itself did not fail
      expect(checkRunsOn("acme/checkout", PR_WITHOUT_OUTCOME.sha)).toEqual([]);
    });

    it("loads neither Node's fetch (undici) nor fs/promises for a pull request check: its start-up budget", async () => {
      const dir = mkdtempSync(join(tmpdir(), "pom-action-modules-"));
      try {
        const list = join(dir, "modules.txt");
        const preload = join(dir, "list-modules.cjs");
        writeFileSync(
          preload,
          `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`,
        );
        const run = await step({
          repository: "acme/checkout",
          event: "pull_request",
          payload: pullRequestEvent(PR_WITH_OUTCOME, "Moves the address form."),
          env: { NODE_OPTIONS: `--require ${preload}` },
        });
        expectPassedStep(run);
        const loaded = readFileSync(list, "utf8");
        expect(loaded).toContain("NativeModule http");
        expect(loaded).not.toMatch(/undici|internal\/fs\/promises/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("writes no SARIF file for a pull request (its verdict is a check run), and says so", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "pull_request",
        payload: pullRequestEvent(PR_WITH_OUTCOME, "Moves the address form."),
        inputs: { sarif: "pom.sarif" },
      });
      expectPassedStep(run);
      expect(run.files["pom.sarif"]).toBeUndefined();
      expect(run.commands).toContainEqual(
        expect.objectContaining({
          command: "notice",
          message: expect.stringContaining("no SARIF file in mode pull_request"),
        }),
      );
    });

    it("works without GITHUB_STEP_SUMMARY (a runner without job summaries)", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "pull_request",
        payload: pullRequestEvent(PR_WITH_OUTCOME, "Moves the address form onto the payment page."),
        sha: PR_WITH_OUTCOME.sha,
        noSummary: true,
      });
      expect(run.summary).toBeUndefined();
      expectPassedStep(run);
      expectReport(run, "pull_request", "success");
      expect(run.stdout).not.toContain("could not run");
    });
  });

  describe("issue", () => {
    it("leaves an issue that names an active outcome alone: no label, no comment, no write", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "issues",
        payload: issueEvent(ISSUE_WITH_OUTCOME, "## Problem\nPeople scroll past the pay button."),
      });
      expectPassedStep(run);
      expectReport(run, "issue", "success");
      expect(findingOf(run, "outcome.issue").status).toBe("pass");
      expect(writesOf(run)).toEqual([]);
      expect(fake.state.issue("acme/checkout", ISSUE_WITH_OUTCOME.number).labels).toEqual([]);
      expect(fake.state.commentsOn("acme/checkout", ISSUE_WITH_OUTCOME.number)).toEqual([]);
    });

    it("labels one that does not and comments once (a warn-level failure: exit 0, or 1 with fail-on warn); fixing it clears both", async () => {
      const number = ISSUE_WITHOUT_OUTCOME.number;
      const body = "## Problem\nPeople scroll past the pay button.";
      const marked = () =>
        fake.state.commentsOn("acme/checkout", number).filter((c) => c.body.includes(FEEDBACK_MARKER));

      const first = await step({
        repository: "acme/checkout",
        event: "issues",
        payload: issueEvent(ISSUE_WITHOUT_OUTCOME, body),
      });
      expectPassedStep(first);
      expectReport(first, "issue", "neutral");
      expect(findingOf(first, "outcome.issue")).toMatchObject({ status: "fail", level: "warn" });
      expect(first.errors).toEqual([]);
      expect(first.warnings).toEqual([
        expect.objectContaining({ properties: { title: "outcome.issue (fail)" } }),
      ]);
      expect(fake.state.issue("acme/checkout", number).labels).toEqual([NEEDS_OUTCOME]);
      expect(marked()).toHaveLength(1);
      expect(marked()[0]?.body).toContain("outcome.issue");

      // The same event again (a re-run), now failing the step on warnings: still one label, one comment.
      const again = await step({
        repository: "acme/checkout",
        event: "issues",
        payload: issueEvent(ISSUE_WITHOUT_OUTCOME, body),
        inputs: { "fail-on": "warn" },
      });
      expectFailedStep(again, "warn");
      expectReport(again, "issue", "neutral");
      expect(fake.state.issue("acme/checkout", number).labels).toEqual([NEEDS_OUTCOME]);
      expect(marked()).toHaveLength(1);
      expect(writesOf(again).filter((r) => r.operation?.includes("comments"))).toEqual([]);

      // Edited to name CHK-12: the label and the comment go.
      const edited = issueEvent({ number, title: `CHK-12: ${ISSUE_WITHOUT_OUTCOME.title}` }, body);
      edited.action = "edited";
      edited.issue.labels = [{ name: NEEDS_OUTCOME }];
      const fixed = await step({ repository: "acme/checkout", event: "issues", payload: edited });
      expectPassedStep(fixed);
      expectReport(fixed, "issue", "success");
      expect(fake.state.issue("acme/checkout", number).labels).toEqual([]);
      expect(marked()).toEqual([]);
    });
  });

  describe("release", () => {
    it("passes a release on cadence, with a check run on the release commit", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "release",
        payload: releaseEvent(fake, "checkout", "v3.1.0"),
        inputs: { "check-run": "true" },
      });
      expectPassedStep(run);
      expectReport(run, "release", "success");
      expect(findingOf(run, "release.cadence")).toMatchObject({
        status: "pass",
        message: "v3.1.0 came 10d after v3.0.0, within 14d",
      });
      expect(findingOf(run, "outcome.release").status).toBe("pass");
      const repo = fake.state.repo("acme/checkout");
      const tagged = repo.tags.get("v3.1.0")?.sha ?? "";
      const checks = checkRunsOn("acme/checkout", tagged).filter((c) => c.external_id === "release:v3.1.0");
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ status: "completed", conclusion: "success" });
      expect(run.requests.filter((r) => r.operation === CHECK_RUNS)).toHaveLength(1);
      expect(trackingIssues("acme/checkout")).toEqual([]);
    });

    it("fails a late release at its cadence line, and closes the tracking issue of the overdue period", async () => {
      expect(trackingIssues("acme/late").filter((i) => i.state === "open")).toHaveLength(1);
      const run = await step({
        repository: "acme/late",
        event: "release",
        payload: releaseEvent(fake, "late", "v1.1.0"),
      });
      expectFailedStep(run);
      expectReport(run, "release", "failure");
      const cadence = findingOf(run, "release.cadence");
      expect(cadence).toMatchObject({ status: "fail", level: "error" });
      expect(cadence.message).toMatch(/^v1\.1\.0 came 39d 23h after v1\.0\.0; the cadence is 14d$/);
      expect(run.errors[0]?.properties).toEqual({
        title: "release.cadence (fail)",
        file: ".github/pom.yml",
        line: String(lineOf(platformManifest("late"), "cadence:")),
        col: "12",
      });
      // The release ended the overdue period: the repository complies again.
      const [tracking] = trackingIssues("acme/late");
      expect(tracking).toMatchObject({ state: "closed", state_reason: "completed" });
      expect(run.requests.filter((r) => r.operation === CHECK_RUNS)).toEqual([]);
    });
  });

  describe("sweep (schedule, workflow_dispatch)", () => {
    it("passes a repository that complies, and opens no tracking issue", async () => {
      const run = await step({ repository: "acme/checkout", event: "schedule", payload: scheduleEvent() });
      expectPassedStep(run);
      expectReport(run, "sweep", "success");
      expect(findingsOf(run).filter((f) => f.status !== "pass")).toEqual([]);
      expect(findingsOf(run).map((f) => f.rule)).toEqual(
        expect.arrayContaining(["ownership.team", "ownership.roles", "release.cadence", "outcome.declared"]),
      );
      expect(writesOf(run)).toEqual([]);
      expect(trackingIssues("acme/checkout")).toEqual([]);
    });

    it("fails an overdue repository and opens one tracking issue; later runs keep it at one", async () => {
      const first = await step({
        repository: "acme/service",
        event: "schedule",
        payload: scheduleEvent(),
        inputs: { sarif: "pom.sarif" },
      });
      expectFailedStep(first);
      expectReport(first, "sweep", "failure");
      expect(findingOf(first, "release.cadence")).toMatchObject({ status: "fail", level: "error" });
      expect(first.errors[0]?.properties).toMatchObject({
        title: "release.cadence (fail)",
        file: ".github/pom.yml",
        line: String(lineOf(platformManifest("service"), "cadence:")),
      });
      expect(first.errors[0]?.message).toMatch(
        /^the latest release v1\.0\.0 is 40d old; the cadence is 14d\. Fix:/,
      );
      const issues = trackingIssues("acme/service");
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ state: "open", labels: [TRACKING_LABEL] });
      expect(issues[0]?.body).toContain("release.cadence");

      const second = await step({
        repository: "acme/service",
        event: "workflow_dispatch",
        payload: workflowDispatchEvent("service"),
        inputs: { sarif: "pom.sarif" },
      });
      expectFailedStep(second);
      expectReport(second, "sweep", "failure");
      // The overdue release is one code scanning alert across the runs: the same fingerprint.
      const [late, again] = [first, second].map((r) => sarifResults(r, "pom.sarif"));
      expect(late?.map((r) => [r.ruleId, r.level])).toEqual([["release.cadence", "error"]]);
      expect(again?.map((r) => r.partialFingerprints)).toEqual(late?.map((r) => r.partialFingerprints));
      const tolerant = await step({
        repository: "acme/service",
        event: "schedule",
        payload: scheduleEvent(),
        inputs: { "fail-on": "never" },
      });
      expectPassedStep(tolerant);
      expectReport(tolerant, "sweep", "failure");
      expect(trackingIssues("acme/service")).toHaveLength(1);
      expect(fake.state.repo("acme/service").issues).toHaveLength(1);
      for (const run of [second, tolerant]) expect(writesOf(run)).toEqual([]);
    });

    it("lists each product of a repository with products with its team, in the job summary and the tracking issue", async () => {
      const run = await step({ repository: "acme/shop", event: "schedule", payload: scheduleEvent() });
      expectFailedStep(run);
      expectReport(run, "sweep", "failure");
      const table = [
        "| Product | Team | Conclusion | Failing rules |",
        "| --- | --- | --- | --- |",
        "| Checkout | acme/payments | ",
      ].join("\n");
      expect(run.summary).toContain(table);
      expect(run.summary).toMatch(/^\| Search \| acme\/discovery \| failure \| `release\.cadence` \|$/m);
      const [issue] = trackingIssues("acme/shop");
      expect(issue?.body).toMatch(/^\| Search \| acme\/discovery \| failure \| `release\.cadence` \|$/m);
      // The issue shows the failing findings: Checkout has none, so it has no row there.
      expect(issue?.body).not.toContain("| Checkout | acme/payments |");
    });

    it("with a token that cannot see teams (like GITHUB_TOKEN), ownership.team is unknown, never a pass, and nothing crashes", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "schedule",
        payload: scheduleEvent(),
        installation: GITHUB_TOKEN_INSTALLATION,
      });
      expectPassedStep(run); // unknown is not a failure, and not a pass either
      expectReport(run, "sweep", "neutral");
      const teamRequests = run.requests.filter((r) => r.path.includes("/teams"));
      expect(teamRequests.length).toBeGreaterThan(0);
      expect(teamRequests.map((r) => r.status)).toEqual(teamRequests.map(() => 404));
      for (const rule of ["ownership.team", "ownership.roles"]) {
        const finding = findingOf(run, rule);
        expect(finding.status).toBe("unknown");
        expect(finding.evidence).toContain("needs permission: members: read (organization)");
        expect(run.warnings).toContainEqual(
          expect.objectContaining({ properties: { title: `${rule} (unknown)` } }),
        );
      }
      expect(findingOf(run, "release.cadence").status).toBe("pass");
      expect(run.stdout).not.toContain("could not run");
      expect(trackingIssues("acme/checkout")).toEqual([]);
    });
  });

  describe("push (repository rules)", () => {
    it("passes a compliant repository, with a check run on the pushed commit", async () => {
      const head = fake.state.headSha(fake.state.repo("acme/checkout"));
      const run = await step({
        repository: "acme/checkout",
        event: "push",
        payload: pushEvent(fake, "checkout"),
        sha: head,
        inputs: { "check-run": "true" },
      });
      expectPassedStep(run);
      expectReport(run, "repo", "success");
      // The head is also v3.1.0's commit, which the release scenario checks: one run per subject.
      const checks = checkRunsOn("acme/checkout", head).filter((c) => c.external_id === "repo");
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ status: "completed", conclusion: "success" });
      expect(writesOf(run).map((r) => r.operation)).toEqual([CHECK_RUNS]);
    });

    it("fails a repository whose team cannot push, annotating the team.github line (and in a SARIF file)", async () => {
      const head = fake.state.headSha(fake.state.repo("acme/orphan"));
      const run = await step({
        repository: "acme/orphan",
        event: "push",
        payload: pushEvent(fake, "orphan"),
        sha: head,
        inputs: { "check-run": "true", sarif: "results/pom.sarif" },
      });
      const results = sarifResults(run, "results/pom.sarif");
      const at = (r: SarifResult | undefined) => [
        r?.level,
        r?.locations[0]?.physicalLocation.artifactLocation.uri,
        r?.locations[0]?.physicalLocation.region.startLine,
      ];
      expect(at(results?.find((r) => r.ruleId === "ownership.team"))).toEqual([
        "error",
        ".github/pom.yml",
        lineOf(CHECKOUT_MANIFEST, "github: acme/payments"),
      ]);
      // No CODEOWNERS file to point into: the finding is placed at the manifest's first line.
      expect(at(results?.find((r) => r.ruleId === "ownership.codeowners"))).toEqual([
        "warning",
        ".github/pom.yml",
        1,
      ]);
      expectFailedStep(run);
      expectReport(run, "repo", "failure");
      const line = lineOf(CHECKOUT_MANIFEST, "github: acme/payments");
      expect(run.errors[0]).toEqual({
        command: "error",
        properties: {
          title: "ownership.team (fail)",
          file: ".github/pom.yml",
          line: String(line),
          col: "11",
        },
        message: expect.stringMatching(/^the team acme\/payments has no access to the repository/),
      });
      expect(run.warnings).toEqual([
        expect.objectContaining({
          properties: { title: "ownership.codeowners (fail)" },
          message: expect.stringContaining("no CODEOWNERS"),
        }),
      ]);
      const [check] = checkRunsOn("acme/orphan", head);
      expect(check).toMatchObject({ conclusion: "failure", external_id: "repo" });
      expect(check?.output.annotations).toContainEqual(
        expect.objectContaining({ path: ".github/pom.yml", start_line: line, annotation_level: "failure" }),
      );
      expect(trackingIssues("acme/orphan")).toHaveLength(1);
    });

    it("leaves a push to another branch alone: the repository rules judge the default branch", async () => {
      const payload = { ...pushEvent(fake, "orphan"), ref: "refs/heads/feature" };
      const run = await step({
        repository: "acme/orphan",
        event: "push",
        payload,
        inputs: { "check-run": "true" },
      });
      expect(run.code, run.describe()).toBe(0);
      expect(run.outputs.conclusion).toBe("success");
      expect(run.requests).toEqual([]);
    });

    it("leaves a draft release alone", async () => {
      const payload = releaseEvent(fake, "checkout", "v3.1.0");
      (payload.release as { draft: boolean }).draft = true;
      const run = await step({ repository: "acme/checkout", event: "release", payload });
      expect(run.code, run.describe()).toBe(0);
      expect(run.requests).toEqual([]);
    });

    it("keeps annotations within the runner's limits: 9 located errors + the step's own, the rest in the summary", async () => {
      const run = await step({
        repository: "acme/broken",
        event: "push",
        payload: pushEvent(fake, "broken"),
      });
      expectFailedStep(run);
      expectReport(run, "repo", "failure");
      const invalid = findingsOf(run).filter((f) => f.rule === "manifest.valid" && f.status === "fail");
      expect(invalid).toHaveLength(13);
      expect(run.errors).toHaveLength(10);
      const located = run.errors.slice(0, 9);
      expect(located.map((c) => c.properties.line)).toEqual(
        Array.from({ length: 9 }, (_, i) => String(lineOf(BROKEN_MANIFEST, `extra_${i + 1}:`))),
      );
      for (const c of located) expect(c.properties).toMatchObject({ file: ".github/pom.yml", col: "1" });
      expect(run.warnings.length).toBeGreaterThan(0);
      expect(run.warnings.length).toBeLessThanOrEqual(10);
      expect(run.summary).toContain("extra\\_13");
      expect(run.summary).toContain("4 more finding(s) are listed above but not annotated (runner limit).");
    });
  });

  describe("misconfiguration", () => {
    it("a repository without a manifest: exit 1 with a clear message, or 0 and a warning with fail-on never", async () => {
      const [strict, tolerant] = await Promise.all([
        step({ repository: "acme/bare", event: "push", payload: pushEvent(fake, "bare") }),
        step({
          repository: "acme/bare",
          event: "push",
          payload: pushEvent(fake, "bare"),
          inputs: { "fail-on": "never" },
        }),
      ]);
      const message =
        "acme/bare has no .github/pom.yml and its organization no pom-policy.yml: nothing to govern";
      expect(strict.code, strict.describe()).toBe(1);
      expect(strict.errors).toEqual([
        {
          command: "error",
          properties: {},
          message: `${message}. Add a manifest (\`npx pom init\`) or remove this step.`,
        },
      ]);
      expect(tolerant.code, tolerant.describe()).toBe(0);
      expect(tolerant.errors).toEqual([]);
      expect(tolerant.warnings).toEqual([{ command: "warning", properties: {}, message }]);
      for (const run of [strict, tolerant]) {
        expect(run.outputs).toEqual({ conclusion: "failure", findings: "[]" });
        expect(run.stderr).toBe("");
        expect(writesOf(run)).toEqual([]);
      }
    });

    it("a bad fail-on value: exit 1 naming the input, before any request", async () => {
      const run = await step({
        repository: "acme/checkout",
        event: "pull_request",
        payload: pullRequestEvent(PR_WITH_OUTCOME, ""),
        inputs: { "fail-on": "sometimes" },
      });
      expect(run.code, run.describe()).toBe(1);
      expect(run.errors).toEqual([
        {
          command: "error",
          properties: {},
          message:
            'POM governance could not run: input fail-on must be one of error, warn, never; got "sometimes"',
        },
      ]);
      expect(run.requests).toEqual([]);
      expect(run.outputs).toEqual({});
    });
  });
});
