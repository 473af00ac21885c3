/**
 * The corpus of manifests that must be refused: the plausible mistakes of test/fixtures/invalid,
 * the hostile files of test/fixtures/hostile, and the files too large or not text to commit,
 * built here from small recipes (test/fixtures/hostile/README.md lists them). Each comes with the
 * first problem it must be refused with.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface Expectation {
  line: number;
  column: number;
  /** Text the first problem's message contains. */
  message: string;
}

export interface CorpusFile {
  origin: "invalid" | "hostile" | "generated";
  name: string;
  bytes: Buffer;
  expected: Expectation;
  /** The file as text, when it is UTF-8 (and so can be served by the fake GitHub). */
  text?: string;
  /**
   * Run through every runtime, the action bundle included (one process per file). The plausible
   * mistakes of test/fixtures/invalid go through the loader, the command line and the app; those
   * of the kinds this corpus is about go through the action too.
   */
  everywhere: boolean;
}

/** The invalid fixtures of the kinds hostile input takes: syntax, types, keys, tags, aliases, ids, cadences. */
const HOSTILE_KINDS_OF_INVALID = new Set([
  "01-bad-indentation.yml",
  "02-unclosed-quote.yml",
  "04-tab-indent.yml",
  "05-team-as-list.yml",
  "07-version-as-string.yml",
  "09-top-level-typo-tem.yml",
  "18-duplicate-key.yml",
  "19-duplicate-outcome-id.yml",
  "20-cadence-zero.yml",
  "21-cadence-negative.yml",
  "38-tag-js-function.yml",
  "39-tag-python-object.yml",
  "40-tag-custom.yml",
  "41-alias-bomb.yml",
  "42-empty-file.yml",
  "51-two-documents.yml",
  "52-document-is-a-list.yml",
]);

const MANIFEST = `version: 1
product:
  name: Checkout
team:
  name: Payments
  github: acme/payments
`;

const SIZE = "bytes are accepted";
const DEEP = "nests deeper than 64 levels";

/** The recipes of the generated files. */
function generated(): CorpusFile[] {
  const file = (name: string, content: string | Buffer, expected: Expectation): CorpusFile => {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    return {
      origin: "generated",
      name,
      bytes,
      expected,
      everywhere: true,
      ...(typeof content === "string" ? { text: content } : {}),
    };
  };
  const windows1252 = Buffer.concat([
    Buffer.from("version: 1\nproduct:\n  name: Caf", "latin1"),
    Buffer.from([0xe9]),
    Buffer.from("\nteam:\n  name: Payments\n  github: acme/payments\n", "latin1"),
  ]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MANIFEST, "utf16le")]);
  return [
    file(
      "generated-5mb.yml",
      `${MANIFEST.replace("  name: Checkout\n", `  name: Checkout\n  description: "${"x".repeat(5 * 1024 * 1024)}"\n`)}`,
      {
        line: 1,
        column: 1,
        message: SIZE,
      },
    ),
    file(
      "generated-enormous-string.yml",
      MANIFEST.replace("name: Checkout", `name: "${"Checkout ".repeat(33_334)}"`),
      {
        line: 1,
        column: 1,
        message: SIZE,
      },
    ),
    file("generated-long-unknown-value.yml", `${MANIFEST}notes: "${"n".repeat(200_000)}"\n`, {
      line: 7,
      column: 1,
      message: 'unknown key "notes"',
    }),
    file(
      "generated-nesting-flow-10000.yml",
      `${MANIFEST}rules: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      {
        line: 7,
        column: 72,
        message: DEEP,
      },
    ),
    file("generated-nesting-block-10000.yml", `${MANIFEST}outcomes:\n  ${"- ".repeat(10_000)}x\n`, {
      line: 8,
      column: 1,
      message: DEEP,
    }),
    file(
      "generated-12000-keys.yml",
      `${MANIFEST}${Array.from({ length: 12_000 }, (_, i) => `key${i}: ${i}`).join("\n")}\n`,
      { line: 5_000, column: 10, message: "more than 10000 keys and values" },
    ),
    file("generated-windows-1252.yml", windows1252, {
      line: 3,
      column: 12,
      message: "not valid UTF-8 (byte 31",
    }),
    file("generated-utf-16.yml", utf16, { line: 1, column: 1, message: "not valid UTF-8 (byte 0" }),
  ];
}

function committed(origin: "invalid" | "hostile"): CorpusFile[] {
  const dir = new URL(`../fixtures/${origin}/`, import.meta.url);
  const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as Record<
    string,
    Expectation
  >;
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yml"))
    .sort()
    .map((name) => {
      const want = expected[name];
      if (!want) throw new Error(`test/fixtures/${origin}/expected.json has no entry for ${name}`);
      const bytes = readFileSync(new URL(name, dir));
      const everywhere = origin === "hostile" || HOSTILE_KINDS_OF_INVALID.has(name);
      return { origin, name, bytes, expected: want, text: bytes.toString("utf8"), everywhere };
    });
}

let corpus: CorpusFile[] | undefined;

/** Every file of the corpus, committed ones first. */
export function hostileCorpus(): CorpusFile[] {
  corpus ??= [...committed("invalid"), ...committed("hostile"), ...generated()];
  return corpus;
}

/** A repository name for a corpus file: `m` and its index (`m0`, `m1`, …). */
export function repoNameOf(index: number): string {
  return `m${index}`;
}
