/**
 * The fake GitHub must answer like GitHub and must be able to fail: each case is a behaviour the
 * end-to-end test and the benchmark rely on, or a mistake the fake has to report.
 */
import { createSign, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../testkit/fake-github/server.js";

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

function jwt(appId: number, key = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 300, iss: appId })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key, "base64url")}`;
}

const QUERY = `query($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    pr7: pullRequest(number: 7) { number title labels(first: 5) { nodes { name } } files(first: 1) { nodes { path } pageInfo { hasNextPage } } }
    pr99: pullRequest(number: 99) { number }
    refs(refPrefix: "refs/tags/", first: 10, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
      nodes { name target { __typename oid ... on Commit { committedDate } } }
    }
  }
}`;

let fake: FakeGitHub;
let token: string;

beforeAll(async () => {
  fake = await startFakeGitHub({
    apps: [{ id: 1, publicKey: keys.publicKey }],
    installations: [
      { id: 1, account: "acme" },
      { id: 2, account: "acme", repositories: ["acme/other"] },
    ],
    repos: [
      {
        owner: "acme",
        name: "checkout",
        files: { ".github/pom.yml": "version: 1\n" },
        commits: [
          { sha: shaOf("a"), message: "one", date: "2026-01-01T00:00:00Z" },
          { sha: shaOf("b"), message: "two", date: "2026-02-01T00:00:00Z" },
        ],
        tags: { "v1.0.0": shaOf("a"), "v1.1.0": shaOf("b") },
        pulls: [{ number: 7, title: "CHK-1 form", labels: ["ux"], files: ["a.ts", "b.ts"] }],
        issues: [{ number: 8, title: "A bug" }],
      },
      { owner: "acme", name: "other" },
    ],
  });
  const res = await fetch(`${fake.url}/api/v3/app/installations/1/access_tokens`, {
    method: "POST",
    headers: { authorization: `bearer ${jwt(1)}`, accept: "application/vnd.github+json" },
  });
  token = ((await res.json()) as { token: string }).token;
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function api(path: string, init: RequestInit & { as?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `token ${init.as ?? token}`);
  if (init.body) headers.set("content-type", "application/json");
  return fetch(`${fake.url}${path.startsWith("/api/") ? path : `/api/v3${path}`}`, { ...init, headers });
}

describe("fake GitHub: apps and installations", () => {
  it("gives a token for the app's JWT, and refuses a JWT signed with another key", async () => {
    const good = await fetch(`${fake.url}/api/v3/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `bearer ${jwt(1)}` },
    });
    expect(good.status).toBe(201);
    const bad = await fetch(`${fake.url}/api/v3/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `bearer ${jwt(1, other.privateKey)}` },
    });
    expect(bad.status).toBe(401);
    expect(fake.problems.join("\n")).toContain("signature does not verify");
  });

  it("shows an installation only its own repositories", async () => {
    fake.state.tokens.set("t2", 2);
    const listed = await (await api("/installation/repositories", { as: "t2" })).json();
    expect(
      (listed as { repositories: { full_name: string }[] }).repositories.map((r) => r.full_name),
    ).toEqual(["acme/other"]);
    expect((await api("/repos/acme/checkout", { as: "t2" })).status).toBe(404);
    expect(fake.problems).toEqual([]);
  });
});

describe("fake GitHub: the app's delivery log", () => {
  const app = (path: string, init: RequestInit = {}) =>
    fetch(`${fake.url}/api/v3${path}`, { ...init, headers: { authorization: `bearer ${jwt(1)}` } });
  const payload = { action: "opened", installation: { id: 1 }, repository: { id: 3 } };

  it("serves the app's attempts newest first, paged by the Link header's cursor, to the app's JWT only", async () => {
    const log = fake.state.deliveries;
    const first = log.record({ event: "issues", payload, statusCode: 502 });
    const second = log.record({ event: "issues", payload, statusCode: 0 });
    log.record({ event: "issues", payload, statusCode: 200, appId: 2 });
    const page = await app("/app/hook/deliveries?per_page=1");
    expect(page.status).toBe(200);
    const items = (await page.json()) as { id: number; guid: string; status: string; status_code: number }[];
    expect(items.map((d) => [d.id, d.status_code, d.status])).toEqual([
      [second.id, 0, "failed to connect to host"],
    ]);
    const next = /<([^>]+)>; rel="next"/.exec(page.headers.get("link") ?? "")?.[1] ?? "";
    const rest = (await (await app(next.replace(/^.*\/api\/v3/, ""))).json()) as { id: number }[];
    expect(rest.map((d) => d.id)).toEqual([first.id]);
    expect((await api("/app/hook/deliveries")).status).toBe(401);
    expect(fake.problems).toEqual([
      "GET /api/v3/app/hook/deliveries: needs the app's JWT (got installation)",
    ]);
    fake.reset();
  });

  it("sends a delivery again when asked, with its GUID, and logs that attempt as a redelivery", async () => {
    const log = fake.state.deliveries;
    const failed = log.record({ event: "push", payload, statusCode: 503 });
    const sent: string[] = [];
    log.onRedeliver = async (d) => {
      sent.push(d.guid);
      return 200;
    };
    const asked = await app(`/app/hook/deliveries/${failed.id}/attempts`, { method: "POST" });
    expect(asked.status).toBe(202);
    await log.settled();
    expect(sent).toEqual([failed.guid]);
    expect(log.all.filter((d) => d.guid === failed.guid).map((d) => [d.status_code, d.redelivery])).toEqual([
      [503, false],
      [200, true],
    ]);
    expect(log.requested.at(-1)).toEqual({ id: failed.id, guid: failed.guid, appId: 1 });
    log.onRedeliver = undefined;
  });

  it("refuses to redeliver an unknown delivery (404) or one older than three days (422)", async () => {
    const old = fake.state.deliveries.record({
      event: "push",
      payload,
      statusCode: 502,
      deliveredAt: new Date(Date.now() - 3 * 86_400_000 - 1000).toISOString(),
    });
    expect((await app("/app/hook/deliveries/999999/attempts", { method: "POST" })).status).toBe(404);
    expect((await app(`/app/hook/deliveries/${old.id}/attempts`, { method: "POST" })).status).toBe(422);
    expect(fake.problems).toEqual([]);
  });
});

describe("fake GitHub: REST", () => {
  it("serves raw contents with an ETag, then 304 for it, which does not count against the rate limit", async () => {
    const path = "/repos/acme/checkout/contents/.github%2Fpom.yml";
    const first = await api(path, { headers: { accept: "application/vnd.github.v3.raw" } });
    expect(await first.text()).toBe("version: 1\n");
    const etag = first.headers.get("etag") ?? "";
    const second = await api(path, {
      headers: { accept: "application/vnd.github.v3.raw", "if-none-match": etag },
    });
    expect(second.status).toBe(304);
    expect((await api("/repos/acme/checkout/contents/nope.yml")).status).toBe(404);
    expect(fake.counts()).toMatchObject({ total: 3, rateLimited: 2, notModified: 1, writes: 0 });
  });

  it("resolves a tag to its plain sha with the sha media type", async () => {
    const res = await api("/repos/acme/checkout/commits/v1.0.0", {
      headers: { accept: "application/vnd.github.sha" },
    });
    expect(await res.text()).toBe(shaOf("a"));
    const compare = (await (await api("/repos/acme/checkout/compare/v1.0.0...v1.1.0")).json()) as {
      commits: { sha: string }[];
    };
    expect(compare.commits.map((c) => c.sha)).toEqual([shaOf("b")]);
  });

  it("adds a label once however often it is added, and counts the writes", async () => {
    for (let i = 0; i < 2; i++) {
      await api("/repos/acme/checkout/issues/8/labels", {
        method: "POST",
        body: JSON.stringify({ labels: ["Bug"] }),
      });
    }
    expect(fake.state.issue("acme/checkout", 8).labels).toEqual(["Bug"]);
    expect(fake.counts().writes).toBe(2);
  });

  it("answers a route it does not know with 404 and records it", async () => {
    expect((await api("/repos/acme/checkout/branches")).status).toBe(404);
    expect(fake.problems).toEqual([expect.stringContaining("GET /api/v3/repos/acme/checkout/branches")]);
  });

  it("records a request GitHub's API description rejects", async () => {
    await api("/repos/acme/checkout/issues/8", { method: "PATCH", body: JSON.stringify({ state: "shut" }) });
    expect(fake.problems.join("\n")).toMatch(/body\/state must be equal to one of the allowed values/);
  });
});

describe("fake GitHub: GraphQL", () => {
  const graphql = async (query: string, variables: object = { owner: "acme", repo: "checkout" }) =>
    (await (
      await api("/api/graphql", { method: "POST", body: JSON.stringify({ query, variables }) })
    ).json()) as {
      data?: { repository: Record<string, unknown> };
      errors?: { type?: string; path?: string[]; message: string }[];
    };

  it("answers aliases, connections and fragments, with NOT_FOUND beside partial data", async () => {
    const answer = await graphql(QUERY);
    expect(answer.data?.repository.pr7).toEqual({
      number: 7,
      title: "CHK-1 form",
      labels: { nodes: [{ name: "ux" }] },
      files: { nodes: [{ path: "a.ts" }], pageInfo: { hasNextPage: true } },
    });
    expect(answer.data?.repository.pr99).toBeNull();
    expect(answer.errors).toEqual([
      expect.objectContaining({ type: "NOT_FOUND", path: ["repository", "pr99"] }),
    ]);
    expect(answer.data?.repository.refs).toEqual({
      nodes: [
        {
          name: "v1.1.0",
          target: { __typename: "Commit", oid: shaOf("b"), committedDate: "2026-02-01T00:00:00Z" },
        },
        {
          name: "v1.0.0",
          target: { __typename: "Commit", oid: shaOf("a"), committedDate: "2026-01-01T00:00:00Z" },
        },
      ],
    });
    expect(fake.problems).toEqual([]);
    expect(fake.counts().graphql).toBe(1);
  });

  it("fails a query GitHub would fail (its public schema, its connection limits), and records why", async () => {
    const cases = [
      'query { repository(owner: "acme", name: "checkout") { stars } }',
      'query { repository(owner: "acme", name: "checkout") { pullRequest(number: 7) { labels { nodes { name } } } } }',
      'query { repository(owner: "acme", name: "checkout") { pullRequest(number: 7) { files(first: 250) { nodes { path } } } } }',
      'query { repository(owner: $owner, name: "checkout") { name } }',
      // 100 issues × 100 labels × … : GitHub's node limit, counted before the query runs.
      'query { repository(owner: "acme", name: "checkout") { issues(first: 100) { nodes { labels(first: 100) { nodes { issues(first: 100) { nodes { number } } } } } } } }',
    ];
    for (const query of cases) expect((await graphql(query)).errors).toHaveLength(1);
    expect(fake.problems).toEqual([
      expect.stringContaining('Cannot query field "stars" on type "Repository"'),
      expect.stringContaining("provide a `first` or `last` value"),
      expect.stringContaining("exceeds the `first` limit of 100"),
      expect.stringContaining('Variable "$owner" is not defined'),
      expect.stringContaining(
        "requests up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000",
      ),
    ]);
  });

  it("counts GitHub's node limit as GitHub documents it", async () => {
    const { nodeCount } = await import("../../testkit/fake-github/node-limit.js");
    // GitHub's example: 50 + 50 × 10 + 50 × 10 × 20... here two levels and a sibling.
    expect(
      nodeCount(
        "query { viewer { repositories(first: 50) { nodes { issues(first: 10) { totalCount } } } } }",
      ),
    ).toBe(50 + 500);
    expect(
      nodeCount(
        "query($n: Int) { viewer { a: repositories(first: $n) { totalCount } b: followers(last: 3) { nodes { login } } } }",
        { n: 7 },
      ),
    ).toBe(7 + 3);
    expect(
      nodeCount(
        'query { nodes(ids: ["a", "b"]) { ... on Repository { issues(first: 10) { totalCount } } } }',
      ),
    ).toBe(2 + 20);
  });
});
