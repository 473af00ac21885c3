/**
 * No configuration value is ever compiled into a regular expression or executed, every value a
 * manifest can hold is bounded in length, and the one pattern language a manifest has (the glob
 * of release.tag_pattern) matches in linear time: a catastrophic matcher would hang these tests
 * past their timeout, so they assert on results only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { catchAllRule } from "../../core/domain/codeowners.js";
import { MAX_GLOB_LENGTH, matchGlob } from "../../core/domain/glob.js";
import { outcomeLabelIds } from "../../core/domain/outcome-refs.js";
import { isQualifying, MAX_TAG_LENGTH, qualifyingReleases } from "../../core/domain/releases.js";
import type { ReleaseInfo } from "../../core/engine/facts.js";
import { parseDuration } from "../../core/manifest/duration.js";
import { ROOT } from "../../testkit/build.js";
import { baseManifest, check, findingOf, manifest, manifestText, merge } from "../helpers/engine.js";

/** The layers that judge configuration: pure code, and the GitHub code that feeds it. */
const JUDGING_LAYERS = ["core", "policies", "github"];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Constructs that turn data into code or into a regular expression at run time. */
const DYNAMIC_CODE: { what: string; pattern: RegExp }[] = [
  // A RegExp made from one string literal is a constant (generated validators compile the schema's
  // own patterns that way); anything else is built from data.
  {
    what: "a RegExp built from data",
    pattern: /\bRegExp\s*\((?!\s*"(?:[^"\\]|\\.)*"\s*[,)]|\s*'(?:[^'\\]|\\.)*'\s*[,)])/,
  },
  { what: "eval", pattern: /\beval\s*\(/ },
  { what: "a Function built at run time", pattern: /\bFunction\s*\(/ },
  { what: "an import of a computed module", pattern: /\bimport\s*\(\s*[^"'`\s)]/ },
  { what: "require", pattern: /\brequire\s*\(/ },
  { what: "a child process", pattern: /node:child_process|node:vm|node:worker_threads/ },
];

/** Every use of a dynamic-code construct in `text`, as "line: what". */
function dynamicCode(text: string): string[] {
  const found: string[] = [];
  // Comments may speak of these constructs; code may not use them.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/\/\/.*$/gm, "");
  code.split("\n").forEach((line, i) => {
    for (const { what, pattern } of DYNAMIC_CODE) if (pattern.test(line)) found.push(`${i + 1}: ${what}`);
  });
  return found;
}

describe("no configuration value becomes code or a regular expression", () => {
  it("finds the constructs it looks for (the scan itself works)", () => {
    const sample = [
      "const re = new RegExp(config.tagPattern.value);",
      'const ok = new RegExp("^[a-z]+$", "u");',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the sample is source text, not a template
      "const templated = new RegExp(`^${prefix}`);",
      "eval(manifest.product.name);",
      'const f = Function("return 1");',
      "await import(path);",
      'import { x } from "node:vm";',
      "// new RegExp(in a comment) is fine",
    ].join("\n");
    expect(dynamicCode(sample)).toEqual([
      "1: a RegExp built from data",
      "3: a RegExp built from data",
      "4: eval",
      "5: a Function built at run time",
      "6: an import of a computed module",
      "7: a child process",
    ]);
  });

  it.each(JUDGING_LAYERS)(
    "%s/ builds no RegExp from data, evaluates nothing and runs no process",
    (layer) => {
      const files = sourcesUnder(join(ROOT, layer));
      expect(files.length).toBeGreaterThan(3);
      const offenders = files.flatMap((file) =>
        dynamicCode(readFileSync(file, "utf8")).map((hit) => `${relative(ROOT, file)}:${hit}`),
      );
      expect(offenders).toEqual([]);
    },
  );

  it("loads YAML that tries to construct objects or functions as plain data, or refuses it", () => {
    for (const tag of [
      "!!js/function 'function () { return 1 }'",
      "!!python/object:os.system ls",
      "!custom x",
    ]) {
      const loaded = manifestText(
        `version: 1\nproduct: { name: ${tag} }\nteam: { name: t, github: acme/t }\n`,
      );
      expect(loaded.ok, tag).toBe(false);
    }
  });
});

/** Every string and list a manifest or policy can hold, and the bound the schema puts on it. */
function unboundedFields(schema: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${path}/${i}`);
    }
    if (!node || typeof node !== "object" || Array.isArray(node)) return;
    const n = node as Record<string, unknown>;
    const types = ([] as unknown[]).concat(n.type ?? []);
    const boundedPattern =
      typeof n.pattern === "string" &&
      n.pattern.startsWith("^") &&
      n.pattern.endsWith("$") &&
      !/[*+]/.test(n.pattern);
    const bounded =
      n.maxLength !== undefined ||
      n.enum !== undefined ||
      n.const !== undefined ||
      boundedPattern ||
      n.format === "date";
    if (types.includes("string") && !bounded) found.push(`${path}: a string without maxLength`);
    const uniqueEnum = n.uniqueItems === true && typeof (n.items as { $ref?: unknown })?.$ref === "string";
    if (types.includes("array") && n.maxItems === undefined && !uniqueEnum)
      found.push(`${path}: a list without maxItems`);
    for (const [key, value] of Object.entries(n)) if (key !== "examples") walk(value, `${path}/${key}`);
  };
  walk(schema, "");
  return found;
}

describe("every configuration value has a length cap", () => {
  it.each(["schemas/pom.schema.json", "schemas/pom-policy.schema.json"])(
    "%s bounds every string and list",
    (file) => {
      const schema = JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Record<string, unknown>;
      expect(unboundedFields(schema)).toEqual([]);
    },
  );

  it("finds an unbounded string or list (the walk itself works)", () => {
    expect(unboundedFields({ properties: { a: { type: "string" }, b: { type: "array" } } })).toEqual([
      "/properties/a: a string without maxLength",
      "/properties/b: a list without maxItems",
    ]);
  });

  it("refuses a tag_pattern longer than the glob matcher takes", () => {
    const long = manifestText(
      stringify(merge(baseManifest(), { release: { cadence: "14d", tag_pattern: "v*".repeat(101) } })),
    );
    expect(long.ok).toBe(false);
    expect(MAX_GLOB_LENGTH).toBe(200);
    expect(matchGlob("*".repeat(MAX_GLOB_LENGTH + 1), "anything")).toBe(false);
  });

  it("refuses exemption labels and authors longer than 100 characters, and more than 100 of them", () => {
    const tooLong = manifestText(
      stringify(merge(baseManifest(), { exemptions: { labels: ["x".repeat(101)] } })),
    );
    const tooMany = manifestText(
      stringify(
        merge(baseManifest(), { exemptions: { authors: Array.from({ length: 101 }, (_, i) => `bot${i}`) } }),
      ),
    );
    expect(tooLong.ok).toBe(false);
    expect(tooMany.ok).toBe(false);
  });
});

describe("patterns from configuration match literally and in linear time", () => {
  const longA = "a".repeat(100_000);

  it("matches the classic catastrophic glob against a long tag and gives the right answer", () => {
    const stars = "*a".repeat(MAX_GLOB_LENGTH / 2);
    expect(stars).toHaveLength(MAX_GLOB_LENGTH);
    expect(matchGlob(stars, longA)).toBe(true);
    expect(matchGlob(`${"*a".repeat(MAX_GLOB_LENGTH / 2 - 1)}*b`, longA)).toBe(false);
    expect(matchGlob(`${"?*".repeat(MAX_GLOB_LENGTH / 2)}`, longA)).toBe(true);
    expect(matchGlob(`${"a*".repeat(MAX_GLOB_LENGTH / 2 - 1)}!`, `${longA}b`)).toBe(false);
  });

  it("treats regular-expression syntax in a tag_pattern as literal characters", () => {
    expect(matchGlob("v.*", "v1")).toBe(false);
    expect(matchGlob("v.*", "v.1")).toBe(true);
    expect(matchGlob("v[0-9]*", "v1")).toBe(false);
    expect(matchGlob("v[0-9]*", "v[0-9]1")).toBe(true);
    expect(matchGlob("(a+)+$", `${"a".repeat(50_000)}!`)).toBe(false);
    expect(matchGlob("^v\\d+$", "v12")).toBe(false);
  });

  it("filters thousands of long tags with a pathological tag_pattern", () => {
    const pattern = `${"*a".repeat(MAX_GLOB_LENGTH / 2 - 1)}*b`;
    const config = manifest({ release: { cadence: "14d", tag_pattern: pattern } });
    const settings = check({ subject: "repo", manifest: config }).config;
    expect(settings.tagPattern.value).toBe(pattern);
    // As long as a tag that a tag_pattern is matched against can be.
    const releases: ReleaseInfo[] = Array.from({ length: 2_000 }, (_, i) => ({
      tag: `${"a".repeat(MAX_TAG_LENGTH - 5)}${i}`,
      publishedAt: "2026-06-01T00:00:00Z",
    }));
    releases.push({ tag: `${"a".repeat(MAX_TAG_LENGTH - 1)}b`, publishedAt: "2026-06-02T00:00:00Z" });
    expect(qualifyingReleases(settings, releases).map((r) => r.tag.slice(-1))).toEqual(["b"]);
  });

  it("matches a tag_pattern against tags of up to 255 characters, and counts a longer tag only without one", () => {
    const release = (length: number): ReleaseInfo => ({
      tag: `v${"1".repeat(length - 1)}`,
      publishedAt: "2026-06-01T00:00:00Z",
    });
    const withPattern = check({
      subject: "repo",
      manifest: manifest({ release: { cadence: "14d", tag_pattern: "*" } }),
    });
    const without = check({ subject: "repo", manifest: manifest({ release: { cadence: "14d" } }) });
    expect(MAX_TAG_LENGTH).toBe(255);
    expect(isQualifying(release(MAX_TAG_LENGTH), withPattern.config)).toBe(true);
    expect(isQualifying(release(MAX_TAG_LENGTH + 1), withPattern.config)).toBe(false);
    expect(isQualifying(release(100_000), without.config)).toBe(true);
  });

  it("compares exemption labels and authors as exact text, never as patterns", () => {
    const config = manifest({ exemptions: { labels: [".*", "chore|bug"], authors: [".*", "^dependabot"] } });
    const pr = (labels: string[], author: string) => ({
      subject: "pull_request" as const,
      manifest: config,
      facts: {
        pullRequest: {
          ok: true as const,
          value: { number: 5, title: "No outcome", body: null, labels, author },
        },
        closingIssues: { ok: true as const, value: [] },
      },
    });
    expect(findingOf(check(pr(["bug"], "erin")), "outcome.pull_request").status).toBe("fail");
    expect(findingOf(check(pr(["chore"], "dependabot[bot]")), "outcome.pull_request").status).toBe("fail");
    expect(findingOf(check(pr(["chore|bug"], "erin")), "outcome.pull_request").status).toBe("skip");
    expect(findingOf(check(pr([], ".*")), "outcome.pull_request").status).toBe("skip");
  });

  it("reads durations, outcome labels and CODEOWNERS lines of pathological length in one pass", () => {
    expect(parseDuration(`${"1".repeat(100_000)}x`).ok).toBe(false);
    expect(parseDuration(`1${" ".repeat(100_000)}!`).ok).toBe(false);
    expect(outcomeLabelIds([`outcome:${" ".repeat(50_000)}\n${" ".repeat(50_000)}`])).toEqual([]);
    const owners = `*${" \t".repeat(50_000)}@acme/payments ${"#".repeat(50_000)}\n`;
    expect(catchAllRule(owners)?.owners).toEqual(["@acme/payments"]);
  });
});
