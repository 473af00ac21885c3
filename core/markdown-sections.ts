/** Reading sections of issue bodies written in Markdown. */

/**
 * The text of the first section headed "Problem" or "Problem statement" (any heading level), with
 * HTML comments (template hints) removed; undefined when there is no such heading.
 *
 * @example problemStatement("## Problem\nUsers abandon checkout\n## Idea\n...") // "Users abandon checkout"
 */
export function problemStatement(body: string): string | undefined {
  const lines = body.replace(/<!--[\s\S]*?(-->|$)/g, "").split(/\r?\n/);
  let collecting = false;
  const out: string[] = [];
  for (const line of lines) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      if (collecting) break;
      collecting = /^problem(\s+statement)?\s*:?$/i.test(heading[1] ?? "");
      continue;
    }
    if (collecting) out.push(line);
  }
  return collecting || out.length > 0 ? out.join("\n").trim() : undefined;
}
