/**
 * What keeps a code scanning alert one alert across runs: a fingerprint of a finding made from what
 * it is about (the rule, the file it points into, the subject its message names), never from what
 * changes from one run to the next while the problem stays the same (ages, dates, counts, line
 * numbers: "the latest release v1.4.0 is 20d old" tomorrow says "21d").
 */
import { createHash } from "node:crypto";
import { STAGE_NOTE } from "../manifest/levels.js";

/** The key of the fingerprint in `partialFingerprints`; a new way of computing it gets a new version. */
export const FINGERPRINT_KEY = "pomGovernance/v1";

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
// As formatDuration writes them: "20d", "20d 3h", "45m", "-2d": whether the hours show depends
// on the time of day, so a duration is replaced whole.
const DURATION = /-?\b\d+[dhms](?: \d+[dhms])*\b/g;

/**
 * The part of a finding's message that names what it is about: times and durations replaced by a
 * placeholder, every other number by `#` (versions, counts and line numbers move without the
 * problem changing), white space collapsed and letters folded to lower case. The note of a level
 * that will rise ("warning now; blocks from …: ") is left out: the alert stays one when it blocks.
 *
 * @example findingSubject("the latest release v1.4.0 is 20d 3h old; the cadence is 14d")
 * // "the latest release v#.#.# is <duration> old; the cadence is <duration>"
 */
export function findingSubject(message: string): string {
  return message
    .replace(STAGE_NOTE, "")
    .replace(ISO_TIME, "<time>")
    .replace(DURATION, "<duration>")
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/**
 * Fingerprints for findings in order: the hash of rule, file and subject, then `:n` for the n-th
 * finding of this run with the same hash (so two findings that differ only in a number stay two
 * alerts, told apart by their order, as CodeQL's own fingerprints do).
 */
export function fingerprints(findings: readonly { rule: string; uri: string; message: string }[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const hash = createHash("sha256")
      .update(`${f.rule}\n${f.uri}\n${findingSubject(f.message)}`)
      .digest("hex")
      .slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}
