/** Who calls the fake GitHub: a GitHub App with its JWT, or an installation with its token. */
import { verify } from "node:crypto";
import type { Auth } from "./rest.js";
import type { FakeState } from "./state.js";

/** The caller, from its Authorization header: an app (JWT) or an installation (token). */
export function authenticate(state: FakeState, header: string | undefined): Auth | { error: string } {
  if (!header) return { kind: "none" };
  const [scheme = "", credential = ""] = header.split(/\s+/, 2);
  if (!/^(bearer|token)$/i.test(scheme)) return { error: `unknown authorization scheme "${scheme}"` };
  const installation = state.tokens.get(credential);
  if (installation !== undefined) return { kind: "installation", installationId: installation };
  const parts = credential.split(".");
  if (parts.length !== 3) return { error: "Bad credentials" };
  const [head = "", body = "", signature = ""] = parts;
  let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { error: "A JSON web token could not be decoded" };
  }
  const app = state.apps.get(Number(claims.iss));
  if (!app) return { error: `no GitHub App with id ${String(claims.iss)}` };
  const now = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp < now || claims.exp - now > 600) {
    return { error: "the JWT's exp is missing, past, or more than 10 minutes ahead" };
  }
  if (app.publicKey) {
    const valid = verify(
      "RSA-SHA256",
      Buffer.from(`${head}.${body}`),
      app.publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!valid) return { error: "the JWT's signature does not verify with the app's public key" };
  }
  return { kind: "app", appId: app.id };
}
