/**
 * The insights dashboard at /pom: the latest organization report of each account, as the same
 * self-contained page `pom report --format html` writes, and as JSON. Off unless
 * POM_DASHBOARD_TOKEN is set; every request must present the token, as `Authorization: Bearer`
 * (scripts) or through the sign-in form, which sets a session cookie (see dashboard-auth.ts); never
 * in the address, where it would be kept by logs, proxies and browser history.
 * Nothing on these pages is fetched from anywhere else.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OrgReport } from "../core/insights/report/build.js";
import type { ReportStore } from "../core/insights/report/store.js";
import { DASHBOARD_CSP, renderDashboard } from "../core/render/dashboard/page.js";
import { LOGIN_CSP, loginPage, messagePage, orgIndexPage } from "../core/render/dashboard/pages.js";
import { dashboardAuth } from "./dashboard-auth.js";
import { looksSecret } from "./log-redaction.js";

export const DASHBOARD_PATH = "/pom";
/** A dashboard token shorter than this is refused at start-up: it could be guessed. */
export const MIN_TOKEN_LENGTH = 16;
const MAX_FORM_BYTES = 4_096;

/** Why the dashboard cannot start with `token`, or undefined. */
export function dashboardTokenProblem(token: string | undefined): string | undefined {
  if (token === undefined || token === "") return undefined;
  if (token.trim().length < MIN_TOKEN_LENGTH)
    return `POM_DASHBOARD_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (it guards the dashboard); generate one with \`openssl rand -hex 32\``;
  return undefined;
}

export const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): true {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": String(Buffer.byteLength(body)),
    ...extra,
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

const html = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  extra: Record<string, string> = {},
) =>
  send(req, res, status, "text/html; charset=utf-8", body, {
    "content-security-policy": `${DASHBOARD_CSP}; frame-ancestors 'none'`,
    ...extra,
  });

/** The sign-in page, whose form may post to this server. */
const signIn = (req: IncomingMessage, res: ServerResponse, error?: string) =>
  html(req, res, 401, loginPage(error), {
    "content-security-policy": LOGIN_CSP,
    "www-authenticate": 'Bearer realm="pom-governance"',
  });

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", () => resolve(undefined));
  });
}

/**
 * The /pom handler, or undefined when no token is set (the path is then not served at all).
 *
 * @example options.addHandler(dashboardHandler(store, process.env.POM_DASHBOARD_TOKEN))
 */
export function dashboardHandler(
  store: ReportStore,
  token: string | undefined,
): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined {
  if (!token?.trim()) return undefined;
  const auth = dashboardAuth(token);

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path !== DASHBOARD_PATH && !path.startsWith(`${DASHBOARD_PATH}/`)) return false;
    const method = req.method ?? "GET";

    if (path === `${DASHBOARD_PATH}/login`) {
      if (method !== "POST")
        return send(req, res, 405, "text/plain", "use the sign-in form at /pom\n", { allow: "POST" });
      const form = await readForm(req);
      if (!form) return send(req, res, 413, "text/plain", "the sign-in form is too large\n");
      if (!auth.isToken(form.get("token") ?? "")) return signIn(req, res, "That token is not right.");
      return send(req, res, 303, "text/plain", "signed in\n", {
        location: DASHBOARD_PATH,
        "set-cookie": auth.sessionCookie(req, DASHBOARD_PATH),
      });
    }
    if (method !== "GET" && method !== "HEAD")
      return send(req, res, 405, "text/plain", "method not allowed\n", { allow: "GET, HEAD" });
    // A credential in the address is refused even beside a valid one, so that the habit stops at
    // the first try (the log censors its value, see log-redaction.ts).
    if ([...url.searchParams.keys()].some(looksSecret))
      return signIn(
        req,
        res,
        "The token goes into this form or an Authorization header, never in the address.",
      );
    if (!auth.allows(req)) return signIn(req, res);

    const rest = path.slice(DASHBOARD_PATH.length + 1);
    if (rest === "") {
      const orgs = await store.orgs();
      if (orgs.length === 0)
        return html(req, res, 404, messagePage("No report yet", "The first sweep has not finished yet."));
      if (orgs.length > 1) return html(req, res, 200, orgIndexPage(await reports(store, orgs)));
      return serveReport(req, res, await store.latest(orgs[0] as string), "html");
    }
    const json = /^(.+)\.json$/.exec(rest);
    const org = json ? (json[1] as string) : rest;
    // GitHub logins: letters, digits and hyphens (nothing to decode).
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(org))
      return html(req, res, 404, messagePage("Not found", "There is no such page."));
    return serveReport(req, res, await store.latest(org), json ? "json" : "html", org);
  };
}

async function reports(store: ReportStore, orgs: readonly string[]): Promise<OrgReport[]> {
  const found = await Promise.all(orgs.map((o) => store.latest(o)));
  return found.filter((r): r is OrgReport => r !== undefined);
}

function serveReport(
  req: IncomingMessage,
  res: ServerResponse,
  report: OrgReport | undefined,
  format: "html" | "json",
  org?: string,
): true {
  if (!report)
    return html(
      req,
      res,
      404,
      messagePage("No report", `There is no report for ${org ?? "this account"} yet.`),
    );
  if (format === "json")
    return send(req, res, 200, "application/json; charset=utf-8", `${JSON.stringify(report)}\n`);
  return html(req, res, 200, renderDashboard(report));
}
