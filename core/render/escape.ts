/**
 * Making user text safe inside Markdown that GitHub renders: no HTML, no formatting, no math, no
 * @mentions that notify people, no #123 references or links to issues, nothing that breaks a
 * table row, and no control characters.
 */

const ZERO_WIDTH_SPACE = "\u200b";
const REPLACEMENT = "\ufffd";

/** Characters a cell may not show as they are: C0/C1 controls but tab and line breaks, and bidirectional overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Default length (in UTF-16 units, before escaping) of one piece of user text in a report. */
export const INLINE_LIMIT = 1_000;

/**
 * Escapes text for a Markdown paragraph or table cell: one line, every Markdown, HTML and math
 * character escaped, and a zero-width space after `@`, before the digits of `#12` and `GH-12`, and
 * inside `://` and `www.`, so that GitHub links and notifies nothing.
 *
 * @example escapeMarkdown("<img src=x> @alice fixes #12 | *now*")
 * // "&lt;img src=x&gt; @\u200balice fixes #\u200b12 \\| \\*now\\*"
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(UNPRINTABLE, REPLACEMENT)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]#|~$]/g, (ch) => `\\${ch}`)
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\\#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/GH-(?=\d)/gi, (ref) => `${ref}${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/www\./gi, (www) => `${www.slice(0, 3)}${ZERO_WIDTH_SPACE}.`)
    .replace(/\r\n?|\n|\t/g, " ");
}

/** User text for one place in a report: cut to `max` characters, then escaped. */
export function escapeInline(text: string, max = INLINE_LIMIT): string {
  return escapeMarkdown(truncateText(text, max));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts text to at most `max` characters, marking the cut; a character is never split in two. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}…`;
}

/**
 * Cuts text to at most `limit` UTF-8 bytes, marking the cut. Whole lines are kept when at least
 * one fits, so that no cut ends inside a table row, an escape or a code span; a character is
 * never split in two.
 */
export function truncateBytes(text: string, limit: number): string {
  if (byteLength(text) <= limit) return text;
  const mark = "…";
  const budget = limit - byteLength(mark);
  if (budget < 0) return "";
  let bytes = 0;
  let cut = 0;
  for (const ch of text) {
    const size = byteLength(ch);
    if (bytes + size > budget) break;
    bytes += size;
    cut += ch.length;
  }
  const lineEnd = text.lastIndexOf("\n", cut - 1);
  if (lineEnd > 0) return `${text.slice(0, lineEnd + 1)}${mark}`;
  return `${text.slice(0, cut)}${mark}`;
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
