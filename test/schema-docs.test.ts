/**
 * Keeps the JSON Schemas of pom.yml / pom-policy.yml and their reference page (docs/pom-yml.md)
 * in step: every field has hover help (description + examples), every example is valid, and the
 * docs tables list exactly the fields of the schemas.
 */
import { readFileSync } from "node:fs";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { RULE_IDS } from "../core/engine/types.js";

// ajv and ajv-formats are CommonJS; under NodeNext the default import is `module.exports`, whose
// `default` property is the class / plugin itself (both packages set `exports.default`).
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

type JsonObject = { [key: string]: unknown };

const root = new URL("..", import.meta.url);
const readText = (relative: string): string => readFileSync(new URL(relative, root), "utf8");
const readJson = (relative: string): JsonObject => JSON.parse(readText(relative)) as JsonObject;

const manifestSchema = readJson("schemas/pom.schema.json");
const policySchema = readJson("schemas/pom-policy.schema.json");
const docs = readText("docs/pom-yml.md");

const MANIFEST_ID = "https://pom-governance.dev/schemas/pom.schema.json";
const POLICY_ID = "https://pom-governance.dev/schemas/pom-policy.schema.json";
const schemasById = new Map<string, JsonObject>([
  [MANIFEST_ID, manifestSchema],
  [POLICY_ID, policySchema],
]);

function createAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema([manifestSchema, policySchema]);
  return ajv;
}
const ajv = createAjv();

function validatorFor(ref: string) {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`schema ${ref} is not registered`);
  return validate;
}
const validateManifest = validatorFor(MANIFEST_ID);
const validatePolicy = validatorFor(POLICY_ID);

// ---------------------------------------------------------------------------------------------
// Schema walking

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A schema node and where it lives: the $id of its document and a JSON pointer into it. */
interface Located {
  doc: string;
  pointer: string;
  node: JsonObject;
}

const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");
const unescapePointer = (token: string): string =>
  decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");

function child(at: Located, ...keys: string[]): Located {
  let node: unknown = at.node;
  for (const key of keys) {
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  if (!isObject(node)) throw new Error(`no schema at ${at.doc}#${at.pointer}/${keys.join("/")}`);
  return { doc: at.doc, pointer: `${at.pointer}/${keys.map(escapePointer).join("/")}`, node };
}

function resolveRef(from: Located, ref: string): Located {
  const url = new URL(ref, from.doc);
  const pointer = decodeURIComponent(url.hash.slice(1));
  url.hash = "";
  const doc = url.href;
  const schema = schemasById.get(doc);
  if (!schema) throw new Error(`unresolvable $ref ${ref} in ${from.doc}#${from.pointer}`);
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointer);
  return child({ doc, pointer: "", node: schema }, ...tokens);
}

/** The node and the nodes its `$ref`s lead to, nearest first (so site annotations win). */
function refChain(at: Located): Located[] {
  const chain = [at];
  let current = at;
  while (typeof current.node.$ref === "string") {
    current = resolveRef(current, current.node.$ref);
    if (chain.some((seen) => seen.doc === current.doc && seen.pointer === current.pointer)) break;
    chain.push(current);
  }
  return chain;
}

/** refChain plus the (resolved) branches of anyOf / oneOf / allOf: every node that shapes the value. */
function shapeNodes(at: Located, depth = 0): Located[] {
  if (depth > 20) throw new Error(`schema too deep at ${at.doc}#${at.pointer}`);
  const out: Located[] = [];
  for (const node of refChain(at)) {
    out.push(node);
    for (const combinator of ["anyOf", "oneOf", "allOf"]) {
      const branches = node.node[combinator];
      if (!Array.isArray(branches)) continue;
      branches.forEach((_, index) => {
        out.push(...shapeNodes(child(node, combinator, String(index)), depth + 1));
      });
    }
  }
  return out;
}

interface Field {
  path: string;
  at: Located;
  required: boolean;
  description: unknown;
  examples: unknown;
  title: unknown;
  isObject: boolean;
}

/** Every field of a schema, in docs notation: `team.github`, `outcomes[].id`, `rules`. */
function collectFields(doc: string): Map<string, Field> {
  const schema = schemasById.get(doc);
  if (!schema) throw new Error(`unknown schema ${doc}`);
  const fields = new Map<string, Field>();

  const visit = (at: Located, prefix: string, depth: number): void => {
    if (depth > 20) throw new Error(`schema too deep at ${prefix}`);
    for (const shape of shapeNodes(at)) {
      const properties = shape.node.properties;
      if (isObject(properties)) {
        const required = Array.isArray(shape.node.required) ? shape.node.required : [];
        for (const key of Object.keys(properties)) {
          const path = prefix === "" ? key : `${prefix}.${key}`;
          const fieldAt = child(shape, "properties", key);
          const chain = refChain(fieldAt);
          const first = (name: string): unknown => chain.find((n) => n.node[name] !== undefined)?.node[name];
          fields.set(path, {
            path,
            at: fieldAt,
            required: required.includes(key) || fields.get(path)?.required === true,
            description: first("description"),
            examples: first("examples"),
            title: first("title"),
            isObject: shapeNodes(fieldAt).some((n) => n.node.type === "object"),
          });
          visit(fieldAt, path, depth + 1);
        }
      }
      if (isObject(shape.node.items)) visit(child(shape, "items"), `${prefix}[]`, depth + 1);
    }
  };

  visit({ doc, pointer: "", node: schema }, "", 0);
  return fields;
}

/** Every object in a JSON document that is a schema carrying `examples`, with its pointer. */
function nodesWith(doc: string, keyword: string): Located[] {
  const schema = schemasById.get(doc);
  if (!schema) throw new Error(`unknown schema ${doc}`);
  const out: Located[] = [];
  const walk = (value: unknown, pointer: string, inExamples: boolean): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, `${pointer}/${index}`, inExamples);
      });
      return;
    }
    if (!isObject(value)) return;
    if (!inExamples && value[keyword] !== undefined) out.push({ doc, pointer, node: value });
    for (const [key, item] of Object.entries(value)) {
      // Values inside `examples`, `enum`, `const`, `default` are data, not schemas.
      const isData = inExamples || ["examples", "enum", "const", "default"].includes(key);
      walk(item, `${pointer}/${escapePointer(key)}`, isData);
    }
  };
  walk(schema, "", false);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Docs parsing

/** The lines of the section under `heading`, up to the next `## ` heading. */
function section(heading: string): string[] {
  const lines = docs.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`docs/pom-yml.md has no heading "${heading}"`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith("## "));
  return end < 0 ? rest : rest.slice(0, end);
}

interface TableRow {
  cells: string[];
}

/** The cells of a markdown table row (an escaped pipe `\|` stays inside its cell). */
const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/** The table rows of a section (header and separator removed). */
function tableRows(heading: string): { header: string; rows: TableRow[] } {
  const lines = section(heading).filter((line) => line.trim().startsWith("|"));
  const [header = "", separator = "", ...body] = lines;
  expect(separator, `${heading}: second table line must be the separator`).toMatch(/^\|(?:\s*:?-+:?\s*\|)+$/);
  const rows = body.map((line) => ({ cells: splitRow(line) }));
  return { header, rows };
}

function docFieldPaths(heading: string): string[] {
  const { header, rows } = tableRows(heading);
  // Biome pads the cells of markdown tables, so compare the cells, not the raw line.
  expect(splitRow(header)).toEqual(["Field", "Type", "Required", "Description", "Example"]);
  return rows.map(({ cells }) => {
    const match = /^`([^`]+)`$/.exec(cells[0] ?? "");
    if (!match?.[1]) throw new Error(`${heading}: first cell is not a backticked path: ${cells.join(" | ")}`);
    expect(cells, `${heading}: row ${cells[0]} must have 5 cells`).toHaveLength(5);
    return match[1];
  });
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The example manifest of the product design. */
const designManifest = {
  version: 1,
  product: { name: "Checkout", description: "One-page checkout", lifecycle: "production" },
  team: {
    name: "Payments",
    github: "acme/payments",
    product_manager: "alice",
    designer: "bob",
    tech_lead: "carol",
    contact: "https://chat.example.com/payments",
  },
  release: { cadence: "14d", source: "releases", tag_pattern: "v*", environment: "production" },
  outcomes: [
    {
      id: "CHK-12",
      title: "Cut checkout abandonment from 68% to 55%",
      metric: "checkout_abandonment_rate",
      target: "55%",
      due: "2027-03-31",
      status: "active",
      link: "https://okr.example.com/chk-12",
    },
  ],
  rules: { "outcome.pull_request": "error", "problem.issue": "warn" },
  exemptions: { labels: ["dependencies", "chore"], authors: ["dependabot[bot]", "renovate[bot]"] },
  waivers: [{ rule: "release.cadence", until: "2026-12-31", reason: "Code freeze for peak season" }],
};

/** The example policy of the product design, with its outcomes spelled out. */
const designPolicy = {
  version: 1,
  manifest: "error",
  rules: { "release.cadence": "error" },
  locked: ["release.cadence", "outcome.pull_request"],
  release: { max_cadence: "30d" },
  outcomes: [{ id: "OKR-3", title: "Halve time-to-first-value", target: 7 }],
  exemptions: { authors: ["dependabot[bot]"] },
};

const errorsOf = (validate: ReturnType<typeof validatorFor>, value: unknown) => {
  validate(value);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ""}`.trim());
};

// ---------------------------------------------------------------------------------------------

const targets = [
  { name: "pom.yml", id: MANIFEST_ID, heading: "## pom.yml fields" },
  { name: "pom-policy.yml", id: POLICY_ID, heading: "## pom-policy.yml fields" },
] as const;

describe("schemas compile", () => {
  it("compiles both schemas with ajv 2020 in strict mode, cross-file refs resolved", () => {
    const fresh = createAjv();
    // getSchema compiles; in strict mode an unknown keyword, a type mismatch or a dangling $ref throws.
    expect(fresh.getSchema(MANIFEST_ID)).toBeTypeOf("function");
    expect(fresh.getSchema(POLICY_ID)).toBeTypeOf("function");
    expect(manifestSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(policySchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(manifestSchema.$id).toBe(MANIFEST_ID);
    expect(policySchema.$id).toBe(POLICY_ID);
  });

  it("lists exactly the rule ids of the catalogue", () => {
    const defs = manifestSchema.$defs as JsonObject;
    const ruleId = defs.ruleId as JsonObject;
    expect(sorted(ruleId.enum as string[])).toEqual(sorted(RULE_IDS));
  });

  it("policy schema reuses the manifest's definitions instead of copying them", () => {
    const defs = policySchema.$defs;
    expect(defs, "pom-policy.schema.json must not have its own $defs").toBeUndefined();
    const refs = nodesWith(POLICY_ID, "$ref").map((n) => n.node.$ref);
    expect(refs).toEqual(expect.arrayContaining(["pom.schema.json#/$defs/outcomes"]));
  });
});

describe.each(targets)("$name schema", ({ id }) => {
  const fields = collectFields(id);

  it("gives every field a description and examples, and every object a title", () => {
    const problems: string[] = [];
    for (const field of fields.values()) {
      if (typeof field.description !== "string" || field.description.trim() === "") {
        problems.push(`${field.path}: no description`);
      }
      if (!Array.isArray(field.examples) || field.examples.length === 0) {
        problems.push(`${field.path}: no examples`);
      }
      if (field.isObject && (typeof field.title !== "string" || field.title === "")) {
        problems.push(`${field.path}: object without title`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("closes every object: additionalProperties false, or a typed map with propertyNames", () => {
    const problems = nodesWith(id, "type")
      .filter(({ node }) => node.type === "object")
      .flatMap(({ pointer, node }) => {
        const out: string[] = [];
        if (typeof node.title !== "string") out.push(`${pointer || "/"}: object without title`);
        const isMap = isObject(node.propertyNames) && isObject(node.additionalProperties);
        if (node.additionalProperties !== false && !isMap) out.push(`${pointer || "/"}: object is open`);
        return out;
      });
    expect(problems).toEqual([]);
  });

  it("has only valid examples", () => {
    const problems: string[] = [];
    for (const { doc, pointer, node } of nodesWith(id, "examples")) {
      const validate = validatorFor(`${doc}#${pointer}`);
      for (const example of node.examples as unknown[]) {
        if (!validate(example)) {
          problems.push(`${pointer}: ${JSON.stringify(example)}: ${JSON.stringify(validate.errors)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.each(targets)("docs/pom-yml.md table for $name", ({ id, heading }) => {
  const fields = collectFields(id);

  it("lists exactly the schema's fields", () => {
    const documented = docFieldPaths(heading);
    const duplicates = documented.filter((path, index) => documented.indexOf(path) !== index);
    const missingFromDocs = sorted([...fields.keys()].filter((path) => !documented.includes(path)));
    const notInSchema = sorted(documented.filter((path) => !fields.has(path)));
    expect(
      { missingFromDocs, notInSchema, duplicates },
      `${heading} in docs/pom-yml.md is out of step with the schema: ` +
        `missing from docs [${missingFromDocs.join(", ")}], not in schema [${notInSchema.join(", ")}], ` +
        `listed twice [${duplicates.join(", ")}]`,
    ).toEqual({ missingFromDocs: [], notInSchema: [], duplicates: [] });
  });

  it("marks exactly the schema's required fields as required", () => {
    const { rows } = tableRows(heading);
    const mismatches = rows.flatMap(({ cells }) => {
      const path = (cells[0] ?? "").replace(/`/g, "");
      const field = fields.get(path);
      if (!field) return [];
      const documentedRequired = /^yes\b/i.test(cells[2] ?? "");
      return documentedRequired === field.required ? [] : [`${path}: schema required=${field.required}`];
    });
    expect(mismatches).toEqual([]);
  });
});

describe("docs/pom-yml.md", () => {
  it("has annotated examples of both files that validate", () => {
    const blocks = [...docs.matchAll(/^```yaml\r?\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? "");
    const seen = new Set<string>();
    for (const block of blocks) {
      // The modeline names the schema file of an installed package; its name says which schema.
      const modeline =
        /^# yaml-language-server: \$schema=\S+\/schemas\/(pom(?:-policy)?\.schema\.json)$/m.exec(block);
      const value: unknown = parseYaml(block);
      if (!modeline?.[1] || !isObject(value)) continue;
      const id = `https://pom-governance.dev/schemas/${modeline[1]}`;
      seen.add(id);
      expect(errorsOf(validatorFor(id), value), `example for ${modeline[1]}`).toEqual([]);
    }
    expect(sorted(seen)).toEqual(sorted([MANIFEST_ID, POLICY_ID]));
  });

  it("documents every rule id", () => {
    const rows = section("## Rules and levels").filter((line) => /^\|\s*[a-z]+\.[a-z_]+\s*\|/.test(line));
    const ids = rows.map((line) => line.split("|")[1]?.trim() ?? "");
    expect(sorted(ids)).toEqual(sorted(RULE_IDS));
  });

  it("explains hover help with the installed package's schema file, and the $id URLs as not served yet", () => {
    const section = docs.slice(docs.indexOf("## Editor hover help"), docs.indexOf("## Example:"));
    expect(section).toMatch(
      /^# yaml-language-server: \$schema=file:\/\/\/\S+\/pom-governance\/schemas\/pom\.schema\.json$/m,
    );
    expect(section).toContain(MANIFEST_ID);
    expect(section).toContain("Nothing serves those URLs yet");
    expect(docs).not.toContain(`$schema=${MANIFEST_ID}`);
    expect(docs).not.toContain("./node_modules/pom-governance");
  });
});

describe("manifest validation", () => {
  it("accepts the example manifest of the product design", () => {
    expect(errorsOf(validateManifest, designManifest)).toEqual([]);
  });

  it("accepts a minimal manifest", () => {
    const minimal = {
      version: 1,
      product: { name: "Checkout" },
      team: { name: "Payments", github: "acme/payments" },
    };
    expect(errorsOf(validateManifest, minimal)).toEqual([]);
  });

  it("rejects unknown keys at every depth", () => {
    expect(validateManifest({ ...designManifest, owner: "payments" })).toBe(false);
    expect(validateManifest.errors?.[0]).toMatchObject({
      keyword: "additionalProperties",
      params: { additionalProperty: "owner" },
    });
    expect(validateManifest({ ...designManifest, team: { ...designManifest.team, slack: "#pay" } })).toBe(
      false,
    );
    const outcome = { ...designManifest.outcomes[0], owner: "x" };
    expect(validateManifest({ ...designManifest, outcomes: [outcome] })).toBe(false);
  });

  it.each(["0d", "0h", "-1d", "1.5d", "14", "14D", "14 d", "1m", "fortnightly", "10000d", "014d"])(
    "rejects the cadence %j",
    (cadence) => {
      expect(validateManifest({ ...designManifest, release: { cadence } })).toBe(false);
      expect(validateManifest.errors?.[0]).toMatchObject({
        keyword: "pattern",
        instancePath: "/release/cadence",
      });
    },
  );

  it.each(["1h", "14d", "2w", "9999d", "daily", "weekly", "biweekly", "monthly"])(
    "accepts the cadence %j",
    (cadence) => {
      expect(errorsOf(validateManifest, { ...designManifest, release: { cadence } })).toEqual([]);
    },
  );

  it("rejects an unknown rule id and an unknown level", () => {
    expect(validateManifest({ ...designManifest, rules: { "outcome.pr": "error" } })).toBe(false);
    expect(validateManifest.errors?.map((e) => e.keyword)).toContain("propertyNames");
    expect(validateManifest({ ...designManifest, rules: { "problem.issue": "fatal" } })).toBe(false);
    const waiver = { rule: "release.cadense", until: "2026-12-31", reason: "freeze" };
    expect(validateManifest({ ...designManifest, waivers: [waiver] })).toBe(false);
  });

  it("checks formats, patterns and required fields", () => {
    const bad = (patch: JsonObject) => validateManifest({ ...designManifest, ...patch });
    expect(bad({ version: 2 })).toBe(false);
    expect(bad({ team: { name: "Payments" } })).toBe(false);
    expect(bad({ team: { name: "Payments", github: "payments" } })).toBe(false);
    expect(bad({ team: { name: "Payments", github: "acme/payments", tech_lead: "carol--x" } })).toBe(false);
    expect(bad({ team: { name: "Payments", github: "acme/payments", tech_lead: "@carol" } })).toBe(true);
    expect(bad({ outcomes: [{ id: "12" }] })).toBe(false);
    expect(bad({ outcomes: [{ id: "OKR-3", due: "31/03/2027" }] })).toBe(false);
    expect(bad({ outcomes: [{ id: "OKR-3", link: "not a uri" }] })).toBe(false);
    expect(bad({ outcomes: [{ id: "OKR-3", target: 0.55 }] })).toBe(true);
    expect(bad({ waivers: [{ rule: "release.cadence", until: "2026-12-31", reason: "" }] })).toBe(false);
    expect(bad({ waivers: [{ rule: "release.cadence", reason: "freeze" }] })).toBe(false);
  });
});

describe("policy validation", () => {
  it("accepts the example policy of the product design", () => {
    expect(errorsOf(validatePolicy, designPolicy)).toEqual([]);
  });

  it("applies the manifest's definitions through the cross-file refs", () => {
    expect(validatePolicy({ ...designPolicy, outcomes: [{ id: "12" }] })).toBe(false);
    expect(validatePolicy({ ...designPolicy, release: { max_cadence: "0d" } })).toBe(false);
    expect(validatePolicy({ ...designPolicy, manifest: "fatal" })).toBe(false);
    expect(validatePolicy({ ...designPolicy, exemptions: { bots: [] } })).toBe(false);
    expect(validatePolicy({ ...designPolicy, rules: { "release.cadense": "error" } })).toBe(false);
  });

  it("rejects unknown keys, unknown and duplicate locks", () => {
    expect(validatePolicy({ ...designPolicy, waivers: [] })).toBe(false);
    expect(validatePolicy({ ...designPolicy, locked: ["release.cadense"] })).toBe(false);
    expect(validatePolicy({ ...designPolicy, locked: ["release.cadence", "release.cadence"] })).toBe(false);
  });
});
