/**
 * How a webhook delivery gets in: refused when oversized (delivery-limit.ts), read whole, its
 * signature verified, and only then handed to Probot's webhook middleware.
 *
 * That middleware (@octokit/webhooks' node middleware, which Probot runs before any handler an app
 * adds) starts a 9 s timer as soon as a request reaches it, before it has read the body, and
 * answers "202 still processing" when the timer fires first. A delivery whose body stalls was
 * therefore acknowledged, unverified, after 9 s. Here the middleware only ever sees a delivery that
 * is whole (`req.body`, which it reads instead of the stream) and verified, so its timer can only
 * answer for a delivery that is genuinely slow to handle; a body that never completes is cut off
 * by the server's request timeout (server-timeouts.ts) and acknowledged by nobody.
 *
 * Probot's server gives every request to that middleware first, so a delivery is moved out of its
 * way as it arrives (Node's `http.server.request.start` diagnostics channel fires before the
 * server's request listeners) to a path it ignores; the handler returned here then takes it. Where
 * the app's handlers run first (Probot's createNodeMiddleware), the handler recognises a delivery
 * by its path as well.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { MAX_DELIVERY_BYTES, refusalOf } from "./delivery-limit.js";

/** Where a delivery waits, out of the webhook middleware's way, until the handler takes it. */
const INTAKE_PATH = "/.pom-governance/delivery";

/** The URL each diverted delivery was sent to. */
const sentTo = new WeakMap<IncomingMessage, string>();
const watched = new Map<string, number>();
let subscribed = false;

function pathOf(url: string | undefined): string {
  const path = (url ?? "").split("?")[0] ?? "";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function onRequestStart(message: unknown): void {
  const { request } = message as { request?: IncomingMessage };
  if (request?.method !== "POST" || !watched.has(pathOf(request.url))) return;
  sentTo.set(request, request.url ?? "");
  // pino's request serializer prefers `originalUrl`: the log shows where the delivery was sent.
  Object.assign(request, { originalUrl: request.url });
  request.url = INTAKE_PATH;
}

function answer(res: ServerResponse, status: number, error: string, unread = false): true {
  const body = JSON.stringify({ error });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    // A body left unread is discarded with the connection.
    ...(unread ? { connection: "close" } : {}),
  });
  res.end(body);
  return true;
}

/** The whole body, or undefined when the connection ends first (the client left, or timed out). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", () => resolve(undefined));
    // After "end" this changes nothing: a promise settles once.
    req.once("close", () => resolve(undefined));
  });
}

/**
 * Starts diverting deliveries to `app`'s webhook path and returns the HTTP handler that takes
 * them in; add it with Probot's `addHandler`.
 *
 * @example options.addHandler(deliveryIntake(app))
 */
export function deliveryIntake(
  app: Probot,
  options: { maxBytes?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const path = pathOf(app.webhookPath);
  const maxBytes = options.maxBytes ?? MAX_DELIVERY_BYTES;
  watched.set(path, maxBytes);
  if (!subscribed) {
    subscribe("http.server.request.start", onRequestStart);
    subscribed = true;
  }
  const middleware = app.getNodeMiddleware();

  return async (req, res) => {
    const url = sentTo.get(req) ?? (req.method === "POST" && pathOf(req.url) === path ? req.url : undefined);
    if (url === undefined) return false;
    req.url = url;
    const delivery = { event: req.headers["x-github-event"], id: req.headers["x-github-delivery"] };
    const refusal = refusalOf(req, maxBytes);
    if (refusal) return answer(res, refusal.status, refusal.error, true);
    const signature = req.headers["x-hub-signature-256"];
    if (typeof signature !== "string")
      return answer(res, 400, "a webhook delivery must be signed (X-Hub-Signature-256)", true);
    // Node answers a request that times out (408) on the socket itself; the request log says so too.
    const onTimeout = (error: NodeJS.ErrnoException) => {
      if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") res.statusCode = 408;
    };
    req.socket.once("error", onTimeout);
    const body = await readBody(req);
    req.socket.off("error", onTimeout);
    if (body === undefined) {
      const reason = res.statusCode === 408 ? "timed out" : "the client closed the connection";
      app.log.warn({ ...delivery, reason }, "a delivery ended before its body did; nothing was acknowledged");
      return true;
    }
    if (!(await app.webhooks.verify(body, signature).catch(() => false))) {
      app.log.warn(
        delivery,
        "a delivery whose signature does not match was refused (is WEBHOOK_SECRET the app's webhook secret?)",
      );
      return answer(res, 400, "the signature does not match the payload and the webhook secret");
    }
    // The middleware reads a string `body` instead of the request stream, which is spent.
    Object.assign(req, { body });
    return (await middleware)(req, res);
  };
}
