/**
 * The pure scanners the rules run over user text: outcome ids in titles and bodies, and the Problem
 * section of an issue. User text is untrusted, so they must stay linear on hostile input.
 */
import { describe, expect, it } from "vitest";
import { problemStatement } from "../../../core/domain/markdown-sections.js";
import { idWords, outcomeLabelIds } from "../../../core/domain/outcome-refs.js";

describe("idWords", () => {
  const cases: { name: string; text: string; words: string[] }[] = [
    {
      name: "when words end in punctuation, the punctuation is dropped",
      text: "Serves CHK-12. Also okr-3!",
      words: ["Serves", "CHK-12", "Also", "okr-3"],
    },
    {
      name: "when an id is in underscore emphasis, the underscores are dropped",
      text: "_CHK-12_ and __OKR-3__",
      words: ["CHK-12", "and", "OKR-3"],
    },
    {
      name: "when an id is part of a longer id, the longer id is one word",
      text: "CHK-123 CHK-12-b",
      words: ["CHK-123", "CHK-12-b"],
    },
    {
      name: "when an id has dotted parts, they stay in the word",
      text: "OKR-2026.Q3.",
      words: ["OKR-2026.Q3"],
    },
    {
      name: "when ids are separated by slashes or brackets, they are separate words",
      text: "feature/CHK-12 (OKR-3)",
      words: ["feature", "CHK-12", "OKR-3"],
    },
    { name: "when a run is only punctuation, it is no word", text: "a --- b ... _", words: ["a", "b"] },
    { name: "when the text is empty, there are no words", text: "", words: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(idWords(c.text)).toEqual(c.words);
    });
  }

  it("when a body holds a very long run of dashes between letters, it is scanned in one pass", () => {
    const body = `a${"-".repeat(200_000)}b CHK-12`;
    expect(idWords(body)).toEqual([`a${"-".repeat(200_000)}b`, "CHK-12"]);
  });
});

describe("outcomeLabelIds", () => {
  it("when labels name outcomes in any case and spacing, their ids are read", () => {
    expect(outcomeLabelIds(["outcome:CHK-12", "Outcome: okr-3", " outcome:X ", "bug", "outcome:"])).toEqual([
      "CHK-12",
      "okr-3",
      "X",
    ]);
  });
});

describe("problemStatement", () => {
  it("when a heading line holds a very long run of blanks, it is read in one pass", () => {
    const line = `# a${" \t".repeat(2_500)}x`;
    expect(problemStatement(`${line}\n## Problem\nreal`)).toBe("real");
  });

  it("when a line holds a very long run of hashes, it is not a heading", () => {
    expect(problemStatement(`## Problem\n${"#".repeat(100_000)} x`)).toBe(`${"#".repeat(100_000)} x`);
  });

  it("when the body has many unclosed comment openers, they are all removed", () => {
    expect(problemStatement(`## Problem\ntext ${"<!--".repeat(50_000)}`)).toBe("text");
  });
});
