/**
 * A Probot instance with the app loaded, talking to api.github.com through nock. Every request the
 * app sends is checked against GitHub's REST OpenAPI spec and recorded.
 */
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import pomGovernance from "../../app/index.js";
import { checkRequest } from "../../testkit/openapi.js";

export const API = "https://api.github.com";

export interface Sent {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

/** A Probot with retries and throttling off (otherwise each write waits for the throttle and an unmocked request is retried for seconds) and the app loaded. */
export function createProbot(): Probot {
  const probot = new Probot({
    appId: 1,
    privateKey,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
    logLevel: "warn",
  });
  probot.load(pomGovernance);
  return probot;
}

/**
 * Records every request to the API, checks it against the spec, and answers with `respond`
 * (or 404 when it returns undefined).
 */
export function mockGitHub(respond: (req: Sent) => [number, unknown, Record<string, string>?] | undefined): {
  sent: Sent[];
  problems: string[];
  writes: () => Sent[];
} {
  const sent: Sent[] = [];
  const problems: string[] = [];
  const handler = (method: string) =>
    function (this: { req: { headers: Record<string, string> } }, uri: string, body: unknown) {
      const parsed = typeof body === "string" && body ? safeJson(body) : body;
      const req: Sent = {
        method,
        path: uri,
        body: parsed === "" ? undefined : parsed,
        headers: this.req.headers,
      };
      sent.push(req);
      problems.push(...checkRequest({ method, url: uri, body: req.body }));
      const answer = respond(req);
      return answer ?? [404, { message: "Not Found" }];
    };
  const scope = nock(API).persist();
  for (const method of ["GET", "POST", "PATCH", "DELETE", "PUT"]) {
    scope.intercept(/.*/, method).reply(handler(method) as never);
  }
  const writes = () =>
    sent.filter(
      (r) =>
        r.method !== "GET" &&
        !(r.method === "POST" && r.path === "/graphql") &&
        !r.path.includes("/access_tokens"),
    );
  return { sent, problems, writes };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The token exchange every installation-authenticated handler starts with. */
export function tokenReply(req: Sent): [number, unknown] | undefined {
  if (req.method === "POST" && /\/app\/installations\/\d+\/access_tokens$/.test(req.path)) {
    return [201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} }];
  }
  return undefined;
}
