/**
 * The committed bundle on a `merge_group` event, as the runner runs it: in `auto` mode it judges
 * the pull requests of the group (read from the repository's merge queue in the fake GitHub) and
 * fails the job, and the group's check when asked, as soon as one of them would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingOf, installationToken, runAction } from "../../testkit/action-runner.js";
import {
  actionSeed,
  CHECK_NAME,
  mergeGroupEvent,
  PR_WITH_OUTCOME,
  PR_WITHOUT_OUTCOME,
} from "../../testkit/action-seed.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";

const GREEN = "a".repeat(40);
const RED = "b".repeat(40);
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub(actionSeed(Date.now()));
  // The queue: #7 (names CHK-12) first, then #8 (names no outcome). The group of #7 holds #7
  // alone; the group of #8 holds both.
  fake.state.repo("acme/checkout").mergeQueue = [
    { number: PR_WITH_OUTCOME.number, headSha: GREEN },
    { number: PR_WITHOUT_OUTCOME.number, headSha: RED },
  ];
});

afterAll(async () => {
  try {
    expect(fake.problems).toEqual([]);
  } finally {
    await fake?.close();
  }
});

const group = (number: number, head: string, inputs: Record<string, string> = {}) =>
  runAction({
    fake,
    repository: "acme/checkout",
    event: "merge_group",
    payload: mergeGroupEvent(number, head),
    sha: head,
    inputs: { token: installationToken(fake, 1), ...inputs },
  });

const checksOn = (sha: string) =>
  fake.state.repo("acme/checkout").checkRuns.filter((r) => r.head_sha === sha && r.name === CHECK_NAME);

describe("the action on a merge group", () => {
  it("passes a group of compliant pull requests, with a check on the group's head when asked", async () => {
    const run = await group(PR_WITH_OUTCOME.number, GREEN, { "check-run": "true" });
    expect(run.code, run.describe()).toBe(0);
    expect(run.outputs.conclusion).toBe("success");
    expect(run.summary).toMatch(/^## POM governance \(merge group\): success\n/);
    expect(findingOf(run, "outcome.pull_request")).toMatchObject({ status: "pass" });
    expect(checksOn(GREEN).map((c) => c.conclusion)).toEqual(["success"]);
  });

  it("fails a group holding a pull request that names no outcome, naming it; no check without check-run", async () => {
    const run = await group(PR_WITHOUT_OUTCOME.number, RED);
    expect(run.code, run.describe()).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    const failing = JSON.parse(run.outputs.findings ?? "[]") as { status: string; message: string }[];
    expect(failing.filter((f) => f.status === "fail").map((f) => f.message)).toEqual([
      `#${PR_WITHOUT_OUTCOME.number}: #${PR_WITHOUT_OUTCOME.number} does not reference an active outcome`,
    ]);
    expect(checksOn(RED)).toEqual([]);
  });

  it("reports unknown, never a pass, when the group is not in the queue", async () => {
    const run = await group(99, "c".repeat(40));
    expect(run.code, run.describe()).toBe(1);
    expect(findingOf(run, "outcome.pull_request")).toMatchObject({ status: "unknown" });
  });
});
