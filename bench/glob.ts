/**
 * Tag patterns: `matchGlob` over many long tags with `v*` and with the pattern shapes that made the
 * backtracking matcher it replaced slow (many stars, a long literal after a star, a long segment
 * with `?` between stars), each timed with both matchers, on tags of 2,000 characters (the issue's)
 * and of 255 (MAX_TAG_LENGTH: the longest a pattern is matched against). The worst shape's cost is
 * set against `v*`'s on the same tags: the ratio is what one manifest line can multiply matching by.
 * Times are the process's CPU time, which the neighbours on a shared machine disturb less than the
 * wall clock. The old matcher is kept here only, for the comparison; it is bounded by time and its
 * figure for the whole set extrapolated from the tags it got through.
 */
import { MAX_GLOB_LENGTH, matchGlob } from "../core/domain/glob.js";
import { MAX_TAG_LENGTH } from "../core/domain/releases.js";
import type { Context } from "./config.js";
import { median, round } from "./stats.js";

/** core/domain/glob.ts before its rewrite: two pointers with backtracking, O(text × pattern). */
function backtrackingGlob(pattern: string, text: string): boolean {
  if (pattern.length > MAX_GLOB_LENGTH) return false;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc !== undefined && pc !== "*" && (pc === "?" || pc === text[t])) {
      p++;
      t++;
    } else if (pc === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** `v*`, then shapes of at most MAX_GLOB_LENGTH characters that none of the tags match. */
export const SHAPES: { name: string; pattern: string }[] = [
  { name: "v* (the baseline)", pattern: "v*" },
  { name: "many stars, ending in a literal", pattern: `${"*a".repeat(MAX_GLOB_LENGTH / 2 - 1)}*b` },
  { name: "many stars, ending in a star", pattern: `${"*a".repeat(MAX_GLOB_LENGTH / 2 - 2)}*b*` },
  { name: "a long literal after a star", pattern: `*${"a".repeat(MAX_GLOB_LENGTH - 2)}b` },
  { name: "a long segment with ? between stars", pattern: `*${"a?".repeat(MAX_GLOB_LENGTH / 2 - 2)}b*` },
];

export interface GlobShape {
  name: string;
  patternLength: number;
  /** CPU ms to match every tag; the old matcher's extrapolated when its time bound cut it short. */
  oldMs: number;
  oldExtrapolated: boolean;
  newMs: number;
  /** Each against `v*` with the same matcher. */
  oldRatio: number;
  newRatio: number;
  /** The new matcher's cost per character of tag read, in ns. */
  newNsPerChar: number;
}

export interface GlobRun {
  tagLength: number;
  shapes: GlobShape[];
  /** The worst shape against `v*`, each with the same matcher. */
  worstOldRatio: number;
  worstNewRatio: number;
  /** The worst shape with the new matcher against `v*` with the old one. */
  worstNewToOldVStar: number;
}

export interface GlobResult {
  tags: number;
  runs: GlobRun[];
  /** Shapes whose answers differ between the matchers (a harness error: the figures compare nothing). */
  disagreements: string[];
}

/** Tags as they come from an API answer: `v` and `a`s, each its own flat string. */
function makeTags(count: number, length: number): string[] {
  const tag = `v${"a".repeat(length - 1)}`;
  return JSON.parse(JSON.stringify(Array.from({ length: count }, () => tag))) as string[];
}

type Matcher = (pattern: string, text: string) => boolean;

/** CPU ms of the process since `from` (a shared machine's wall time would time the neighbours too). */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

/**
 * CPU ms for one pass over every tag, with how many matched; stops at the wall-clock `deadline` and
 * extrapolates from the tags it got through.
 */
function pass(match: Matcher, pattern: string, tags: readonly string[], deadline: number) {
  const started = process.cpuUsage();
  let done = 0;
  let matched = 0;
  for (const tag of tags) {
    if (match(pattern, tag)) matched++;
    done++;
    // Checked every 16 tags, as reading the clock costs more than a cheap match.
    if (done % 16 === 0 && performance.now() > deadline) break;
  }
  return { ms: (cpuMsSince(started) * tags.length) / done, cut: done < tags.length, matched };
}

/** The median of up to 15 passes within `seconds` (one pass at least, cut short by the bound). */
function timed(match: Matcher, pattern: string, tags: readonly string[], seconds: number) {
  const until = performance.now() + seconds * 1000;
  const first = pass(match, pattern, tags, until);
  const passes = [first.ms];
  while (!first.cut && passes.length < 15 && performance.now() < until) {
    passes.push(pass(match, pattern, tags, Number.POSITIVE_INFINITY).ms);
  }
  return { ms: median(passes), cut: first.cut, matched: first.matched };
}

function measureRun(context: Context, tagLength: number, disagreements: string[]): GlobRun {
  const { globTags, globSeconds } = context.sizes;
  const tags = makeTags(globTags, tagLength);
  // Warm both matchers up on a slice, so that the first shape does not pay for compilation.
  for (const { pattern } of SHAPES) {
    for (const tag of tags.slice(0, 50)) {
      if (matchGlob(pattern, tag) !== backtrackingGlob(pattern, tag)) disagreements.push(pattern);
    }
  }
  const raw = SHAPES.map(({ name, pattern }) => {
    context.log(`glob: ${tagLength} characters, ${name}`);
    const old = timed(backtrackingGlob, pattern, tags, globSeconds);
    const now = timed(matchGlob, pattern, tags, globSeconds);
    if (!old.cut && old.matched !== now.matched) disagreements.push(pattern);
    return { name, pattern, old, now };
  });
  const base = raw[0] as (typeof raw)[number];
  const shapes = raw.map(({ name, pattern, old, now }) => ({
    name,
    patternLength: pattern.length,
    oldMs: round(old.ms, 1),
    oldExtrapolated: old.cut,
    newMs: round(now.ms, 2),
    oldRatio: round(old.ms / base.old.ms, 1),
    newRatio: round(now.ms / base.now.ms, 1),
    newNsPerChar: round((now.ms * 1e6) / (globTags * tagLength), 2),
  }));
  const worst = Math.max(...raw.slice(1).map((r) => r.now.ms));
  return {
    tagLength,
    shapes,
    worstOldRatio: Math.max(...shapes.slice(1).map((s) => s.oldRatio)),
    worstNewRatio: Math.max(...shapes.slice(1).map((s) => s.newRatio)),
    worstNewToOldVStar: round(worst / base.old.ms, 2),
  };
}

export function measureGlob(context: Context): GlobResult {
  const disagreements: string[] = [];
  const lengths = [context.sizes.globTagLength, MAX_TAG_LENGTH];
  const runs = lengths.map((length) => measureRun(context, length, disagreements));
  return { tags: context.sizes.globTags, runs, disagreements: [...new Set(disagreements)] };
}
