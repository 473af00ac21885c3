/**
 * A `fetch` over `node:http` and `node:https` for a process that makes a few requests and exits:
 * the action. Node's own `fetch` is undici, which Node loads on first use together with HTTP/2,
 * zlib, worker threads and web streams, and whose HTTP parser is WebAssembly compiled at the
 * first answer; for a run of three requests that is most of the time the action takes beyond a
 * trivial one (docs/performance.md). The app and the CLI keep Node's `fetch`.
 *
 * It does what `githubFetch` (http.ts) and Octokit ask of a fetch, and no more: a URL (not a
 * `Request`), a method, headers, a body that is text or bytes, an abort signal; redirects followed
 * as fetch follows them (at most 20; a cross-origin hop drops the credentials; 303, and 301/302
 * after a POST, turn into a GET without a body); the answer read whole, uncompressed (no
 * `accept-encoding` is sent), with the fetch `Response` members those two read. Failures are
 * fetch's: a `TypeError("fetch failed")` whose cause carries the network error's code, and the
 * signal's abort error when it was aborted.
 */
import type { IncomingHttpHeaders } from "node:http";

/** Marks an answer that is already read whole, which `githubFetch` then need not copy. */
export const WHOLE = Symbol.for("pom-governance.whole-response");

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const CREDENTIALS = ["authorization", "cookie", "proxy-authorization"];

/** The answer's headers, with the members of fetch's `Headers` that are read. */
class AnswerHeaders {
  readonly #map: Map<string, string>;
  constructor(raw: IncomingHttpHeaders) {
    this.#map = new Map(
      Object.entries(raw).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]],
      ),
    );
  }
  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.#map) callback(value, name);
  }
  entries(): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
}

/** A body in memory: its bytes, and a stream's `cancel()`. */
class WholeBody extends Uint8Array {
  async cancel(): Promise<void> {}
}

/** An answer read whole, with the members of fetch's `Response` that are read. */
class WholeResponse {
  readonly [WHOLE] = true;
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    readonly headers: AnswerHeaders,
    private readonly bytes: Buffer,
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get redirected(): boolean {
    return false;
  }
  /**
   * The bytes themselves, where fetch has a stream: what asks for the body unparsed (Octokit's
   * `parseSuccessResponseBody: false`, file-cache.ts) reads a `Uint8Array` as it is, and what
   * releases an unused answer calls `cancel()`, which has nothing to release.
   */
  get body(): WholeBody | null {
    return this.bytes.length > 0 ? new WholeBody(this.bytes) : null;
  }
  async text(): Promise<string> {
    return this.bytes.toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString("utf8"));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes).buffer;
  }
  clone(): WholeResponse {
    return new WholeResponse(this.status, this.statusText, this.url, this.headers, this.bytes);
  }
}

function plainHeaders(headers: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (value: string, name: string) => {
    out[String(name).toLowerCase()] = String(value);
  };
  if (!headers) return out;
  if (Array.isArray(headers)) for (const [name, value] of headers) set(value, name);
  else if (typeof (headers as Headers).forEach === "function") (headers as Headers).forEach(set);
  else for (const [name, value] of Object.entries(headers)) set(value, name);
  return out;
}

function bodyBytes(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("this fetch sends text or bytes only");
}

interface Attempt {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

async function send(
  url: URL,
  attempt: Attempt,
): Promise<{ status: number; message: string; headers: IncomingHttpHeaders; bytes: Buffer }> {
  // Loaded on first use, synchronously: a dynamic import() would start Node's ESM loader in the
  // action's CommonJS bundle, and https (TLS) is not needed against a loopback http GitHub.
  const transport = process.getBuiltinModule(url.protocol === "https:" ? "node:https" : "node:http");
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(
        attempt.signal?.aborted ? attempt.signal.reason : new TypeError("fetch failed", { cause: error }),
      );
    const headers = { ...attempt.headers };
    if (attempt.body !== undefined) headers["content-length"] = String(Buffer.byteLength(attempt.body));
    const request = transport.request(
      url,
      { method: attempt.method, headers, ...(attempt.signal ? { signal: attempt.signal } : {}) },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("error", fail);
        answer.on("aborted", () =>
          fail(Object.assign(new Error("the answer was cut off"), { code: "ECONNRESET" })),
        );
        answer.on("end", () =>
          resolve({
            status: answer.statusCode ?? 0,
            message: answer.statusMessage ?? "",
            headers: answer.headers,
            bytes: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on("error", fail);
    request.end(attempt.body);
  });
}

/**
 * The fetch; pass it as `githubFetch({ fetch: wholeFetch })`.
 *
 * @example const answer = await wholeFetch("https://api.github.com/zen"); await answer.text()
 */
export const wholeFetch = (async (input: string | URL, init: RequestInit = {}) => {
  if (typeof input !== "string" && !(input instanceof URL)) throw new TypeError("this fetch takes a URL");
  let url = new URL(input);
  const attempt: Attempt = {
    method: (init.method ?? "GET").toUpperCase(),
    headers: plainHeaders(init.headers),
    body: bodyBytes(init.body),
    signal: init.signal ?? undefined,
  };
  for (let hops = 0; ; hops++) {
    const answer = await send(url, attempt);
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || !location || init.redirect === "manual") {
      return new WholeResponse(
        answer.status,
        answer.message,
        url.href,
        new AnswerHeaders(answer.headers),
        answer.bytes,
      );
    }
    if (init.redirect === "error" || hops >= MAX_REDIRECTS)
      throw new TypeError("fetch failed", { cause: new Error("redirect") });
    const next = new URL(location, url);
    if (next.origin !== url.origin) for (const name of CREDENTIALS) delete attempt.headers[name];
    if (
      answer.status === 303 ||
      ((answer.status === 301 || answer.status === 302) && attempt.method === "POST")
    ) {
      attempt.method = "GET";
      attempt.body = undefined;
      delete attempt.headers["content-type"];
    }
    url = next;
  }
}) as unknown as typeof fetch;
