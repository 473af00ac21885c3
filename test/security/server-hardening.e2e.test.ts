/**
 * The real server (`node dist/app/server.js`) against the loopback fake GitHub, at LOG_LEVEL=trace:
 * credentials in query strings never reach the log, and the dashboard refuses its token there; a
 * validly signed delivery whose payload is malformed is answered 400 without internal detail,
 * while a GitHub fault met while handling a well-formed one still answers 5xx.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, waitFor } from "../e2e/helpers/app-process.js";
import { CHECKOUT, e2eSeed, ISSUE_NO_OUTCOME, PR_NONCOMPLIANT } from "../e2e/helpers/seed.js";
import { deliver, exampleOf, type Payload, retarget, sign } from "../e2e/helpers/webhooks.js";
import type { FakeGitHub } from "../fake-github/server.js";
import { issueOpened, pullRequestOpened, startAppUnderTest } from "./app-under-test.js";

const DASHBOARD_TOKEN = `dash-${randomBytes(16).toString("hex")}`;
/** Every secret-named query value sent below starts with this; none may reach the log. */
const SECRET = "secret-value";

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
