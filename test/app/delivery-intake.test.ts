/**
 * The delivery intake on a loopback HTTP server, in front of a stand-in for Probot's webhook
 * middleware: the middleware gets a delivery only once its body is whole and its signature
 * verified, so its "still processing" timer never runs for one that is not; oversized, unsigned
 * and wrongly signed deliveries are refused without it.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { Probot } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { deliveryIntake } from "../../app/delivery-intake.js";

const SECRET = "a-webhook-secret";
const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

const handedOn: { url?: string; body?: unknown }[] = [];
const warnings: { fields: Record<string, unknown>; message: string }[] = [];
const app = {
  webhookPath: "/hooks",
  getNodeMiddleware: async () => async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    handedOn.push({ url: req.url, body: req.body });
    res.writeHead(200).end("ok\n");
    return true;
  },
  webhooks: { verify: async (body: string, signature: string) => signature === sign(body) },
  log: { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) },
} as unknown as Probot;

let server: Server;
let port: number;

beforeAll(async () => {
  const intake = deliveryIntake(app, { maxBytes: 1_000 });
  server = createServer(async (req, res) => {
    if (!(await intake(req, res))) res.writeHead(404).end("not a delivery\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  handedOn.length = 0;
  warnings.length = 0;
});

const post = (body: string, headers: Record<string, string>, path = "/hooks") =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d-1",
      ...headers,
    },
    body,
  });

describe("deliveryIntake", () => {
  it("hands a delivery to the webhook middleware once it is whole and verified, at the URL it was sent to", async () => {
    const body = JSON.stringify({ action: "opened" });
    const res = await post(body, { "x-hub-signature-256": sign(body) }, "/hooks/?page=2");
    expect(res.status).toBe(200);
    expect(handedOn).toEqual([{ url: "/hooks/?page=2", body }]);
  });

  it("neither hands on nor answers a delivery whose body stalls, and logs that it ended unacknowledged", async () => {
    const body = JSON.stringify({ action: "opened", padding: "x".repeat(200) });
    const head = `POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\nX-GitHub-Delivery: d-2\r\nX-Hub-Signature-256: ${sign(body)}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const socket = connect(port, "127.0.0.1");
    let answered = "";
    socket.on("data", (chunk) => {
      answered += String(chunk);
    });
    socket.write(head + body.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(answered).toBe("");
    expect(handedOn).toEqual([]);
    expect(warnings[0]).toEqual({
      fields: { event: "issues", id: "d-2", reason: "the client closed the connection" },
      message: "a delivery ended before its body did; nothing was acknowledged",
    });
  });

  it("refuses a delivery whose signature does not match with 400, without the middleware", async () => {
    const body = JSON.stringify({ action: "opened" });
    const res = await post(body, { "x-hub-signature-256": sign(`${body} `) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "the signature does not match the payload and the webhook secret",
    });
    expect(handedOn).toEqual([]);
    expect(warnings.map((w) => w.fields)).toEqual([{ event: "issues", id: "d-1" }]);
  });

  it("refuses unread an unsigned delivery (400) and one over the size limit (413)", async () => {
    expect((await post("{}", {})).status).toBe(400);
    const big = "x".repeat(1_001);
    expect((await post(big, { "x-hub-signature-256": sign(big) })).status).toBe(413);
    expect(handedOn).toEqual([]);
  });

  it("leaves other requests to the server", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/hooks`)).status).toBe(404);
    expect((await post("{}", {}, "/elsewhere")).status).toBe(404);
  });
});
