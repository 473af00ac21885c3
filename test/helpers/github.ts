/**
 * A nock-backed GitHub for the tests of `github/`: every expected request is declared with its
 * exact path and query, every request our code sends is recorded (method, path, query, headers,
 * body) and checked against GitHub's REST OpenAPI description, and requests nobody expected are
 * collected instead of vanishing into a swallowed error.
 *
 * @example
 * const gh = new FakeGitHub();
 * gh.on("GET", "/repos/acme/checkout/releases?per_page=100", { status: 200, body: [] });
 * ...
 * expect(gh.scope.isDone()).toBe(true);
 * gh.close(); // in afterEach: asserts no OpenAPI problem and no unexpected request
 */
import { Octokit } from "@octokit/core";
import nock from "nock";
import { expect } from "vitest";
import { stringify } from "yaml";
import { checkRequest } from "../../testkit/openapi.js";
import { baseManifest, merge } from "./engine.js";

export const API = "https://api.github.com";

/** A plain Octokit against the nock scope: no retry, no throttling, no auth. */
export function newClient(): Octokit {
  return new Octokit({ baseUrl: API });
}

export interface SentRequest {
  method: string;
  /** Path and query exactly as sent: `/repos/acme/checkout/contents/.github%2Fpom.yml?ref=abc`. */
  url: string;
  /** The path without the query, still percent-encoded. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The parsed JSON body (or the raw text), undefined without a body. */
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Replier = Reply | ((request: SentRequest) => Reply);

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const at = url.indexOf("?");
  return at < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) };
}

function sameQuery(a: URLSearchParams, b: URLSearchParams): boolean {
  const sorted = (q: URLSearchParams) => JSON.stringify([...q.entries()].sort());
  return sorted(a) === sorted(b);
}

function parseBody(body: unknown): unknown {
  if (body === "" || body === undefined || body === null) return undefined;
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export class FakeGitHub {
  readonly scope = nock(API);
  /** Every request that reached an interceptor, in order. */
  readonly sent: SentRequest[] = [];
  /** Ways the sent requests disagree with GitHub's REST description. */
  readonly problems: string[] = [];
  /** Requests no interceptor expected. */
  readonly unmatched: string[] = [];
  readonly #onNoMatch = (req: { method?: string; path?: string; href?: string }) => {
    this.unmatched.push(`${req.method ?? "?"} ${req.path ?? req.href ?? "?"}`);
  };

  constructor() {
    nock.emitter.on("no match", this.#onNoMatch);
  }

  /**
   * Expects `method url` (`times` times). The path must match exactly as sent (percent-encoded);
   * the query must have exactly the parameters of `url`, in any order.
   */
  on(method: string, url: string, replier: Replier, times = 1): this {
    const expected = splitUrl(url);
    const recorder = this;
    this.scope
      .intercept((uri: string) => {
        const actual = splitUrl(uri);
        return actual.path === expected.path && sameQuery(actual.query, expected.query);
      }, method.toUpperCase())
      .times(times)
      .reply(function (uri, body) {
        const request = recorder.#record(method, uri, body, this.req.headers);
        const reply = typeof replier === "function" ? replier(request) : replier;
        return [reply.status, reply.body ?? "", { ...JSON_HEADERS, ...reply.headers }];
      });
    return this;
  }

  /** Expects one POST /graphql whose query matches `pattern`; answers `{ data }` (and `errors`). */
  graphql(
    pattern: RegExp,
    answer: ((request: SentRequest) => unknown) | Record<string, unknown> | null,
    errors?: unknown[],
  ): this {
    const recorder = this;
    this.scope
      .post(
        "/graphql",
        (body: { query?: unknown }) => typeof body.query === "string" && pattern.test(body.query),
      )
      .reply(function (uri, body) {
        const request = recorder.#record("POST", uri, body, this.req.headers);
        const data = typeof answer === "function" ? answer(request) : answer;
        return [200, { data, ...(errors ? { errors } : {}) }, JSON_HEADERS];
      });
    return this;
  }

  /**
   * Expects one query for blob ids (`object(expression: "REV:PATH") { oid }`, as
   * github/read/governance-changes.ts asks): `trees` gives each revision's files ("HEAD" is the default
   * branch); a path a tree lacks answers null.
   */
  blobs(trees: Record<string, Record<string, string>>): this {
    return this.graphql(/object\(expression/, (request) => {
      const repository: Record<string, { oid: string } | null> = {};
      for (const [name, value] of Object.entries(variablesOf(request))) {
        if (!/^e\d+_\d+$/.test(name)) continue;
        const [rev = "", ...rest] = String(value).split(":");
        const text = trees[rev]?.[rest.join(":")];
        repository[`o${name.slice(1)}`] = text === undefined ? null : { oid: `blob-${etagOf(text)}` };
      }
      return { repository };
    });
  }

  /** Expects the comparison of `basehead` ("base...head") in `repo` that names the merge base `sha`. */
  mergeBase(repo: string, basehead: string, sha: string): this {
    return this.on("GET", `/repos/${repo}/compare/${encodeURIComponent(basehead)}?per_page=1`, {
      status: 200,
      body: { merge_base_commit: { sha }, commits: [], files: [] },
    });
  }

  /**
   * Expects a read of `path` in `repo` ("owner/name") through the contents API with the raw media
   * type: `text` answers 200 with `etag`, `null` answers 404, `304` answers Not Modified. With
   * `ref`, the request must carry exactly that ref; without it, no ref at all.
   */
  file(
    repo: string,
    path: string,
    text: string | null | 304,
    options: { ref?: string; etag?: string } = {},
  ): this {
    const query = options.ref ? `?ref=${encodeURIComponent(options.ref)}` : "";
    const url = `/repos/${repo}/contents/${encodeURIComponent(path)}${query}`;
    if (text === null) return this.on("GET", url, { status: 404, body: { message: "Not Found" } });
    if (text === 304) return this.on("GET", url, { status: 304, headers: { etag: options.etag ?? '"x"' } });
    return this.on("GET", url, {
      status: 200,
      body: text,
      headers: { "content-type": "text/plain; charset=utf-8", etag: options.etag ?? `"${etagOf(text)}"` },
    });
  }

  /**
   * Expects the trusted configuration reads of `repo`: `.github/pom.yml` (then `pom.yml` when it is
   * missing) and `{owner}/.github`'s `.github/pom-policy.yml`, all on the default branch.
   */
  config(
    repo: string,
    files: { manifest?: string | null; rootManifest?: string | null; policy?: string | null },
  ): this {
    const owner = repo.split("/")[0] ?? "";
    this.file(repo, ".github/pom.yml", files.manifest ?? null);
    if (!files.manifest) this.file(repo, "pom.yml", files.rootManifest ?? null);
    this.file(`${owner}/.github`, ".github/pom-policy.yml", files.policy ?? null);
    return this;
  }

  /** The sent requests matching `method` and a path prefix. */
  requests(method: string, pathPrefix = ""): SentRequest[] {
    return this.sent.filter((r) => r.method === method.toUpperCase() && r.path.startsWith(pathPrefix));
  }

  /** The queries sent to /graphql. */
  graphqlQueries(): string[] {
    return this.requests("POST", "/graphql").map((r) => String((r.body as { query?: unknown }).query));
  }

  /** Call from afterEach: every mock was used, every request was expected and matched the REST description. */
  close(): void {
    nock.emitter.removeListener("no match", this.#onNoMatch);
    expect(nock.pendingMocks(), "mocks that were never used").toEqual([]);
    expect(this.problems, "requests that do not match GitHub's REST API").toEqual([]);
    expect(this.unmatched, "requests nobody expected").toEqual([]);
  }

  #record(
    method: string,
    uri: string,
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
  ) {
    const parsed = parseBody(body);
    const { path, query } = splitUrl(uri);
    const request: SentRequest = {
      method: method.toUpperCase(),
      url: uri,
      path,
      query: Object.fromEntries(query.entries()),
      headers: flatHeaders(headers),
      body: parsed,
    };
    this.sent.push(request);
    this.problems.push(...checkRequest({ method: request.method, url: `${API}${uri}`, body: parsed }));
    return request;
  }
}

/** The JSON body of a sent request, which must exist. */
export function bodyOf<T = Record<string, unknown>>(request: SentRequest | undefined): T {
  if (!request) throw new Error("no such request was sent");
  return request.body as T;
}

/** The variables of a sent GraphQL request. */
export function variablesOf(request: SentRequest | undefined): Record<string, unknown> {
  return bodyOf<{ variables?: Record<string, unknown> }>(request).variables ?? {};
}

/** The ETag the mock answers for a file's text (stable per content, like GitHub's). */
export function etagOf(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return `e${(hash >>> 0).toString(16)}`;
}

/** The test manifest (engine.ts's base manifest, `patch` merged in) as YAML text. */
export function manifestYaml(patch: Record<string, unknown> = {}): string {
  return stringify(merge(baseManifest(), patch));
}
