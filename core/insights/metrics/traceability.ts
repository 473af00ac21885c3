/**
 * Traceability: how much of the merged work traces to an active outcome, how much was exempt or
 * waived, and how many pull requests each outcome drew. Definitions: docs/metrics.md.
 */
import type { Status } from "../../engine/types.js";
import { round, share } from "./stats.js";
import { dayWindow, inWindow, parseTime, windowBounds } from "./time.js";

/**
 * How a merged pull request traces, from its `outcome.pull_request` finding:
 * `outcome` (pass: it names an active outcome, directly or through an issue it closes),
 * `exempt` (skip: an exempt label or author), `waived` (a waiver was in force),
 * `none` (fail: it names no active outcome), `unknown` (the facts could not be read).
 */
export type Trace = "outcome" | "exempt" | "waived" | "none" | "unknown";

export interface TracedPullRequest {
  number: number;
  mergedAt: string;
  trace: Trace;
  /** Ids of the active outcomes it traces to (for `outcome`), as declared. */
  outcomes?: readonly string[];
}

export interface TraceabilityInput {
  pullRequests: readonly TracedPullRequest[];
  /** Active outcome ids; each is listed in `byOutcome`, with 0 when no pull request served it. */
  activeOutcomes?: readonly string[];
  now: Date;
  /** The trailing window in days (default 90). */
  windowDays?: number;
}

export interface TraceCounts {
  /** Merged pull requests in the window. */
  pullRequests: number;
  traced: number;
  exempt: number;
  waived: number;
  untraced: number;
  unknown: number;
}

export interface TraceShares {
  /** traced / pullRequests, to 3 decimals; null without pull requests. */
  tracedShare: number | null;
  exemptShare: number | null;
  waivedShare: number | null;
  untracedShare: number | null;
  /** traced / (pullRequests − exempt): the share of the work the rule governs. */
  tracedShareOfGoverned: number | null;
}

export interface OutcomeCount {
  id: string;
  pullRequests: number;
}

export interface Traceability extends TraceCounts, TraceShares {
  window: { from: string; to: string; days: number };
  /** Pull requests per outcome, most first, then by id; a pull request counts for each outcome it serves. */
  byOutcome: OutcomeCount[];
}

/**
 * The trace of a pull request from the status of its `outcome.pull_request` finding.
 *
 * @example traceOf("skip") // "exempt"
 */
export function traceOf(status: Status | undefined): Trace {
  switch (status) {
    case "pass":
      return "outcome";
    case "skip":
      return "exempt";
    case "waived":
      return "waived";
    case "fail":
      return "none";
    default:
      return "unknown";
  }
}

/**
 * The traceability metrics of one repository.
 *
 * @example traceability({ pullRequests, now }).tracedShare // 0.75
 */
export function traceability(input: TraceabilityInput): Traceability {
  const window = dayWindow(input.now, input.windowDays);
  const seen = new Set<number>();
  const merged = input.pullRequests.filter((pr) => {
    const at = parseTime(pr.mergedAt);
    if (at === undefined || !inWindow(window, at) || seen.has(pr.number)) return false;
    seen.add(pr.number);
    return true;
  });
  const counts = countTraces(merged);
  const perOutcome = new Map<string, number>((input.activeOutcomes ?? []).map((id) => [id, 0]));
  for (const pr of merged) {
    if (pr.trace !== "outcome") continue;
    for (const id of new Set(pr.outcomes ?? [])) perOutcome.set(id, (perOutcome.get(id) ?? 0) + 1);
  }
  return {
    window: windowBounds(window),
    ...counts,
    ...traceShares(counts),
    byOutcome: sortCounts(perOutcome),
  };
}

function countTraces(prs: readonly TracedPullRequest[]): TraceCounts {
  const count = (trace: Trace) => prs.filter((pr) => pr.trace === trace).length;
  return {
    pullRequests: prs.length,
    traced: count("outcome"),
    exempt: count("exempt"),
    waived: count("waived"),
    untraced: count("none"),
    unknown: count("unknown"),
  };
}

/** The shares of a set of counts (also used for org totals). */
export function traceShares(c: TraceCounts): TraceShares {
  const of = (part: number, whole: number) => {
    const s = share(part, whole);
    return s === null ? null : round(s, 3);
  };
  return {
    tracedShare: of(c.traced, c.pullRequests),
    exemptShare: of(c.exempt, c.pullRequests),
    waivedShare: of(c.waived, c.pullRequests),
    untracedShare: of(c.untraced, c.pullRequests),
    tracedShareOfGoverned: of(c.traced, c.pullRequests - c.exempt),
  };
}

/** Outcome counts, most first, ties by id in code-point order. */
export function sortCounts(counts: ReadonlyMap<string, number>): OutcomeCount[] {
  return [...counts]
    .map(([id, pullRequests]) => ({ id, pullRequests }))
    .sort((a, b) => b.pullRequests - a.pullRequests || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
