/**
 * The fake GitHub's fault injection, which the reliability tests rely on: a fault matches by
 * operation, predicate and repository, applies a set number of times, and answers in place of the
 * fake, late, after the fake acted, or not at all. Faulted requests are recorded and still checked
 * against GitHub's API description.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";

let fake: FakeGitHub;
const TOKEN = "ghs_faults";
const headers = { authorization: `token ${TOKEN}`, "content-type": "application/json" };
const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";

const get = (path: string) => fetch(`${fake.url}/api/v3${path}`, { headers });
const post = (path: string, body: unknown) =>
  fetch(`${fake.url}/api/v3${path}`, { method: "POST", headers, body: JSON.stringify(body) });
const graphql = (query: string, variables: object) =>
  fetch(`${fake.url}/api/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });

beforeAll(async () => {
  fake = await startFakeGitHub({
    installations: [{ id: 1, account: "acme" }],
    repos: [
      {
        owner: "acme",
        name: "one",
        files: { "pom.yml": "version: 1\n" },
        issues: [{ number: 1, title: "A" }],
      },
      { owner: "acme", name: "two", files: { "pom.yml": "version: 1\n" } },
    ],
  });
  fake.state.tokens.set(TOKEN, 1);
});

afterEach(() => {
  fake.clearFaults();
  fake.reset();
});

afterAll(async () => {
  await fake?.close();
});

describe("fake.inject", () => {
  it("answers the next `times` matching requests with the fault, then the fake answers again", async () => {
    const fault = fake.inject({ match: CONTENTS, times: 2, status: 503, headers: { "retry-after": "7" } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get("/repos/acme/one/contents/pom.yml"));
    expect(answers.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(answers[0]?.headers.get("retry-after")).toBe("7");
    expect(await answers[0]?.json()).toMatchObject({ message: "Service Unavailable" });
    expect(fault.hits).toBe(2);
    expect(fake.requests.map((r) => [r.status, r.operation, r.fault])).toEqual([
      [503, CONTENTS, "503"],
      [503, CONTENTS, "503"],
      [200, CONTENTS, undefined],
    ]);
  });

  it("matches one repository only, from the path or from GraphQL's variables and query", async () => {
    fake.inject({ match: "*", repo: "acme/two", times: Infinity, status: 502 });
    expect((await get("/repos/acme/one/contents/pom.yml")).status).toBe(200);
    expect((await get("/repos/acme/two/contents/pom.yml")).status).toBe(502);
    const query = "query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { id } }";
    expect((await graphql(query, { owner: "acme", repo: "one" })).status).toBe(200);
    expect((await graphql(query, { owner: "acme", repo: "two" })).status).toBe(502);
    expect((await graphql('query { r: repository(owner: "acme", name: "two") { id } }', {})).status).toBe(
      502,
    );
  });

  it("matches by predicate, and stops once removed", async () => {
    const fault = fake.inject({ match: (r) => r.path.includes("pom.yml"), times: Infinity, status: 404 });
    expect((await get("/repos/acme/one/contents/pom.yml")).status).toBe(404);
    fault.remove();
    expect((await get("/repos/acme/one/contents/pom.yml")).status).toBe(200);
  });

  it("answers late with the real answer when only a delay is given", async () => {
    fake.inject({ match: CONTENTS, delayMs: 150 });
    const started = performance.now();
    const res = await get("/repos/acme/one/contents/pom.yml");
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.requests[0]?.fault).toBe("delay 150ms");
  });

  it("cuts the connection without an answer", async () => {
    fake.inject({ match: CONTENTS, reset: true });
    await expect(get("/repos/acme/one/contents/pom.yml")).rejects.toThrow("fetch failed");
    expect(fake.requests.map((r) => [r.status, r.fault])).toEqual([[0, "reset"]]);
  });

  it("acts on the request first when told to, so that only its answer is lost", async () => {
    const before = fake.state.commentsOn("acme/one", 1).length;
    fake.inject({
      match: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      status: 502,
      afterProcessing: true,
    });
    expect((await post("/repos/acme/one/issues/1/comments", { body: "hello" })).status).toBe(502);
    expect(fake.state.commentsOn("acme/one", 1)).toHaveLength(before + 1);
    expect(fake.requests[0]?.fault).toBe("502 after processing");
  });

  it("still checks a faulted request against GitHub's API description", async () => {
    fake.inject({ match: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", status: 500 });
    await post("/repos/acme/one/issues/1/comments", { text: "not a field of this route" });
    expect(fake.problems.join("\n")).toMatch(/body/);
  });
});
