/**
 * A small stateful fake GitHub (Enterprise Server style: REST under `/api/v3`, GraphQL at
 * `/api/graphql`) on 127.0.0.1, for end-to-end tests and benchmarks of the app. Point Probot at it
 * with `GHE_HOST=<host>` and `GHE_PROTOCOL=http`.
 *
 * Every request is recorded and checked against GitHub's OpenAPI description
 * (testkit/openapi.ts); whatever GitHub would reject, and every route the fake does not
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
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkRequest, findOperation } from "../openapi.js";
import { authenticate } from "./auth.js";
import { deliveryHandler } from "./delivery-routes.js";
import { describeFault, type Fault, type FaultSpec, Faults, faultBody, faultRequest } from "./faults.js";
import { executeGraphql } from "./graphql.js";
import type { Urls } from "./json.js";
import { propertyHandler } from "./properties.js";
import { type Auth, HttpError, type Reply, restHandler } from "./rest.js";
import { type FakeSeed, FakeState } from "./state.js";
import { treeHandler } from "./trees.js";

export type { Fault, FaultRequest, FaultSpec } from "./faults.js";
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
  /** The HTTP status sent; 0 when the connection was cut without an answer. */
  status: number;
  auth: Auth;
  /** The injected fault this request met (`502`, `reset`, `delay 800ms`, …), if any. */
  fault?: string;
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
  /** Forgets the recorded requests and problems (the state and the faults stay). */
  reset(): void;
  /** Injects a fault into the matching requests from now on (see faults.ts). */
  inject(spec: FaultSpec): Fault;
  /** Removes every injected fault. */
  clearFaults(): void;
  close(): Promise<void>;
}

const REST_PREFIX = "/api/v3";
const GRAPHQL_PATH = "/api/graphql";
const TOKEN_ROUTE = "POST /app/installations/{installation_id}/access_tokens";

/** Whether a request writes: a REST POST, PATCH, PUT or DELETE (but a token), or a GraphQL mutation. */
function isWrite(r: RecordedRequest): boolean {
  if (r.operation === "POST /graphql") {
    const query = (r.body as { query?: unknown } | undefined)?.query;
    return typeof query === "string" && /^\s*mutation\b/.test(query);
  }
  return ["POST", "PATCH", "PUT", "DELETE"].includes(r.method) && r.operation !== TOKEN_ROUTE;
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
    raw: string,
  ): Promise<{ reply: Reply; record: Partial<RecordedRequest> }> => {
    const method = (req.method ?? "GET").toUpperCase();
    const target = new URL(req.url ?? "/", "http://fake.invalid");
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
    const handler = operation
      ? (restHandler(method, operation.template) ??
        deliveryHandler(method, operation.template) ??
        propertyHandler(method, operation.template) ??
        treeHandler(method, operation.template))
      : undefined;
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

  const faults = new Faults();

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const request = faultRequest(req, raw, { rest: REST_PREFIX, graphql: GRAPHQL_PATH });
    const spec = faults.take(request);
    if (spec?.delayMs) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
    const answers = spec !== undefined && (spec.reset === true || spec.status !== undefined);
    let reply: Reply | undefined;
    let details: Partial<RecordedRequest> = {
      body: request.body,
      ...(request.operation ? { operation: request.operation } : {}),
    };
    if (answers && !spec.afterProcessing) {
      // Not acted on, but still checked against the API description.
      problems.push(...checkRequest({ method: request.method, url: request.path, body: request.body }));
    } else {
      ({ reply, record: details } = await handle(req, raw));
    }
    if (answers)
      reply = spec.reset
        ? undefined
        : { status: spec.status ?? 500, headers: spec.headers ?? {}, ...faultBody(spec) };
    requests.push({
      seq: requests.length,
      at: Date.now() - started,
      method: request.method,
      path: req.url ?? "/",
      headers: req.headers,
      body: undefined,
      auth: { kind: "none" },
      ...details,
      ...(spec ? { fault: describeFault(spec) } : {}),
      status: reply?.status ?? 0,
    });
    if (reply) send(res, reply);
    else req.socket.destroy();
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
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
    inject: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
