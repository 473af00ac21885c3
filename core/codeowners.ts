/** CODEOWNERS: where GitHub looks for it, and who owns everything (`*`). */

/** GitHub reads the first of these that exists. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

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
