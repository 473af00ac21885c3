/** Reading sections of issue bodies written in Markdown. */

/**
 * The text of the first section headed "Problem" or "Problem statement" (any heading level), with
 * HTML comments (template hints) removed; undefined when there is no such heading.
 *
 * @example problemStatement("## Problem\nUsers abandon checkout\n## Idea\n...") // "Users abandon checkout"
 */
export function problemStatement(body: string): string | undefined {
  const lines = body.replace(/<!--[\s\S]*?(-->|$)/g, "").split(/\r?\n/);
  // The heading level of the Problem section while inside it; 0 before it.
  let level = 0;
  let fence: string | undefined;
  const out: string[] = [];
  for (const line of lines) {
    // Inside a fenced code block nothing is a heading (`# comment` in a shell snippet).
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
    }
    const heading = fence === undefined && !marker ? atxHeading(line) : undefined;
    if (heading) {
      // A section runs to the next heading of the same or a higher level; sub-headings belong to it.
      if (level > 0 && heading.depth <= level) break;
      if (level > 0) continue;
      if (/^problem(\s+statement)?\s*:?$/i.test(heading.text)) level = heading.depth;
      continue;
    }
    if (level > 0) out.push(line);
  }
  return level > 0 ? out.join("\n").trim() : undefined;
}

/**
 * An ATX heading (`## Title ##`): its level and text. Parsed by index rather than by one regex,
 * because a pattern like `\s+(.*?)\s*#*\s*$` backtracks cubically on long runs of blanks.
 */
function atxHeading(line: string): { depth: number; text: string } | undefined {
  const open = /^ {0,3}(#{1,6})(?:\s+|$)/.exec(line);
  if (!open) return undefined;
  let text = line.slice(open[0].length).trimEnd();
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  // A closing run of `#` counts only when it stands alone or after a blank.
  if (end < text.length && (end === 0 || /\s/.test(text[end - 1] ?? ""))) text = text.slice(0, end).trimEnd();
  return { depth: open[1]?.length ?? 1, text };
}
