/**
 * The manifest and policy loader: a corpus of invalid manifests (test/fixtures/invalid, one plausible
 * mistake each) must be refused with the first problem where a person would point, and the loader's
 * guarantees (one pass, positions, safety limits, encodings) are pinned by specific cases.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadManifest, loadPolicy } from "../../../core/manifest/manifest.js";
import type { SourceProblem } from "../../../core/manifest/problem.js";
import { decodeUtf8, MAX_DEPTH, MAX_DOCUMENT_BYTES } from "../../../core/manifest/yaml-source.js";

const invalidDir = new URL("../../fixtures/invalid/", import.meta.url);
const readFixture = (name: string): string => readFileSync(new URL(name, invalidDir), "utf8");

interface Expectation {
  line: number;
  column: number;
  message: string;
}
const expected = JSON.parse(readFixture("expected.json")) as Record<string, Expectation>;
const fixtures = readdirSync(invalidDir)
  .filter((name) => name.endsWith(".yml"))
  .sort();

/** Loads text that must be refused, and returns its problems. */
function problemsOf(text: string, file = "pom.yml"): SourceProblem[] {
  const loaded = loadManifest(text, file);
  if (loaded.ok) throw new Error(`expected ${file} to be refused, but it loaded`);
  return loaded.problems;
}

function firstProblem(text: string, file = "pom.yml"): SourceProblem {
  const [first] = problemsOf(text, file);
  if (!first) throw new Error(`expected ${file} to have at least one problem`);
  return first;
}

function expectWellFormed(problems: SourceProblem[], file: string): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.file).toBe(file);
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(problem.line) && Number.isInteger(problem.column)).toBe(true);
    expect(problem.message.trim()).not.toBe("");
  }
}

/** The example manifest of the product design, verbatim. */
const DESIGN_EXAMPLE = `version: 1
product:
  name: Checkout                      # required
  description: One-page checkout
  lifecycle: production               # experimental | production | deprecated | retired
team:
  name: Payments                      # required: the durable product team
  github: acme/payments               # required: org/team-slug of the owning GitHub team
  product_manager: alice              # GitHub logins (a leading @ is accepted): the trio
  designer: bob
  tech_lead: carol
  contact: https://chat.example.com/payments
release:
  cadence: 14d                        # longest allowed gap between releases: Nd, Nw, Nh, or
                                      # daily | weekly | biweekly | monthly
  source: releases                    # releases | tags | deployments
  tag_pattern: "v*"                   # glob; filters tags (and release tags)
  environment: production             # for source: deployments
outcomes:
  - id: CHK-12                        # required, unique, letters/digits, e.g. OKR-3, CHK-12
    title: Cut checkout abandonment from 68% to 55%
    metric: checkout_abandonment_rate
    target: "55%"
    due: 2027-03-31
    status: active                    # active | achieved | dropped
    link: https://okr.example.com/chk-12
rules:                                # per-rule level: error | warn | off (defaults in section 4)
  outcome.pull_request: error
  problem.issue: warn
exemptions:
  labels: [dependencies, chore]       # subjects with one of these labels skip outcome/problem rules
  authors: ["dependabot[bot]", "renovate[bot]"]
waivers:                              # time-boxed, audited exceptions
  - rule: release.cadence
    until: 2026-12-31
    reason: Code freeze for peak season
`;

const MINIMAL = `version: 1
product:
  name: Checkout
team:
  name: Payments
  github: acme/payments
`;

describe("the corpus of invalid manifests", () => {
  it("holds at least 30 fixtures, each with an expectation, and no expectation without a fixture", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  describe.each(fixtures)("%s", (name) => {
    const text = readFixture(name);

    it("is refused with its first problem where the mistake is", () => {
      const want = expected[name];
      if (!want) throw new Error(`test/fixtures/invalid/expected.json has no entry for ${name}`);
      const first = firstProblem(text, name);
      expect({ line: first.line, column: first.column }).toEqual({ line: want.line, column: want.column });
      expect(first.message).toContain(want.message);
    });

    it("gives every problem a file, a line and column from 1, and a message", () => {
      expectWellFormed(problemsOf(text, name), name);
    });

    it("reports the same first position when saved with CRLF line endings or a byte order mark", () => {
      const first = firstProblem(text, name);
      for (const variant of [text.replace(/\n/g, "\r\n"), `\uFEFF${text}`]) {
        const again = firstProblem(variant, name);
        expect([again.line, again.column, again.message]).toEqual([first.line, first.column, first.message]);
      }
    });
  });
});

describe("loadManifest", () => {
  it("loads the example manifest of the design document", () => {
    const loaded = loadManifest(DESIGN_EXAMPLE, ".github/pom.yml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
    expect(loaded.value.team.github).toBe("acme/payments");
    expect(loaded.value.release?.cadence).toBe("14d");
    expect(loaded.value.outcomes?.[0]?.due).toBe("2027-03-31");
    expect(loaded.value.waivers?.[0]?.until).toBe("2026-12-31");
  });

  it("locates team.github at its value, and at its key when asked", () => {
    const loaded = loadManifest(DESIGN_EXAMPLE, ".github/pom.yml");
    if (!loaded.ok) throw new Error("the design example must load");
    expect(loaded.source.locate(["team", "github"])).toMatchObject({
      file: ".github/pom.yml",
      line: 8,
      column: 11,
      endLine: 8,
      endColumn: 24,
    });
    expect(loaded.source.locate(["team", "github"], { key: true })).toMatchObject({ line: 8, column: 3 });
    expect(loaded.source.locate(["outcomes", 0, "id"])).toMatchObject({ line: 20, column: 9 });
  });

  it("locates a path that does not exist at its nearest existing parent", () => {
    const loaded = loadManifest(MINIMAL, "pom.yml");
    if (!loaded.ok) throw new Error("the minimal manifest must load");
    expect(loaded.source.locate(["team", "designer"])).toMatchObject({ line: 5, column: 3 });
  });

  it("accepts a leading @ on logins and named cadences", () => {
    const text = `${MINIMAL}  tech_lead: "@carol"\nrelease:\n  cadence: biweekly\n`;
    expect(loadManifest(text, "pom.yml").ok).toBe(true);
  });

  it("suggests the intended key for a misspelt key at every depth", () => {
    const hints = Object.fromEntries(
      [
        "09-top-level-typo-tem.yml",
        "10-top-level-typo-relase.yml",
        "11-outcome-instead-of-outcomes.yml",
        "12-product-lifecyle-typo.yml",
        "13-team-techlead-typo.yml",
        "14-outcome-unknown-key.yml",
      ].map((name) => [name, firstProblem(readFixture(name), name).hint]),
    );
    expect(hints).toEqual({
      "09-top-level-typo-tem.yml": 'did you mean "team"?',
      "10-top-level-typo-relase.yml": 'did you mean "release"?',
      "11-outcome-instead-of-outcomes.yml": 'did you mean "outcomes"?',
      "12-product-lifecyle-typo.yml": 'did you mean "lifecycle"?',
      "13-team-techlead-typo.yml": 'did you mean "tech_lead"?',
      "14-outcome-unknown-key.yml": 'did you mean "metric"?',
    });
  });

  it("reports a misspelt required key once, as the misspelling, not also as a missing key", () => {
    const problems = problemsOf(readFixture("09-top-level-typo-tem.yml"));
    expect(problems.map((p) => p.message)).toEqual(['unknown key "tem" in the top level']);
  });

  it("suggests the intended rule id for a misspelt rule id in rules and in waivers", () => {
    expect(firstProblem(readFixture("34-unknown-rule-id.yml")).hint).toBe('did you mean "release.cadence"?');
    expect(firstProblem(readFixture("35-unknown-rule-in-waiver.yml")).hint).toBe(
      'did you mean "release.cadence"?',
    );
    expect(firstProblem(readFixture("54-waiver-rule-misspelt.yml")).hint).toBe(
      'did you mean "release.cadence"?',
    );
  });

  it("suggests the intended value for a misspelt or shortened enum value", () => {
    expect(firstProblem(readFixture("32-bad-release-source.yml")).hint).toBe('did you mean "releases"?');
    expect(firstProblem(readFixture("33-bad-rule-level.yml")).hint).toBe('did you mean "warn"?');
    expect(firstProblem(readFixture("30-bad-lifecycle.yml")).hint).toBe('did you mean "production"?');
    expect(firstProblem(readFixture("31-bad-outcome-status.yml")).hint).toBe(
      "allowed: active, achieved, dropped",
    );
  });

  it.each([
    ["05-team-as-list.yml", "team: expected a mapping (key: value lines); found a list"],
    ["06-outcomes-as-mapping.yml", "outcomes: expected a list; found a mapping"],
    ["07-version-as-string.yml", 'version: expected 1; found the text "1"'],
    ["45-rules-as-list.yml", "rules: expected a mapping (key: value lines); found a list"],
    [
      "46-exemption-labels-as-text.yml",
      'exemptions.labels: expected a list; found the text "dependencies, chore"',
    ],
    ["48-team-name-left-empty.yml", "team.name: expected text; found nothing (an empty value)"],
    ["53-product-as-text.yml", 'product: expected a mapping (key: value lines); found the text "Checkout"'],
  ])("says what was expected and what was found for a wrong type in %s", (name, message) => {
    expect(firstProblem(readFixture(name)).message).toBe(message);
  });

  it("tells a bare number given as a cadence to add a unit", () => {
    const first = firstProblem(readFixture("23-cadence-bare-number.yml"));
    expect(first.message).toContain("expected a duration");
    expect(first.hint).toBe('add a unit, for example "14d"');
  });

  it("reports every independent problem in one pass, in file order", () => {
    const text = `version: 1
product:
  name: Checkout
  lifecycle: prod
team:
  name: Payments
  github: payments
release:
  cadence: fortnight
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [4, 14, "product.lifecycle"],
      [7, 11, "team.github"],
      [9, 12, "release.cadence"],
    ]);
  });

  it("reports the schema problems and the duplicate outcome ids of one file together", () => {
    const text = `${MINIMAL}outcomes:\n  - id: CHK-12\n    status: done\n  - id: CHK-12\n`;
    expect(problemsOf(text).map((p) => [p.line, p.message.slice(0, 30)])).toEqual([
      [9, "outcomes[0].status: expected o"],
      [10, 'outcome id "CHK-12" is declare'],
    ]);
  });

  it("accepts a byte order mark and CRLF line endings and counts lines as an editor does", () => {
    const lines = [
      "version: 1",
      "product:",
      "  name: Checkout",
      "release:",
      "  cadence: fortnight",
      "team:",
      "  name: Payments",
      "  github: acme/payments",
      "",
    ];
    const first = firstProblem(`\uFEFF${lines.join("\r\n")}`);
    expect([first.line, first.column, first.path]).toEqual([5, 12, "release.cadence"]);
    const valid = loadManifest(`\uFEFF${MINIMAL.replace(/\n/g, "\r\n")}`, "pom.yml");
    expect(valid.ok).toBe(true);
    if (valid.ok) expect(valid.value.team.github).toBe("acme/payments");
  });

  it("never executes a custom tag and leaves no global side effect", () => {
    const global = globalThis as { __pomPwned?: unknown };
    delete global.__pomPwned;
    const problems = problemsOf(readFixture("38-tag-js-function.yml"));
    expect(problems[0]?.message).toContain("!!js/function is not allowed");
    expect(global.__pomPwned).toBeUndefined();
    expect(loadManifest(readFixture("39-tag-python-object.yml"), "pom.yml").ok).toBe(false);
  });

  it("refuses a custom tag on a key as well as on a value", () => {
    const first = firstProblem(`version: 1\n!custom product:\n  name: Checkout\n`);
    expect([first.line, first.column]).toEqual([2, 1]);
    expect(first.message).toContain("!custom is not allowed");
  });

  it("refuses an alias bomb quickly, without expanding it", () => {
    const started = performance.now();
    const problems = problemsOf(readFixture("41-alias-bomb.yml"));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("aliases expand too much");
  });

  it("accepts a few ordinary aliases", () => {
    const text = `${MINIMAL}exemptions:\n  labels: &skip [chore]\n  authors: *skip\n`;
    expect(loadManifest(text, "pom.yml").ok).toBe(true);
  });

  it.each([
    ["5 MB", 5 * 1024 * 1024],
    ["300 KiB", 300 * 1024],
    ["one byte over the limit", MAX_DOCUMENT_BYTES + 1],
  ])("refuses a %s file at 1:1 with a size message", (_label, bytes) => {
    const text = `${MINIMAL}# ${"x".repeat(bytes - MINIMAL.length - 3)}\n`;
    expect(new TextEncoder().encode(text).length).toBe(bytes);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 1, column: 1 });
    expect(problems[0]?.message).toContain(`at most ${MAX_DOCUMENT_BYTES} bytes`);
  });

  it("measures the size limit in UTF-8 bytes, not in characters", () => {
    const text = `${MINIMAL}# ${"é".repeat(MAX_DOCUMENT_BYTES / 2)}\n`;
    expect(text.length).toBeLessThan(MAX_DOCUMENT_BYTES);
    expect(firstProblem(text).message).toContain("bytes");
  });

  it("accepts a file just under the size limit", () => {
    const text = `${MINIMAL}# ${"x".repeat(MAX_DOCUMENT_BYTES - MINIMAL.length - 3)}\n`;
    expect(new TextEncoder().encode(text).length).toBe(MAX_DOCUMENT_BYTES);
    expect(loadManifest(text, "pom.yml").ok).toBe(true);
  });

  it.each([
    ["10,000 nested flow lists", "[".repeat(10_000)],
    ["10,000 nested, closed flow lists", `version: ${"[".repeat(10_000)}${"]".repeat(10_000)}`],
    ["10,000 nested flow mappings", `version: ${"{a: ".repeat(10_000)}`],
    ["10,000 compact block lists", `${"- ".repeat(10_000)}x`],
    ["10,000 compact explicit keys", `${"? ".repeat(10_000)}x`],
    ["a block mapping indented far too deep", `a:\n${" ".repeat(MAX_DEPTH * 8 + 1)}b: 1\n`],
  ])("refuses %s with a positioned problem, without throwing", (_label, text) => {
    let problems: SourceProblem[] = [];
    expect(() => {
      problems = problemsOf(text);
    }).not.toThrow();
    expect(problems).toHaveLength(1);
    expectWellFormed(problems, "pom.yml");
    expect(problems[0]?.message).toMatch(/deeper than/);
  });

  it("accepts nesting up to the depth limit in flow style", () => {
    const text = `${MINIMAL}exemptions:\n  labels: ${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}\n`;
    const problems = problemsOf(text);
    // Refused by the schema (labels are text), not by the depth limit.
    expect(problems[0]?.message).not.toMatch(/deeper than/);
  });
});

describe("decodeUtf8", () => {
  const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
    new Uint8Array(
      parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "utf8")] : part)),
    );

  it("decodes valid UTF-8 and drops a byte order mark", () => {
    expect(decodeUtf8(bytesOf("a: café\n"), "pom.yml")).toEqual({ ok: true, text: "a: café\n" });
    expect(decodeUtf8(bytesOf([0xef, 0xbb, 0xbf], "a: 1\n"), "pom.yml")).toEqual({
      ok: true,
      text: "a: 1\n",
    });
  });

  it.each([
    ["a stray Latin-1 byte", [0xe9]],
    ["a truncated two-byte sequence", [0xc3, 0x28]],
    ["an overlong encoding", [0xc0, 0xaf]],
    ["an overlong three-byte encoding", [0xe0, 0x80, 0x80]],
    ["an encoded UTF-16 surrogate", [0xed, 0xa0, 0x80]],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a byte that never occurs in UTF-8", [0xff]],
  ])("refuses %s with the position of the bad byte", (_label, bad) => {
    const result = decodeUtf8(
      bytesOf("version: 1\nproduct:\n  name: Caf", bad, "\nteam:\n  name: x\n"),
      "pom.yml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: "pom.yml", line: 3, column: 12 });
    expect(result.problems[0]?.message).toContain("not valid UTF-8");
  });

  it("counts columns in characters after multi-byte text on the same line", () => {
    const result = decodeUtf8(bytesOf("name: Ünïcödé ", [0xff]), "pom.yml");
    expect(result.ok ? undefined : result.problems[0]).toMatchObject({ line: 1, column: 15 });
  });
});

describe("loadPolicy", () => {
  it("loads a valid org policy", () => {
    const text = `version: 1
manifest: error
rules: { release.cadence: error }
locked: [release.cadence, outcome.pull_request]
release: { max_cadence: 30d }
outcomes:
  - id: OKR-3
    title: Halve time-to-first-value for new customers
exemptions: { authors: ["dependabot[bot]"] }
`;
    const loaded = loadPolicy(text, ".github/pom-policy.yml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
    expect(loaded.value.locked).toEqual(["release.cadence", "outcome.pull_request"]);
    expect(loaded.value.release?.max_cadence).toBe("30d");
    expect(loaded.source.locate(["release", "max_cadence"])).toMatchObject({ line: 5, column: 25 });
  });

  it("reports every problem of an invalid org policy, positioned, with hints", () => {
    const text = `version: 1
manifest: required
rules: { release.cadense: error }
locked: [release.cadence, outcome.pr]
release: { max_cadence: 2m }
`;
    const loaded = loadPolicy(text, ".github/pom-policy.yml");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expectWellFormed(loaded.problems, ".github/pom-policy.yml");
    expect(loaded.problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [2, 11, "manifest"],
      [3, 10, "rules"],
      [4, 27, "locked[1]"],
      [5, 25, "release.max_cadence"],
    ]);
    expect(loaded.problems[1]?.hint).toBe('did you mean "release.cadence"?');
    expect(loaded.problems[2]?.message).toBe('locked[1]: unknown rule id "outcome.pr"');
    expect(loaded.problems[3]?.message).toContain('"m" is not a unit');
  });

  it("refuses an empty policy and a policy without a version", () => {
    const empty = loadPolicy("", ".github/pom-policy.yml");
    expect(empty.ok ? undefined : empty.problems[0]).toMatchObject({ line: 1, column: 1 });
    const unversioned = loadPolicy("manifest: warn\n", ".github/pom-policy.yml");
    expect(unversioned.ok ? undefined : unversioned.problems[0]?.message).toContain(
      'missing required key "version"',
    );
  });
});
