/**
 * Properties over random input: whatever text or structure a manifest or policy holds, the loader
 * and the engine answer with their documented values only. The loader never throws and refuses
 * with problems that each have a file, a line and column from 1 inside the text, and a message;
 * the engine never throws and gives a conclusion and findings of the documented kinds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { evaluate } from "../../core/engine/evaluate.js";
import type { SubjectKind } from "../../core/engine/types.js";
import { type Loaded, loadManifest, loadPolicy } from "../../core/manifest/manifest.js";
import { editDistance } from "../../core/manifest/suggest.js";
import { effectiveConfig, RULES } from "../../policies/registry.js";
import { baseManifest, NOW } from "../helpers/engine.js";

const RUNS = { numRuns: 300 };
const STATUSES = ["pass", "fail", "skip", "waived", "unknown"];
const CONCLUSIONS = ["success", "neutral", "failure"];

/** Checks a loader result against its contract; returns it for further use. */
function expectDocumented<T>(loaded: Loaded<T>, text: string, file: string): Loaded<T> {
  if (loaded.ok) return loaded;
  expect(loaded.problems.length).toBeGreaterThan(0);
  const lines = text.split("\n").length;
  for (const p of loaded.problems) {
    expect(p.file).toBe(file);
    expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines).toBe(true);
    expect(Number.isInteger(p.column) && p.column >= 1).toBe(true);
    expect(typeof p.message === "string" && p.message.trim() !== "").toBe(true);
  }
  return loaded;
}

function expectEvaluates(text: string, policyText?: string, subject: SubjectKind = "repo"): void {
  const manifest = expectDocumented(loadManifest(text, ".github/pom.yml"), text, ".github/pom.yml");
  const policy =
    policyText === undefined
      ? null
      : expectDocumented(
          loadPolicy(policyText, ".github/pom-policy.yml"),
          policyText,
          ".github/pom-policy.yml",
        );
  const facts =
    subject === "issue"
      ? {
          issue: {
            ok: true as const,
            value: { number: 1, title: "CHK-12 x", body: null, labels: [], author: "erin" },
          },
        }
      : {};
  const config = effectiveConfig(manifest, policy, NOW);
  const evaluation = evaluate({ subject, manifest, policy, config, facts, now: NOW }, RULES);
  expect(CONCLUSIONS).toContain(evaluation.conclusion);
  for (const f of evaluation.findings) {
    expect(STATUSES).toContain(f.status);
    expect(["error", "warn"]).toContain(f.level);
    expect(typeof f.rule).toBe("string");
    expect(typeof f.message).toBe("string");
    expect(typeof f.fix).toBe("string");
    expect(Array.isArray(f.evidence)).toBe(true);
    if (f.location) expect(f.location.line >= 1 && f.location.column >= 1).toBe(true);
  }
}

/** Pieces of YAML and of manifests, so that random text is often nearly a manifest. */
const TOKENS = [
  "version",
  "product",
  "team",
  "name",
  "github",
  "release",
  "cadence",
  "outcomes",
  "id",
  "status",
  "rules",
  "waivers",
  "locked",
  "acme/payments",
  "CHK-12",
  "14d",
  "0d",
  "-3d",
  "1",
  "error",
  "off",
  ":",
  ": ",
  " ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "- ",
  "[",
  "]",
  "{",
  "}",
  ",",
  "&a ",
  "*a",
  "<<: *a",
  "!!js/function ",
  "!x ",
  "'",
  '"',
  "#",
  "|",
  ">",
  "? ",
  "---",
  "...",
  "%YAML 1.2\n",
  "\uFEFF",
  "é",
  "\u2028",
  "\u0000",
];

const yamlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((parts) => parts.join(""));

/** A manifest-shaped object with random parts replaced by random JSON values. */
const structured = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom(
        "version",
        "product",
        "team",
        "release",
        "outcomes",
        "rules",
        "waivers",
        "exemptions",
        "extra",
      ),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 4 },
    ),
    fc.boolean(),
  )
  .map(([overrides, keepBase]) => (keepBase ? { ...baseManifest(), ...overrides } : overrides));

describe("the loader and the engine on random input", () => {
  it("answer random YAML-like text with a manifest or positioned problems, never a throw", () => {
    fc.assert(
      fc.property(yamlish, fc.constantFrom<SubjectKind>("repo", "issue"), (text, subject) => {
        expectEvaluates(text, undefined, subject);
      }),
      RUNS,
    );
  });

  it("answer random Unicode text the same way", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expectEvaluates(text);
        expectDocumented(loadPolicy(text, "p.yml"), text, "p.yml");
      }),
      RUNS,
    );
  });

  it("answer random structures dumped to YAML, as manifests and as policies", () => {
    fc.assert(
      fc.property(
        structured,
        structured,
        fc.constantFrom<SubjectKind>("repo", "issue"),
        (manifest, policy, subject) => {
          expectEvaluates(stringify(manifest), stringify(policy), subject);
        },
      ),
      RUNS,
    );
  });

  it("answer a valid manifest with random edits: characters cut out or put in anywhere", () => {
    const valid = stringify(baseManifest());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 5 }), fc.constantFrom(...TOKENS)), {
          maxLength: 6,
        }),
        (edits) => {
          let text = valid;
          for (const [at, cut, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + cut);
          expectEvaluates(text);
        },
      ),
      RUNS,
    );
  });
});

describe("editDistance", () => {
  /** The textbook table, kept whole: what the three-row version must agree with. */
  function reference(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const row = d[i] as number[];
        const up = d[i - 1] as number[];
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
    return (d[a.length] as number[])[b.length] as number;
  }

  it("agrees with the full table on random strings", () => {
    const word = fc.string({ maxLength: 12, unit: fc.constantFrom("a", "b", "c", "t", "e", "m") });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 500 },
    );
  });
});
