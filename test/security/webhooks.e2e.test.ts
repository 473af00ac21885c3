/**
 * Webhook and secret hygiene of the real server (`node dist/app/server.js`) against the loopback
 * fake GitHub: deliveries with a bad, missing or foreign signature are refused before any work,
 * bodies over GitHub's 25 MB cap are refused before they are read, and nothing the process logs at
 * LOG_LEVEL=trace (successes and failures alike) contains the private key, the webhook secret, an
 * installation token or any other Authorization header value.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookSecretProblem } from "../../app/webhook-secret.js";
import { type AppProcess, startApp, waitFor } from "../../testkit/app-process.js";
import { CHECKOUT, e2eSeed, ISSUE_NO_OUTCOME, PR_NONCOMPLIANT } from "../../testkit/e2e-seed.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { deliver, exampleOf, openPullRequest, type Payload, retarget, sign } from "../../testkit/webhooks.js";
import { startAppUnderTest } from "./app-under-test.js";

const MIB = 1024 * 1024;

let fake: FakeGitHub;
let app: AppProcess;
/** The app's secrets: a long random webhook secret and a fresh private key. */
let SECRET: string;
let privateKey: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const world = await startAppUnderTest(
    (publicKey) => e2eSeed({ now: Date.now(), publicKey, examples: [] }),
    { LOG_LEVEL: "trace" },
  );
  ({ fake, app, secret: SECRET, privateKey, stop } = world);
}, 120_000);

afterAll(async () => {
  await stop?.();
});

function issuePayload(number: number, installation = 1): Payload {
  const payload = retarget(exampleOf("issues", "opened"), CHECKOUT, installation);
  Object.assign(payload.issue, {
    ...ISSUE_NO_OUTCOME,
    number,
    labels: [],
    state: "open",
    user: { ...payload.issue.user, login: "erin", type: "User" },
  });
  return payload;
}

/** Sends one POST with `headers` as given, writes `body` (possibly less than Content-Length says), and reads the answer. */
function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  end = true,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const length = headers["transfer-encoding"] ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const req = request(
      `${url}/api/github/webhooks`,
      { method: "POST", headers: { ...length, ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, text });
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    req.flushHeaders();
    if (body) req.write(body);
    if (end) req.end();
  });
}

function webhookHeaders(event: string, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": `d-${randomBytes(6).toString("hex")}`,
    "x-hub-signature-256": sign(SECRET, body),
  };
}

/** The requests the fake received since `before`. */
const since = (before: number) => fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);

/** Lets a request that should not happen show up before asserting that none did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("webhook signatures", () => {
  const refused = async (signature: string | undefined, body?: string) => {
    const before = fake.requests.length;
    const payload = issuePayload(ISSUE_NO_OUTCOME.number);
    const text = body ?? JSON.stringify(payload);
    const headers = webhookHeaders("issues", text);
    if (signature === undefined) delete headers["x-hub-signature-256"];
    else headers["x-hub-signature-256"] = signature;
    const answer = await rawPost(app.url, headers, text);
    await settle();
    return { ...answer, calls: since(before) };
  };

  it("refuses a delivery signed with another secret, calling GitHub not once", async () => {
    const body = JSON.stringify(issuePayload(ISSUE_NO_OUTCOME.number));
    const answer = await refused(sign("not-the-secret", body), body);
    expect(answer.status).toBe(400);
    expect(answer.calls).toEqual([]);
  });

  it("refuses a delivery without a signature", async () => {
    const answer = await refused(undefined);
    expect(answer.status).toBe(400);
    expect(answer.calls).toEqual([]);
  });

  it("refuses a delivery whose body was changed after signing", async () => {
    const signed = JSON.stringify(issuePayload(ISSUE_NO_OUTCOME.number));
    const changed = JSON.stringify(issuePayload(ISSUE_NO_OUTCOME.number + 1));
    const answer = await refused(sign(SECRET, signed), changed);
    expect(answer.status).toBe(400);
    expect(answer.calls).toEqual([]);
  });

  it("refuses a delivery that carries only the legacy SHA-1 signature, or a malformed one", async () => {
    for (const signature of ["sha1=0123456789abcdef0123456789abcdef01234567", "sha256=", "garbage"]) {
      const answer = await refused(signature);
      expect(answer.status, signature).toBe(400);
      expect(answer.calls).toEqual([]);
    }
  });

  it("governs the same delivery when it is signed with the secret (the refusals were about the signature)", async () => {
    const payload = issuePayload(ISSUE_NO_OUTCOME.number);
    const delivery = await deliver(app.url, "issues", payload, { secret: SECRET });
    expect(delivery.status).toBe(200);
    // The log line may reach this process a moment after the answer.
    await waitFor("the delivery to be logged as governed", () =>
      app.logs().some((l) => l.msg === "governed" && l.id === delivery.id),
    );
  });
});

describe("delivery size", () => {
  it("refuses a body over 25 MiB from its Content-Length, before reading it", async () => {
    const before = fake.requests.length;
    // Only the headers and 1 KB are sent: an answer proves the server did not wait for the rest.
    const answer = await rawPost(
      app.url,
      { ...webhookHeaders("issues", ""), "content-length": String(25 * MIB + 1) },
      "x".repeat(1024),
      false,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).error).toMatch(/at most 26214400 bytes/);
    await settle();
    expect(since(before)).toEqual([]);
  });

  it("refuses a body of unknown length (chunked), which could be of any size", async () => {
    const before = fake.requests.length;
    const body = JSON.stringify(issuePayload(ISSUE_NO_OUTCOME.number));
    const answer = await rawPost(
      app.url,
      { ...webhookHeaders("issues", body), "transfer-encoding": "chunked" },
      body,
    );
    expect(answer.status).toBe(411);
    await settle();
    expect(since(before)).toEqual([]);
  });

  it("takes a large delivery within the cap, and stays healthy after the refusals", async () => {
    const payload = issuePayload(ISSUE_NO_OUTCOME.number);
    payload.issue.body = `${ISSUE_NO_OUTCOME.body}\n${"padding ".repeat((3 * MIB) / 8)}`;
    const delivery = await deliver(app.url, "issues", payload, { secret: SECRET });
    expect(delivery.status).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.alive()).toBe(true);
  });
});

describe("secrets in logs", () => {
  it("logs no private key, webhook secret, token or Authorization value, through successes and failures", async () => {
    // A success: a pull request that fails its check (a check run is written).
    const pr = openPullRequest(exampleOf("pull_request", "opened"), CHECKOUT, {
      ...PR_NONCOMPLIANT,
      sha: PR_NONCOMPLIANT.headSha,
      body: "Tidies the form code.",
    });
    expect((await deliver(app.url, "pull_request", pr, { secret: SECRET })).status).toBe(200);
    // A failure inside a handler: labels for an issue GitHub does not have (404 on a write).
    const missing = await deliver(app.url, "issues", issuePayload(4242), { secret: SECRET });
    expect(missing.status).toBe(404);
    // A failure to authenticate: an installation that does not exist (404 on the token request,
    // which the app signed with a JWT).
    await deliver(app.url, "issues", issuePayload(ISSUE_NO_OUTCOME.number, 77), { secret: SECRET });
    await settle();
    expect(fake.requests.some((r) => r.path.endsWith("/app/installations/77/access_tokens"))).toBe(true);

    const output = app.output();
    const logs = app.logs();
    // The failures were logged, with their errors: the scan below looks at real error records.
    expect(logs.some((l) => l.level >= 50 && (l.err as { type?: string })?.type === "RequestError")).toBe(
      true,
    );
    expect(logs.some((l) => l.level === 10 || l.level === 20)).toBe(true);

    const tokens = [...fake.state.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const credentials = new Set<string>();
    for (const r of fake.requests) {
      const header = r.headers.authorization;
      if (typeof header === "string") credentials.add(header.split(/\s+/)[1] ?? header);
    }
    // Both kinds were in use: installation tokens, and the app's JWTs (three dot-separated parts).
    expect([...credentials].some((c) => tokens.includes(c))).toBe(true);
    expect([...credentials].some((c) => c.split(".").length === 3)).toBe(true);
    const keyBody = privateKey.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    const leaks: string[] = [];
    const look = (what: string, secret: string) => {
      if (secret && output.includes(secret)) leaks.push(what);
    };
    look("the webhook secret", SECRET);
    // Any 32 characters of the key's body would be a leak: look at every window, not just the whole key.
    for (let i = 0; i + 32 <= keyBody.length; i += 16)
      look(`the private key (from character ${i})`, keyBody.slice(i, i + 32));
    for (const token of tokens) look(`installation token ${token}`, token);
    for (const credential of credentials)
      look(`an Authorization value ${credential.slice(0, 12)}…`, credential);
    for (const jwtPart of [...credentials].flatMap((c) => c.split(".")).filter((p) => p.length > 40)) {
      look("part of a JWT", jwtPart);
    }
    expect(leaks).toEqual([]);
    // Whatever is logged of Authorization headers is redacted.
    for (const line of output.split("\n").filter((l) => /authorization/i.test(l))) {
      expect(line).not.toMatch(/"authorization":\s*"(?:token|bearer)\s+(?!\[REDACTED\])/i);
    }
  });
});

describe("the webhook secret", () => {
  it("is required once the app is configured, and may not be Probot's public default", () => {
    const configured = { APP_ID: "1", PRIVATE_KEY_PATH: "key.pem" };
    expect(webhookSecretProblem({ ...configured })).toMatch(/WEBHOOK_SECRET is not set/);
    expect(webhookSecretProblem({ ...configured, WEBHOOK_SECRET: "  " })).toMatch(/is not set/);
    expect(webhookSecretProblem({ ...configured, WEBHOOK_SECRET: "development" })).toMatch(/public default/);
    expect(webhookSecretProblem({ ...configured, WEBHOOK_SECRET: SECRET })).toBeUndefined();
    // Unconfigured, the server only offers the setup page that registers the app.
    expect(webhookSecretProblem({})).toBeUndefined();
  });

  it.each([
    ["unset", undefined],
    ["Probot's default", "development"],
  ])("stops the server at start-up when it is %s, before it takes a delivery", async (_name, secret) => {
    const env: Record<string, string> = {
      NODE_ENV: "test",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      POM_SWEEP_CRON: "off",
      POM_REDELIVERY_CRON: "off",
      LOG_FORMAT: "json",
      ...(secret === undefined ? {} : { WEBHOOK_SECRET: secret }),
    };
    await expect(startApp("unprotected", env)).rejects.toThrow(
      /exited \(1\) before it served[\s\S]*WEBHOOK_SECRET/,
    );
  });
});
