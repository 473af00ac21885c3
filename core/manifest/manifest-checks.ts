/**
 * What the schema cannot say about a manifest: outcome ids unique across the file, product names
 * unique, no path owned twice (two products, or a product and `shared`), waivers naming a product
 * that exists. Every problem is positioned, as the schema's are.
 */
import { matchesPath, mayOverlap } from "../domain/path-patterns.js";
import type { SourceProblem } from "./problem.js";
import { suggestionHint } from "./suggest.js";
import type { Manifest, Outcome } from "./types.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

/** A list of outcomes and where it is in the file. */
interface OutcomeList {
  at: PathSegment[];
  outcomes: Outcome[] | undefined;
}

const shownPath = (at: readonly PathSegment[]) =>
  at
    .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
    .join("")
    .slice(1);

/**
 * Outcome ids must be unique (case-insensitively, as references match them that way), across the
 * lists given: each with the path it is at (`outcomes`, or `products[1].outcomes`).
 */
export function checkOutcomes(
  outcomes: Outcome[] | undefined,
  source: YamlSource,
  lists: OutcomeList[] = [{ at: ["outcomes"], outcomes }],
): SourceProblem[] {
  const seen = new Map<string, string>();
  const problems: SourceProblem[] = [];
  for (const list of lists) {
    if (!Array.isArray(list.outcomes)) continue;
    const shown = shownPath(list.at);
    list.outcomes.forEach((outcome, index) => {
      if (typeof outcome?.id !== "string") return;
      const key = outcome.id.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, `${shown}[${index}]`);
        return;
      }
      problems.push({
        ...source.locate([...list.at, index, "id"]),
        message: `outcome id "${outcome.id}" is declared twice (first as ${first})`,
        hint: "give each outcome its own id",
        path: `${shown}[${index}].id`,
      });
    });
  }
  return problems;
}

/** A waiver's `product:` must name a product of the file. */
export function checkWaiverProducts(manifest: Manifest, source: YamlSource): SourceProblem[] {
  const declared = Array.isArray(manifest.products)
    ? manifest.products.map((p) => p?.name)
    : [manifest.product?.name];
  const names = [...new Set(declared.filter((n): n is string => typeof n === "string"))];
  if (!Array.isArray(manifest.waivers)) return [];
  return manifest.waivers.flatMap((waiver, index) => {
    const product = waiver?.product;
    if (typeof product !== "string" || names.includes(product)) return [];
    return [
      {
        ...source.locate(["waivers", index, "product"]),
        message: `waivers[${index}].product: no product is named "${product}" (products: ${names.join(", ") || "none"})`,
        hint: suggestionHint(product, names) || `name one of ${names.join(", ")}`,
        path: `waivers[${index}].product`,
      },
    ];
  });
}

/** An owner of paths: a product, or `shared`. */
interface PathOwner {
  name: string;
  at: PathSegment[];
  paths: string[];
}

/**
 * The checks of a manifest with products. `files`, the repository's files when they are at hand,
 * decide overlaps on what is there; without them, patterns overlap when their literal prefixes do.
 */
export function checkProducts(
  manifest: Manifest,
  source: YamlSource,
  files?: readonly string[],
): SourceProblem[] {
  const products = (manifest.products ?? []).filter((p) => typeof p === "object" && p !== null);
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  products.forEach((product, index) => {
    if (typeof product.name !== "string") return;
    const first = seen.get(product.name.toLowerCase());
    if (first === undefined) {
      seen.set(product.name.toLowerCase(), index);
      return;
    }
    problems.push({
      ...source.locate(["products", index, "name"]),
      message: `product name "${product.name}" is used twice (first by products[${first}])`,
      hint: "give each product its own name",
      path: `products[${index}].name`,
    });
  });
  const lists = products.map((p, i) => ({ at: ["products", i, "outcomes"], outcomes: p.outcomes }));
  problems.push(...checkOutcomes(undefined, source, lists));
  problems.push(...checkWaiverProducts(manifest, source));
  const owners: PathOwner[] = products.map((p, i) => ({
    name: typeof p.name === "string" ? p.name : `products[${i}]`,
    at: ["products", i, "paths"],
    paths: stringsOf(p.paths),
  }));
  const shared = manifest.shared;
  if (shared && typeof shared === "object") {
    owners.push({ name: "shared", at: ["shared", "paths"], paths: stringsOf(shared.paths) });
  }
  problems.push(...checkOverlaps(owners, source, files));
  return problems;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** One problem per pair of owners whose paths overlap, at the later pattern of the first such pair. */
function checkOverlaps(
  owners: PathOwner[],
  source: YamlSource,
  files: readonly string[] | undefined,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (let j = 1; j < owners.length; j++) {
    const later = owners[j] as PathOwner;
    for (let i = 0; i < j; i++) {
      const earlier = owners[i] as PathOwner;
      const overlap = firstOverlap(earlier, later, files);
      if (!overlap) continue;
      const [a, b, k, file] = overlap;
      const why = file
        ? `both match ${file}`
        : "a path could match both (decided on the patterns alone, without the repository's files)";
      problems.push({
        ...source.locate([...later.at, k]),
        message: `${describeOwner(later)} and ${describeOwner(earlier)} overlap: "${b}" and "${a}": ${why}`,
        hint: "give every path to one product only (or to shared); narrow one of the patterns",
        path: `${shownPath(later.at)}[${k}]`,
      });
    }
  }
  return problems;
}

const describeOwner = (owner: PathOwner) =>
  owner.name === "shared" && owner.at[0] === "shared" ? "shared" : `product ${owner.name}`;

function firstOverlap(
  earlier: PathOwner,
  later: PathOwner,
  files: readonly string[] | undefined,
): [string, string, number, string | undefined] | undefined {
  for (const [k, b] of later.paths.entries()) {
    for (const a of earlier.paths) {
      if (files) {
        const file = files.find((f) => matchesPath(a, f) && matchesPath(b, f));
        if (file !== undefined) return [a, b, k, file];
      } else if (mayOverlap(a, b)) return [a, b, k, undefined];
    }
  }
  return undefined;
}
