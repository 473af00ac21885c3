/**
 * Hostile content through every output of the committed action bundle, one run per mode against
 * the hostile repository on the loopback fake GitHub: the job summary must be inert and within the
 * 1 MiB limit, stdout must carry no workflow command the action did not mean to issue, annotations
 * must stay within GitHub's limits, the outputs file must parse, and every write to GitHub (check
 * runs, comments, tracking issues) must be inert and within its limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byteLength } from "../../core/render/escape.js";
import { type ActionRun, findingsOf, installationToken, runAction } from "../../testkit/action-runner.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { exampleOf, type Payload, retarget } from "../../testkit/webhooks.js";
import { issueOpened, pullRequestOpened, pushToDefaultBranch, writesIn } from "./app-under-test.js";
import { LIMITS, markdownProblems } from "./hostile.js";
import {
  hostileSeed,
  ISSUE,
  PR_BROKEN,
  PR_PROPOSED,
  problemsOf,
  REPO,
  releasePublished,
  TAG,
  TARGET,
} from "./hostile-repo.js";

/** The workflow commands the action issues; user text must not start any other. */
const OWN_COMMANDS = /^::(error|warning|notice|debug)( [^:]*)?::/;

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub(hostileSeed(Date.now())(""));
});

afterAll(async () => {
  await fake?.close();
});

/** Actions payloads carry no installation. */
function asActions(payload: Payload): Payload {
  delete payload.installation;
  return payload;
}

function step(event: string, payload: Payload, sha?: string): Promise<ActionRun> {
  return runAction({
    fake,
    repository: REPO,
    event,
    payload: asActions(payload),
    ...(sha ? { sha } : {}),
    inputs: { token: installationToken(fake, 1), "check-run": "true", "fail-on": "never" },
  });
}

/** Every way a run's output is not inert or not within its limits. */
function runProblems(run: ActionRun): string[] {
  const problems: string[] = [];
  const summary = run.summary ?? "";
  for (const p of markdownProblems(summary)) problems.push(`job summary: ${p}`);
  if (byteLength(summary) > LIMITS.jobSummaryBytes) problems.push("job summary over 1 MiB");
  for (const line of run.stdout.split(/\r?\n/)) {
    if (line.startsWith("::") && !OWN_COMMANDS.test(line))
      problems.push(`a foreign command: ${line.slice(0, 80)}`);
    if (line.startsWith("##[")) problems.push(`a legacy command: ${line.slice(0, 80)}`);
  }
  for (const c of [...run.errors, ...run.warnings]) {
    if (byteLength(c.message) > LIMITS.annotationMessageBytes) problems.push("an annotation over 64 KB");
    if ((c.properties.title ?? "").length > LIMITS.annotationTitle)
      problems.push("an annotation title over 255");
  }
  problems.push(...writesIn(run.requests).flatMap(problemsOf));
  return problems;
}

describe("hostile content through the action", () => {
  it("reports a pull request with a hostile proposed manifest inert, also in its check run", async () => {
    const run = await step(
      "pull_request",
      pullRequestOpened(TARGET, { ...PR_PROPOSED, labels: ["outcome:<script>"] }),
      PR_PROPOSED.sha,
    );
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
    // The hostile key was reported, escaped: the summary is not empty of what it found.
    expect(run.summary).toContain("unknown key");
    expect(run.summary).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(run.errors.some((e) => e.message.endsWith("…"))).toBe(true);
    expect(writesIn(run.requests).map((r) => r.operation)).toContain("POST /repos/{owner}/{repo}/check-runs");
  });

  it("reports a pull request with a broken proposed manifest inert", async () => {
    const run = await step("pull_request_target", pullRequestOpened(TARGET, PR_BROKEN), PR_BROKEN.sha);
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
    expect(findingsOf(run).some((f) => f.rule === "manifest.valid" && f.status === "fail")).toBe(true);
  });

  it("comments on a hostile issue inert", async () => {
    const run = await step("issues", issueOpened(TARGET, ISSUE));
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
    expect(fake.state.commentsOn(REPO, ISSUE.number)).toHaveLength(1);
  });

  it("reports the repository (push) and keeps its tracking issue inert", async () => {
    const head = fake.state.headSha(fake.state.repo(REPO));
    const run = await step("push", pushToDefaultBranch(TARGET, head, [".github/pom.yml"]), head);
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
    expect(run.summary).toContain("release.unreleased");
    expect(writesIn(run.requests).map((r) => r.operation)).toContain("POST /repos/{owner}/{repo}/issues");
  });

  it("reports a release with a hostile tag and notes inert", async () => {
    const release = fake.state.repo(REPO).releases.find((r) => r.tag_name === TAG);
    if (!release) throw new Error("the seed has no hostile release");
    const run = await step("release", releasePublished(release));
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
  });

  it("sweeps the repository inert", async () => {
    const run = await step("workflow_dispatch", retarget(exampleOf("workflow_dispatch"), TARGET));
    expect(run.code, run.describe()).toBe(0);
    expect(runProblems(run)).toEqual([]);
    expect(fake.problems).toEqual([]);
  });
});
