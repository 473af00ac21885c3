/** The nock helper itself must be able to fail: bad requests and unexpected requests are caught. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub, newClient } from "../helpers/github.js";

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

describe("FakeGitHub", () => {
  it("records a request body that GitHub's REST description rejects", async () => {
    gh.on("PATCH", "/repos/acme/checkout/issues/3", { status: 200, body: {} });

    await newClient().request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: "acme",
      repo: "checkout",
      issue_number: 3,
      state: "shut",
    } as never);

    expect(gh.problems.join("\n")).toMatch(/body\/state must be equal to one of the allowed values/);
    gh.problems.length = 0;
    expect(gh.scope.isDone()).toBe(true);
  });

  it("records a query parameter the operation does not know", async () => {
    gh.on("GET", "/repos/acme/checkout/releases?per_page=100&ref=main", { status: 200, body: [] });

    await newClient().request("GET /repos/{owner}/{repo}/releases", {
      owner: "acme",
      repo: "checkout",
      per_page: 100,
      ref: "main",
    } as never);

    expect(gh.problems.join("\n")).toMatch(/unknown query parameter "ref"/);
    gh.problems.length = 0;
    expect(gh.scope.isDone()).toBe(true);
  });

  it("collects a request nobody expected instead of letting it vanish", async () => {
    gh.on("GET", "/repos/acme/checkout/releases?per_page=100", { status: 200, body: [] });

    await expect(
      newClient().request("GET /repos/{owner}/{repo}/releases", {
        owner: "acme",
        repo: "checkout",
        per_page: 30,
      }),
    ).rejects.toThrow(/No match/);
    await newClient().request("GET /repos/{owner}/{repo}/releases", {
      owner: "acme",
      repo: "checkout",
      per_page: 100,
    });

    expect(gh.unmatched).toEqual(["GET /repos/acme/checkout/releases?per_page=30"]);
    gh.unmatched.length = 0;
    expect(gh.scope.isDone()).toBe(true);
  });

  it("matches the exact query, in any order", async () => {
    gh.on("GET", "/orgs/acme/teams/payments/members?page=1&per_page=100", { status: 200, body: [] });

    await newClient().request("GET /orgs/{org}/teams/{team_slug}/members", {
      org: "acme",
      team_slug: "payments",
      per_page: 100,
      page: 1,
    });

    expect(gh.sent[0]?.url).toBe("/orgs/acme/teams/payments/members?per_page=100&page=1");
    expect(gh.scope.isDone()).toBe(true);
  });
});
