/**
 * Webhook deliveries larger than GitHub ever sends are refused before their body is read.
 *
 * Probot's webhook middleware reads the whole body into memory and only then checks the signature
 * (it cannot do otherwise: the signature covers the body), and it sets no size limit. Without one,
 * anybody who can reach the server could make it hold gigabytes. GitHub caps a payload at 25 MB and
 * always sends a Content-Length, so a POST to the webhook path is refused with
 * - 413 when its Content-Length is over 25 MiB, and
 * - 411 when it has no Content-Length but a body (chunked), whose size nobody could know in advance.
 *
 * Probot's server runs its webhook middleware before any handler an app adds, so the request is
 * classified as it arrives (Node's `http.server.request.start` diagnostics channel fires before the
 * server's request listeners) and moved to a path the middleware ignores; the handler registered
 * here then answers it. Where the app's handlers run first (Probot's createNodeMiddleware), the
 * handler recognises an oversized delivery by itself.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub's cap on a webhook payload (25 MB), in bytes. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;
const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
/** Where a refused delivery is moved to, out of the webhook middleware's way. */
const REFUSED_PATH = "/.pom-governance/refused-delivery";

interface Refusal {
  status: 411 | 413;
  error: string;
  url: string | undefined;
}

const refusals = new WeakMap<IncomingMessage, Refusal>();
const watched = new Map<string, number>();
let subscribed = false;

function pathOf(url: string | undefined): string {
  const path = (url ?? "").split("?")[0] ?? "";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** Why `req` must be refused before its body is read, or undefined when it may be read. */
export function refusalOf(req: IncomingMessage, maxBytes = MAX_DELIVERY_BYTES): Refusal | undefined {
  const length = req.headers["content-length"];
  if (length === undefined) {
    if (req.headers["transfer-encoding"] === undefined) return undefined;
    return { status: 411, error: "a webhook delivery must have a Content-Length header", url: req.url };
  }
  // Node refuses a malformed Content-Length itself (400) before any listener sees the request.
  if (Number(length) <= maxBytes) return undefined;
  return {
    status: 413,
    error: `a webhook delivery may be at most ${maxBytes} bytes; this one has ${length}`,
    url: req.url,
  };
}

function onRequestStart(message: unknown): void {
  const { request } = message as { request?: IncomingMessage };
  if (request?.method !== "POST") return;
  const maxBytes = watched.get(pathOf(request.url));
  if (maxBytes === undefined) return;
  const refusal = refusalOf(request, maxBytes);
  if (!refusal) return;
  refusals.set(request, refusal);
  request.url = REFUSED_PATH;
}

/**
 * Starts refusing oversized deliveries to `path` (Probot's WEBHOOK_PATH by default) and returns the
 * HTTP handler that answers them; add it with Probot's `addHandler`.
 */
export function deliveryLimit(
  options: { path?: string; maxBytes?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const path = pathOf(options.path ?? (process.env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH));
  const maxBytes = options.maxBytes ?? MAX_DELIVERY_BYTES;
  watched.set(path, maxBytes);
  if (!subscribed) {
    subscribe("http.server.request.start", onRequestStart);
    subscribed = true;
  }
  return (req, res) => {
    const refusal =
      refusals.get(req) ??
      (req.method === "POST" && pathOf(req.url) === path ? refusalOf(req, maxBytes) : undefined);
    if (!refusal) return false;
    // The request log shows the path the delivery was sent to.
    req.url = refusal.url;
    const body = JSON.stringify({ error: refusal.error });
    // The body is never read: closing the connection discards it.
    res.writeHead(refusal.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    res.end(body);
    return true;
  };
}
