/**
 * Safe YAML reading with source positions. Nothing in a document is ever executed: custom tags are
 * refused, aliases are capped, and the size and nesting depth of a document are bounded.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { SourceLocation } from "./types.js";

/** The largest manifest or policy accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** Aliases expand at most this many nodes in total (no "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Deeper nesting than this is refused: no real manifest needs it. */
export const MAX_DEPTH = 64;

const ALLOWED_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** One problem in a file, positioned. `path` is the dotted path into the document, when known. */
export interface SourceProblem extends SourceLocation {
  message: string;
  hint?: string;
  path?: string;
}

export type PathSegment = string | number;

/** A parsed YAML document: its plain value and a way to find where any path came from. */
export interface YamlSource {
  file: string;
  value: unknown;
  /** Location of the value at `path` (or of its key, with `key: true`); falls back to the nearest parent. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourceLocation;
}

export type YamlReadResult = { ok: true; source: YamlSource } | { ok: false; problems: SourceProblem[] };

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

/** Parses YAML text into a plain value with positions, or positioned problems. */
export function readYaml(text: string, file: string): YamlReadResult {
  const size = new TextEncoder().encode(text).length;
  if (size > MAX_DOCUMENT_BYTES) {
    return fail(file, 1, 1, `the file is ${size} bytes; at most ${MAX_DOCUMENT_BYTES} bytes are accepted`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depthProblem = checkDepth(body, file);
  if (depthProblem) return { ok: false, problems: [depthProblem] };

  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(body, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: "core" });
  } catch (error) {
    return fail(file, 1, 1, `the file cannot be read as YAML: ${(error as Error).message}`);
  }
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const problems: SourceProblem[] = [];
  for (const error of doc.errors) {
    const { offset, ...described } = describeYamlError(error.code, error.message, body, error.pos[0], doc);
    problems.push({ file, ...at(offset), ...described });
  }
  if (problems.length === 0) problems.push(...findTagAndAliasProblems(doc.contents, file, at, body));
  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const first = firstAlias(doc.contents);
    const pos = first?.range ? at(first.range[0]) : { line: 1, column: 1 };
    return fail(file, pos.line, pos.column, `aliases expand too much: ${(error as Error).message}`);
  }

  const locate = (path: readonly PathSegment[], options: { key?: boolean } = {}): SourceLocation => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let best: Node | undefined = isNode(node) ? node : undefined;
    for (const segment of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        keyNode = isNode(pair.key) ? pair.key : undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
      } else {
        break;
      }
      if (isNode(node)) best = node;
      else if (keyNode) best = keyNode;
      else break;
    }
    // An empty value (`name:`) has no text of its own to point at: point at its key instead.
    const empty = isScalar(best) && best.value === null && best.range?.[0] === best.range?.[1];
    const target = (options.key || empty) && keyNode ? keyNode : best;
    if (!target?.range) return { file, line: 1, column: 1 };
    const start = at(target.range[0]);
    const end = at(target.range[1]);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };

  return { ok: true, source: { file, value, locate } };
}

function fail(file: string, line: number, column: number, message: string, hint?: string): YamlReadResult {
  return { ok: false, problems: [{ file, line, column, message, ...(hint ? { hint } : {}) }] };
}

/**
 * Explains a parser error in a user's terms and moves it to where the mistake is: the opening quote
 * or bracket that is never closed, the over-indented key rather than the value above it, the first
 * character of a badly indented line rather than its leading spaces.
 */
function describeYamlError(
  code: string,
  message: string,
  text: string,
  offset: number,
  doc: { contents: unknown },
): { offset: number; message: string; hint?: string } {
  const plain = message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
  if (code === "DUPLICATE_KEY") {
    const key = /^[^\s:]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset))?.[0] ?? "";
    return {
      offset,
      message: `duplicate key${key ? ` ${JSON.stringify(key.replace(/^["']|["']$/g, ""))}` : ""}: a key may appear only once in a mapping`,
      hint: "remove or merge the repeated key",
    };
  }
  if (code === "TAB_AS_INDENT") {
    return { offset, message: "tabs are not allowed for indentation in YAML", hint: "indent with spaces" };
  }
  if (code === "MULTIPLE_DOCS") {
    return {
      offset,
      message: 'the file holds more than one YAML document (a second "---"); a pom file holds exactly one',
      hint: 'remove the "---" line and everything after it, or merge the documents',
    };
  }
  if (code === "MISSING_CHAR" && /closing ["']?quote/.test(plain)) {
    const quote = plain.includes("'") ? "'" : '"';
    const opened = enclosingNode(doc.contents, offset, (n) => isScalar(n) && /^QUOTE_/.test(String(n.type)));
    return {
      offset: opened?.range?.[0] ?? offset,
      message: `the text quoted here with ${quote} is never closed`,
      hint: `add the closing ${quote} where the text ends`,
    };
  }
  if (code === "BAD_INDENT" && /^Flow (sequence|map)/.test(plain)) {
    const list = plain.startsWith("Flow sequence");
    const [open, close] = list ? ["[", "]"] : ["{", "}"];
    const opened = enclosingNode(doc.contents, offset, (n) => (isSeq(n) || isMap(n)) && n.flow === true);
    return {
      offset: opened?.range?.[0] ?? offset,
      message: `the ${list ? "list" : "mapping"} opened here with "${open}" is not closed with "${close}"`,
      hint: `add the closing "${close}", and indent any continuation line more than the key`,
    };
  }
  if (code === "BAD_INDENT" && plain.startsWith("All mapping items")) {
    const keyAt = skipIndent(text, offset);
    const key = /^[^:\s]+/.exec(text.slice(keyAt))?.[0] ?? "";
    return {
      offset: keyAt,
      message: `bad indentation: ${key ? `"${key}"` : "this key"} does not start in the same column as the keys above it`,
      hint: "keys of one mapping must start in the same column",
    };
  }
  if (code === "MISSING_CHAR" && plain.startsWith("Sequence item without")) {
    const keyAt = skipIndent(text, offset);
    const key = /^[^:\s]+/.exec(text.slice(keyAt))?.[0] ?? "";
    return {
      offset: keyAt,
      message: `bad indentation: ${key ? `"${key}"` : "this line"} does not line up with the list item above it`,
      hint: 'start it in the same column as the first key after "- ", or begin a new item with "- "',
    };
  }
  if (code === "BLOCK_AS_IMPLICIT_KEY" || code === "MULTILINE_IMPLICIT_KEY") {
    const explained = explainImplicitKey(text, offset);
    if (explained) return explained;
  }
  return { offset: skipIndent(text, offset), message: `YAML syntax error: ${plain}` };
}

/**
 * The parser reports "nested mappings are not allowed in compact mappings" at a value when either
 * the value itself contains ": " or the next line is indented more than the key before it (so that
 * it reads as a continuation of the value). Tells the two apart and points at the real mistake.
 */
function explainImplicitKey(
  text: string,
  offset: number,
): { offset: number; message: string; hint?: string } | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const indicator = /:(?=[ \t\r\n]|$)/g;
  indicator.lastIndex = offset;
  const colon = indicator.exec(text)?.index;
  if (/^[\s-]*$/.test(prefix)) {
    return {
      offset,
      message: 'this line is not a "key: value" pair, and a key must fit on one line',
      hint: 'is a ":" missing after the key?',
    };
  }
  if (colon === undefined) return undefined;
  const colonLineStart = text.lastIndexOf("\n", colon - 1) + 1;
  const previousKey = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(prefix)?.[1];
  if (colonLineStart <= lineStart) {
    const lineEnd = text.indexOf("\n", offset);
    const rest = text
      .slice(offset, lineEnd < 0 ? undefined : lineEnd)
      .replace(/\s+#.*$/, "")
      .trim();
    return {
      offset,
      message: 'a value that contains ": " must be put in quotes',
      hint: `write it as ${JSON.stringify(rest.replace(/\r$/, ""))}`,
    };
  }
  const keyAt = skipIndent(text, colonLineStart);
  const key = text.slice(keyAt, colon).replace(/^-\s+/, "");
  return {
    offset: keyAt,
    message: `bad indentation: "${key}" is indented more than the key on the line above it`,
    hint: previousKey
      ? `start "${key}" in the same column as "${previousKey}" (keys of one mapping line up)`
      : "keys of one mapping must start in the same column",
  };
}

/** Moves an offset that sits in a line's leading spaces to the line's first character. */
function skipIndent(text: string, offset: number): number {
  let i = offset;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  if (text.slice(lineStart, offset).trim() !== "") return offset;
  while (text[i] === " " || text[i] === "\t") i++;
  return text[i] === undefined || text[i] === "\n" || text[i] === "\r" ? offset : i;
}

/** The innermost node matching `accept` that starts before `offset` and reaches it. */
function enclosingNode(root: unknown, offset: number, accept: (node: Node) => boolean): Node | undefined {
  let found: Node | undefined;
  const visit = (node: unknown): void => {
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (!isNode(node)) return;
    const range = node.range;
    if (range && accept(node) && range[0] < offset && range[1] >= offset) {
      if (!found?.range || range[0] >= found.range[0]) found = node;
    }
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(root);
  return found;
}

function findTagAndAliasProblems(
  root: unknown,
  file: string,
  at: (offset: number) => { line: number; column: number },
  text: string,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const visit = (node: unknown): void => {
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (!isNode(node)) return;
    const tag = (node as { tag?: string }).tag;
    if (tag && !ALLOWED_TAGS.has(tag)) {
      const shown = tag.replace(/^tag:yaml\.org,2002:/, "!!");
      const pos = node.range ? at(tagOffset(text, shown, node.range[0])) : { line: 1, column: 1 };
      problems.push({
        file,
        ...pos,
        message: `the tag ${shown} is not allowed: pom files are plain data and nothing in them is executed`,
        hint: "remove the tag and write the value as plain text",
      });
    }
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(root);
  return problems;
}

/** Where a node's tag is written: the parser's range starts at the value, after the tag. */
function tagOffset(text: string, shown: string, valueOffset: number): number {
  const found = text.lastIndexOf(shown, valueOffset);
  return found >= 0 && text.slice(found + shown.length, valueOffset).trim() === "" ? found : valueOffset;
}

function firstAlias(root: unknown): Node | undefined {
  let found: Node | undefined;
  const visit = (node: unknown): void => {
    if (found) return;
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
    } else if (isAlias(node)) {
      found = node;
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(root);
  return found;
}

/** Refuses absurd nesting before the parser sees it, so that no input can exhaust the stack. */
function checkDepth(text: string, file: string): SourceProblem | undefined {
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

function dedupe(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
