/** CODEOWNERS: where GitHub looks for it, how large it may be, who owns everything (`*`) and who owns a file. */

import { matchesPath } from "./path-patterns.js";

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

/** The lines of a CODEOWNERS file that are rules, in order. */
export function codeownersRules(text: string): CatchAllRule[] {
  const rules: CatchAllRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern) rules.push({ line: index + 1, pattern, owners });
  });
  return rules;
}

/**
 * The rule that owns `file`: the last line whose pattern matches it (GitHub's semantics,
 * path-patterns.ts), or undefined when none does.
 *
 * @example ruleFor(codeownersRules("* @a\nsrc/ @b\n"), "src/x.ts")?.owners // ["@b"]
 */
export function ruleFor(rules: readonly CatchAllRule[], file: string): CatchAllRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i] as CatchAllRule;
    if (matchesPath(rule.pattern, file)) return rule;
  }
  return undefined;
}

/** The line that owns one path: GitHub's last matching line. */
export type OwningRule = CatchAllRule;

/**
 * The line of CODEOWNERS that owns `path` (a repository path, no leading slash): the last line
 * whose pattern matches it (path-patterns.ts). Lines with `!` or `[ ]`, which GitHub does not
 * support, match nothing.
 *
 * @example owningRule("* @acme/a\n/.github/ @acme/b\n", ".github/pom.yml")?.owners // ["@acme/b"]
 */
export function owningRule(text: string, path: string): OwningRule | undefined {
  return path.split("/").some(Boolean) ? ruleFor(codeownersRules(text), path) : undefined;
}
