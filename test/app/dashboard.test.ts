/**
 * The /pom dashboard handler on a loopback HTTP server: off without a token; every page asks for
 * the token (Bearer, or the sign-in form's cookie, which never holds the token itself); the
 * report as a page and as JSON; an index when several accounts have reports; safe headers.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardHandler, dashboardTokenProblem } from "../../app/dashboard.js";
import { dashboardAuth, SESSION_SECONDS } from "../../app/dashboard-auth.js";
import { buildReport } from "../../core/insights/report/build.js";
import { MemoryReportStore } from "../../testkit/memory-store.js";
import { REPORT_NOW, syntheticRepos } from "../core/insights/report/fixtures.js";

const TOKEN = "a-dashboard-token-of-some-length";
const store = new MemoryReportStore();
let server: Server;
let base: string;

beforeAll(async () => {
  const handler = dashboardHandler(store, TOKEN);
  if (!handler) throw new Error("the handler should be on");
  server = createServer(async (req, res) => {
    if (!(await handler(req, res))) res.writeHead(404).end("not ours");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const bearer = { authorization: `Bearer ${TOKEN}` };
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers, redirect: "manual" });

describe("the dashboard handler", () => {
  it("is off without a token, and refuses a token that could be guessed", () => {
    expect(dashboardHandler(store, undefined)).toBeUndefined();
    expect(dashboardHandler(store, "")).toBeUndefined();
    expect(dashboardTokenProblem("short")).toMatch(/at least 16 characters/);
    expect(dashboardTokenProblem(TOKEN)).toBeUndefined();
    expect(dashboardTokenProblem(undefined)).toBeUndefined();
  });

  it("leaves other paths to the server", async () => {
    const res = await get("/pommes", bearer);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("not ours");
  });

  it("answers the sign-in page, not the report, without the token or with a wrong one", async () => {
    await store.save(buildReport({ repos: syntheticRepos(3), now: REPORT_NOW, org: "acme" }));
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { cookie: "pom_dashboard=forged" },
    ];
    for (const headers of attempts) {
      for (const path of ["/pom", "/pom/acme", "/pom/acme.json"]) {
        const res = await get(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        const body = await res.text();
        expect(body).toContain('action="/pom/login"');
        expect(body).not.toContain("svc-00");
      }
    }
  });

  it("refuses a credential in the address, even beside a valid Bearer token, and says where it goes", async () => {
    for (const path of [`/pom?token=${TOKEN}`, `/pom/acme.json?access_token=${TOKEN}`, "/pom?Token=x"]) {
      const res = await get(path, bearer);
      expect(res.status, path).toBe(401);
      const body = await res.text();
      expect(body).toContain("never in the address");
      expect(body).not.toContain("svc-00");
    }
    expect((await get("/pom?page=2", bearer)).status).toBe(200);
  });

  it("serves the only account's dashboard at /pom with the token, with safe headers", async () => {
    const res = await get("/pom", bearer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await res.text();
    expect(body).toContain('<script type="application/json" id="pom-report">');
    expect(body).toContain("acme/svc-02");
  });

  it("serves the report as JSON, and says when an account has none", async () => {
    const json = await get("/pom/acme.json", bearer);
    expect(json.status).toBe(200);
    const report = (await json.json()) as { org: string; repos: unknown[] };
    expect(report.org).toBe("acme");
    expect(report.repos).toHaveLength(3);
    expect((await get("/pom/nobody", bearer)).status).toBe(404);
    expect((await get("/pom/%3Cscript%3E", bearer)).status).toBe(404);
    // A malformed escape is a page that does not exist, not a server error.
    expect((await get("/pom/%E0%A4%A", bearer)).status).toBe(404);
  });

  it("signs in through the form: a cookie that is not the token, then the dashboard", async () => {
    const wrong = await fetch(`${base}/pom/login`, {
      method: "POST",
      body: new URLSearchParams({ token: "nope" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That token is not right.");
    const res = await fetch(`${base}/pom/login`, {
      method: "POST",
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/pom");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^pom_dashboard=\d+\.[\w-]+; Path=\/pom; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    expect(cookie).not.toContain(TOKEN);
    const page = await get("/pom/acme", { cookie: cookie.split(";")[0] as string });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("acme/svc-01");
  });

  it("refuses other methods and oversized sign-in forms", async () => {
    expect((await fetch(`${base}/pom`, { method: "POST", headers: bearer })).status).toBe(405);
    expect((await get("/pom/login")).status).toBe(405);
    const big = await fetch(`${base}/pom/login`, {
      method: "POST",
      body: new URLSearchParams({ token: "x".repeat(10_000) }),
    }).catch(() => undefined);
    expect(big === undefined || big.status === 413).toBe(true);
  });

  it("answers HEAD without a body", async () => {
    const res = await fetch(`${base}/pom/acme`, { method: "HEAD", headers: bearer });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("lists the accounts when there are several", async () => {
    await store.save(buildReport({ repos: syntheticRepos(2), now: REPORT_NOW, org: "beta" }));
    const res = await get("/pom", bearer);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<a href="/pom/acme">acme</a>');
    expect(body).toContain('<a href="/pom/beta.json">JSON</a>');
  });
});

describe("dashboardAuth", () => {
  const auth = dashboardAuth(`${TOKEN}\n`);
  const request = (headers: Record<string, string>) =>
    ({ headers, socket: {} }) as unknown as IncomingMessage;
  const cookieOf = (now: number) => auth.sessionCookie(request({}), "/pom", now).split(";")[0] as string;

  it("takes the token as set, without the white space around it (a secret file's newline)", () => {
    expect(auth.isToken(TOKEN)).toBe(true);
    expect(auth.isToken(` ${TOKEN}\n`)).toBe(true);
    expect(auth.isToken(TOKEN.slice(1))).toBe(false);
    expect(auth.isToken("")).toBe(false);
    expect(auth.allows(request({ authorization: `Bearer ${TOKEN}` }))).toBe(true);
    expect(auth.allows(request({ authorization: `Basic ${TOKEN}` }))).toBe(false);
  });

  it("lets a session cookie in until it expires, and no forged one at all", () => {
    const now = Date.now();
    const cookie = cookieOf(now);
    expect(auth.allows(request({ cookie }), now + 1_000)).toBe(true);
    expect(auth.allows(request({ cookie }), now + (SESSION_SECONDS + 1) * 1000)).toBe(false);
    const [, value = ""] = cookie.split("=");
    const [expires, signature] = value.split(".");
    // A later expiry with the old signature, or a signature made with another token.
    expect(
      auth.allows(request({ cookie: `pom_dashboard=${Number(expires) + 3600}.${signature}` }), now),
    ).toBe(false);
    const other = dashboardAuth("another-token-of-enough-length").sessionCookie(request({}), "/pom", now);
    expect(auth.allows(request({ cookie: other.split(";")[0] as string }), now)).toBe(false);
  });

  it("marks the cookie Secure behind HTTPS", () => {
    expect(auth.sessionCookie(request({ "x-forwarded-proto": "https" }), "/pom")).toMatch(/; Secure$/);
    expect(auth.sessionCookie(request({}), "/pom")).not.toMatch(/Secure/);
  });
});
