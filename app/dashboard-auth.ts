/**
 * Who may see the dashboard: holders of POM_DASHBOARD_TOKEN. Scripts send it as
 * `Authorization: Bearer`; browsers post it once to the sign-in form and get a session cookie
 * that holds its expiry and an HMAC keyed by the token, never the token. Comparisons are of
 * HMACs, so neither the token nor its length leaks through timing. Rotating the token ends every
 * session.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "pom_dashboard";
/** How long a browser session lasts, in seconds. */
export const SESSION_SECONDS = 12 * 60 * 60;

export interface DashboardAuth {
  /** Whether `candidate` is the token (surrounding white space ignored, as in the setting). */
  isToken(candidate: string): boolean;
  /** Whether the request carries the token or a live session cookie. */
  allows(req: IncomingMessage, now?: number): boolean;
  /** A `Set-Cookie` value for a new session. */
  sessionCookie(req: IncomingMessage, path: string, now?: number): string;
}

/** The token an `Authorization: Bearer` header carries, if any. */
export function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
}

function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

/**
 * @example const auth = dashboardAuth(process.env.POM_DASHBOARD_TOKEN ?? ""); auth.allows(req)
 */
export function dashboardAuth(setting: string): DashboardAuth {
  const token = setting.trim();
  const mac = (purpose: string, text: string) =>
    createHmac("sha256", token).update(`${purpose}\n${text}`).digest();
  const tokenMac = mac("token", token);
  const isToken = (candidate: string) => timingSafeEqual(mac("token", candidate.trim()), tokenMac);
  const signature = (expires: number) => mac("session", String(expires)).toString("base64url");

  const liveSession = (value: string, now: number) => {
    const [expiresText = "", given = ""] = value.split(".");
    const expires = Number(expiresText);
    if (!/^\d{1,15}$/.test(expiresText) || expires <= now / 1000) return false;
    const expected = Buffer.from(signature(expires));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };

  return {
    isToken,
    allows(req, now = Date.now()) {
      const bearer = bearerOf(req);
      if (bearer !== undefined) return isToken(bearer);
      const cookie = cookiesOf(req).get(SESSION_COOKIE);
      return cookie !== undefined && liveSession(cookie, now);
    },
    sessionCookie(req, path, now = Date.now()) {
      const expires = Math.floor(now / 1000) + SESSION_SECONDS;
      const secure = req.headers["x-forwarded-proto"] === "https" || "encrypted" in req.socket;
      return `${SESSION_COOKIE}=${expires}.${signature(expires)}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? "; Secure" : ""}`;
    },
  };
}
