/**
 * Faults the fake GitHub can be told to inject: an answer in place of the real one (a 502 burst, a
 * 403 secondary rate limit with `retry-after`, a 429, a spent rate limit with its reset, a 401 for
 * an expired token, a 404), a late answer, or a connection cut without one. A fault matches
 * requests by operation (`"GET /repos/{owner}/{repo}/contents/{path}"`, `"POST /graphql"`, `"*"`)
 * or by predicate, optionally only for one repository, and applies to the next `times` of them.
 *
 * @example
 * fake.inject({ match: "GET /repos/{owner}/{repo}/contents/{path}", repo: "acme/checkout", times: 2, status: 502 });
 * fake.inject({ match: "POST /repos/{owner}/{repo}/check-runs", status: 502, afterProcessing: true });
 * fake.inject({ match: "*", repo: "acme/slow", delayMs: 800 }); // answers, but late
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { findOperation } from "../openapi.js";

/** What a fault can match on. */
export interface FaultRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** The operation: `GET /repos/{owner}/{repo}`, `POST /graphql`; undefined for an unknown route. */
  operation?: string;
  /** The repositories the request is about (`owner/name`, lower case): from the path, or GraphQL's variables and query. */
  repos: string[];
  /** The parsed JSON body, or the raw text. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface FaultSpec {
  /** An operation (`"METHOD /template"`), `"*"` for every request, or a predicate. */
  match: string | ((request: FaultRequest) => boolean);
  /** Only requests about this repository (`owner/name`). */
  repo?: string;
  /** How many matching requests get the fault (default 1; `Infinity` for all of them). */
  times?: number;
  /** Answer with this status instead of the real answer. */
  status?: number;
  headers?: Record<string, string>;
  /** The answer's body: JSON, or text when a string (default `{ message }` for the status). */
  body?: unknown;
  /** Wait this long before answering (with the real answer, unless `status` or `reset` is given too). */
  delayMs?: number;
  /** Cut the connection without an answer. */
  reset?: boolean;
  /** Carry the request out first, then answer with the fault: a write whose answer was lost. */
  afterProcessing?: boolean;
}

export interface Fault {
  readonly spec: FaultSpec;
  /** Requests this fault applied to so far. */
  readonly hits: number;
  /** Stops it applying to more requests. */
  remove(): void;
}

interface Entry {
  spec: FaultSpec;
  left: number;
  hits: number;
  removed: boolean;
}

const REASONS: Record<number, string> = {
  401: "Bad credentials",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The default body of a fault answer with `status`. */
export function faultBody(spec: FaultSpec): { json?: unknown; text?: string } {
  if (typeof spec.body === "string") return { text: spec.body };
  if (spec.body !== undefined) return { json: spec.body };
  const message = REASONS[spec.status ?? 500] ?? `HTTP ${spec.status}`;
  return { json: { message, documentation_url: "https://docs.github.com/rest" } };
}

/** A short label for the recorded request: `502`, `reset`, `delay 800ms`, `502 after processing`. */
export function describeFault(spec: FaultSpec): string {
  const parts = [
    ...(spec.delayMs ? [`delay ${spec.delayMs}ms`] : []),
    ...(spec.reset ? ["reset"] : spec.status !== undefined ? [String(spec.status)] : []),
    ...(spec.afterProcessing ? ["after processing"] : []),
  ];
  return parts.join(" ");
}

/** The repositories a GraphQL request names: `owner`/`repo` (or `name`) variables and `repository(owner:, name:)` in the query. */
export function graphqlRepos(body: unknown): string[] {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  const repos: string[] = [];
  const owner = variables?.owner;
  const name = variables?.repo ?? variables?.name;
  if (typeof owner === "string" && typeof name === "string") repos.push(`${owner}/${name}`);
  if (typeof query === "string") {
    for (const m of query.matchAll(/repository\(\s*owner:\s*"([^"]+)"\s*,?\s*name:\s*"([^"]+)"/g))
      repos.push(`${m[1]}/${m[2]}`);
  }
  return repos.map((r) => r.toLowerCase());
}

/** The request as faults see it, before the fake acts on it. */
export function faultRequest(
  req: IncomingMessage,
  raw: string,
  paths: { rest: string; graphql: string },
): FaultRequest {
  const method = (req.method ?? "GET").toUpperCase();
  const path = req.url ?? "/";
  const target = new URL(path, "http://fake.invalid");
  let body: unknown = raw === "" ? undefined : raw;
  try {
    if (raw !== "") body = JSON.parse(raw);
  } catch {
    // not JSON: the raw text
  }
  if (target.pathname === paths.graphql)
    return {
      method,
      path,
      operation: "POST /graphql",
      repos: graphqlRepos(body),
      body,
      headers: req.headers,
    };
  const operation = target.pathname.startsWith(`${paths.rest}/`)
    ? findOperation(method, `${target.pathname}${target.search}`)
    : undefined;
  const { owner, repo } = operation?.pathParams ?? {};
  return {
    method,
    path,
    ...(operation ? { operation: `${method} ${operation.template}` } : {}),
    repos: owner && repo ? [`${owner}/${repo}`.toLowerCase()] : [],
    body,
    headers: req.headers,
  };
}

/** The faults in force, first added first matched. */
export class Faults {
  private entries: Entry[] = [];

  add(spec: FaultSpec): Fault {
    const entry: Entry = { spec, left: spec.times ?? 1, hits: 0, removed: false };
    this.entries.push(entry);
    return {
      spec,
      get hits() {
        return entry.hits;
      },
      remove: () => {
        entry.removed = true;
      },
    };
  }

  /** The fault for `request`, counted as applied; undefined when none matches. */
  take(request: FaultRequest): FaultSpec | undefined {
    this.entries = this.entries.filter((e) => !e.removed && e.left > 0);
    const entry = this.entries.find((e) => matches(e.spec, request));
    if (!entry) return undefined;
    entry.left--;
    entry.hits++;
    return entry.spec;
  }

  clear(): void {
    for (const entry of this.entries) entry.removed = true;
    this.entries = [];
  }
}

function matches(spec: FaultSpec, request: FaultRequest): boolean {
  if (spec.repo && !request.repos.includes(spec.repo.toLowerCase())) return false;
  if (typeof spec.match === "function") return spec.match(request);
  return spec.match === "*" || spec.match === request.operation;
}
