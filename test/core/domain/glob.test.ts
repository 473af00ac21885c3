/**
 * The tag-pattern glob: it agrees with the definition (`*` any run, `?` one UTF-16 code unit,
 * anything else itself) on random patterns and tags, on the edge cases spelled out below, and on the
 * shapes that made the backtracking matcher it replaced slow. No timing is asserted: a matcher that
 * went back to quadratic time would show in the benchmark (bench/glob.ts), and one gone exponential
 * would hang these tests past their timeout.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_GLOB_LENGTH, matchGlob } from "../../../core/domain/glob.js";

const RUNS = { numRuns: 2_000 };

/** The definition, read literally: memoised so that it answers the long cases too. */
function reference(pattern: string, text: string): boolean {
  const memo = new Map<number, boolean>();
  const from = (p: number, t: number): boolean => {
    const key = p * (text.length + 1) + t;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let answer: boolean;
    if (p === pattern.length) answer = t === text.length;
    else if (pattern[p] === "*") answer = from(p + 1, t) || (t < text.length && from(p, t + 1));
    else answer = t < text.length && (pattern[p] === "?" || pattern[p] === text[t]) && from(p + 1, t + 1);
    memo.set(key, answer);
    return answer;
  };
  return from(0, 0);
}

const joined = (parts: string[]) => parts.join("");

/** Patterns of up to 30 characters of `letters`, `*` and `?`; tags of up to 40 of `tagLetters`. */
function globsOver(letters: string[], tagLetters = letters) {
  const text = (from: string[], maxLength: number) =>
    fc.array(fc.constantFrom(...from), { maxLength, size: "max" }).map(joined);
  return { pattern: text([...letters, "*", "?"], 30), tag: text(tagLetters, 40) };
}

/** Random patterns against random tags: matchGlob answers each as the definition does. */
function expectAgreement({ pattern, tag }: ReturnType<typeof globsOver>): void {
  fc.assert(
    fc.property(pattern, tag, (p, t) => {
      expect(matchGlob(p, t)).toBe(reference(p, t));
    }),
    RUNS,
  );
}

/** A tag the pattern matches: each star a random run, each `?` a random letter. */
function instance(p: string, runs: string[], letters: string[]): string {
  let star = 0;
  let any = 0;
  return [...p]
    .map((c) =>
      c === "*"
        ? (runs[star++ % runs.length] ?? "")
        : c === "?"
          ? (letters[any++ % letters.length] ?? "a")
          : c,
    )
    .join("");
}

describe("matchGlob agrees with the definition of the glob", () => {
  it("answers random patterns against random tags as the definition does, é and an emoji included", () => {
    // `*` and `?` may also stand in a tag, where they are characters like any other.
    const letters = ["a", "b", "é", "😀"];
    expectAgreement(globsOver(letters, [...letters, "*", "?"]));
  });

  it("answers patterns and tags over two letters as the definition does, where near misses abound", () => {
    expectAgreement(globsOver(["a", "b"]));
  });

  it("matches tags made from the pattern, and answers them with one character changed as the definition does", () => {
    // Segments of up to 120 characters between stars: several 32-bit words, so carries between words count.
    const longPattern = fc
      .array(fc.constantFrom("a", "a", "a", "b", "?", "*"), { minLength: 1, maxLength: 120, size: "max" })
      .map(joined);
    fc.assert(
      fc.property(
        longPattern,
        fc.array(fc.array(fc.constantFrom("a", "b"), { maxLength: 40, size: "max" }).map(joined), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.constantFrom("a", "b", "c"),
        (p, runs, letters, at, letter) => {
          const t = instance(p, runs, letters);
          expect(matchGlob(p, t)).toBe(true);
          if (t.length === 0) return;
          const i = at % t.length;
          const changed = `${t.slice(0, i)}${letter}${t.slice(i + 1)}`;
          expect(matchGlob(p, changed)).toBe(reference(p, changed));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives the same answer for one pattern whatever was matched before it", () => {
    // The compiled pattern is kept between calls: alternating patterns must not mix their parts.
    const { pattern, tag } = globsOver(["a", "b", "é"]);
    fc.assert(
      fc.property(fc.array(fc.tuple(pattern, tag), { minLength: 2, maxLength: 6 }), (pairs) => {
        for (const [p, t] of pairs) expect(matchGlob(p, t)).toBe(reference(p, t));
      }),
      { numRuns: 300 },
    );
  });
});

describe("matchGlob on the edge cases", () => {
  it.each([
    ["", "", true],
    ["", "v1", false],
    ["*", "", true],
    ["***", "", true],
    ["***", "v1.2.0", true],
    ["v**1", "v1", true],
    ["v?", "v", false],
    ["v?", "v1", true],
    ["v?", "v10", false],
    ["v1.*?", "v1.", false],
    ["v1.*?", "v1.0", true],
    ["?", "", false],
    ["ab*ba", "aba", false],
    ["ab*ba", "abba", true],
    ["*ab*ab", "abab", true],
    ["*aab*", "aaab", true],
    ["release-?.*", "release-2.0", true],
    ["release-?.*", "release-10.0", false],
    ["checkout-v*", "payments-v1", false],
  ])("answers %j against %j with %s", (p, t, expected) => {
    expect(matchGlob(p, t)).toBe(expected);
  });

  it("treats ? as one UTF-16 code unit, so a character outside the Basic Multilingual Plane takes two", () => {
    expect(matchGlob("v?", "vé")).toBe(true);
    expect(matchGlob("v?", "v😀")).toBe(false);
    expect(matchGlob("v??", "v😀")).toBe(true);
    expect(matchGlob("*?", "😀")).toBe(true);
    expect(matchGlob("😀*", "😀-1")).toBe(true);
    expect(matchGlob("*😀*", "v1-😀-rc")).toBe(true);
    expect(matchGlob("*😀*", "v1-😁-rc")).toBe(false);
  });

  it("finds a segment that spans several 32-bit words, with ? on the words' edges", () => {
    const segment = [...Array.from({ length: 100 }, (_, i) => "ab".charAt(i % 2))].join("");
    const withAny = [...segment].map((c, i) => ([31, 32, 63, 64, 99].includes(i) ? "?" : c)).join("");
    expect(matchGlob(`x*${withAny}*y`, `x--${segment}--y`)).toBe(true);
    expect(matchGlob(`x*${withAny}*y`, `x--${segment.slice(0, 98)}--y`)).toBe(false);
    expect(matchGlob(`*${segment}*`, `${segment.slice(0, 40)}${segment}`)).toBe(true);
    expect(matchGlob(`*${segment}*`, `${segment.slice(0, 50)}b${segment.slice(51)}`)).toBe(false);
  });

  it("refuses a pattern longer than the cap, whatever the tag", () => {
    expect(matchGlob("*".repeat(MAX_GLOB_LENGTH), "v1")).toBe(true);
    expect(matchGlob("*".repeat(MAX_GLOB_LENGTH + 1), "v1")).toBe(false);
  });
});

describe("matchGlob on the shapes that made the backtracking matcher slow", () => {
  const longA = "a".repeat(2_000);

  it.each([
    ["many stars, ending in a literal", `${"*a".repeat(MAX_GLOB_LENGTH / 2 - 1)}*b`],
    ["many stars, ending in a star", `${"*a".repeat(MAX_GLOB_LENGTH / 2 - 2)}*b*`],
    ["a long literal after a star", `*${"a".repeat(MAX_GLOB_LENGTH - 2)}b`],
    ["a long segment with ? between stars", `*${"a?".repeat(MAX_GLOB_LENGTH / 2 - 2)}b*`],
  ])("answers %s against 2,000 characters, missing by the last one and then matching", (_, p) => {
    expect(p.length).toBeLessThanOrEqual(MAX_GLOB_LENGTH);
    expect(matchGlob(p, longA)).toBe(false);
    expect(matchGlob(p, `${longA}b`)).toBe(true);
  });
});
