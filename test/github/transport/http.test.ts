/**
 * githubFetch: bounded retries that honour GitHub's headers and never repeat a write GitHub may
 * have carried out. Scripted answers (an injected fetch, a recorded sleep) pin the decisions; a
 * loopback server (http-loopback.test.ts) covers what only a real connection shows.
 */
import { describe, expect, it } from "vitest";
import {
  fetchOptionsFromEnv,
  type GitHubFetchOptions,
  GitHubUnreachableError,
  githubFetch,
  type RetryNotice,
} from "../../../github/transport/http.js";
import { isGraphqlMutation } from "../../../github/transport/retry-policy.js";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const API = "https://api.github.test";

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

/** A fetch that answers from `script` in turn (the last answer repeats) and records what it was sent. */
function scripted(script: (() => Response | Promise<Response>)[]) {
  const sent: Sent[] = [];
  const fetchImpl = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    sent.push({ method: init?.method ?? "GET", url: String(input), body: init?.body });
    const next = script[Math.min(sent.length - 1, script.length - 1)];
    if (!next) throw new Error("empty script");
    return next();
  }) as typeof fetch;
  return { sent, fetchImpl };
}

const answer =
  (status: number, headers: Record<string, string> = {}, body: unknown = {}) =>
  () =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

/** githubFetch with a scripted fetch, no real waiting, a fixed clock and jitter. */
function harness(script: (() => Response | Promise<Response>)[], options: GitHubFetchOptions = {}) {
  const { sent, fetchImpl } = scripted(script);
  const waits: number[] = [];
  const notices: RetryNotice[] = [];
  const f = githubFetch({
    fetch: fetchImpl,
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => NOW,
    random: () => 0.5,
    onRetry: (n) => notices.push(n),
    attempts: 4,
    maxWaitMs: 60_000,
    backoffMs: 100,
    secondaryLimitWaitMs: 5_000,
    ...options,
  });
  return { f, sent, waits, notices };
}

const json = (body: unknown) => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

describe("githubFetch on answers from GitHub", () => {
  it("retries a read through a burst of 500, 502, 503 and 504 and returns the answer that came", async () => {
    const { f, sent, waits, notices } = harness([
      answer(500),
      answer(502),
      answer(503),
      answer(200, {}, { ok: 1 }),
    ]);
    const res = await f(`${API}/repos/acme/checkout/contents/pom.yml`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: 1 });
    expect(sent).toHaveLength(4);
    // Exponential back-off with jitter: 100, 200, 400 ms steps, three quarters of each here.
    expect(waits).toEqual([75, 150, 300]);
    expect(notices.map((n) => [n.attempt, n.reason])).toEqual([
      [1, "GitHub answered 500"],
      [2, "GitHub answered 502"],
      [3, "GitHub answered 503"],
    ]);
  });

  it("gives up after the attempts it has and hands back GitHub's last answer", async () => {
    const { f, sent } = harness([answer(504), answer(503)], { attempts: 3 });
    const res = await f(`${API}/orgs/acme/teams/payments`);
    expect(res.status).toBe(503);
    expect(sent).toHaveLength(3);
  });

  it("never waits longer in all than maxWaitMs, and stops once that is spent", async () => {
    const { f, sent, waits } = harness([answer(502)], {
      attempts: 10,
      backoffMs: 1_000,
      maxWaitMs: 2_500,
      random: () => 0.999,
    });
    expect((await f(`${API}/repos/acme/checkout`)).status).toBe(502);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_500);
    expect(waits).toEqual([1_000, 1_500]);
    expect(sent).toHaveLength(3);
  });

  it("does not repeat a POST that creates something after a 5xx: GitHub may have created it", async () => {
    for (const path of ["/repos/acme/checkout/issues", "/repos/acme/checkout/issues/9/comments"]) {
      const { f, sent } = harness([answer(502), answer(201)]);
      const res = await f(`${API}${path}`, json({ name: "POM governance" }));
      expect(res.status, path).toBe(502);
      expect(sent, path).toHaveLength(1);
    }
  });

  it("repeats creating a check run after 5xx answers (a second run of the name is harmless, a missing one is not)", async () => {
    for (const path of ["/repos/acme/checkout/check-runs", "/api/v3/repos/acme/checkout/check-runs"]) {
      const { f, sent } = harness([answer(502), answer(500), answer(201, {}, { id: 1 })]);
      const res = await f(`${API}${path}`, json({ name: "POM governance" }));
      expect(res.status, path).toBe(201);
      expect(sent, path).toHaveLength(3);
      expect(new Set(sent.map((s) => s.body)).size, path).toBe(1);
    }
  });

  it("does not repeat a PATCH after a 5xx (appending annotations twice would duplicate them)", async () => {
    const { f, sent } = harness([answer(500), answer(200)]);
    expect(
      (await f(`${API}/repos/acme/checkout/check-runs/1`, { ...json({}), method: "PATCH" })).status,
    ).toBe(500);
    expect(sent).toHaveLength(1);
  });

  it("repeats PUT and DELETE, and the POSTs that change nothing when repeated", async () => {
    for (const [method, path] of [
      ["DELETE", "/repos/acme/checkout/issues/comments/5"],
      ["PUT", "/repos/acme/checkout/topics"],
      ["POST", "/repos/acme/checkout/issues/9/labels"],
      ["POST", "/app/installations/1/access_tokens"],
    ] as const) {
      const { f, sent } = harness([answer(503), answer(200)]);
      expect((await f(`${API}${path}`, { ...json({}), method })).status, path).toBe(200);
      expect(sent, path).toHaveLength(2);
    }
  });

  it("repeats a POST that GitHub refused for a rate limit (429, or 403 with retry-after), waiting as told", async () => {
    const { f, sent, waits } = harness([
      answer(429, { "retry-after": "2" }),
      answer(403, { "retry-after": "1" }, { message: "You have exceeded a secondary rate limit." }),
      answer(201, {}, { id: 1 }),
    ]);
    const res = await f(`${API}/repos/acme/checkout/check-runs`, json({ name: "POM governance" }));
    expect(res.status).toBe(201);
    expect(waits).toEqual([2_000, 1_000]);
    // The same body each time.
    expect(new Set(sent.map((s) => s.body)).size).toBe(1);
    expect(sent[2]?.body).toBe(JSON.stringify({ name: "POM governance" }));
  });

  it("reads retry-after as an HTTP date too", async () => {
    const at = new Date(NOW + 3_000).toUTCString();
    const { f, waits } = harness([answer(429, { "retry-after": at }), answer(200)]);
    expect((await f(`${API}/repos/acme/checkout`)).status).toBe(200);
    expect(waits).toEqual([3_000]);
  });

  it("waits a secondary rate limit that names no wait for as long as GitHub asks (a minute, here 5 s)", async () => {
    const { f, waits } = harness([
      answer(403, {}, { message: "You have exceeded a secondary rate limit. Please wait a few minutes." }),
      answer(200),
    ]);
    expect((await f(`${API}/repos/acme/checkout/issues`, json({ title: "x" }))).status).toBe(200);
    expect(waits).toEqual([5_000]);
  });

  it("waits until x-ratelimit-reset (and a second more) when the rate limit is spent", async () => {
    const reset = String(NOW / 1000 + 3);
    const { f, waits, notices } = harness([
      answer(
        403,
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
        { message: "API rate limit exceeded" },
      ),
      answer(200),
    ]);
    expect((await f(`${API}/repos/acme/checkout`)).status).toBe(200);
    expect(waits).toEqual([4_000]);
    expect(notices[0]?.reason).toBe("rate limit exhausted (403)");
  });

  it("does not wait out a reset beyond its budget: it hands back the 403 at once", async () => {
    const reset = String(NOW / 1000 + 3_600);
    const { f, sent, waits } = harness([
      answer(
        403,
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
        { message: "API rate limit exceeded" },
      ),
      answer(200),
    ]);
    expect((await f(`${API}/repos/acme/checkout`)).status).toBe(403);
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("does not retry a 403 that is about permissions, a 401, a 404 or a 422", async () => {
    for (const [status, message] of [
      [403, "Resource not accessible by integration"],
      [401, "Bad credentials"],
      [404, "Not Found"],
      [422, "Validation Failed"],
    ] as const) {
      const { f, sent } = harness([answer(status, {}, { message }), answer(200)]);
      expect((await f(`${API}/orgs/acme/teams/payments`)).status).toBe(status);
      expect(sent, String(status)).toHaveLength(1);
    }
  });

  it("hands back a 403 intact after reading its message", async () => {
    const { f } = harness([answer(403, {}, { message: "Resource not accessible by integration" })]);
    const res = await f(`${API}/orgs/acme/teams/payments`);
    expect(await res.json()).toEqual({ message: "Resource not accessible by integration" });
  });

  it("treats a GraphQL query as a read and a GraphQL mutation as a write", async () => {
    const query = harness([answer(502), answer(200, {}, { data: {} })]);
    expect(
      (await query.f(`${API}/graphql`, json({ query: "query($o: String!) { viewer { login } }" }))).status,
    ).toBe(200);
    expect(query.sent).toHaveLength(2);

    const mutation = harness([answer(502), answer(200, {}, { data: {} })]);
    const body = json({
      query: "# adds a label\nmutation { addLabelsToLabelable(input: {}) { clientMutationId } }",
    });
    expect((await mutation.f(`${API}/graphql`, body)).status).toBe(502);
    expect(mutation.sent).toHaveLength(1);
  });

  it("retries a GraphQL answer of RATE_LIMITED when the limit is spent", async () => {
    const reset = String(NOW / 1000 + 1);
    const { f, sent, waits } = harness([
      answer(
        200,
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
        { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] },
      ),
      answer(200, {}, { data: { viewer: { login: "x" } } }),
    ]);
    const res = await f(`${API}/graphql`, json({ query: "{ viewer { login } }" }));
    expect(await res.json()).toEqual({ data: { viewer: { login: "x" } } });
    expect(sent).toHaveLength(2);
    expect(waits).toEqual([2_000]);
  });

  it("does not retry a request whose body cannot be sent twice", async () => {
    const { f, sent } = harness([answer(503), answer(200)]);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{}"));
        controller.close();
      },
    });
    const init = { method: "PUT", body: stream, duplex: "half" } as RequestInit;
    expect((await f(`${API}/repos/acme/checkout/topics`, init)).status).toBe(503);
    expect(sent).toHaveLength(1);
  });
});

describe("githubFetch on failures of the connection", () => {
  const refused = () => {
    throw new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
  };
  const reset = () => {
    throw new TypeError("fetch failed", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
  };

  it("retries a refused connection, also for a POST: nothing was sent", async () => {
    const { f, sent } = harness([refused, answer(201)]);
    expect((await f(`${API}/repos/acme/checkout/check-runs`, json({}))).status).toBe(201);
    expect(sent).toHaveLength(2);
  });

  it("retries a reset connection for a read, not for a POST that creates something", async () => {
    const read = harness([reset, answer(200)]);
    expect((await read.f(`${API}/repos/acme/checkout`)).status).toBe(200);
    expect(read.sent).toHaveLength(2);

    const write = harness([reset, answer(201)]);
    await expect(write.f(`${API}/repos/acme/checkout/issues`, json({}))).rejects.toBeInstanceOf(
      GitHubUnreachableError,
    );
    expect(write.sent).toHaveLength(1);
  });

  it("throws a clear error once the attempts are spent, with the failure as its cause", async () => {
    const { f, sent } = harness([refused], { attempts: 3 });
    const error = await f(`${API}/repos/acme/checkout`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnreachableError);
    expect((error as Error).message).toBe("the connection to GitHub failed (ECONNREFUSED) (3 attempts)");
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(sent).toHaveLength(3);
  });

  it("passes on any other failure at once", async () => {
    const { f, sent } = harness([
      () => {
        throw new TypeError("Invalid URL");
      },
    ]);
    await expect(f("not a url")).rejects.toThrow("Invalid URL");
    expect(sent).toHaveLength(1);
  });
});

describe("isGraphqlMutation", () => {
  it.each([
    ["mutation { a }", true],
    ["  \n mutation AddLabel($id: ID!) { a }", true],
    ["fragment F on User { login }\nmutation { a { ...F } }", true],
    ["query { a }", false],
    ["{ viewer { login } }", false],
    ['query { search(query: "mutation in text") { a } }', false],
    ["# mutation in a comment\nquery { a }", false],
  ])("%j is a mutation: %s", (document, expected) => {
    expect(isGraphqlMutation(document)).toBe(expected);
  });
});

describe("fetchOptionsFromEnv", () => {
  it("reads the three settings and leaves unset ones to the defaults", () => {
    expect(fetchOptionsFromEnv({})).toEqual({});
    expect(
      fetchOptionsFromEnv({
        POM_GITHUB_TIMEOUT_MS: "500",
        POM_GITHUB_ATTEMPTS: "2",
        POM_GITHUB_MAX_WAIT_MS: "0",
      }),
    ).toEqual({ timeoutMs: 500, attempts: 2, maxWaitMs: 0 });
  });

  it("refuses a value that is not a whole number, naming the variable", () => {
    expect(() => fetchOptionsFromEnv({ POM_GITHUB_TIMEOUT_MS: "30s" })).toThrow(
      'POM_GITHUB_TIMEOUT_MS must be a whole number of at least 1; got "30s"',
    );
    expect(() => fetchOptionsFromEnv({ POM_GITHUB_ATTEMPTS: "0" })).toThrow("POM_GITHUB_ATTEMPTS");
  });
});
