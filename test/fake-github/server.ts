/**
 * A small stateful fake GitHub (Enterprise Server style: REST under `/api/v3`, GraphQL at
 * `/api/graphql`) on 127.0.0.1, for end-to-end tests and benchmarks of the app. Point Probot at it
 * with `GHE_HOST=<host>` and `GHE_PROTOCOL=http`.
 *
 * Every request is recorded and checked against GitHub's OpenAPI description
 * (test/helpers/openapi.ts); whatever GitHub would reject, and every route the fake does not
 * implement, lands in `problems`. GitHub Apps authenticate with real JWTs (verified when the seed
 * gives the app's public key) and get installation tokens that see only their installation's
 * repositories.
 *
 * @example
 * const fake = await startFakeGitHub({ repos: [{ owner: "acme", name: "checkout", files: { ".github/pom.yml": "..." } }] });
 * // GHE_HOST=fake.host GHE_PROTOCOL=http ... then, after the app ran:
 * fake.state.repo("acme/checkout").checkRuns; fake.counts().writes; expect(fake.problems).toEqual([]);
 * await fake.close();
 */
import { randomUUID, verify } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkRequest, findOperation } from "../helpers/openapi.js";
import { executeGraphql } from "./graphql.js";
import type { Urls } from "./json.js";
import { type Auth, HttpError, type Reply, restHandler } from "./rest.js";
import { type FakeSeed, FakeState } from "./state.js";

export type { FakeSeed, SeedRepo } from "./state.js";
export { FakeState, shaOf } from "./state.js";

export interface RecordedRequest {
  seq: number;
  /** Milliseconds since the fake started. */
  at: number;
  method: string;
  /** Path and query, as received (`/api/v3/repos/acme/checkout/contents/.github%2Fpom.yml`). */
  path: string;
  /** The operation it matched: `GET /repos/{owner}/{repo}/contents/{path}`, or `POST /graphql`. */
  operation?: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text of another body, or undefined. */
  body: unknown;
  status: number;
  auth: Auth;
}

export interface FakeCounts {
  total: number;
  /** Requests that count against GitHub's rate limit: everything but 304 answers. */
  rateLimited: number;
  notModified: number;
  graphql: number;
  /** POST/PATCH/PUT/DELETE to REST routes, except for installation tokens. */
  writes: number;
}

export interface FakeGitHub {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, for GHE_HOST. */
  host: string;
  port: number;
  state: FakeState;
  /** Every request so far (since the last reset), in arrival order. */
  requests: readonly RecordedRequest[];
  /** Every way a request disagreed with GitHub's API or the fake, one line each. */
  problems: readonly string[];
  counts(): FakeCounts;
  /** Forgets the recorded requests and problems (the state stays). */
  reset(): void;
  close(): Promise<void>;
}

const REST_PREFIX = "/api/v3";
const GRAPHQL_PATH = "/api/graphql";
const TOKEN_ROUTE = "POST /app/installations/{installation_id}/access_tokens";

function isWrite(r: RecordedRequest): boolean {
  return (
    ["POST", "PATCH", "PUT", "DELETE"].includes(r.method) &&
    r.operation !== "POST /graphql" &&
    r.operation !== TOKEN_ROUTE
  );
}

/** Counts of `requests` by kind (see FakeCounts). */
export function countRequests(requests: readonly RecordedRequest[]): FakeCounts {
  const notModified = requests.filter((r) => r.status === 304).length;
  return {
    total: requests.length,
    rateLimited: requests.length - notModified,
    notModified,
    graphql: requests.filter((r) => r.operation === "POST /graphql").length,
    writes: requests.filter(isWrite).length,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The caller, from its Authorization header: an app (JWT) or an installation (token). */
function authenticate(state: FakeState, header: string | undefined): Auth | { error: string } {
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

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeGitHub(seed: FakeSeed = {}): Promise<FakeGitHub> {
  const state = new FakeState(seed);
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const started = Date.now();
  const urls: Urls = { api: "", web: "" };

  const send = (res: ServerResponse, reply: Reply) => {
    const headers: Record<string, string> = {
      "x-github-request-id": randomUUID(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": "core",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...reply.headers,
    };
    if (reply.json !== undefined) {
      res.writeHead(reply.status, { ...headers, "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(reply.json));
    } else if (reply.text !== undefined) {
      res.writeHead(reply.status, {
        ...headers,
        "content-type": reply.contentType ?? "text/plain; charset=utf-8",
      });
      res.end(reply.text);
    } else {
      res.writeHead(reply.status, headers);
      res.end();
    }
  };

  const handle = async (
    req: IncomingMessage,
  ): Promise<{ reply: Reply; record: Partial<RecordedRequest> }> => {
    const method = (req.method ?? "GET").toUpperCase();
    const target = new URL(req.url ?? "/", "http://fake.invalid");
    const raw = await readBody(req);
    const where = `${method} ${target.pathname}`;
    let body: unknown = raw === "" ? undefined : raw;
    if (raw !== "" && String(req.headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(raw);
      } catch {
        problems.push(`${where}: the body is not valid JSON`);
        return { reply: { status: 400, json: { message: "Problems parsing JSON" } }, record: { body: raw } };
      }
    }
    const auth = authenticate(state, req.headers.authorization);
    if ("error" in auth) {
      problems.push(`${where}: ${auth.error}`);
      return {
        reply: { status: 401, json: { message: "Bad credentials" } },
        record: { body, auth: { kind: "none" } },
      };
    }

    if (target.pathname === GRAPHQL_PATH) {
      for (const problem of checkRequest({ method, url: `${target.pathname}${target.search}`, body }))
        problems.push(problem);
      const record = { body, auth, operation: "POST /graphql" };
      if (method !== "POST") return { reply: { status: 404, json: { message: "Not Found" } }, record };
      if (auth.kind !== "installation") {
        problems.push(`${where}: GraphQL without an installation token`);
        return {
          reply: { status: 401, json: { message: "This endpoint requires you to be authenticated." } },
          record,
        };
      }
      const result = executeGraphql(state, auth.installationId, body);
      problems.push(...result.problems);
      return { reply: { status: 200, json: result.response }, record };
    }

    if (!target.pathname.startsWith(`${REST_PREFIX}/`)) {
      problems.push(
        `${where}: not a GitHub Enterprise API path (REST is under ${REST_PREFIX}, GraphQL at ${GRAPHQL_PATH})`,
      );
      return { reply: { status: 404, json: { message: "Not Found" } }, record: { body, auth } };
    }
    const url = `${target.pathname}${target.search}`;
    problems.push(...checkRequest({ method, url, body }));
    const operation = findOperation(method, url);
    const handler = operation ? restHandler(method, operation.template) : undefined;
    if (!operation || !handler) {
      if (operation) problems.push(`${method} ${operation.template}: not implemented by the fake GitHub`);
      return { reply: { status: 404, json: { message: "Not Found" } }, record: { body, auth } };
    }
    const record = { body, auth, operation: `${method} ${operation.template}` };
    const appRoute = operation.template.startsWith("/app/") || operation.template === "/app";
    if (appRoute !== (auth.kind === "app")) {
      problems.push(
        `${where}: ${appRoute ? "needs the app's JWT" : "needs an installation token"} (got ${auth.kind})`,
      );
      return { reply: { status: 401, json: { message: "Requires authentication" } }, record };
    }
    try {
      const reply = handler(state, urls, {
        method,
        template: operation.template,
        params: operation.pathParams,
        query: target.searchParams,
        headers: req.headers,
        body,
        auth,
      });
      return { reply, record };
    } catch (error) {
      if (error instanceof HttpError) {
        const json = {
          message: error.message,
          documentation_url: "https://docs.github.com/rest",
          ...error.extra,
        };
        return { reply: { status: error.status, json }, record };
      }
      // 400, not 500: Octokit retries 5xx for many seconds, and a fake's bug should surface at once.
      problems.push(`${where}: the fake GitHub failed: ${(error as Error).stack ?? String(error)}`);
      return {
        reply: { status: 400, json: { message: `fake GitHub failed: ${(error as Error).message}` } },
        record,
      };
    }
  };

  const server = createServer((req, res) => {
    handle(req)
      .then(({ reply, record }) => {
        requests.push({
          seq: requests.length,
          at: Date.now() - started,
          method: (req.method ?? "GET").toUpperCase(),
          path: req.url ?? "/",
          headers: req.headers,
          body: undefined,
          auth: { kind: "none" },
          ...record,
          status: reply.status,
        });
        send(res, reply);
      })
      .catch((error: unknown) => {
        problems.push(`${req.method} ${req.url}: the fake GitHub crashed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  urls.web = `http://${host}`;
  urls.api = `http://${host}${REST_PREFIX}`;

  return {
    url: urls.web,
    host,
    port,
    state,
    requests,
    problems,
    counts: () => countRequests(requests),
    reset: () => {
      requests.length = 0;
      problems.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
