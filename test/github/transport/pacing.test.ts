/**
 * The pacing plugin: which requests create content, how a creation's priority travels to the
 * pacer (a request option the hook reads and removes), which window a client's creations count
 * in, and that GitHub's own answers (`retry-after` on a 403) are still honoured by the transport
 * for a paced request, which takes one slot however often it is retried.
 */
import { Octokit } from "@octokit/core";
import { describe, expect, it } from "vitest";
import { githubFetch } from "../../../github/transport/http.js";
import { GITHUB_CREATE_LIMITS } from "../../../github/transport/pace-window.js";
import { installationKey, isContentCreating, paced, pacing } from "../../../github/transport/pacing.js";
import { pacerOnVirtualTime } from "../../../testkit/virtual-clock.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

/** An Octokit with the pacing plugin over a recording fetch; `answer` may say otherwise than 201. */
function pacedClient(
  limits = GITHUB_CREATE_LIMITS,
  options: { installationId?: number; answer?: (sent: Sent, n: number) => Response } = {},
) {
  const { clock, pacer, admitted } = pacerOnVirtualTime({ limits });
  const sent: Sent[] = [];
  /** What the hooks inside the pacing plugin were given as request options. */
  const inner: unknown[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const body = typeof init?.body === "string" && init.body !== "" ? JSON.parse(init.body) : undefined;
    const request = { method: init?.method ?? "GET", url: String(url), body };
    sent.push(request);
    return (
      options.answer?.(request, sent.length) ??
      new Response(JSON.stringify({ id: sent.length, number: sent.length }), {
        status: 201,
        headers: JSON_HEADERS,
      })
    );
  };
  const Spied = Octokit.plugin((octokit) => {
    octokit.hook.wrap("request", (request, o) => {
      inner.push(o.request);
      return request(o);
    });
  }).plugin(pacing(pacer));
  const octokit = new Spied({
    request: { fetch },
    ...(options.installationId !== undefined ? { auth: { installationId: options.installationId } } : {}),
    authStrategy: () => ({ hook: (request: (o: unknown) => unknown, o: unknown) => request(o) }),
  });
  return { octokit, pacer, admitted, sent, inner, clock };
}

describe("content-creating requests", () => {
  it.each([
    ["POST", "https://api.github.com/repos/acme/web/issues", true],
    ["POST", "http://127.0.0.1:8080/api/v3/repos/acme/web/issues/12/comments", true],
    ["POST", "https://api.github.com/repos/acme/web/check-runs?x=1", true],
    ["PATCH", "https://api.github.com/repos/acme/web/check-runs/5", false],
    ["PATCH", "https://api.github.com/repos/acme/web/issues/12", false],
    ["PATCH", "https://api.github.com/repos/acme/web/issues/comments/7", false],
    ["POST", "https://api.github.com/repos/acme/web/issues/12/labels", false],
    ["DELETE", "https://api.github.com/repos/acme/web/issues/comments/7", false],
    ["GET", "https://api.github.com/repos/acme/web/issues", false],
    ["POST", "https://api.github.com/graphql", false],
    ["POST", "https://api.github.com/app/installations/1/access_tokens", false],
  ])("%s %s creates content: %s", (method, url, creates) => {
    expect(isContentCreating(method, url)).toBe(creates);
  });
});

describe("the pacing plugin", () => {
  it("holds creations for the installation's window and carries their priority, removed before sending", async () => {
    const { octokit, admitted, sent, inner } = pacedClient(GITHUB_CREATE_LIMITS, { installationId: 7 });
    await octokit.request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "web",
      title: "t",
      ...paced({ rank: 0, recency: 5 }),
    });
    expect(admitted).toEqual([
      {
        key: "7",
        at: 0,
        priority: { rank: 0, recency: 5 },
        waitedMs: 0,
        what: "POST https://api.github.com/repos/acme/web/issues",
      },
    ]);
    expect(sent).toEqual([
      { method: "POST", url: "https://api.github.com/repos/acme/web/issues", body: { title: "t" } },
    ]);
    expect(inner).toHaveLength(1);
    expect(inner[0]).not.toHaveProperty("pacePriority");
  });

  it("lets reads and edits through without a slot", async () => {
    const { octokit, admitted, sent } = pacedClient({ perMinute: 1, perHour: 1 }, { installationId: 7 });
    await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: "a",
      repo: "b",
      name: "x",
      head_sha: "c",
    });
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: "a",
      repo: "b",
      check_run_id: 1,
      ...paced({ rank: 0 }),
    });
    await octokit.request("GET /repos/{owner}/{repo}/issues", { owner: "a", repo: "b" });
    expect(admitted).toHaveLength(1);
    expect(sent.map((s) => s.method)).toEqual(["POST", "PATCH", "GET"]);
  });

  it("sends creations that wait together worst first, one a minute at a limit of one", async () => {
    const { octokit, sent, clock } = pacedClient({ perMinute: 1, perHour: 500 }, { installationId: 7 });
    const create = (title: string, rank?: number) =>
      octokit.request("POST /repos/{owner}/{repo}/issues", {
        owner: "a",
        repo: "b",
        title,
        ...paced(rank === undefined ? undefined : { rank }),
      });
    await Promise.all([create("unranked"), create("rest", 2), create("warning", 1), create("error", 0)]);
    expect(sent.map((s) => (s.body as { title: string }).title)).toEqual([
      "error",
      "warning",
      "unranked",
      "rest",
    ]);
    expect(clock.now()).toBe(3 * 60_000);
  });

  it("does not pace a client that is no installation's", async () => {
    const { octokit, admitted } = pacedClient({ perMinute: 1, perHour: 1 });
    for (let i = 0; i < 3; i++)
      await octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "a", repo: "b", title: "t" });
    expect(admitted).toEqual([]);
  });

  it("keys a client by its installation, as Probot gives it in auth or throttle options", () => {
    expect(installationKey({ auth: { installationId: 12 } })).toBe("12");
    expect(installationKey({ throttle: { id: "13" } })).toBe("13");
    expect(installationKey({ auth: "ghs_token" })).toBeUndefined();
    expect(installationKey({})).toBeUndefined();
  });

  it("leaves GitHub's retry-after to the transport: waited as asked, one slot taken", async () => {
    const { pacer, admitted } = pacerOnVirtualTime();
    const waits: number[] = [];
    let calls = 0;
    const fetch = async () =>
      calls++ === 0
        ? new Response(JSON.stringify({ message: "You have exceeded a secondary rate limit" }), {
            status: 403,
            headers: { ...JSON_HEADERS, "retry-after": "7" },
          })
        : new Response(JSON.stringify({ number: 1 }), { status: 201, headers: JSON_HEADERS });
    const Paced = Octokit.plugin(pacing(pacer));
    const octokit = new Paced({
      auth: { installationId: 7 },
      authStrategy: () => ({ hook: (request: (o: unknown) => unknown, o: unknown) => request(o) }),
      request: {
        fetch: githubFetch({
          fetch,
          sleep: async (ms) => {
            waits.push(ms);
          },
        }),
      },
    });
    const { status } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
      owner: "a",
      repo: "b",
      title: "t",
    });
    expect(status).toBe(201);
    expect(calls).toBe(2);
    expect(waits).toEqual([7_000]);
    expect(admitted).toHaveLength(1);
  });
});
