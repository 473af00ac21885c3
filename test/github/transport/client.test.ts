/** Errors become facts that say what could not be read and which permission would help. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  describeError,
  partialGraphqlData,
  readFact,
  statusOf,
  unavailableFrom,
} from "../../../github/transport/client.js";

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  // Pure functions: no mock is declared, and none may be left over.
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

const httpError = (status: number, message = "Not Found") => Object.assign(new Error(message), { status });

describe("describeError", () => {
  it.each([
    [
      httpError(401, "Bad credentials"),
      "GitHub refused the credentials (401): the token is missing or expired",
    ],
    [httpError(403, "API rate limit exceeded"), "GitHub's rate limit is exhausted (403)"],
    [httpError(429, "slow down"), "GitHub's rate limit is exhausted (429)"],
    [httpError(502, "<html>"), "GitHub answered 502"],
    [httpError(404, "Not Found\nmore"), "GitHub answered 404: Not Found"],
    [new Error("socket hang up"), "the request failed: socket hang up"],
  ])("describes %s as %j", (error, expected) => {
    expect(describeError(error)).toBe(expected);
  });

  it("reads the status only when it is a number", () => {
    expect(statusOf({ status: "404" })).toBeUndefined();
    expect(statusOf(null)).toBeUndefined();
    expect(statusOf(httpError(500))).toBe(500);
  });
});

describe("unavailableFrom", () => {
  it("names the permission for a 403 that is not a rate limit", () => {
    expect(
      unavailableFrom(httpError(403, "Resource not accessible by integration"), "the team", "members: read"),
    ).toEqual({
      ok: false,
      reason: "the team: GitHub answered 403: Resource not accessible by integration",
      permission: "members: read",
      lasting: true,
    });
  });

  it("names no permission for a rate limit, and says what to do about a 401", () => {
    expect(
      unavailableFrom(httpError(403, "API rate limit exceeded"), "x", "members: read"),
    ).not.toHaveProperty("permission");
    expect(unavailableFrom(httpError(401, "Bad credentials"), "x")).toMatchObject({
      fix: "reinstall the app or renew the token, then run the check again",
    });
  });

  it("turns a failing read into an unavailable fact and a successful one into a known fact", async () => {
    expect(await readFact("x", async () => 3)).toEqual({ ok: true, value: 3 });
    expect(
      await readFact("x", async () => {
        throw httpError(500, "boom");
      }),
    ).toMatchObject({ ok: false, reason: "x: GitHub answered 500" });
  });
});

describe("partialGraphqlData", () => {
  const notFound = (alias: string) => ({ type: "NOT_FOUND", path: ["repository", alias], message: "no" });

  it("keeps the data when every error is a tolerated alias that named nothing", () => {
    const error = { data: { repository: { ref9: null } }, errors: [notFound("ref9")] };
    expect(partialGraphqlData(error, (a) => a.startsWith("ref"))).toEqual({ repository: { ref9: null } });
  });

  it("gives up on any other error, or when there is no data", () => {
    expect(
      partialGraphqlData({ data: {}, errors: [notFound("pullRequest")] }, (a) => a.startsWith("ref")),
    ).toBeUndefined();
    expect(
      partialGraphqlData(
        { data: {}, errors: [{ type: "FORBIDDEN", path: ["repository", "ref1"] }] },
        () => true,
      ),
    ).toBeUndefined();
    expect(partialGraphqlData({ errors: [notFound("ref1")] }, () => true)).toBeUndefined();
    expect(partialGraphqlData(httpError(500), () => true)).toBeUndefined();
  });
});

describe("describeError on a request that got no answer", () => {
  it("does not call a failed connection or a timeout an answer from GitHub", () => {
    // What Octokit throws when fetch itself fails: status 500, no response, the failure as cause.
    const transport = (message: string, cause: unknown) =>
      Object.assign(new Error(message), { name: "HttpError", status: 500, cause });
    expect(describeError(transport("no answer from GitHub within 500 ms (3 attempts)", new Error("x")))).toBe(
      "the request failed: no answer from GitHub within 500 ms (3 attempts)",
    );
    const answered = Object.assign(new Error("Server Error"), {
      status: 502,
      response: { status: 502 },
      cause: new Error("x"),
    });
    expect(describeError(answered)).toBe("GitHub answered 502");
  });
});
