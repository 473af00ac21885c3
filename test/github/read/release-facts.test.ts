/** The pull requests in a release: compare the tags, then one GraphQL query for the PRs named. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  fetchPullRequests,
  fetchReleasePullRequests,
  MAX_RELEASE_PULLS,
  pullNumbersFromMessages,
} from "../../../github/read/release-facts.js";
import { FakeGitHub, newClient, variablesOf } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };

const pull = (number: number, closes: number[] = []) => ({
  number,
  title: `PR ${number}`,
  body: "Serves CHK-12",
  author: { login: "dana" },
  labels: { nodes: [{ name: "ux" }] },
  mergedAt: "2026-06-10T00:00:00Z",
  closingIssuesReferences: {
    nodes: closes.map((n) => ({ number: n, title: `Issue ${n}`, body: null, author: null, labels: null })),
  },
});

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

describe("pullNumbersFromMessages", () => {
  it.each([
    [["Merge pull request #12 from acme/wallet\n\nWallet"], [12]],
    [["Add wallet (#9)\n\nLong description (#4)"], [9]],
    [["Fix (#3)", "Merge pull request #3 from a/b"], [3]],
    [["Direct push to main", "Mentions #5 in passing"], []],
  ])("reads %j as %j", (messages, expected) => {
    expect(pullNumbersFromMessages(messages)).toEqual(expected);
    expect(gh.scope.isDone()).toBe(true);
  });

  it(`stops at ${MAX_RELEASE_PULLS} pull requests`, () => {
    const messages = Array.from({ length: 150 }, (_, i) => `Change ${i} (#${i + 1})`);
    expect(pullNumbersFromMessages(messages)).toHaveLength(MAX_RELEASE_PULLS);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("fetchReleasePullRequests", () => {
  it("compares the previous tag with this one, unpaginated, then reads the PRs in one query", async () => {
    gh.on("GET", "/repos/acme/checkout/compare/v1...v2", {
      status: 200,
      body: {
        commits: [
          { commit: { message: "Merge pull request #30 from acme/wallet" } },
          { commit: { message: "Fix typo (#31)" } },
        ],
      },
    });
    gh.graphql(/pr30: pullRequest\(number: 30\)[\s\S]*pr31: pullRequest\(number: 31\)/, {
      repository: { pr30: pull(30, [7]), pr31: pull(31) },
    });

    const pulls = await fetchReleasePullRequests(newClient(), repo, "v1", "v2");

    expect(pulls.map((p) => p.number)).toEqual([30, 31]);
    expect(pulls[0]).toEqual({
      number: 30,
      title: "PR 30",
      body: "Serves CHK-12",
      labels: ["ux"],
      author: "dana",
      mergedAt: "2026-06-10T00:00:00Z",
      closingIssues: [{ number: 7, title: "Issue 7", body: null, labels: [], author: "" }],
    });
    expect(gh.sent[0]?.query).toEqual({});
    expect(variablesOf(gh.sent[1])).toEqual({
      owner: "acme",
      repo: "checkout",
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks nothing for the first release", async () => {
    expect(await fetchReleasePullRequests(newClient(), repo, undefined, "v1")).toEqual([]);
    expect(gh.sent).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("makes no GraphQL query when no commit names a pull request", async () => {
    gh.on("GET", "/repos/acme/checkout/compare/v1...v2", {
      status: 200,
      body: { commits: [{ commit: { message: "Direct push" } }] },
    });

    expect(await fetchReleasePullRequests(newClient(), repo, "v1", "v2")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("fetchPullRequests", () => {
  it("keeps the other pull requests when a squash commit's (#N) is an issue, not a pull request", async () => {
    gh.graphql(/pr12: pullRequest/, { repository: { pr30: pull(30), pr12: null } }, [
      {
        type: "NOT_FOUND",
        path: ["repository", "pr12"],
        message: "Could not resolve to a PullRequest with the number of 12.",
      },
    ]);

    const pulls = await fetchPullRequests(newClient(), repo, [30, 12]);

    expect(pulls.map((p) => p.number)).toEqual([30]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("still fails on any other GraphQL error", async () => {
    gh.graphql(/pr30: pullRequest/, { repository: null }, [
      { type: "FORBIDDEN", path: ["repository"], message: "Resource not accessible by integration" },
    ]);

    await expect(fetchPullRequests(newClient(), repo, [30])).rejects.toThrow(/not accessible/);
    expect(gh.scope.isDone()).toBe(true);
  });
});
