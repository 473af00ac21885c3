/**
 * The tracking issue under concurrency: judgements of one repository that finish together (a
 * push, a release and the sweep) open or reopen one issue, not one each, also when a judgement
 * brings a list of issues it read before its turn.
 */
import { describe, expect, it } from "vitest";
import type { Verdict } from "../../../core/engine/types.js";
import {
  syncTrackingIssue,
  TRACKING_LABEL,
  TRACKING_MARKER,
} from "../../../github/publish/tracking-issue.js";
import type { GitHubClient } from "../../../github/transport/client.js";

const REPO = { owner: "acme", repo: "checkout" };
const FAILING: Verdict = {
  conclusion: "failure",
  findings: [
    {
      rule: "release.cadence",
      status: "fail",
      level: "error",
      message: "overdue",
      fix: "ship",
      evidence: [],
    },
  ],
};

/** A GitHub holding issues in memory; listing them takes a moment, so that callers overlap. */
function memoryGitHub() {
  const issues: { number: number; body: string; labels: string[]; state: string }[] = [];
  const writes: string[] = [];
  const request = async (route: string, params: Record<string, unknown>) => {
    if (route === "GET /repos/{owner}/{repo}/issues") {
      const listed = issues.filter(
        (i) => (params.state === "all" || i.state === params.state) && i.labels.includes(TRACKING_LABEL),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { data: listed.map((i) => ({ ...i })) };
    }
    writes.push(route);
    if (route === "POST /repos/{owner}/{repo}/issues") {
      issues.push({
        number: issues.length + 1,
        body: String(params.body),
        labels: [TRACKING_LABEL],
        state: "open",
      });
      return { data: { number: issues.length } };
    }
    const issue = issues.find((i) => i.number === params.issue_number);
    if (route === "PATCH /repos/{owner}/{repo}/issues/{issue_number}" && issue) {
      if (typeof params.state === "string") issue.state = params.state;
      if (typeof params.body === "string") issue.body = params.body;
    }
    return { data: {} };
  };
  return { client: { request } as unknown as GitHubClient, issues, writes };
}

describe("syncTrackingIssue at the same time", () => {
  it("opens one issue for judgements that run together", async () => {
    const github = memoryGitHub();
    const actions = await Promise.all([1, 2, 3].map(() => syncTrackingIssue(github.client, REPO, FAILING)));
    expect(actions.sort()).toEqual(["opened", "unchanged", "unchanged"]);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.body).toContain(TRACKING_MARKER);
  });

  it("reads the list again before opening one when the caller's list was read before its turn", async () => {
    const github = memoryGitHub();
    const first = syncTrackingIssue(github.client, REPO, FAILING);
    // A sweep that listed the open issues (none) before the first sync opened one.
    const second = syncTrackingIssue(github.client, REPO, FAILING, []);
    expect([await first, await second]).toEqual(["opened", "unchanged"]);
    expect(github.writes).toEqual(["POST /repos/{owner}/{repo}/issues"]);
  });

  it("reopens a closed issue once, and opens none, for judgements that run together", async () => {
    const github = memoryGitHub();
    github.issues.push({ number: 1, body: TRACKING_MARKER, labels: [TRACKING_LABEL], state: "closed" });
    // One judgement brings the sweep's list from before the recurrence: the issue, closed.
    const before = [{ number: 1, body: TRACKING_MARKER, state: "closed", state_reason: "completed" }];
    const actions = await Promise.all([
      syncTrackingIssue(github.client, REPO, FAILING),
      syncTrackingIssue(github.client, REPO, FAILING, before),
      syncTrackingIssue(github.client, REPO, FAILING),
    ]);
    expect(actions.sort()).toEqual(["reopened", "unchanged", "unchanged"]);
    expect(github.issues.map((i) => i.state)).toEqual(["open"]);
    expect(github.writes).toEqual(["PATCH /repos/{owner}/{repo}/issues/{issue_number}"]);
  });
});
