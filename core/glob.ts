/**
 * Glob matching for tag patterns (`v*`, `release-?.*`). Patterns are never compiled into regular
 * expressions, so no pattern from a manifest can be slow or surprising.
 */

/** Longest pattern accepted; the schema enforces the same cap. */
export const MAX_GLOB_LENGTH = 200;

/**
 * Whether `text` matches `pattern`: `*` matches any run of characters, `?` exactly one; everything
 * else matches itself. Runs in O(text × pattern) at worst.
 *
 * @example matchGlob("v*", "v1.2.0") // true
 * @example matchGlob("v?.*", "v10.0") // false
 */
export function matchGlob(pattern: string, text: string): boolean {
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
