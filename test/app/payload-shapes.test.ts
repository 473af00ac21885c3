/**
 * The payload shapes the handlers rely on: every real example payload GitHub documents for the
 * events and actions the app handles fits them (a real delivery is never refused), and payloads
 * that lack or mistype what the handlers read are refused with problems that name the field.
 */
import { describe, expect, it } from "vitest";
import {
  changesApprovals,
  ISSUE_ACTIONS,
  PULL_REQUEST_ACTIONS,
  RELEASE_ACTIONS,
  REVIEW_ACTIONS,
} from "../../app/events.js";
import { MalformedPayload, payloadProblems } from "../../app/payload-shapes.js";
import { examplesOf } from "../../testkit/webhooks.js";

const HANDLED: [string, readonly string[] | undefined][] = [
  ["pull_request", PULL_REQUEST_ACTIONS],
  ["pull_request_review", REVIEW_ACTIONS],
  ["issues", ISSUE_ACTIONS],
  ["release", RELEASE_ACTIONS],
  ["push", undefined],
  ["installation", ["created"]],
  ["installation_repositories", ["added"]],
  ["check_run", ["rerequested"]],
  ["check_suite", ["rerequested"]],
  ["merge_group", ["checks_requested"]],
];

describe("review events", () => {
  it("judge a pull request again after an approval, a request for changes or a dismissal, not after a comment", () => {
    const example = (action: string) =>
      examplesOf("pull_request_review").find((e) => e.action === action) as { action: string };
    const [submitted, dismissed] = [example("submitted"), example("dismissed")];
    // GitHub's examples: a comment submitted (lower-case state), and a dismissal.
    expect(changesApprovals(submitted)).toBe(false);
    expect(changesApprovals(dismissed)).toBe(true);
    for (const state of ["approved", "changes_requested"])
      expect(changesApprovals({ action: "submitted", review: { state } })).toBe(true);
  });
});

describe("payloadProblems", () => {
  it.each(HANDLED)("finds nothing wrong in any real %s example the app handles", (event, actions) => {
    const examples = examplesOf(event).filter((e) => !actions || actions.includes(e.action));
    expect(examples.length, event).toBeGreaterThan(0);
    for (const example of examples) expect(payloadProblems(event, example), example.action).toEqual([]);
  });

  it.each([
    ["pull_request", { pull_request: null }, "pull_request must be an object, not null"],
    ["issues", { issue: null }, "issue must be an object, not null"],
    ["release", { release: null }, "release must be an object, not null"],
    [
      "pull_request",
      { pull_request: { number: "7", head: { sha: "a" } } },
      "pull_request.number must be a whole number, not a string",
    ],
    ["issues", { issue: { number: 1, body: { html: 1 } } }, "issue.body must be a string, not an object"],
    [
      "issues",
      { issue: { number: 1, labels: [{ name: 5 }] } },
      "issue.labels[0].name must be a string, not a number",
    ],
    [
      "push",
      { ref: "refs/heads/main", after: "a", commits: [{ added: [1] }] },
      "commits[0].added[0] must be a string, not a number",
    ],
    [
      "check_suite",
      { check_suite: { head_sha: "a", pull_requests: {} } },
      "check_suite.pull_requests must be a list, not an object",
    ],
    [
      "installation",
      { repositories: [{ full_name: null }] },
      "repositories[0].full_name must be a string, not null",
    ],
  ])("refuses a %s payload that is %j", (event, part, problem) => {
    const base = { repository: { name: "checkout", owner: { login: "acme" } } };
    expect(payloadProblems(event, { ...base, ...part })).toContain(problem);
  });

  it("requires the repository that context.repo() reads, where the event has one", () => {
    const release = examplesOf("release").find((e) => e.action === "published");
    expect(payloadProblems("release", { ...release, repository: { name: "x", owner: null } })).toEqual([
      "repository.owner must be an object, not null",
    ]);
    expect(payloadProblems("issues", "not an object")).toEqual([
      "the payload must be an object, not a string",
    ]);
  });

  it("names at most ten problems, and none for events without a shape", () => {
    const commits = Array.from({ length: 2_000 }, () => ({ added: [null] }));
    const problems = payloadProblems("push", { repository: {}, ref: "r", after: "a", commits });
    expect(problems).toHaveLength(10);
    expect(payloadProblems("star", null)).toEqual([]);
  });
});

describe("MalformedPayload", () => {
  it("carries the status the webhook middleware answers with and a message without internals", () => {
    const error = new MalformedPayload("issues", ["issue must be an object, not null"]);
    expect(error.status).toBe(400);
    expect(`${error.name}: ${error.message}`).toBe("MalformedPayload: the issues payload is malformed");
    expect(error.problems).toEqual(["issue must be an object, not null"]);
  });
});
