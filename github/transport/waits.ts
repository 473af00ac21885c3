/**
 * How long a unit of work (a webhook delivery) waited on GitHub: the app logs it beside its own
 * handling time, so that the two can be told apart.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Time spent waiting on GitHub within one unit of work (a webhook delivery), see `timeWaits`. */
export interface GitHubWaits {
  /** Wall time during which at least one request was waiting for GitHub (or a retry's pause), ms. */
  ms: number;
  requests: number;
  /** Requests in flight now, and since when. */
  inFlight: number;
  since: number;
}

const waitsStore = new AsyncLocalStorage<GitHubWaits>();

/**
 * Runs `work` while counting the time its GitHub requests wait (overlapping requests count once),
 * so that a handler can tell its own time from GitHub's.
 */
export async function timeWaits<T>(work: () => Promise<T>): Promise<{ value: T; waits: GitHubWaits }> {
  const waits: GitHubWaits = { ms: 0, requests: 0, inFlight: 0, since: 0 };
  const value = await waitsStore.run(waits, work);
  return { value, waits };
}

/** Runs one request to GitHub, counted in the waits of the unit of work it belongs to. */
export async function timed<T>(request: () => Promise<T>): Promise<T> {
  const waits = waitsStore.getStore();
  if (!waits) return request();
  waits.requests++;
  if (waits.inFlight++ === 0) waits.since = performance.now();
  try {
    return await request();
  } finally {
    if (--waits.inFlight === 0) waits.ms += performance.now() - waits.since;
  }
}
