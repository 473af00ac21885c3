/**
 * The `fetch` every Octokit of the app, the action and `pom check --github` uses: one request to
 * GitHub, bounded in time, retried when GitHub or the network failed in passing, and never
 * repeated when that could write something twice.
 *
 * - Each attempt is abandoned after `timeoutMs` without an answer.
 * - Retried: a refused connection (nothing was sent); 429, a 403 that is a rate limit (primary:
 *   `x-ratelimit-remaining: 0`; secondary: `retry-after`, or a message that says so) and a GraphQL
 *   `RATE_LIMITED` answer (GitHub did not act on the request); and, for requests that may safely
 *   run twice, 500/502/503/504, a reset connection and an attempt that timed out (GitHub may have
 *   acted on the request already). A POST that creates something (an issue, a comment) or a
 *   PATCH that appends (check run annotations) is not repeated in the second case; creating a
 *   check run is, since a second run of the same name on a commit is harmless and a missing one
 *   is not (see retry-policy.ts).
 * - The wait is what GitHub asks for (`retry-after`, or until `x-ratelimit-reset`), else an
 *   exponential back-off with jitter. A wait GitHub asks for that does not fit into what is left
 *   of `maxWaitMs` is not waited out: retrying earlier would only be refused again.
 * - After `attempts` attempts, or once the waiting budget is spent, the last answer is returned
 *   (or the last failure thrown), and the caller reports the fact it could not read.
 */

import { wholeSetting } from "../../core/util/settings.js";
import { CUT_OFF, codeOf, NOT_SENT, type Retryable, retryableAnswer, shapeOf } from "./retry-policy.js";
import { timed } from "./waits.js";
import { WHOLE } from "./whole-fetch.js";

export interface RetryNotice {
  method: string;
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** What went wrong: "GitHub answered 502", "secondary rate limit", "no answer within 30000 ms", … */
  reason: string;
  /** How long before the next attempt. */
  waitMs: number;
}

export interface GitHubFetchOptions {
  /** An attempt without an answer (headers) within this many ms is abandoned. Default 30 s. */
  timeoutMs?: number;
  /** Attempts in all, the first included. Default 4. */
  attempts?: number;
  /** The longest all waits between the attempts of one request may add up to. Default 60 s. */
  maxWaitMs?: number;
  /** The first back-off step, doubled on each retry (with jitter). Default 500 ms. */
  backoffMs?: number;
  /** How long to wait after a secondary rate limit that does not say (GitHub asks for a minute). */
  secondaryLimitWaitMs?: number;
  /** The fetch to call (default: the global one). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** A number in [0, 1), for the jitter. */
  random?: () => number;
  /** Told before each wait, for a log line. */
  onRetry?: (notice: RetryNotice) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_ATTEMPTS = 4;
export const DEFAULT_MAX_WAIT_MS = 60_000;

/** A request that got no usable answer: no connection, or no answer in time. */
export class GitHubUnreachableError extends Error {
  override readonly name = "GitHubUnreachableError";
}

/** Statuses whose answers have no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The answer with its body read in full (GitHub's answers are small, and Octokit reads them whole
 * anyway), so that the attempt's timeout covers the body and ends with it.
 */
async function buffered(response: Response): Promise<Response> {
  if (WHOLE in response) return response;
  const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
  const copy = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

function sleepFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A `fetch` for Octokit's `request.fetch` option; see the module comment. */
export function githubFetch(options: GitHubFetchOptions = {}): typeof fetch {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const backoffMs = options.backoffMs ?? 500;
  const secondaryLimitWaitMs = options.secondaryLimitWaitMs ?? 60_000;
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  return (input, init) => timed(() => attemptAll(input, init));
  async function attemptAll(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]) {
    const shape = shapeOf(input, init);
    const callerSignal = init?.signal ?? undefined;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const timer = new AbortController();
      // The timeout covers the body as well: a body that stalls is abandoned too.
      const armed = setTimeout(() => timer.abort(), timeoutMs);
      armed.unref?.();
      const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;
      // A URL is tested first: naming the global Request makes Node load undici (see whole-fetch.ts).
      const target = typeof input === "string" || input instanceof URL ? input : input.clone();
      let retry: Retryable | undefined;
      let failure: Error | undefined;
      let response: Response | undefined;
      try {
        response = await buffered(await (options.fetch ?? fetch)(target, { ...init, signal }));
        retry = await retryableAnswer(response, shape, now(), secondaryLimitWaitMs);
        if (!retry) {
          clearTimeout(armed);
          return response;
        }
      } catch (error) {
        clearTimeout(armed);
        if (callerSignal?.aborted) throw error;
        const code = codeOf(error);
        if (timer.signal.aborted) {
          failure = new GitHubUnreachableError(`no answer from GitHub within ${timeoutMs} ms`, {
            cause: error,
          });
          retry = { reason: `no answer within ${timeoutMs} ms`, acted: true };
        } else if (code && (NOT_SENT.has(code) || CUT_OFF.has(code))) {
          failure = new GitHubUnreachableError(`the connection to GitHub failed (${code})`, { cause: error });
          retry = { reason: `connection failed (${code})`, acted: !NOT_SENT.has(code) };
        } else {
          throw error;
        }
      }
      // Disarmed once the answer is in: an armed timer would keep the request, its signal and
      // the answer alive for the whole timeout.
      clearTimeout(armed);
      const giveUp = () => {
        if (response) return response;
        const tried = attempt > 1 ? ` (${attempt} attempts)` : "";
        throw new GitHubUnreachableError(`${failure?.message}${tried}`, { cause: failure?.cause });
      };
      if (attempt >= attempts || !shape.replayable || (retry.acted && !shape.repeatable)) return giveUp();
      const left = maxWaitMs - waited;
      let waitMs: number;
      if (retry.askedMs !== undefined) {
        // GitHub said how long; an earlier attempt would be refused again.
        if (retry.askedMs > left) return giveUp();
        waitMs = retry.askedMs;
      } else {
        const step = backoffMs * 2 ** (attempt - 1);
        waitMs = Math.max(retry.floorMs ?? 0, Math.round(step / 2 + (random() * step) / 2));
        // The least wait GitHub asks for must fit; a back-off is cut short to what is left.
        if (left <= 0 || (retry.floorMs !== undefined && waitMs > left)) return giveUp();
        waitMs = Math.min(waitMs, left);
      }
      // The answer is not used: release its connection.
      await response?.body?.cancel().catch(() => undefined);
      options.onRetry?.({ method: shape.method, url: shape.url, attempt, reason: retry.reason, waitMs });
      await sleep(waitMs);
      waited += waitMs;
      if (callerSignal?.aborted) throw callerSignal.reason;
    }
  }
}

/**
 * The fetch options the environment sets: POM_GITHUB_TIMEOUT_MS (per attempt), POM_GITHUB_ATTEMPTS
 * and POM_GITHUB_MAX_WAIT_MS; unset ones keep their defaults, a malformed one is refused.
 */
export function fetchOptionsFromEnv(env: Record<string, string | undefined>): GitHubFetchOptions {
  const timeoutMs = wholeSetting(env, "POM_GITHUB_TIMEOUT_MS", 1);
  const attempts = wholeSetting(env, "POM_GITHUB_ATTEMPTS", 1);
  const maxWaitMs = wholeSetting(env, "POM_GITHUB_MAX_WAIT_MS", 0);
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
    ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
  };
}
