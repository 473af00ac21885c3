/**
 * `pom init` on a repository released on several tag prefixes: the products its tags suggest,
 * each with the paths its releases changed (git log between its tags), and the text of a starter
 * manifest with products, every guess marked for review.
 */
import { codeownersRules, ruleFor } from "../core/domain/codeowners.js";
import { type ProductPrefix, productPrefixes, proposePaths } from "../core/domain/product-proposal.js";
import type { ReleaseInfo } from "../core/engine/facts.js";
import { git } from "./git.js";

const TEAM_OWNER = /^@([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

/** The first team (org/slug) among the owners of a CODEOWNERS line, when it names one. */
export function teamAmong(owners: readonly string[]): string | undefined {
  return owners.map((o) => TEAM_OWNER.exec(o)?.[1]).find((t) => t !== undefined);
}

export interface ProposedProduct extends ProductPrefix {
  paths: string[];
  /** The team CODEOWNERS gives the product's files to, when it names one. */
  team?: string;
}

/** The files the commits of `range` (`a..b`, or `tag^!`: the tagged commit alone) changed. */
function changedFiles(dir: string, range: string): string[] {
  return git(dir, ["log", "--name-only", "-z", "--format=", range, "--"])
    .split(/[\0\n]/)
    .filter(Boolean);
}

/** The files each product's releases changed: its first tag's commit, then between each two of its tags. */
function releaseChanges(dir: string, product: ProductPrefix): string[] {
  const tags = product.tags.map((t) => `refs/tags/${t.tag}`);
  const first = tags[0] ? changedFiles(dir, `${tags[0]}^!`) : [];
  return [...first, ...tags.slice(1).flatMap((tag, i) => changedFiles(dir, `${tags[i]}..${tag}`))];
}

/**
 * The products the tags of the checkout in `dir` suggest, with their paths; none when fewer than
 * two prefixes name a product, or when a product's releases changed no directory of its own.
 */
export function proposeProducts(
  dir: string,
  tags: readonly ReleaseInfo[],
  codeowners: string | undefined,
): ProposedProduct[] {
  const prefixes = productPrefixes(tags);
  if (prefixes.length === 0) return [];
  const changed = new Map(prefixes.map((p) => [p.name, releaseChanges(dir, p)] as const));
  const paths = proposePaths(changed);
  if (prefixes.some((p) => (paths.get(p.name) ?? []).length === 0)) return [];
  const rules = codeowners ? codeownersRules(codeowners) : [];
  return prefixes.map((p) => {
    const own = paths.get(p.name) ?? [];
    // The team the last matching CODEOWNERS line gives a file of the product's first path.
    const sample = (changed.get(p.name) ?? []).find((f) => f.startsWith((own[0] ?? "").replace(/\*\*$/, "")));
    const owners = sample ? (ruleFor(rules, sample)?.owners ?? []) : [];
    const team = teamAmong(owners);
    return { ...p, paths: own, ...(team ? { team } : {}) };
  });
}

const quote = (text: string) => JSON.stringify(text);

function productBlock(product: ProposedProduct, index: number): string {
  const team = product.team;
  const teamName = team ? (team.split("/")[1] ?? team) : "Your team";
  const first = product.tags[0]?.tag ?? "";
  const last = product.tags.at(-1)?.tag ?? "";
  const span = product.tags.length > 1 ? `${first}..${last}` : `up to ${first}`;
  const cadence = product.cadence
    ? `${product.cadence.text} # REVIEW: the median gap between its last ${product.cadence.gaps + 1} releases, rounded up`
    : "14d # REVIEW: one release so far, no gap to measure";
  return `  - name: ${quote(product.name)}
    # REVIEW: guessed from the directories the commits of its releases changed (${span});
    # no path may belong to two products.
    paths: [${product.paths.map(quote).join(", ")}]
    team:
      name: ${quote(teamName)}
      github: ${team ?? "your-org/your-team"} # ${team ? "REVIEW: the team CODEOWNERS gives its files" : "TODO: set it"}
      # product_manager: alice
      # designer: bob
      # tech_lead: carol
    release:
      cadence: ${cadence}
      source: tags
      tag_pattern: ${quote(product.tagPattern)} # ${product.tags.length} release tag${product.tags.length === 1 ? "" : "s"}
    outcomes:
      - id: OUT-${index + 1}
        title: TODO describe the outcome ${product.name} exists to move`;
}

/** The starter manifest with products; it validates as written. */
export function starterProductsManifest(products: readonly ProposedProduct[], schemaUrl: string): string {
  return `# yaml-language-server: $schema=${schemaUrl}
# The Product Operating Model manifest of this repository: its products, the paths each owns, who
# owns each, how often each ships, and which outcomes its work exists to move. Reference:
# docs/pom-yml.md and docs/monorepo.md of pom-governance.
version: 1

# One product per tag prefix of this repository; every REVIEW line is a guess.
products:
${products.map(productBlock).join("\n")}

# shared:            # paths a platform team owns, judged by no product rule
#   paths: ["tools/**", "docs/**"]
#   team: { github: your-org/platform }

exemptions:
  authors: ["dependabot[bot]", "renovate[bot]"]
`;
}
