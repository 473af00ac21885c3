/**
 * Making user text safe inside Markdown that GitHub renders: no HTML, no formatting, no
 * @mentions that notify people, no #123 references, nothing that breaks a table row.
 */

const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Escapes text for a Markdown paragraph or table cell.
 *
 * @example escapeMarkdown("<img src=x> @alice fixes #12 | *now*")
 * // "&lt;img src=x&gt; @\u200balice fixes #\u200b12 \\| \\*now\\*"
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]#|~]/g, (ch) => `\\${ch}`)
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\\#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/\bGH-(?=\d)/g, `GH-${ZERO_WIDTH_SPACE}`)
    .replace(/\r\n?|\n/g, " ");
}

/** Cuts text to at most `max` characters, marking the cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Size of a string in UTF-8 bytes, the unit of GitHub's limits. */
export function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
