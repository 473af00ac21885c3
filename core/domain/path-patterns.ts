/**
 * Path patterns with GitHub's CODEOWNERS semantics, for the lines of CODEOWNERS and the `paths` of
 * a manifest's products: a pattern with a slash at its start or in its middle is anchored at the
 * top of the repository, one without matches at any depth; a trailing slash means a directory and
 * everything under it; `**` is any number of directories; `*` and `?` stay within one name; a
 * pattern that names a directory owns everything under it, except one whose last part is `*`
 * (`docs/*` owns the direct children of docs only, `/*` the files at the top only). `*`, `**`,
 * `/**` match everything. No `!` and no `[ ]`, as GitHub ignores them in CODEOWNERS.
 *
 * Matching never builds a regular expression and costs O(parts of the pattern × parts of the
 * path) name matches, whatever the pattern.
 */
import { matchGlob } from "./glob.js";

interface PathPattern {
  /** The pattern's names, `**` included, anchored at the top. */
  parts: string[];
  /** Whether it may match a directory and so everything under it. */
  ownsBelow: boolean;
}

const compiledPatterns = new Map<string, PathPattern>();

function compile(pattern: string): PathPattern {
  let text = pattern.trim();
  const directory = text.endsWith("/");
  if (directory) text = text.replace(/\/+$/, "");
  const anchored = text.includes("/");
  text = text.replace(/^\/+/, "");
  const parts = text === "" ? ["**"] : text.split("/").filter((p) => p !== "");
  if (!anchored && parts[0] !== "**") parts.unshift("**");
  if (directory) parts.push("**");
  // A last name with a wildcard (`*`, `docs/*.md`) matches files at that level only.
  const last = parts.at(-1) ?? "";
  return { parts, ownsBelow: !(/[*?]/.test(last) && last !== "**") };
}

function compiled(pattern: string): PathPattern {
  let found = compiledPatterns.get(pattern);
  if (!found) {
    found = compile(pattern);
    if (compiledPatterns.size > 10_000) compiledPatterns.clear();
    compiledPatterns.set(pattern, found);
  }
  return found;
}

/** Whether `parts` (from `p` on) match `names` (from `n` on), `**` matching any number of names. */
function matchParts(parts: string[], names: string[], prefixOk: boolean): boolean {
  // reach[n]: the pattern's first p parts can match the path's first n names.
  let reach = new Array<boolean>(names.length + 1).fill(false);
  reach[0] = true;
  for (const part of parts) {
    const next = new Array<boolean>(names.length + 1).fill(false);
    if (part === "**") {
      let seen = false;
      for (let n = 0; n <= names.length; n++) {
        seen = seen || (reach[n] as boolean);
        next[n] = seen;
      }
    } else {
      for (let n = 0; n < names.length; n++) {
        if (reach[n] && matchGlob(part, names[n] as string)) next[n + 1] = true;
      }
    }
    reach = next;
  }
  if (reach[names.length]) return true;
  // A pattern that matches a directory above the file owns the file.
  return prefixOk && reach.slice(1, names.length).some(Boolean);
}

/**
 * Whether `file` (a path from the top of the repository, no leading slash) matches `pattern`.
 *
 * @example matchesPath("services/search/**", "services/search/api/index.ts") // true
 * @example matchesPath("docs/*", "docs/guide/intro.md") // false
 */
export function matchesPath(pattern: string, file: string): boolean {
  // GitHub does not support `!`, `[ ]` or escapes in CODEOWNERS: such a line matches nothing.
  if (/[![\]\\]/.test(pattern)) return false;
  const compiledPattern = compiled(pattern);
  const names = file.replace(/^\/+/, "").split("/");
  return matchParts(compiledPattern.parts, names, compiledPattern.ownsBelow);
}

/** Whether `file` matches any of `patterns`. */
export function matchesAnyPath(patterns: readonly string[], file: string): boolean {
  return patterns.some((p) => matchesPath(p, file));
}

/**
 * The names a pattern's matches all start with: its literal parts before the first wildcard
 * (empty for a pattern that matches at any depth).
 */
function literalPrefix(pattern: string): string[] {
  const prefix: string[] = [];
  for (const part of compiled(pattern).parts) {
    if (part === "**" || part.includes("*") || part.includes("?")) break;
    prefix.push(part);
  }
  return prefix;
}

/**
 * Whether two patterns could match one path, decided without the repository's files: their
 * literal prefixes, one of which starts the other. Conservative: it may say yes for patterns no
 * file matches both of (`a/*.md` and `a/*.ts`), never no for patterns one file does.
 *
 * @example mayOverlap("services/**", "services/search/**") // true
 * @example mayOverlap("services/checkout/**", "services/search/**") // false
 */
export function mayOverlap(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  const shorter = pa.length <= pb.length ? pa : pb;
  const longer = shorter === pa ? pb : pa;
  return shorter.every((name, i) => name === longer[i]);
}
