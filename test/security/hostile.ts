/**
 * Hostile user text, and what every report built from it must still be: plain text that pings
 * nobody, links no issue, carries no HTML, keeps its code spans balanced and its table rows
 * whole, and fits GitHub's limits.
 */
import { expect } from "vitest";
import { byteLength } from "../../core/render/escape.js";

/** One string per trick; each is also used alone. */
export const TRICKS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(document.cookie)</script>",
  "<details open><summary>click</summary>hidden</details> <a href='https://evil.example'>x</a>",
  "@alice @acme/payments cc @bob-smith",
  "fixes #123, acme/other#45 and GH-67 (gh-68)",
  "https://github.com/acme/checkout/issues/9 and www.github.com/acme/checkout/pull/7",
  "`unbalanced code span",
  "```js\nfenced()\n```",
  "**bold** _em_ ~~strike~~ [link](https://evil.example) ![pixel](https://evil.example/p.png)",
  "| forged | table | row |",
  "# Heading\n> quote\n- item\n1. item\n---",
  "&lt;img src=x&gt; &#64;alice &#35;12",
  "$\\huge{\\text{math}}$ and $$x^2$$",
  "<!-- hidden --> <!-- pom-governance:tracking -->",
  "\\@carol \\#14 \\`",
  "right-to-left \u202eevil\u202c, NUL \u0000, bell \u0007, escape \u001b[2J",
  "line one\r\nline two\rline three\nline four",
] as const;

/** Every trick in one string. */
export const HOSTILE = TRICKS.join(" ");

/** A hostile text of about 70 KB: every trick first, then filler that ends in more tricks. */
export const HUGE = `${HOSTILE} ${"@dave #99 <b>x</b> ".repeat(3_700)}${HOSTILE}`;

/** GitHub's limits (docs.github.com, REST reference). */
export const LIMITS = {
  /** Check run `output.summary` and `output.text`. */
  checkRunSummaryBytes: 65_535,
  /** Check run `output.title` (characters). */
  checkRunTitle: 255,
  /** Annotation `message` (bytes). */
  annotationMessageBytes: 64 * 1024,
  /** Annotation `title` (characters). */
  annotationTitle: 255,
  /** Issue comment `body` (characters). */
  commentChars: 65_536,
  /** Issue `body` (characters). */
  issueBodyChars: 65_536,
  /** Issue `title` (characters). */
  issueTitleChars: 256,
  /** A step's job summary (bytes). */
  jobSummaryBytes: 1024 * 1024,
} as const;

/** The only HTML the reports write themselves: line breaks, small print and hidden markers. */
const OWN_HTML = /<br>|<\/?sub>|<!-- pom-governance:[a-z-]+(?::[0-9a-f]+)? -->/g;
/** Code spans the reports write themselves: rule ids. */
const OWN_CODE_SPAN = /`[a-z]+\.[a-z_]+`/g;

/** The characters of `text` that a backslash does not escape (an even run of backslashes before it). */
function unescaped(text: string, ch: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ch) continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) slashes++;
    if (slashes % 2 === 0) at.push(i);
  }
  return at;
}

/** Problems that would make `markdown` more than plain text on GitHub; empty when it is inert. */
export function markdownProblems(markdown: string): string[] {
  const problems: string[] = [];
  const show = (match: RegExpMatchArray) =>
    JSON.stringify(markdown.slice(Math.max(0, (match.index ?? 0) - 20), (match.index ?? 0) + 30));
  const find = (what: string, pattern: RegExp, text = markdown) => {
    for (const m of text.matchAll(pattern)) problems.push(`${what}: ${show(m)}`);
  };
  find("a mention", /@[A-Za-z0-9]/g);
  find("an issue reference", /#\d/g);
  find("a GH- reference", /GH-\d/gi);
  find("an autolinked URL", /(?:https?|ftp):\/\/|\bwww\./gi);
  find("an HTML entity", /&(?!amp;|lt;|gt;)#?[A-Za-z0-9]+;/g);
  const withoutOwnHtml = markdown.replace(OWN_HTML, "");
  for (const m of withoutOwnHtml.matchAll(/<[A-Za-z!/?]/g)) {
    problems.push(`an HTML tag: ${JSON.stringify(withoutOwnHtml.slice(m.index ?? 0, (m.index ?? 0) + 30))}`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
  find("a control character", /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\r]/g);
  find("a bidirectional override", /[\u202a-\u202e\u2066-\u2069]/g);
  for (const [n, line] of markdown.split("\n").entries()) {
    const spans = line.replace(OWN_CODE_SPAN, "");
    if (unescaped(spans, "`").length > 0)
      problems.push(`a code span the report did not write, line ${n + 1}`);
    if (unescaped(line, "$").length > 0) problems.push(`a math delimiter, line ${n + 1}`);
    // A table row has exactly the pipes of its five columns: user text adds none.
    if (line.startsWith("| ") && unescaped(line, "|").length !== 6) {
      problems.push(`a table row with ${unescaped(line, "|").length} pipes, line ${n + 1}`);
    }
  }
  return problems;
}

/** Fails with every problem when `markdown` is not inert or exceeds `maxBytes`. */
export function expectInertMarkdown(markdown: string, maxBytes: number, what = "markdown"): void {
  expect(markdownProblems(markdown), what).toEqual([]);
  expect(byteLength(markdown), `${what}: UTF-8 bytes`).toBeLessThanOrEqual(maxBytes);
  expect(isWellFormed(markdown), `${what}: a lone UTF-16 surrogate`).toBe(true);
}

/** Whether every surrogate in `text` is half of a pair (String.prototype.isWellFormed, Node 20+). */
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
