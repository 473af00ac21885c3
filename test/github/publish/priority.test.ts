/**
 * How urgent a creation is, and that the writers hand it to the pacer with the request that
 * creates: the tracking issue and the issue comment by their findings, the check run by its
 * findings and the pull request's `updated_at`; a closing note is the least urgent.
 */
import { describe, expect, it } from "vitest";
import type { Finding, Level, Status, Verdict } from "../../../core/engine/types.js";
import { publishCheckRun } from "../../../github/publish/check-run.js";
import { publishIssueFeedback } from "../../../github/publish/issue-feedback.js";
import { priorityOf, worstFirst } from "../../../github/publish/priority.js";
import { syncTrackingIssue, trackingContent } from "../../../github/publish/tracking-issue.js";
import type { GitHubClient } from "../../../github/transport/client.js";

function finding(status: Status, level: Level, rule: Finding["rule"] = "release.cadence"): Finding {
  return { rule, status, level, message: "m", fix: "f", evidence: [] };
}
const verdict = (...findings: Finding[]): Verdict => ({
  conclusion: findings.some((f) => f.status === "fail") ? "failure" : "success",
  findings,
});

/** A client that answers every request from `answers` by route, and records the priority each carried. */
function recordingClient(answers: Record<string, unknown>) {
  const sent: { route: string; priority: unknown }[] = [];
  const client = {
    request: async (route: string, params: { request?: { pacePriority?: unknown } } = {}) => {
      sent.push({ route, priority: params.request?.pacePriority });
      return { status: 200, data: answers[route] ?? {} };
    },
  } as unknown as GitHubClient;
  return { client, sent };
}

describe("the priority of a creation", () => {
  it.each([
    ["failing at error level", [finding("fail", "error"), finding("fail", "warn")], 0],
    ["failing at warning level only", [finding("fail", "warn"), finding("pass", "error")], 1],
    ["passing", [finding("pass", "error")], 2],
    ["undecided", [finding("unknown", "error")], 2],
    ["with nothing to say", [], 2],
  ])("%s: rank %i", (_, findings, rank) => {
    expect(priorityOf(findings as Finding[])).toEqual({ rank });
  });

  it("puts the more recently updated first among equals", () => {
    expect(priorityOf([finding("fail", "error")], "2026-06-15T12:00:00Z")).toEqual({
      rank: 0,
      recency: Date.parse("2026-06-15T12:00:00Z"),
    });
    expect(priorityOf([], "not a time")).toEqual({ rank: 2 });
  });

  it("groups items worst first", () => {
    const items = [
      { name: "fine", findings: [finding("pass", "error")] },
      { name: "error", findings: [finding("fail", "error")] },
      { name: "warning", findings: [finding("fail", "warn")] },
      { name: "error too", findings: [finding("fail", "error")] },
    ];
    expect(worstFirst(items, (i) => i.findings).map((rank) => rank.map((i) => i.name))).toEqual([
      ["error", "error too"],
      ["warning"],
      ["fine"],
    ]);
  });
});

describe("the writers", () => {
  const repo = { owner: "acme", repo: "web" };

  it("open a tracking issue at its findings' rank, and add its closing note as the least urgent", async () => {
    const failing = verdict(finding("fail", "warn"));
    const { client, sent } = recordingClient({
      "GET /repos/{owner}/{repo}/issues": [],
      "POST /repos/{owner}/{repo}/issues": { number: 4 },
    });
    await syncTrackingIssue(client, repo, failing);
    expect(sent.find((s) => s.route === "POST /repos/{owner}/{repo}/issues")?.priority).toEqual({ rank: 1 });

    const open = {
      number: 4,
      state: "open",
      body: trackingContent(failing).body,
      user: { type: "Bot" },
    };
    const closing = recordingClient({ "GET /repos/{owner}/{repo}/issues": [open] });
    await syncTrackingIssue(closing.client, repo, verdict(finding("pass", "error")));
    expect(
      closing.sent.find((s) => s.route === "POST /repos/{owner}/{repo}/issues/{issue_number}/comments")
        ?.priority,
    ).toEqual({ rank: 2 });
  });

  it("create a check run at its findings' rank, the pull request's last update breaking ties", async () => {
    const { client, sent } = recordingClient({ "POST /repos/{owner}/{repo}/check-runs": { id: 9 } });
    await publishCheckRun(client, repo, {
      sha: "a".repeat(40),
      verdict: verdict(finding("fail", "error", "outcome.pull_request")),
      externalId: "pr:3",
      updatedAt: "2026-06-15T11:00:00Z",
    });
    expect(sent[0]?.priority).toEqual({ rank: 0, recency: Date.parse("2026-06-15T11:00:00Z") });
  });

  it("post the issue feedback comment at its findings' rank", async () => {
    const { client, sent } = recordingClient({
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": [],
    });
    await publishIssueFeedback(
      client,
      repo,
      { number: 5, labels: [] },
      verdict(finding("fail", "warn", "outcome.issue")),
    );
    expect(
      sent.find((s) => s.route === "POST /repos/{owner}/{repo}/issues/{issue_number}/comments")?.priority,
    ).toEqual({ rank: 1 });
  });
});
