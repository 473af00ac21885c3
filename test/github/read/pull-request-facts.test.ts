/** Pull request facts: closing keywords in the body, and the one GraphQL query for the rest. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  closingReferences,
  fetchPullRequestDetails,
  labelNames,
  pullRequestFromPayload,
  pullRequestQuery,
} from "../../../github/read/pull-request-facts.js";
import { bodyOf, FakeGitHub, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };

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

describe("closingReferences", () => {
  it.each([
    ["Fixes #12", [12]],
    ["fix #1", [1]],
    ["fixed #2", [2]],
    ["closes #3", [3]],
    ["Close #4", [4]],
    ["closed #5", [5]],
    ["resolved #6", [6]],
    ["Resolve #7 and resolves #8", [7, 8]],
    ["Closes: #10", [10]],
    ["fixes:  #11", [11]],
    ["FIXES #13", [13]],
    ["fIxEs #14", [14]],
    ["Fixes #12 and fixes #12 again", [12]],
    ["line one\nCloses #21\n- resolves #22", [21, 22]],
    ["prefix#12", []],
    ["Fixes prefix#12", []],
    ["prefixes #12", []],
    ["fix#12", []],
    ["see #12", []],
    ["Fixes acme/other#12", []],
    ["Fixes #12abc", []],
    ["Fixes # 12", []],
    ["", []],
  ])("reads %j as %j", (body, expected) => {
    expect(closingReferences(body)).toEqual(expected);
  });

  it("reads nothing from a missing body", () => {
    expect(closingReferences(null)).toEqual([]);
    expect(closingReferences(undefined)).toEqual([]);
  });

  it("stops at 20 distinct issues", () => {
    const body = Array.from({ length: 30 }, (_, i) => `Fixes #${i + 1}`).join("\n");
    expect(closingReferences(body)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe("pull request payloads", () => {
  it("reads label names from objects, strings and the odd null", () => {
    expect(labelNames([{ name: "bug" }, "chore", null, {}])).toEqual(["bug", "chore"]);
  });

  it("turns a payload into the pull request the rules see", () => {
    const pr = pullRequestFromPayload({
      number: 7,
      title: "CHK-12: faster checkout",
      body: null,
      draft: true,
      user: { login: "alice" },
      labels: [{ name: "outcome:CHK-12" }],
      head: { sha: "abc" },
      base: { ref: "main" },
    });
    expect(pr).toEqual({
      number: 7,
      title: "CHK-12: faster checkout",
      body: null,
      labels: ["outcome:CHK-12"],
      author: "alice",
      draft: true,
    });
  });
});

const issue = (number: number, title: string, labels: string[] = []) => ({
  number,
  title,
  body: `body of #${number}`,
  author: { login: "dana" },
  labels: { nodes: labels.map((name) => ({ name })) },
});

describe("fetchPullRequestDetails", () => {
  it("asks one GraphQL query for linked issues and each issue the body closes, and no changed files", async () => {
    gh.graphql(/closingIssuesReferences/, {
      repository: {
        pullRequest: {
          closingIssuesReferences: { nodes: [issue(3, "Linked in the sidebar", ["outcome:CHK-12"])] },
        },
        ref7: issue(7, "Named in the body"),
        ref8: {},
      },
    });

    const details = await fetchPullRequestDetails(newClient(), repo, {
      number: 42,
      body: "Fixes #7, closes #8 and fixes #3",
    });

    expect(gh.sent).toHaveLength(1);
    const { query, variables } = bodyOf<{ query: string; variables: Record<string, unknown> }>(gh.sent[0]);
    expect(query).toContain("closingIssuesReferences(first: 20)");
    // Whether a governance file changes is not read from the first page of the file list.
    expect(query).not.toContain("files(");
    expect(query).toContain("ref7: issueOrPullRequest(number: 7)");
    expect(query).toContain("ref8: issueOrPullRequest(number: 8)");
    expect(query).toContain("ref3: issueOrPullRequest(number: 3)");
    expect(variables).toEqual({ owner: "acme", repo: "checkout", number: 42 });
    // #8 is a pull request (an empty object in the answer): it is no closing issue.
    expect(details.closingIssues).toEqual([
      {
        number: 3,
        title: "Linked in the sidebar",
        body: "body of #3",
        labels: ["outcome:CHK-12"],
        author: "dana",
      },
      { number: 7, title: "Named in the body", body: "body of #7", labels: [], author: "dana" },
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks for no aliases when the body closes nothing", async () => {
    gh.graphql(/closingIssuesReferences/, {
      repository: {
        pullRequest: { closingIssuesReferences: { nodes: [] } },
      },
    });

    const details = await fetchPullRequestDetails(newClient(), repo, { number: 1, body: null });

    expect(gh.graphqlQueries()[0]).not.toContain("issueOrPullRequest");
    expect(details).toEqual({ closingIssues: [] });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("keeps the rest of the answer when a `Fixes #N` names no issue at all", async () => {
    gh.graphql(
      /ref999: issueOrPullRequest/,
      {
        repository: {
          pullRequest: { closingIssuesReferences: { nodes: [] } },
          ref7: issue(7, "Real"),
          ref999: null,
        },
      },
      [
        {
          type: "NOT_FOUND",
          path: ["repository", "ref999"],
          message: "Could not resolve to an issue or pull request with the number of 999.",
        },
      ],
    );

    const details = await fetchPullRequestDetails(newClient(), repo, {
      number: 1,
      body: "Fixes #7, fixes #999",
    });

    expect(details.closingIssues.map((i) => i.number)).toEqual([7]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("still fails when the pull request itself cannot be read", async () => {
    gh.graphql(/closingIssuesReferences/, { repository: { pullRequest: null } }, [
      {
        type: "NOT_FOUND",
        path: ["repository", "pullRequest"],
        message: "Could not resolve to a PullRequest",
      },
    ]);

    await expect(fetchPullRequestDetails(newClient(), repo, { number: 1, body: null })).rejects.toThrow(
      /Could not resolve/,
    );
    expect(gh.scope.isDone()).toBe(true);
  });

  it("builds a query with the three variables it declares", () => {
    const query = pullRequestQuery([5]);
    expect(query).toMatch(/query\(\$owner: String!, \$repo: String!, \$number: Int!\)/);
    expect(query).toContain("pullRequest(number: $number)");
  });
});
