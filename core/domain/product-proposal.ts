/**
 * What a repository released on several tag prefixes (`checkout-v1.4.0`, `search-v2.0.1`)
 * suggests for a starter manifest with products: one product per prefix, named after it, and
 * the paths each owns, from the directories the commits of its releases changed. A guess for a
 * person to review, never a judgement; the paths it proposes never overlap.
 */
import type { ReleaseInfo } from "../engine/facts.js";
import { cadenceOf, type ReleaseHabits, tagPatternFor, versionPrefix } from "./release-habits.js";

export interface ProductPrefix {
  /** The product's name, from its prefix (`Checkout` of `checkout-v`). */
  name: string;
  prefix: string;
  tagPattern: string;
  /** Its release tags (no pre-releases), oldest first. */
  tags: ReleaseInfo[];
  cadence?: ReleaseHabits["cadence"];
}

/** The name a tag prefix gives a product: `checkout-v` → `Checkout`; empty for `v` or none. */
export function prefixName(prefix: string): string {
  const bare = prefix.replace(/[-_.@/]*v?$/i, "").replace(/^[-_.@/]+/, "");
  return bare ? `${bare[0]?.toUpperCase()}${bare.slice(1)}` : "";
}

/**
 * The products the version tags suggest, most tags first: one per prefix that names a product,
 * when there are at least two such prefixes; otherwise none (the single form fits).
 *
 * @example productPrefixes(tags).map((p) => p.tagPattern) // ["checkout-v*", "search-v*"]
 */
export function productPrefixes(tags: readonly ReleaseInfo[]): ProductPrefix[] {
  const byPrefix = new Map<string, ReleaseInfo[]>();
  for (const tag of tags) {
    if (tag.prerelease || tag.draft || Number.isNaN(Date.parse(tag.publishedAt))) continue;
    const prefix = versionPrefix(tag.tag);
    if (prefix === undefined || /[*?]/.test(prefix) || !prefixName(prefix)) continue;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), tag]);
  }
  const names = new Set<string>();
  const products: ProductPrefix[] = [];
  for (const [prefix, list] of [...byPrefix.entries()].sort((a, b) => b[1].length - a[1].length)) {
    const name = prefixName(prefix);
    if (names.has(name.toLowerCase())) continue;
    names.add(name.toLowerCase());
    const sorted = [...list].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt));
    const cadence = cadenceOf(sorted.map((t) => Date.parse(t.publishedAt)));
    products.push({
      name,
      prefix,
      tagPattern: tagPatternFor(prefix),
      tags: sorted,
      ...(cadence ? { cadence } : {}),
    });
  }
  return products.length >= 2 ? products : [];
}

/**
 * The paths each product owns, from the files its releases changed (by product name). Where tags
 * of several products interleave on one history, a range between two tags of one product holds
 * the other's commits too, so a file proposes, first, its shallowest directory named after the
 * product (`services/checkout` for Checkout), else its shallowest directory no other product's
 * releases changed, as `dir/**`. A file at the top of the repository or in `.github/` proposes
 * nothing; a directory two products could claim (one within the other) goes to neither, so no two
 * products' paths overlap.
 *
 * @example proposePaths(new Map([["Checkout", ["services/checkout/pay.ts"]], ["Search", ["services/search/a.ts"]]]))
 * // Checkout: ["services/checkout/**"], Search: ["services/search/**"]
 */
export function proposePaths(changed: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dirsOf = (file: string) => {
    const names = file.split("/").slice(0, -1);
    if (names[0] === ".github") return [];
    return names.map((_, i) => names.slice(0, i + 1).join("/"));
  };
  const touched = new Map(
    [...changed].map(([name, files]) => [name, new Set(files.flatMap(dirsOf))] as const),
  );
  const claims = new Map<string, Set<string>>();
  for (const [name, files] of changed) {
    const mine = new Set<string>();
    const key = name.toLowerCase();
    for (const file of files) {
      const dirs = dirsOf(file);
      const named = dirs.find((d) => (d.split("/").at(-1) ?? "").toLowerCase().includes(key));
      const own = dirs.find((d) => ![...touched].some(([other, set]) => other !== name && set.has(d)));
      const dir = named ?? own;
      if (dir !== undefined) mine.add(dir);
    }
    claims.set(name, mine);
  }
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const proposed = new Map<string, string[]>();
  for (const [name, mine] of claims) {
    const others = [...claims].filter(([other]) => other !== name).flatMap(([, set]) => [...set]);
    const kept = [...mine].filter(
      (d) => !others.some((o) => within(d, o)) && ![...mine].some((o) => o !== d && d.startsWith(`${o}/`)),
    );
    proposed.set(
      name,
      kept.sort().map((d) => `${d}/**`),
    );
  }
  return proposed;
}
