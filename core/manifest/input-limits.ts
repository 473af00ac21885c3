/** Limits checked before parsing: encoding and nesting depth. */
import type { SourceProblem } from "./problem.js";

/** Deeper nesting than this is refused: no real manifest needs it. */
export const MAX_DEPTH = 64;

/**
 * Decodes bytes as UTF-8, refusing invalid sequences with the position of the first bad byte.
 *
 * @example decodeUtf8(new TextEncoder().encode("a: 1"), "pom.yml") // { ok: true, text: "a: 1" }
 */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
): { ok: true; text: string } | { ok: false; problems: SourceProblem[] } {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, offset));
    const lines = before.split("\n");
    return {
      ok: false,
      problems: [
        {
          file,
          line: lines.length,
          column: (lines.at(-1)?.length ?? 0) + 1,
          message: `the file is not valid UTF-8 (byte ${offset} cannot be decoded)`,
          hint: "save the file as UTF-8",
        },
      ],
    };
  }
}

/** Refuses absurd nesting before the parser sees it, so that no input can exhaust the stack. */
export function checkDepth(text: string, file: string): SourceProblem | undefined {
  let depth = 0;
  let line = 1;
  let column = 1;
  let quote: string | undefined;
  let comment = false;
  for (const ch of text) {
    if (ch === "\n") {
      line++;
      column = 1;
      comment = false;
      continue;
    }
    if (!comment) {
      if (quote) {
        if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === "#") {
        comment = true;
      } else if (ch === "[" || ch === "{") {
        depth++;
        if (depth > MAX_DEPTH) {
          return { file, line, column, message: `the document nests deeper than ${MAX_DEPTH} levels` };
        }
      } else if (ch === "]" || ch === "}") {
        depth = Math.max(0, depth - 1);
      }
    }
    column++;
  }
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const row = lines[i] ?? "";
    // Compact block nesting ("- - - x", "? ? x") nests without indenting: count its indicators.
    const indicators = /^[ \t]*((?:[-?][ \t]+)*)/.exec(row)?.[1]?.match(/[-?]/g)?.length ?? 0;
    if (indicators > MAX_DEPTH) {
      return { file, line: i + 1, column: 1, message: `the document nests deeper than ${MAX_DEPTH} levels` };
    }
    if (row.length - row.trimStart().length > MAX_DEPTH * 8) {
      return {
        file,
        line: i + 1,
        column: 1,
        message: `the document is indented deeper than ${MAX_DEPTH * 8} columns`,
      };
    }
  }
  return undefined;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    // The second byte's range also excludes overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const [low, high] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      if (k === 1 && (c < low || c > high)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
