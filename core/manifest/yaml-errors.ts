/** Turning the YAML parser's errors into messages and positions a person understands. */
import { isMap, isNode, isScalar, isSeq, type Node, visit } from "yaml";

/**
 * Explains a parser error in a user's terms and moves it to where the mistake is: the opening quote
 * or bracket that is never closed, the over-indented key rather than the value above it, the first
 * character of a badly indented line rather than its leading spaces.
 */
export function describeYamlError(
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
  if (!isNode(root)) return undefined;
  visit(root, {
    Node(_key, node) {
      const range = node.range;
      if (range && accept(node) && range[0] < offset && range[1] >= offset) {
        if (!found?.range || range[0] >= found.range[0]) found = node;
      }
    },
  });
  return found;
}
