/**
 * Safe YAML reading with source positions. Nothing in a document is ever executed: custom tags are
 * refused, aliases are capped, and the size and nesting depth of a document are bounded.
 */
import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLMap,
} from "yaml";
import type { SourceLocation } from "../engine/types.js";
import { checkDepth } from "./input-limits.js";
import type { SourceProblem } from "./problem.js";
import { describeYamlError } from "./yaml-errors.js";

export { decodeUtf8, MAX_DEPTH } from "./input-limits.js";

/** The largest manifest or policy accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** Aliases expand at most this many nodes in total (no "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** More nodes (keys, values, list items) than this are refused: real manifests hold a few hundred. */
export const MAX_NODES = 10_000;

const ALLOWED_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** One problem in a file, positioned. `path` is the dotted path into the document, when known. */
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
 * The problem with a document of `size` bytes when it is larger than accepted: the same whether
 * the text is in hand or only the size of a file too large to read is known.
 */
export function documentSizeProblem(size: number, file: string): SourceProblem | undefined {
  if (size <= MAX_DOCUMENT_BYTES) return undefined;
  return {
    file,
    line: 1,
    column: 1,
    message: `the file is ${size} bytes; at most ${MAX_DOCUMENT_BYTES} bytes are accepted`,
  };
}

/** Parses YAML text into a plain value with positions, or positioned problems. */
export function readYaml(text: string, file: string): YamlReadResult {
  const tooLarge = documentSizeProblem(new TextEncoder().encode(text).length, file);
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depthProblem = checkDepth(body, file);
  if (depthProblem) return { ok: false, problems: [depthProblem] };

  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    // Duplicate keys are found below, in one pass: the parser's own check compares each key with
    // every key before it, which takes seconds for a file of some ten thousand keys.
    doc = parseDocument(body, { lineCounter, prettyErrors: false, uniqueKeys: false, schema: "core" });
  } catch (error) {
    return fail(file, 1, 1, `the file cannot be read as YAML: ${(error as Error).message}`);
  }
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const structure = checkStructure(doc.contents);
  if (structure.tooLarge) {
    const pos = structure.tooLarge.range ? at(structure.tooLarge.range[0]) : { line: 1, column: 1 };
    return fail(file, pos.line, pos.column, `the document holds more than ${MAX_NODES} keys and values`);
  }
  const errors = [
    ...doc.errors.map((e) => ({ code: e.code, message: e.message, offset: e.pos[0] })),
    ...structure.duplicates.map((offset) => ({ code: "DUPLICATE_KEY", message: "", offset })),
  ].sort((a, b) => a.offset - b.offset);
  const problems: SourceProblem[] = [];
  for (const error of errors) {
    const { offset, ...described } = describeYamlError(error.code, error.message, body, error.offset, doc);
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

  // Each mapping's keys, indexed once: a file with thousands of misplaced keys is located in linear time.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairsOf = (map: YAMLMap): Map<string, Pair> => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && !index.has(key)) index.set(key, pair);
      }
      indexes.set(map, index);
    }
    return index;
  };

  const locate = (path: readonly PathSegment[], options: { key?: boolean } = {}): SourceLocation => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let best: Node | undefined = isNode(node) ? node : undefined;
    for (const segment of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = pairsOf(node).get(String(segment));
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
 * One walk over the document: the offsets of keys that repeat a key of their mapping, and the
 * node beyond MAX_NODES, if the document has that many.
 */
function checkStructure(root: unknown): { duplicates: number[]; tooLarge?: Node } {
  const duplicates: number[] = [];
  let nodes = 0;
  let tooLarge: Node | undefined;
  if (!isNode(root)) return { duplicates };
  visit(root, {
    Node(_key, node) {
      if (++nodes > MAX_NODES) {
        tooLarge = node;
        return visit.BREAK;
      }
      if (!isMap(node)) return undefined;
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key !== null && key !== undefined && seen.has(key) && isNode(pair.key) && pair.key.range)
          duplicates.push(pair.key.range[0]);
        seen.add(key);
      }
      return undefined;
    },
  });
  return tooLarge ? { duplicates, tooLarge } : { duplicates };
}

function findTagAndAliasProblems(
  root: unknown,
  file: string,
  at: (offset: number) => { line: number; column: number },
  text: string,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  if (!isNode(root)) return problems;
  visit(root, {
    Node(_key, node) {
      const tag = (node as { tag?: string }).tag;
      if (!tag || ALLOWED_TAGS.has(tag)) return;
      const shown = tag.replace(/^tag:yaml\.org,2002:/, "!!");
      const pos = node.range ? at(tagOffset(text, shown, node.range[0])) : { line: 1, column: 1 };
      problems.push({
        file,
        ...pos,
        message: `the tag ${shown} is not allowed: pom files are plain data and nothing in them is executed`,
        hint: "remove the tag and write the value as plain text",
      });
    },
  });
  return problems;
}

/** Where a node's tag is written: the parser's range starts at the value, after the tag. */
function tagOffset(text: string, shown: string, valueOffset: number): number {
  const found = text.lastIndexOf(shown, valueOffset);
  return found >= 0 && text.slice(found + shown.length, valueOffset).trim() === "" ? found : valueOffset;
}

function firstAlias(root: unknown): Node | undefined {
  let found: Node | undefined;
  if (!isNode(root)) return undefined;
  visit(root, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
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
