/**
 * wholeFetch against loopback servers: what githubFetch and Octokit read of an answer, redirects
 * as fetch follows them (credentials dropped across origins), and failures shaped as fetch's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubFetch } from "../../../github/transport/http.js";
import { codeOf } from "../../../github/transport/retry-policy.js";
import { WHOLE, wholeFetch } from "../../../github/transport/whole-fetch.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

interface Loopback {
  url: string;
  seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

async function loopback(handler: Handler): Promise<Loopback> {
  const seen: Loopback["seen"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let api: Loopback;
let elsewhere: Loopback;

beforeAll(async () => {
  elsewhere = await loopback((_req, _body, res) =>
    res.writeHead(200, { "content-type": "text/plain" }).end("moved"),
  );
  api = await loopback((req, body, res) => {
    const path = req.url ?? "";
    if (path === "/json") {
      res.writeHead(200, { "content-type": "application/json", "x-ratelimit-remaining": "9", etag: '"a"' });
      res.end(JSON.stringify({ ok: true, echo: body }));
    } else if (path === "/empty") res.writeHead(204).end();
    else if (path === "/see-other") res.writeHead(303, { location: "/json" }).end();
    else if (path === "/temporary") res.writeHead(307, { location: "/json" }).end();
    else if (path === "/away") res.writeHead(302, { location: `${elsewhere.url}/there` }).end();
    else if (path === "/loop") res.writeHead(302, { location: "/loop" }).end();
    else if (path === "/stall") res.writeHead(200).write("part");
    else res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
  });
});

afterAll(async () => {
  await api?.close();
  await elsewhere?.close();
});

describe("wholeFetch", () => {
  it("answers with the status, the headers by any case, and the body read whole", async () => {
    const answer = await wholeFetch(`${api.url}/json`, {
      headers: { Authorization: "token t", "X-One": "1" },
    });
    expect([answer.status, answer.ok, answer.url]).toEqual([200, true, `${api.url}/json`]);
    expect(answer.headers.get("X-RateLimit-Remaining")).toBe("9");
    expect(answer.headers.has("etag")).toBe(true);
    expect(Object.fromEntries(answer.headers as unknown as Iterable<[string, string]>)).toMatchObject({
      "content-type": "application/json",
      etag: '"a"',
    });
    expect(await answer.clone().json()).toEqual({ ok: true, echo: "" });
    expect(new TextDecoder().decode(await answer.arrayBuffer())).toBe('{"ok":true,"echo":""}');
    expect(answer.body).toBeInstanceOf(Uint8Array);
    expect(WHOLE in answer).toBe(true);
    expect(api.seen.at(-1)?.headers).toMatchObject({ authorization: "token t", "x-one": "1" });
  });

  it("sends a text body with its length, and has no body for a 204", async () => {
    const answer = await wholeFetch(`${api.url}/json`, { method: "POST", body: '{"a":1}' });
    expect(await answer.json()).toEqual({ ok: true, echo: '{"a":1}' });
    expect(api.seen.at(-1)).toMatchObject({ method: "POST", headers: { "content-length": "7" } });
    expect((await wholeFetch(`${api.url}/empty`)).body).toBeNull();
  });

  it("follows a 303 as a GET without the body, and a 307 with the method and the body", async () => {
    const seeOther = await wholeFetch(`${api.url}/see-other`, { method: "POST", body: "x" });
    expect(await seeOther.json()).toEqual({ ok: true, echo: "" });
    expect(api.seen.at(-1)?.method).toBe("GET");
    const temporary = await wholeFetch(`${api.url}/temporary`, { method: "POST", body: "x" });
    expect(await temporary.json()).toEqual({ ok: true, echo: "x" });
    expect(temporary.url).toBe(`${api.url}/json`);
  });

  it("drops the credentials on a redirect to another origin, as fetch does", async () => {
    const answer = await wholeFetch(`${api.url}/away`, { headers: { authorization: "token secret" } });
    expect(await answer.text()).toBe("moved");
    expect(elsewhere.seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("gives up after 20 redirects, and leaves them alone with redirect: manual", async () => {
    await expect(wholeFetch(`${api.url}/loop`)).rejects.toThrow("fetch failed");
    expect((await wholeFetch(`${api.url}/loop`, { redirect: "manual" })).status).toBe(302);
  });

  it("fails as fetch fails: a TypeError whose cause carries the network error's code", async () => {
    const closed = await loopback(() => undefined);
    await closed.close();
    const error = await wholeFetch(`${closed.url}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(codeOf(error)).toBe("ECONNREFUSED");
  });

  it("rejects with the signal's reason when aborted, also while the body is still coming", async () => {
    const error = await wholeFetch(`${api.url}/stall`, { signal: AbortSignal.timeout(200) }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe("TimeoutError");
  });

  it("serves githubFetch and Octokit: JSON, errors with GitHub's message, retries", async () => {
    const octokit = new Octokit({ baseUrl: api.url, request: { fetch: githubFetch({ fetch: wholeFetch }) } });
    const { data } = await octokit.request("POST /json", { a: 1 });
    expect(data).toEqual({ ok: true, echo: '{"a":1}' });
    await expect(octokit.request("GET /missing")).rejects.toMatchObject({
      status: 404,
      message: "Not Found",
    });
    const timedOut = await githubFetch({ fetch: wholeFetch, timeoutMs: 100, attempts: 1 })(
      `${api.url}/stall`,
    ).catch((e: unknown) => e);
    expect((timedOut as Error).message).toMatch(/no answer from GitHub within 100 ms/);
  });
});
