/** CODEOWNERS: where GitHub looks for it, how large it may be, who owns everything (`*`) and one path. */
import { matchGlob } from "./glob.js";

/** GitHub reads the first of these that exists. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/**
 * GitHub does not load a CODEOWNERS file over 3 MB: no code owners are shown or requested for
 * review. Every fact source decides with this one limit, so that the app and the CLI agree.
 */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

/** The CODEOWNERS file GitHub would use, as a fact source read it. */
export interface CodeownersFile {
  path: string;
  /** Its text; empty when the file is too large for GitHub (it is then not read at all). */
  text: string;
  /** Its size in bytes, set only when it is over {@link MAX_CODEOWNERS_BYTES}: GitHub ignores it. */
  tooLargeBytes?: number;
}

/** Whether GitHub ignores a CODEOWNERS file of `bytes` bytes. */
export function isCodeownersTooLarge(bytes: number): boolean {
  return bytes > MAX_CODEOWNERS_BYTES;
}

/** A CODEOWNERS file known only by its size, which is too large for GitHub to use. */
export function tooLargeCodeowners(path: string, bytes: number): CodeownersFile {
  return { path, text: "", tooLargeBytes: bytes };
}

/**
 * The file as GitHub takes it: its text, or, when the text is over the limit, its size alone.
 *
 * @example codeownersFile("CODEOWNERS", "* @acme/payments\n") // { path: "CODEOWNERS", text: "* @acme/payments\n" }
 */
export function codeownersFile(path: string, text: string): CodeownersFile {
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: most files are decided without encoding.
  if (text.length * 3 <= MAX_CODEOWNERS_BYTES) return { path, text };
  const bytes = new TextEncoder().encode(text).length;
  return isCodeownersTooLarge(bytes) ? tooLargeCodeowners(path, bytes) : { path, text };
}

const CATCH_ALL = new Set(["*", "/*", "**", "/**", "/", "/**/*", "**/*"]);

export interface CatchAllRule {
  line: number;
  pattern: string;
  owners: string[];
}

/**
 * The rule that owns every file by default: the last catch-all pattern, since in CODEOWNERS the
 * last matching line wins.
 *
 * @example catchAllRule("* @acme/payments\n")?.owners // ["@acme/payments"]
 */
export function catchAllRule(text: string): CatchAllRule | undefined {
  let found: CatchAllRule | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern && CATCH_ALL.has(pattern)) found = { line: index + 1, pattern, owners };
  });
  return found;
}

/** Whether `owners` names the GitHub team `org/slug` (case-insensitive). */
export function ownsAsTeam(owners: readonly string[], team: string): boolean {
  const wanted = `@${team}`.toLowerCase();
  return owners.some((o) => o.toLowerCase() === wanted);
}

/** The line that owns one path: GitHub's last matching line. */
export type OwningRule = CatchAllRule;

/**
 * The line of CODEOWNERS that owns `path` (a repository path, no leading slash): the last line
 * whose pattern matches it, with GitHub's semantics: a pattern with a slash at its start or in its
 * middle is anchored at the root, one without matches at any depth; `*` and `?` stay within a
 * directory, `**` spans any number of them; a pattern ending in a literal name (or a slash) owns
 * that directory's whole tree, one ending in a wildcard only the files at that level (`/*` the
 * root's files, `docs/*` docs' direct children). Lines with `!` or `[ ]`, which GitHub does not
 * support, match nothing.
 *
 * @example owningRule("* @acme/a\n/.github/ @acme/b\n", ".github/pom.yml")?.owners // ["@acme/b"]
 */
export function owningRule(text: string, path: string): OwningRule | undefined {
  const segments = path.split("/").filter(Boolean);
  let found: OwningRule | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern && patternMatches(pattern, segments)) found = { line: index + 1, pattern, owners };
  });
  return found;
}

function patternMatches(pattern: string, path: readonly string[]): boolean {
  if (/[![\]\\]/.test(pattern) || path.length === 0) return false;
  const directoryOnly = pattern.endsWith("/");
  const body = pattern.replace(/\/+$/, "");
  if (body === "") return !directoryOnly;
  const anchored = body.startsWith("/") || body.includes("/");
  const parts = body.replace(/^\/+/, "").split("/");
  const glob = anchored ? parts : ["**", ...parts];
  const last = glob.at(-1) ?? "";
  const wild = /[*?]/.test(last) && last !== "**";
  // The path itself (not for a directory-only pattern), or a directory above it.
  if (!directoryOnly && segmentsMatch(glob, path)) return true;
  if (wild) return false;
  for (let k = 1; k < path.length; k++) if (segmentsMatch(glob, path.slice(0, k))) return true;
  return false;
}

/** Whether `glob`'s segments match `path`'s, `**` standing for any number of them. */
function segmentsMatch(glob: readonly string[], path: readonly string[]): boolean {
  const [head, ...rest] = glob;
  if (head === undefined) return path.length === 0;
  if (head === "**") {
    for (let skip = 0; skip <= path.length; skip++) if (segmentsMatch(rest, path.slice(skip))) return true;
    return false;
  }
  const [first, ...tail] = path;
  return first !== undefined && matchGlob(head, first) && segmentsMatch(rest, tail);
}
