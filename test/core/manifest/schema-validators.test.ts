/**
 * The validators every runtime runs are generated ahead of time (core/manifest/validators.generated.ts, by
 * `npm run validators`; `npm test` checks the committed file is fresh). They must judge exactly as
 * ajv compiling the schemas at start does: the same verdict and the same errors, in the same order,
 * which is what the human messages of core/manifest/schema-check.ts are made from.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileValidators, type SchemaName } from "../../../core/manifest/schema-compile.js";
import { manifest, policy } from "../../../core/manifest/validators.generated.js";
import { readYaml } from "../../../core/manifest/yaml-source.js";

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };

const root = new URL("../../..", import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, root), "utf8");
const generated: Record<SchemaName, Validator> = { manifest, policy };

/** The value the schema sees (the loader's own YAML reading), or undefined when it is not YAML. */
function parse(text: string): unknown {
  const loaded = readYaml(text, "pom.yml");
  return loaded.ok ? loaded.source.value : undefined;
}

function documents(): { name: string; schema: SchemaName; value: unknown }[] {
  const invalid = readdirSync(new URL("test/fixtures/invalid/", root))
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .map((f) => ({ name: f, value: parse(read(`test/fixtures/invalid/${f}`)) }))
    .filter((d) => d.value !== undefined); // not YAML at all: the schema never sees it
  const examples = readdirSync(new URL("examples/", root))
    .filter((f) => f.endsWith(".pom.yml"))
    .map((f) => ({ name: f, value: parse(read(`examples/${f}`)) }));
  const manifests = [...examples, ...invalid].map((d) => ({ ...d, schema: "manifest" as const }));
  const policy = parse(read("examples/org/pom-policy.yml")) as Record<string, unknown>;
  const policies = [
    { name: "examples/org/pom-policy.yml", value: policy },
    {
      name: "a policy with misspelt and unknown rule ids",
      value: { ...policy, rules: { "release.cadense": "error" }, locked: ["outcome.pr"], extra: 1 },
    },
    { name: "a policy with a wrong max_cadence", value: { version: 1, release: { max_cadence: 30 } } },
    { name: "a manifest given as a policy", value: parse(read("examples/checkout.pom.yml")) },
  ].map((d) => ({ ...d, schema: "policy" as const }));
  return [...manifests, ...policies];
}

describe("the generated schema validators", () => {
  const compiled = compileValidators();
  const cases = documents();

  it("cover the invalid corpus, the examples and policies", () => {
    expect(cases.length).toBeGreaterThan(50);
    expect(cases.some((c) => c.schema === "manifest" && c.name.startsWith("0"))).toBe(true);
  });

  it.each(cases.map((c) => [`${c.schema}: ${c.name}`, c] as const))(
    "judge %s exactly as validators compiled at start do",
    (_, c) => {
      const ours = generated[c.schema];
      const theirs = compiled[c.schema];
      const verdict = ours(c.value);
      expect(verdict).toBe(theirs(c.value));
      expect(verdict ? null : ours.errors).toEqual(verdict ? null : theirs.errors);
    },
  );
});
