/**
 * The real server (`node dist/app/server.js`) against the loopback fake GitHub, at LOG_LEVEL=trace:
 * credentials in query strings never reach the log, and the dashboard refuses its token there; a
 * validly signed delivery whose payload is malformed is answered 400 without internal detail,
 * while a GitHub fault met while handling a well-formed one still answers 5xx; a delivery is never
 * acknowledged before its signature is verified, and clients that stall are cut off after the
 * configured (short) HTTP timeouts.
 */
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, waitFor } from "../../testkit/app-process.js";
import { CHECKOUT, e2eSeed, ISSUE_NO_OUTCOME, PR_NONCOMPLIANT } from "../../testkit/e2e-seed.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { deliver, exampleOf, type Payload, retarget, sign } from "../../testkit/webhooks.js";
import { issueOpened, pullRequestOpened, startAppUnderTest } from "./app-under-test.js";

const DASHBOARD_TOKEN = `dash-${randomBytes(16).toString("hex")}`;
/** Every secret-named query value sent below starts with this; none may reach the log. */
const SECRET = "secret-value";
const REQUEST_TIMEOUT_MS = 2_000;
const HEADERS_TIMEOUT_MS = 1_000;

let fake: FakeGitHub;
let app: AppProcess;
let webhookSecret: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const world = await startAppUnderTest(
    (publicKey) => e2eSeed({ now: Date.now(), publicKey, examples: [] }),
    {
      LOG_LEVEL: "trace",
      POM_DASHBOARD_TOKEN: DASHBOARD_TOKEN,
      POM_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      POM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      // A GitHub fault is answered at once, not retried.
      POM_GITHUB_ATTEMPTS: "1",
    },
  );
  ({ fake, app, secret: webhookSecret, stop } = world);
}, 120_000);

afterAll(async () => {
  await stop?.();
});

const send = (event: string, payload: Payload) => deliver(app.url, event, payload, { secret: webhookSecret });

/** What a client that writes `chunks` (raw HTTP) and then waits up to `waitMs` is answered, if anything. */
function rawExchange(
  url: string,
  chunks: string[],
  waitMs: number,
): Promise<{ status?: number; text: string; closed: boolean; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    let text = "";
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({
        ...(status ? { status: Number(status) } : {}),
        text,
        closed,
        ms: performance.now() - started,
      });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("close", () => finish(true));
    socket.on("error", (error) => (text ? finish(true) : reject(error)));
    socket.on("connect", () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

describe("secrets in query strings", () => {
  it("writes no secret-named query value into any log line, while a harmless parameter is still logged", async () => {
    const harmless = `page=${randomBytes(4).toString("hex")}`;
    const gets = [
      `/pom?token=${SECRET}-1`,
      `/pom?${harmless}&access_token=${SECRET}-2`,
      `/pom/acme.json?TOKEN=${SECRET}-3`,
      `/healthz?api_key=${SECRET}-4&client_secret=${SECRET}-5`,
      `/api/github/webhooks?access_token=${SECRET}-6`,
      `/nowhere?password=${SECRET}-7&X-Amz-Signature=${SECRET}-8&sig=${SECRET}-9&code=${SECRET}-10`,
      `/nowhere?%74oken=${SECRET}-11&refresh_token=${SECRET}-12`,
    ];
    for (const path of gets) await (await fetch(`${app.url}${path}`)).arrayBuffer();
    // A delivery posted to the webhook path with a query string is governed, and logged without it.
    const payload = issueOpened(CHECKOUT, { ...ISSUE_NO_OUTCOME, labels: [] });
    const body = JSON.stringify(payload);
    const res = await fetch(`${app.url}/api/github/webhooks?access_token=${SECRET}-13`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": `d-${randomBytes(6).toString("hex")}`,
        "x-hub-signature-256": sign(webhookSecret, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    await waitFor(
      "the request log lines",
      () =>
        app.logs().some((l) => l.msg.includes(harmless) && l.msg.includes("/pom")) &&
        app.logs().some((l) => /POST \/api\/github\/webhooks\?access_token=\S+ 200/.test(l.msg)),
    );
    const leaking = app
      .output()
      .split("\n")
      .filter((line) => line.includes(SECRET));
    expect(leaking).toEqual([]);
    // The parameters' names are kept, so the log still shows that one was sent.
    expect(app.output()).toContain("access_token=[REDACTED]");
  });

  it("refuses the dashboard token in the query string, answering the sign-in page without logging it", async () => {
    const res = await fetch(`${app.url}/pom?token=${DASHBOARD_TOKEN}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/never in the address/);
    // With the token where it belongs, the same page opens.
    const bearer = await fetch(`${app.url}/pom`, { headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` } });
    expect(bearer.status).not.toBe(401);
    await waitFor("the request log line", () =>
      app.logs().some((l) => /GET \/pom\?token=\S+ 401/.test(l.msg)),
    );
    expect(app.output()).not.toContain(DASHBOARD_TOKEN);
  });
});

describe("malformed deliveries", () => {
  const malformed: [string, Payload][] = [
    [
      "pull_request",
      {
        ...pullRequestOpened(CHECKOUT, { ...PR_NONCOMPLIANT, sha: PR_NONCOMPLIANT.headSha, body: null }),
        pull_request: null,
      },
    ],
    ["issues", { ...issueOpened(CHECKOUT, { ...ISSUE_NO_OUTCOME, labels: [] }), issue: null }],
    ["release", { ...retarget(exampleOf("release", "published"), CHECKOUT), release: null }],
  ];

  it.each(malformed)(
    "answers a validly signed %s delivery whose subject is null with 400 and no internal detail, and logs why",
    async (event, payload) => {
      const before = fake.requests.length;
      const delivery = await send(event, payload);
      expect(delivery.status, delivery.text).toBe(400);
      expect(delivery.text).not.toMatch(/TypeError|Cannot read|null \(reading|\bat \S+ \(|\.js:\d+/);
      expect(JSON.parse(delivery.text).error).toMatch(/malformed/i);
      const line = await waitFor("the refusal in the log", () =>
        app.logs().find((l) => l.msg === "malformed delivery refused" && l.id === delivery.id),
      );
      expect(JSON.stringify(line.problems)).toContain(
        `${event === "issues" ? "issue" : event} must be an object`,
      );
      // Nothing was asked of GitHub for it.
      expect(fake.requests.slice(before).filter((r) => !r.path.includes("access_tokens"))).toEqual([]);
    },
  );

  it("answers a field of the wrong type with 400 too, and stays healthy after the refusals", async () => {
    const payload = issueOpened(CHECKOUT, { ...ISSUE_NO_OUTCOME, labels: [] });
    payload.issue.body = { not: "a string" };
    const delivery = await send("issues", payload);
    expect(delivery.status).toBe(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.alive()).toBe(true);
    // A well-formed delivery is still governed.
    const fine = await send("issues", issueOpened(CHECKOUT, { ...ISSUE_NO_OUTCOME, labels: [] }));
    expect(fine.status).toBe(200);
  });

  it("still answers 5xx when GitHub fails while a well-formed delivery is handled, so that it can be redelivered", async () => {
    const fault = fake.inject({
      match: "POST /repos/{owner}/{repo}/check-runs",
      status: 502,
      times: Infinity,
    });
    try {
      const pr = pullRequestOpened(CHECKOUT, {
        ...PR_NONCOMPLIANT,
        sha: PR_NONCOMPLIANT.headSha,
        body: "Tidies.",
      });
      const delivery = await send("pull_request", pr);
      expect(delivery.status, delivery.text).toBeGreaterThanOrEqual(500);
      expect(fault.hits).toBeGreaterThan(0);
    } finally {
      fault.remove();
    }
  });
});

describe("acknowledgement and timeouts", () => {
  const stalledDelivery = () => {
    const body = JSON.stringify(issueOpened(CHECKOUT, { ...ISSUE_NO_OUTCOME, labels: [] }));
    const head = [
      "POST /api/github/webhooks HTTP/1.1",
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      "X-GitHub-Event: issues",
      `X-GitHub-Delivery: d-${randomBytes(6).toString("hex")}`,
      `X-Hub-Signature-256: sha256=${"0".repeat(64)}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      "",
      "",
    ].join("\r\n");
    return [head, body.slice(0, body.length / 2)];
  };

  it("never acknowledges a delivery whose body stalls before its signature could be verified: it is timed out", async () => {
    // Before, the webhook middleware's own timer answered "202 still processing" after 9 s.
    const stalled = stalledDelivery();
    const answer = await rawExchange(app.url, stalled, 12_000);
    expect(answer.status, answer.text).toBe(408);
    expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    expect(answer.text).not.toContain("still processing");
    // The request log tells the same: 408, not the 200 of an answer never written.
    const id = /X-GitHub-Delivery: (\S+)/.exec(stalled[0] ?? "")?.[1];
    await waitFor("the timed-out delivery in the log", () =>
      app
        .logs()
        .some(
          (l) =>
            l.msg === "a delivery ended before its body did; nothing was acknowledged" &&
            l.id === id &&
            l.reason === "timed out",
        ),
    );
    expect(app.logs().find((l) => (l.req as { id?: string } | undefined)?.id === id)?.msg).toMatch(/ 408 - /);
  }, 20_000);

  it("cuts off a client that never finishes its headers after the configured headers timeout", async () => {
    const answer = await rawExchange(
      app.url,
      ["POST /api/github/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: iss"],
      8_000,
    );
    expect(answer.status, answer.text).toBe(408);
    expect(answer.ms).toBeLessThan(HEADERS_TIMEOUT_MS + 3_000);
  }, 15_000);

  it("logs the timeouts it applied to its HTTP server", async () => {
    const line = await waitFor("the timeouts in the log", () =>
      app.logs().find((l) => l.msg === "HTTP server timeouts set"),
    );
    expect(line).toMatchObject({
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
    });
  });
});
