/**
 * The HTTP server's timeouts: read strictly from the environment with defaults that fit a webhook
 * receiver, and, once applied to a server, enforced within a fraction of a second of their value.
 */
import { createServer } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import {
  applyTimeouts,
  checkEveryMs,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  serverTimeouts,
} from "../../app/server-timeouts.js";

describe("serverTimeouts", () => {
  it("is 30 s for a whole request and 10 s for its headers unless set", () => {
    expect(serverTimeouts({})).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
    expect([DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_HEADERS_TIMEOUT_MS]).toEqual([30_000, 10_000]);
  });

  it("reads both settings, and keeps the default headers timeout within a shorter request timeout", () => {
    expect(serverTimeouts({ POM_REQUEST_TIMEOUT_MS: "20000", POM_HEADERS_TIMEOUT_MS: " 5000 " })).toEqual({
      requestTimeoutMs: 20_000,
      headersTimeoutMs: 5_000,
    });
    expect(serverTimeouts({ POM_REQUEST_TIMEOUT_MS: "4000" })).toEqual({
      requestTimeoutMs: 4_000,
      headersTimeoutMs: 4_000,
    });
  });

  it.each([
    [{ POM_REQUEST_TIMEOUT_MS: "30s" }, /POM_REQUEST_TIMEOUT_MS must be a whole number of at least 1000/],
    [{ POM_HEADERS_TIMEOUT_MS: "500" }, /POM_HEADERS_TIMEOUT_MS must be a whole number of at least 1000/],
    [{ POM_REQUEST_TIMEOUT_MS: "0" }, /at least 1000/],
    [{ POM_REQUEST_TIMEOUT_MS: "5000", POM_HEADERS_TIMEOUT_MS: "6000" }, /may not be longer than/],
  ])("stops start-up on %j", (env, message) => {
    expect(() => serverTimeouts(env)).toThrow(message);
  });

  it("has the server look for late clients every second at most, sooner for short timeouts", () => {
    expect(checkEveryMs(serverTimeouts({}))).toBe(1_000);
    expect(checkEveryMs({ requestTimeoutMs: 2_000, headersTimeoutMs: 1_000 })).toBe(250);
  });
});

describe("applyTimeouts", () => {
  it("cuts off a client that does not finish its headers with 408, soon after the timeout", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    applyTimeouts(server, { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000 });
    expect([server.requestTimeout, server.headersTimeout]).toEqual([1_500, 1_000]);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const started = performance.now();
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      const socket = connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        text += chunk;
      });
      socket.on("close", () => resolve(text));
    });
    const ms = performance.now() - started;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_500);
  });
});
