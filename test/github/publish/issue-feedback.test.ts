/** Issue feedback: one label per unmet rule and one sticky comment, idempotent under redelivery. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding, Status, Verdict } from "../../../core/engine/types.js";
import {
  COMMENT_MARKER,
  feedbackComment,
  ISSUE_LABELS,
  publishIssueFeedback,
} from "../../../github/publish/issue-feedback.js";
import { bodyOf, FakeGitHub, newClient } from "../../helpers/github.js";

/** What GitHub says of the app's own comments: their author is a bot. */
const BOT = { user: { login: "pom-governance[bot]", type: "Bot" } };
const repo = { owner: "acme", repo: "checkout" };
const NEEDS_OUTCOME = "pom: needs outcome";
const NEEDS_PROBLEM = "pom: needs problem";
const ISSUE = "/repos/acme/checkout/issues/9";
const COMMENTS = `${ISSUE}/comments`;
const commentsPage = (page: number) => `${COMMENTS}?per_page=100&page=${page}`;
const labelUrl = (name: string) => `${ISSUE}/labels/${encodeURIComponent(name)}`;

function finding(
  rule: "outcome.issue" | "problem.issue",
  status: Status,
  message = "the issue names no outcome",
): Finding {
  return { rule, status, level: "warn", message, fix: "name CHK-12 in the title", evidence: [] };
}
function verdictOf(...findings: Finding[]): Verdict {
  return { conclusion: findings.some((f) => f.status === "fail") ? "neutral" : "success", findings };
}

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

describe("publishIssueFeedback", () => {
  it("labels a failing issue `pom: needs outcome` and creates one comment carrying the marker", async () => {
    const failing = finding("outcome.issue", "fail");
    gh.on("POST", `${ISSUE}/labels`, { status: 200, body: [{ name: NEEDS_OUTCOME }] });
    gh.on("GET", commentsPage(1), { status: 200, body: [{ id: 1, body: "Looks good to me" }] });
    gh.on("POST", COMMENTS, { status: 201, body: { id: 50 } });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: ["bug"] },
      verdictOf(failing),
    );

    expect(result).toEqual({ added: [NEEDS_OUTCOME], removed: [], comment: "created" });
    expect(ISSUE_LABELS["outcome.issue"]).toBe(NEEDS_OUTCOME);
    expect(gh.requests("POST", `${ISSUE}/labels`)[0]?.body).toEqual({ labels: [NEEDS_OUTCOME] });
    const comment = bodyOf<{ body: string }>(gh.requests("POST", COMMENTS)[0]);
    expect(comment.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment.body).toContain("**outcome.issue**");
    expect(comment.body).toBe(feedbackComment([failing]));
    expect(gh.scope.isDone()).toBe(true);
  });

  it("writes nothing on a redelivery: the label is there and the comment already says the same", async () => {
    const failing = finding("outcome.issue", "fail");
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [
        { id: 1, body: "first!" },
        { id: 50, body: feedbackComment([failing]), ...BOT },
      ],
    });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: ["POM: Needs Outcome"] },
      verdictOf(failing),
    );

    expect(result).toEqual({ added: [], removed: [], comment: "unchanged" });
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${COMMENTS}`]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("deletes a second sticky comment left by an earlier race, keeping the oldest", async () => {
    const failing = finding("outcome.issue", "fail");
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [
        { id: 50, body: feedbackComment([failing]), ...BOT },
        { id: 51, body: feedbackComment([failing]), ...BOT },
      ],
    });
    gh.on("DELETE", "/repos/acme/checkout/issues/comments/51", { status: 204 });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(failing),
    );

    expect(result.comment).toBe("unchanged");
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${COMMENTS}`,
      "DELETE /repos/acme/checkout/issues/comments/51",
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("edits the sticky comment in place when what fails changes", async () => {
    const before = finding("outcome.issue", "fail", "the issue names OKR-3, which is achieved");
    const now = finding("outcome.issue", "fail", "the issue names no outcome");
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [{ id: 50, body: feedbackComment([before]), ...BOT }],
    });
    gh.on("PATCH", "/repos/acme/checkout/issues/comments/50", { status: 200, body: { id: 50 } });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(now),
    );

    expect(result.comment).toBe("updated");
    expect(gh.requests("PATCH")[0]?.body).toEqual({ body: feedbackComment([now]) });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("recreates the comment when someone deleted it but the label stayed", async () => {
    gh.on("GET", commentsPage(1), { status: 200, body: [] });
    gh.on("POST", COMMENTS, { status: 201, body: { id: 51 } });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(finding("outcome.issue", "fail")),
    );

    expect(result).toEqual({ added: [], removed: [], comment: "created" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("removes the label and deletes the comment once the issue is fixed", async () => {
    gh.on("DELETE", labelUrl(NEEDS_OUTCOME), { status: 200, body: [] });
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [{ id: 50, body: `${COMMENT_MARKER}\nold`, ...BOT }],
    });
    gh.on("DELETE", "/repos/acme/checkout/issues/comments/50", { status: 204 });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME, "bug"] },
      verdictOf(finding("outcome.issue", "pass", "the issue serves CHK-12")),
    );

    expect(result).toEqual({ added: [], removed: [NEEDS_OUTCOME], comment: "deleted" });
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE ${ISSUE}/labels/pom%3A%20needs%20outcome`,
      `GET ${COMMENTS}`,
      "DELETE /repos/acme/checkout/issues/comments/50",
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("ignores a person's comment that carries the marker: it is neither edited nor deleted", async () => {
    gh.on("DELETE", labelUrl(NEEDS_OUTCOME), { status: 200, body: [] });
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [
        { id: 51, body: `${COMMENT_MARKER}\nlooks like ours`, user: { login: "mallory", type: "User" } },
      ],
    });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(finding("outcome.issue", "pass", "the issue serves CHK-12")),
    );

    expect(result.removed).toEqual([NEEDS_OUTCOME]);
    expect(gh.sent.some((r) => r.method === "DELETE" && r.path.includes("/comments/"))).toBe(false);
    expect(gh.sent.some((r) => r.method === "PATCH")).toBe(false);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("writes a comment of its own beside a person's that carries the marker, and leaves theirs alone", async () => {
    const failing = finding("outcome.issue", "fail");
    const theirs = { id: 51, body: feedbackComment([failing]), user: { login: "mallory", type: "User" } };
    gh.on("GET", commentsPage(1), { status: 200, body: [theirs] });
    gh.on("POST", COMMENTS, { status: 201, body: { id: 52 } });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(failing),
    );

    expect(result.comment).toBe("created");
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${COMMENTS}`, `POST ${COMMENTS}`]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("sends no request at all for a complying issue without our labels", async () => {
    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: ["bug"] },
      verdictOf(finding("outcome.issue", "pass")),
    );

    expect(result).toEqual({ added: [], removed: [], comment: "none" });
    expect(gh.sent).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("removes the label of a rule that is now skipped (an exempt issue)", async () => {
    gh.on("DELETE", labelUrl(NEEDS_OUTCOME), { status: 200, body: [] });
    gh.on("GET", commentsPage(1), { status: 200, body: [] });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME, "chore"] },
      verdictOf(finding("outcome.issue", "skip", 'exempt: labelled "chore"')),
    );

    expect(result).toEqual({ added: [], removed: [NEEDS_OUTCOME], comment: "none" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("leaves the label and the comment alone when the rule could not be decided", async () => {
    gh.on("GET", commentsPage(1), {
      status: 200,
      body: [{ id: 50, body: `${COMMENT_MARKER}\nold`, ...BOT }],
    });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(finding("outcome.issue", "unknown", "not evaluated because the manifest has errors")),
    );

    expect(result).toEqual({ added: [], removed: [], comment: "none" });
    expect(gh.requests("DELETE")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("tolerates a 404 on the label DELETE (someone removed it already)", async () => {
    gh.on("DELETE", labelUrl(NEEDS_OUTCOME), { status: 404, body: { message: "Label does not exist" } });
    gh.on("GET", commentsPage(1), { status: 200, body: [] });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(finding("outcome.issue", "pass")),
    );

    expect(result).toEqual({ added: [], removed: [NEEDS_OUTCOME], comment: "none" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("lets any other failure of the label DELETE throw", async () => {
    gh.on("DELETE", labelUrl(NEEDS_OUTCOME), { status: 500, body: { message: "boom" } });

    await expect(
      publishIssueFeedback(
        newClient(),
        repo,
        { number: 9, labels: [NEEDS_OUTCOME] },
        verdictOf(finding("outcome.issue", "pass")),
      ),
    ).rejects.toMatchObject({ status: 500 });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("adds one label per failing rule and lists both in the one comment", async () => {
    const outcome = finding("outcome.issue", "fail");
    const problem = finding("problem.issue", "fail", "the issue has no ## Problem section");
    gh.on("POST", `${ISSUE}/labels`, { status: 200, body: [] }, 2);
    gh.on("GET", commentsPage(1), { status: 200, body: [] });
    gh.on("POST", COMMENTS, { status: 201, body: { id: 52 } });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [] },
      verdictOf(outcome, problem),
    );

    expect(result.added).toEqual([NEEDS_OUTCOME, NEEDS_PROBLEM]);
    expect(gh.requests("POST", `${ISSUE}/labels`).map((r) => r.body)).toEqual([
      { labels: [NEEDS_OUTCOME] },
      { labels: [NEEDS_PROBLEM] },
    ]);
    const body = bodyOf<{ body: string }>(gh.requests("POST", COMMENTS)[0]).body;
    expect(body).toContain("**outcome.issue**");
    expect(body).toContain("**problem.issue**");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("finds its comment on a later page of a long thread", async () => {
    const failing = finding("outcome.issue", "fail");
    const chatter = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: `comment ${i}` }));
    gh.on("GET", commentsPage(1), { status: 200, body: chatter });
    gh.on("GET", commentsPage(2), {
      status: 200,
      body: [{ id: 500, body: feedbackComment([failing]), ...BOT }],
    });

    const result = await publishIssueFeedback(
      newClient(),
      repo,
      { number: 9, labels: [NEEDS_OUTCOME] },
      verdictOf(failing),
    );

    expect(result.comment).toBe("unchanged");
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("feedbackComment", () => {
  it("escapes user text so that it cannot mention people, link issues or inject HTML", () => {
    const body = feedbackComment([finding("outcome.issue", "fail", "@alice wrote <img src=x> fixes #12")]);
    expect(body).not.toContain("@alice");
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/#12/);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(gh.scope.isDone()).toBe(true);
  });
});
