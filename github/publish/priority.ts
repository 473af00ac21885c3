/**
 * How urgent a write is when creations have to wait their turn (github/transport/pacer.ts): worst
 * first. A verdict failing at error level before one failing only at warning level, before the
 * rest (a success, a closing note); among equals, the more recently updated subject first.
 */
import type { Finding } from "../../core/engine/types.js";
import type { Priority } from "../transport/pacer.js";

/**
 * The priority of a write that shows `findings`; `updatedAt` (an ISO time, e.g. a pull request's
 * `updated_at`) puts recent subjects first among equals.
 *
 * @example priorityOf(verdict.findings, pr.updated_at) // { rank: 0, recency: 1781352000000 }
 */
export function priorityOf(findings: readonly Finding[], updatedAt?: string | null): Priority {
  const failing = findings.filter((f) => f.status === "fail");
  const rank = failing.some((f) => f.level === "error") ? 0 : failing.some((f) => f.level === "warn") ? 1 : 2;
  const recency = updatedAt ? Date.parse(updatedAt) : Number.NaN;
  return Number.isFinite(recency) ? { rank, recency } : { rank };
}

/**
 * `items` in groups of equal rank, worst first (a group per rank that has any).
 *
 * @example worstFirst(repos, (r) => r.findings) // [[failing at error level…], [at warning level…], [the rest…]]
 */
export function worstFirst<T>(items: readonly T[], findingsOf: (item: T) => readonly Finding[]): T[][] {
  const ranks = new Map<number, T[]>();
  for (const item of items) {
    const { rank } = priorityOf(findingsOf(item));
    ranks.set(rank, [...(ranks.get(rank) ?? []), item]);
  }
  return [...ranks.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
