/**
 * What makes a request to GitHub worth another attempt, and whether it may be repeated: the
 * request's shape (method, path, a GraphQL query or mutation, a body that can be sent again) and
 * the answer's (5xx, rate limits primary and secondary, `retry-after`, `x-ratelimit-reset`), and
 * network failures before or after the request may have been sent. http.ts acts on it.
 */

const SERVER_ERRORS = new Set([500, 502, 503, 504]);
/** Failures before anything was sent: the request cannot have been acted on. */
export const NOT_SENT = new Set([
  "ECONNREFUSED",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
/** Failures after the request may have been sent. */
export const CUT_OFF = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
/**
 * POSTs that may be sent again when GitHub may have acted on them: a new installation token and
 * adding labels an issue has change nothing when repeated; a check run created twice leaves two
 * runs of one name on one commit, which is harmless (GitHub shows the newest), while a commit left
 * without its check keeps a pull request that requires it waiting for good.
 */
const REPEATABLE_POSTS = [
  /\/app\/installations\/[^/]+\/access_tokens$/,
  /\/issues\/\d+\/labels$/,
  /\/repos\/[^/]+\/[^/]+\/check-runs$/,
];
const RATE_LIMIT_MESSAGE = /secondary rate limit|abuse detection|rate limit exceeded/i;

export interface RequestShape {
  method: string;
  url: string;
  /** The request may be sent again (its body can be). */
  replayable: boolean;
  /** Running it twice does no harm, so it may be repeated even when GitHub may have acted on it. */
  repeatable: boolean;
  graphql: boolean;
}

/** Why an attempt is worth repeating; `acted` when GitHub may have carried the request out. */
export interface Retryable {
  reason: string;
  acted: boolean;
  /** The wait GitHub asked for, when it did. */
  askedMs?: number;
  /** The least to wait when GitHub did not say (a secondary rate limit). */
  floorMs?: number;
}

function isReplayableBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob
  );
}

/** True when a GraphQL document holds a mutation (comments and strings aside). */
export function isGraphqlMutation(document: string): boolean {
  const bare = document
    .replace(/"""[\s\S]*?"""/g, '""')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/#[^\n]*/g, "");
  return /(?:^|[}\s])mutation\b/.test(bare);
}

function graphqlDocument(body: unknown): string | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const query = (JSON.parse(body) as { query?: unknown })?.query;
    return typeof query === "string" ? query : undefined;
  } catch {
    return undefined;
  }
}

export function shapeOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): RequestShape {
  const request = typeof input === "string" || input instanceof URL ? undefined : input;
  const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
  const url = request ? request.url : String(input);
  const path = url.split("?")[0] ?? url;
  const body = init?.body;
  const replayable = isReplayableBody(body);
  const graphql = method === "POST" && /\/graphql$/.test(path);
  let repeatable = SAFE_METHODS.has(method);
  if (method === "POST" && REPEATABLE_POSTS.some((p) => p.test(path))) repeatable = true;
  if (graphql) {
    // Only a query is a read; a document that cannot be read is treated as a write.
    const document = graphqlDocument(body);
    repeatable = document !== undefined && !isGraphqlMutation(document);
  }
  return { method, url, replayable, repeatable, graphql };
}

/** The wait `retry-after` asks for: seconds, or an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait until `x-ratelimit-reset` (epoch seconds), a second after, as GitHub advises. */
function resetMs(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (!headers.has("x-ratelimit-reset") || !Number.isFinite(reset)) return undefined;
  return Math.max(0, reset * 1000 - now) + 1000;
}

async function peek(response: Response): Promise<string> {
  try {
    return await response.clone().text();
  } catch {
    return "";
  }
}

export async function retryableAnswer(
  response: Response,
  shape: RequestShape,
  now: number,
  secondaryLimitWaitMs: number,
): Promise<Retryable | undefined> {
  const { status, headers } = response;
  const asked = retryAfterMs(headers, now);
  const exhausted = headers.get("x-ratelimit-remaining") === "0";
  const withAsked = (r: Retryable): Retryable => (asked !== undefined ? { ...r, askedMs: asked } : r);
  if (status === 429 || status === 403) {
    if (asked !== undefined) return { reason: `rate limited (${status})`, acted: false, askedMs: asked };
    const reset = exhausted ? resetMs(headers, now) : undefined;
    if (reset !== undefined)
      return { reason: `rate limit exhausted (${status})`, acted: false, askedMs: reset };
    if (status === 429) return { reason: "rate limited (429)", acted: false };
    if (RATE_LIMIT_MESSAGE.test(await peek(response)))
      return { reason: "secondary rate limit (403)", acted: false, floorMs: secondaryLimitWaitMs };
    return undefined;
  }
  if (SERVER_ERRORS.has(status)) return withAsked({ reason: `GitHub answered ${status}`, acted: true });
  if (status === 200 && shape.graphql && exhausted && /"RATE_LIMITED"/.test(await peek(response))) {
    const reset = resetMs(headers, now);
    return { reason: "GraphQL rate limit exhausted", acted: false, ...(reset ? { askedMs: reset } : {}) };
  }
  return undefined;
}

/** The error code of a network failure (`fetch failed` keeps it in its causes). */
export function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
