/**
 * githubFetch over real connections to a loopback server: what only a socket shows (an answer that
 * never comes, a connection reset or refused, a body sent again) and Octokit on top of it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/core";
import { afterEach, describe, expect, it } from "vitest";
import { describeError } from "../../../github/transport/client.js";
import {
  type GitHubFetchOptions,
  GitHubUnreachableError,
  githubFetch,
  type RetryNotice,
} from "../../../github/transport/http.js";

const json = (body: unknown) => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

describe("githubFetch against a loopback server", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A server that runs `handle` for the n-th request (from 1) and records the bodies. */
  async function serve(handle: (n: number, req: IncomingMessage, res: ServerResponse, body: string) => void) {
    const bodies: string[] = [];
    const listening = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        bodies.push(body);
        handle(bodies.length, req, res, body);
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, bodies };
  }

  const fast = (options: GitHubFetchOptions = {}) =>
    githubFetch({ timeoutMs: 150, attempts: 3, backoffMs: 5, maxWaitMs: 1_000, ...options });

  it("abandons an attempt that gets no answer in time and tries again", async () => {
    const { url, bodies } = await serve((n, _req, res) => {
      if (n === 1) return; // never answers
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const notices: RetryNotice[] = [];
    const res = await fast({ onRetry: (n) => notices.push(n) })(`${url}/repos/acme/checkout`);
    expect(await res.json()).toEqual({ ok: true });
    expect(bodies).toHaveLength(2);
    expect(notices[0]?.reason).toBe("no answer within 150 ms");
  });

  it("sends a check run again after a timeout: a second run of the name is harmless, a missing one is not", async () => {
    const { url, bodies } = await serve((n, _req, res) => {
      if (n === 1) return; // never answers
      res.writeHead(201, { "content-type": "application/json" }).end('{"id":1}');
    });
    const res = await fast()(`${url}/repos/acme/checkout/check-runs`, json({ name: "x" }));
    expect(res.status).toBe(201);
    expect(bodies).toEqual([JSON.stringify({ name: "x" }), JSON.stringify({ name: "x" })]);
  });

  it("does not send a POST that creates something again after a timeout, and says what happened", async () => {
    const { url, bodies } = await serve(() => {
      // never answers
    });
    const error = await fast()(`${url}/repos/acme/checkout/issues`, json({ title: "x" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitHubUnreachableError);
    expect((error as Error).message).toBe("no answer from GitHub within 150 ms");
    // On a busy machine the server may read the body after the client gave up: wait for it, and
    // for a resend to arrive if there were one.
    for (let i = 0; i < 100 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies).toHaveLength(1);
  });

  it("retries a read whose connection is reset, and a GraphQL query with the same body", async () => {
    const { url, bodies } = await serve((n, req, res) => {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"data":{}}');
    });
    const body = JSON.stringify({ query: "query { viewer { login } }", variables: { a: 1 } });
    const res = await fast()(`${url}/graphql`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(bodies).toEqual([body, body]);
  });

  it("retries a refused connection and then gives up with a clear error", async () => {
    const { url } = await serve(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const notices: RetryNotice[] = [];
    const error = await fast({ onRetry: (n) => notices.push(n) })(`${url}/repos/acme/checkout`).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("the connection to GitHub failed (ECONNREFUSED) (3 attempts)");
    expect(notices.map((n) => n.reason)).toEqual([
      "connection failed (ECONNREFUSED)",
      "connection failed (ECONNREFUSED)",
    ]);
  });

  it("stops at once when the caller aborts", async () => {
    const controller = new AbortController();
    // Aborted once the request has arrived (a timer could fire before it does on a busy machine).
    const { url, bodies } = await serve(() => {
      setTimeout(() => controller.abort(), 10);
    });
    await expect(
      fast({ timeoutMs: 5_000 })(`${url}/repos/acme/checkout`, { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(bodies).toHaveLength(1);
  });

  it("gives Octokit the answer after a burst of 503s, and a finding-ready reason when there is none", async () => {
    const { url, bodies } = await serve((n, _req, res) => {
      if (n <= 2) res.writeHead(503, { "content-type": "application/json" }).end('{"message":"unavailable"}');
      else if (n === 3)
        res.writeHead(200, { "content-type": "application/json" }).end('{"full_name":"acme/checkout"}');
      // from the fourth on: no answer
    });
    const octokit = new Octokit({ baseUrl: url, request: { fetch: fast() } });
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "checkout" });
    expect(data).toEqual({ full_name: "acme/checkout" });
    expect(bodies).toHaveLength(3);

    const error = await octokit
      .request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "checkout" })
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe("the request failed: no answer from GitHub within 150 ms (3 attempts)");
  });
});
