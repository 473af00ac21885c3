/**
 * What a repository's tags say about how it releases, for a starter manifest: the tag pattern its
 * version tags share (`v*`, `checkout-v*`) and the cadence its usual gap between releases suggests.
 * A guess to be read and corrected by a person, never a judgement: nothing here decides a rule.
 */

import type { ReleaseInfo } from "../engine/facts.js";
import { MAX_GLOB_LENGTH } from "./glob.js";
import { MAX_TAG_LENGTH } from "./releases.js";

const DAY_MS = 86_400_000;

/** The cadences a guess rounds up to, shortest first: the named ones of the schema, then longer. */
const CADENCE_STEPS: readonly { days: number; text: string }[] = [
  { days: 1, text: "1d" },
  { days: 7, text: "7d" },
  { days: 14, text: "14d" },
  { days: 30, text: "30d" },
  { days: 60, text: "60d" },
  { days: 90, text: "90d" },
  { days: 180, text: "180d" },
  { days: 365, text: "365d" },
];

/**
 * The gaps of this many of the newest releases make the cadence: a project's habits of years ago
 * say little about how it ships now.
 */
export const RECENT_RELEASES = 21;

/** A version after the prefix: `1.4`, `1.4.0`, `2026.05.01`, with build metadata allowed. */
const VERSION = /^\d+(?:\.\d+)+(?:\+[0-9A-Za-z.-]*)?$/;

export interface PrefixCount {
  prefix: string;
  count: number;
}

export interface ReleaseHabits {
  /** The glob for `release.tag_pattern`: the most common prefix and a star. */
  tagPattern: string;
  prefix: string;
  /** How many version tags have that prefix, and how many version tags there are in all. */
  matched: number;
  versionTags: number;
  /** The other prefixes, most common first. */
  others: PrefixCount[];
  /** Absent with fewer than two releases of the chosen prefix: there is no gap to measure. */
  cadence?: { text: string; medianDays: number; gaps: number };
}

/**
 * The part of a tag before its version (`checkout-v` of `checkout-v1.4.0`), or undefined when the
 * tag ends in no version. The version is looked for at each run of digits in turn, so that a
 * prefix may hold digits itself (`app2-v1.0.0`).
 */
export function versionPrefix(tag: string): string | undefined {
  if (tag.length > MAX_TAG_LENGTH) return undefined;
  for (let i = 0; i < tag.length; i++) {
    const startsRun = isDigit(tag.charCodeAt(i)) && (i === 0 || !isDigit(tag.charCodeAt(i - 1)));
    if (startsRun && VERSION.test(tag.slice(i))) return tag.slice(0, i);
  }
  return undefined;
}

/** The glob of a prefix's tags; bare versions (`1.2.0`) get `*.*`, which leaves out tags such as `latest`. */
export function tagPatternFor(prefix: string): string {
  return prefix === "" ? "*.*" : `${prefix}*`;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Whether a prefix can stand before a star in a glob as itself (no `*` or `?` of its own). */
function usablePrefix(prefix: string): boolean {
  return !prefix.includes("*") && !prefix.includes("?") && prefix.length < MAX_GLOB_LENGTH;
}

/**
 * The tag pattern and cadence that `tags` suggest, or undefined when none of them is a version
 * tag. Pre-releases do not count, as they do not for the cadence rule.
 *
 * @example inferReleaseHabits(tags)?.tagPattern // "checkout-v*" for checkout-v1.3.0, checkout-v1.4.0
 */
export function inferReleaseHabits(tags: readonly ReleaseInfo[]): ReleaseHabits | undefined {
  const byPrefix = new Map<string, ReleaseInfo[]>();
  for (const tag of tags) {
    if (tag.prerelease || tag.draft || Number.isNaN(Date.parse(tag.publishedAt))) continue;
    const prefix = versionPrefix(tag.tag);
    if (prefix === undefined || !usablePrefix(prefix)) continue;
    const list = byPrefix.get(prefix);
    if (list) list.push(tag);
    else byPrefix.set(prefix, [tag]);
  }
  // The most common prefix; on a tie, the one released most recently, then the first by name.
  const ranked = [...byPrefix.entries()]
    .map(([prefix, list]) => ({
      prefix,
      list,
      newest: list.reduce((latest, t) => Math.max(latest, Date.parse(t.publishedAt)), 0),
    }))
    .sort((a, b) => b.list.length - a.list.length || b.newest - a.newest || a.prefix.localeCompare(b.prefix));
  const [chosen, ...rest] = ranked;
  if (!chosen) return undefined;
  const cadence = cadenceOf(chosen.list.map((t) => Date.parse(t.publishedAt)));
  return {
    tagPattern: tagPatternFor(chosen.prefix),
    prefix: chosen.prefix,
    matched: chosen.list.length,
    versionTags: ranked.reduce((sum, r) => sum + r.list.length, 0),
    others: rest.map((r) => ({ prefix: r.prefix, count: r.list.length })),
    ...(cadence ? { cadence } : {}),
  };
}

/**
 * The median gap between the newest {@link RECENT_RELEASES} releases, rounded up to the next
 * standard cadence (a gap longer than a year gives its whole days).
 */
export function cadenceOf(times: readonly number[]): ReleaseHabits["cadence"] {
  const recent = [...times].sort((a, b) => a - b).slice(-RECENT_RELEASES);
  const gaps = recent.slice(1).map((t, i) => t - (recent[i] ?? t));
  if (gaps.length === 0) return undefined;
  const medianDays = median(gaps) / DAY_MS;
  const step = CADENCE_STEPS.find((s) => medianDays <= s.days);
  const text = step?.text ?? `${Math.min(9999, Math.ceil(medianDays))}d`;
  return { text, medianDays, gaps: gaps.length };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
