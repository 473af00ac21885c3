/**
 * Glob matching for tag patterns (`v*`, `release-?.*`). Patterns are never compiled into regular
 * expressions, and a match costs time linear in the tag whatever the pattern's shape, so no pattern
 * from a manifest can be slow or surprising.
 *
 * The pattern is cut at its stars into segments: the first must match at the start of the tag, the
 * last at its end, and each one between, at its leftmost place after the previous one (the leftmost
 * place leaves the most room to the rest, so it is never a wrong choice and nothing is retried).
 * The segments between are found by Shift-And, one bit per pattern character in 32-bit words, so
 * each character of the tag is read once, at the cost of ⌈segment length / 32⌉ word operations
 * (at most 7 under the length cap) — where backtracking could read it once per pattern character.
 */

/** Longest pattern accepted; the schema enforces the same cap. */
export const MAX_GLOB_LENGTH = 200;

const STAR = "*";
const ANY = "?".charCodeAt(0);
const WORD = 32;

/**
 * Rows of a segment's mask table: one per ASCII code unit (tags are mostly ASCII, and a row looked up
 * by the code itself is the cheapest), one for every character the segment does not name, then one
 * per other character it names.
 */
const ASCII_ROWS = 128;
const UNNAMED = ASCII_ROWS;

/** A segment between two stars, ready for Shift-And. */
interface Segment {
  length: number;
  /** 32-bit words per row and per state: ⌈length / 32⌉. */
  words: number;
  /** The row of each non-ASCII code unit the segment names. */
  rowOf: Map<number, number>;
  /** Per row, `words` words: bit i set where the segment's i-th character matches the row's. */
  masks: Int32Array;
}

interface Glob {
  /** False for a pattern without a star: it must match the whole tag, character for character. */
  hasStar: boolean;
  head: string;
  tail: string;
  middle: Segment[];
  /** The fewest characters a matching tag has: every segment's length. */
  minLength: number;
}

/** Whether `part` matches `text` from `at` on, `?` matching any code unit. */
function fitsAt(part: string, text: string, at: number): boolean {
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    if (code !== ANY && code !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

function rowOf(segment: Pick<Segment, "rowOf">, code: number): number {
  return code < ASCII_ROWS ? code : (segment.rowOf.get(code) ?? UNNAMED);
}

function compileSegment(segment: string): Segment {
  const words = Math.ceil(segment.length / WORD);
  const named = new Map<number, number>();
  let rows = UNNAMED + 1;
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code >= ASCII_ROWS && !named.has(code)) named.set(code, rows++);
  }
  const masks = new Int32Array(rows * words);
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    const word = Math.floor(i / WORD);
    const setBit = (row: number) => {
      masks[row * words + word] = (masks[row * words + word] as number) | (1 << (i % WORD));
    };
    if (code !== ANY) setBit(rowOf({ rowOf: named }, code));
    // `?` matches every character, those the segment does not name included.
    else for (let row = 0; row < rows; row++) setBit(row);
  }
  return { length: segment.length, words, rowOf: named, masks };
}

/**
 * Where the leftmost occurrence of `segment` in `text[from, to)` ends, or -1. Bit i of the state
 * says that the segment's first i + 1 characters end at the character just read.
 */
function findSegment(segment: Segment, text: string, from: number, to: number): number {
  const { words, masks } = segment;
  const top = words - 1;
  const found = 1 << ((segment.length - 1) % WORD);
  if (words === 1) {
    // Most segments fit one word: keep the state in a local, out of any array.
    let state = 0;
    for (let i = from; i < to; i++) {
      state = ((state << 1) | 1) & (masks[rowOf(segment, text.charCodeAt(i))] as number);
      if (state & found) return i + 1;
    }
    return -1;
  }
  const state = new Int32Array(words);
  for (let i = from; i < to; i++) {
    const base = rowOf(segment, text.charCodeAt(i)) * words;
    // From the top word down, so that each word still sees the bit its lower neighbour carries up.
    for (let w = top; w > 0; w--) {
      state[w] =
        (((state[w] as number) << 1) | ((state[w - 1] as number) >>> 31)) & (masks[base + w] as number);
    }
    state[0] = (((state[0] as number) << 1) | 1) & (masks[base] as number);
    if ((state[top] as number) & found) return i + 1;
  }
  return -1;
}

function compile(pattern: string): Glob {
  const parts = pattern.split(STAR);
  const head = parts[0] ?? "";
  const tail = parts.length > 1 ? (parts[parts.length - 1] ?? "") : "";
  // Consecutive stars leave empty segments between them, which match anywhere: they are dropped.
  const middle = parts.slice(1, -1).filter((part) => part !== "");
  const minLength = head.length + tail.length + middle.reduce((sum, part) => sum + part.length, 0);
  return { hasStar: parts.length > 1, head, tail, middle: middle.map(compileSegment), minLength };
}

/**
 * The last pattern compiled: callers match one pattern against every tag of a repository in turn,
 * so one entry saves compiling it once per tag.
 */
let last: { pattern: string; glob: Glob } | undefined;

function compiled(pattern: string): Glob {
  if (last?.pattern !== pattern) last = { pattern, glob: compile(pattern) };
  return last.glob;
}

/**
 * Whether `text` matches `pattern`: `*` matches any run of characters, `?` exactly one; everything
 * else matches itself. Characters are UTF-16 code units, as JavaScript indexes strings: `?` matches
 * half of a character outside the Basic Multilingual Plane (an emoji takes `??`). Runs in time
 * linear in the text: O(pattern + text × ⌈longest segment between stars / 32⌉).
 *
 * @example matchGlob("v*", "v1.2.0") // true
 * @example matchGlob("v?.*", "v10.0") // false
 */
export function matchGlob(pattern: string, text: string): boolean {
  if (pattern.length > MAX_GLOB_LENGTH) return false;
  const glob = compiled(pattern);
  if (!glob.hasStar) return text.length === pattern.length && fitsAt(pattern, text, 0);
  if (text.length < glob.minLength) return false;
  const end = text.length - glob.tail.length;
  if (!fitsAt(glob.head, text, 0) || !fitsAt(glob.tail, text, end)) return false;
  let at = glob.head.length;
  for (const segment of glob.middle) {
    at = findSegment(segment, text, at, end);
    if (at < 0) return false;
  }
  return true;
}
