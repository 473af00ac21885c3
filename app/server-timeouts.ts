/**
 * How long the HTTP server waits for a client to send a request: its headers
 * (POM_HEADERS_TIMEOUT_MS, default 10 s) and the whole request, body included
 * (POM_REQUEST_TIMEOUT_MS, default 30 s). A client slower than that is answered 408 and its
 * connection closed.
 *
 * Node's defaults (60 s and 300 s) suit a general web server; this one takes webhooks. GitHub sends
 * a delivery's headers at once and its body (at most 25 MB) in seconds, and gives up on a delivery
 * it has had no answer to within 10 s. A client that needs 10 s for its headers is not GitHub; 30 s
 * for a whole request leaves room for the largest delivery over a slow link and for the
 * dashboard's sign-in form, and holds a connection that trickles its body (each one held costs
 * memory and a socket) a tenth as long as Node would. Handling time is not limited: the timeouts
 * end once the request has been received.
 *
 * Probot creates and starts the server inside `run` and does not hand it out, so the timeouts are
 * set as it starts listening (Node's `net.server.listen` tracing channel, since Node 20.16 and
 * 22.3), before any connection.
 */
import { subscribe } from "node:diagnostics_channel";
import { Server } from "node:http";
import { wholeSetting } from "../core/util/settings.js";

export interface ServerTimeouts {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/**
 * The timeouts `env` sets; a value that is not a whole number of at least 1000, or a headers
 * timeout longer than the request timeout (which includes the headers), stops start-up.
 *
 * @example serverTimeouts({ POM_REQUEST_TIMEOUT_MS: "20000" }) // { requestTimeoutMs: 20000, headersTimeoutMs: 10000 }
 */
export function serverTimeouts(env: Record<string, string | undefined>): ServerTimeouts {
  const requestTimeoutMs = wholeSetting(env, "POM_REQUEST_TIMEOUT_MS", 1_000) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeoutMs =
    wholeSetting(env, "POM_HEADERS_TIMEOUT_MS", 1_000) ??
    Math.min(DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs);
  if (headersTimeoutMs > requestTimeoutMs)
    throw new Error(
      `POM_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) may not be longer than POM_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), which includes the headers`,
    );
  return { requestTimeoutMs, headersTimeoutMs };
}

/**
 * How often Node looks for connections past their timeouts. Its default, 30 s, would let a 10 s
 * headers timeout run to 40 s; the list it walks holds only the connections still sending a request.
 */
export function checkEveryMs({ headersTimeoutMs }: ServerTimeouts): number {
  return Math.min(1_000, Math.floor(headersTimeoutMs / 4));
}

/** Sets `timeouts` on `server`. */
export function applyTimeouts(server: Server, timeouts: ServerTimeouts): void {
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  // A property of every http.Server, read when it starts listening to start its check timer; the
  // types declare it only as a createServer option.
  Object.assign(server, { connectionsCheckingInterval: checkEveryMs(timeouts) });
}

/**
 * Sets `timeouts` on every HTTP server of this process as it starts listening, and logs them; call
 * it before Probot's `run`, and the function it returns after: that one warns when no server got
 * them (a Node.js without the tracing channel).
 */
export function setServerTimeouts(
  timeouts: ServerTimeouts,
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void },
): () => void {
  let applied = false;
  subscribe("tracing:net.server.listen:asyncStart", (message) => {
    const { server } = message as { server?: unknown };
    if (!(server instanceof Server)) return;
    applyTimeouts(server, timeouts);
    applied = true;
    log.info({ ...timeouts, checkEveryMs: checkEveryMs(timeouts) }, "HTTP server timeouts set");
  });
  return () => {
    if (!applied)
      log.warn(
        { node: process.version },
        "HTTP server timeouts not set: this Node.js does not announce servers starting (20.16+ and 22.3+ do)",
      );
  };
}
