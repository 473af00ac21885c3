/**
 * When work last named each outcome, and whether an active outcome has gone stale: no traced work
 * within the limit. Used by the repository rule outcome.stale and by the team view alike.
 */
import type { OutcomeActivity, TracedWork } from "../engine/facts.js";
import type { EffectiveOutcome } from "../manifest/config.js";
import { scanReferences } from "./outcome-refs.js";

/** The newest work naming an outcome. */
export interface LastWork {
  at: number;
  ref: string;
}

/**
 * Per active outcome id (lower case), the newest piece of `work` naming it (in a title, a body or
 * an `outcome:<id>` label), not after `until` (the judgement's clock).
 *
 * @example latestWork([{ ref: "pull request #3", at: "2026-11-02T00:00:00Z", texts: ["CHK-12: cart"] }], outcomes, now).get("chk-12")?.ref // "pull request #3"
 */
export function latestWork(
  work: readonly TracedWork[],
  outcomes: readonly EffectiveOutcome[],
  until: number,
): Map<string, LastWork> {
  const latest = new Map<string, LastWork>();
  for (const item of work) {
    const at = Date.parse(item.at);
    if (Number.isNaN(at) || at > until) continue;
    for (const o of scanReferences(item.texts, item.labels ?? [], outcomes).active) {
      const key = o.id.toLowerCase();
      const seen = latest.get(key);
      if (!seen || at > seen.at) latest.set(key, { at, ref: item.ref });
    }
  }
  return latest;
}

/**
 * Whether an outcome is stale: its newest traced work (`newest`, in ms; null when none was
 * found) is older than `staleFrom`. With none found since `staleFrom` and a reading that does not
 * cover everything since then (`covered` false), it is "unknown", never a pass.
 *
 * @example staleness(null, Date.parse("2026-10-01"), true) // true
 * @example staleness(null, Date.parse("2026-10-01"), false) // "unknown"
 */
export function staleness(newest: number | null, staleFrom: number, covered: boolean): boolean | "unknown" {
  if (newest !== null && newest >= staleFrom) return false;
  return covered ? true : "unknown";
}

const DAY_MS = 86_400_000;

/**
 * Whether what was read reaches back `days` before `now`: then it decides every outcome (none
 * found within the limit is stale); otherwise an outcome nothing names is undecided.
 */
export function reachesBack(activity: Pick<OutcomeActivity, "since">, days: number, now: Date): boolean {
  return Date.parse(activity.since) <= now.getTime() - days * DAY_MS;
}
