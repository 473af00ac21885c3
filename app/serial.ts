/**
 * Ordering of webhook work per subject.
 *
 * One piece of work at a time per subject: GitHub sends `opened` and `labeled` for an issue created
 * with labels at the same moment; handled in parallel, both would find no sticky comment and both
 * would write one. Work for different subjects still runs in parallel.
 *
 * And no going back in time: GitHub does not promise to deliver webhooks in order, and a redelivery
 * can come long after. A delivery whose subject (`updated_at`) is older than one already judged
 * would publish a stale verdict over a newer one, so it is left alone.
 */
export { createSerialiser, type Serialise } from "../core/util/serial.js";

export interface Freshness {
  /**
   * True when `updatedAt` is older than the newest state judged for `key`; otherwise records it.
   * Call it inside the subject's serialised work, so that the check and the judgement do not race.
   */
  isStale(key: string, updatedAt: string | null | undefined): boolean;
}

/** Remembers the newest `updated_at` judged for the last `limit` subjects. */
export function createFreshness(limit = 10_000): Freshness {
  const newest = new Map<string, number>();
  return {
    isStale(key, updatedAt) {
      const at = updatedAt ? Date.parse(updatedAt) : Number.NaN;
      if (Number.isNaN(at)) return false;
      const seen = newest.get(key);
      if (seen !== undefined && at < seen) return true;
      newest.delete(key);
      newest.set(key, at);
      if (newest.size > limit) newest.delete(newest.keys().next().value as string);
      return false;
    },
  };
}
