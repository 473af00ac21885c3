/**
 * A repository with products, read live: its files (one REST read of the default branch's tree)
 * and each product's unreleased work, the commits since its newest release that touch its paths.
 * GraphQL's `history(path:)` takes one literal path, so the work of every product is one query:
 * a `history(path:, since:)` per literal path prefix of each product's patterns, as aliases. A
 * single-form repository reads none of this. What cannot be told exactly is unavailable, never
 * guessed: a tree GitHub cut short, a pattern whose prefix holds more than its files, a path with
 * more commits than one page holds.
 */
import { historyPath } from "../../core/domain/path-patterns.js";
import { qualifyingReleases } from "../../core/domain/releases.js";
import type { FactReaders } from "../../core/engine/fact-source.js";
import { type ChangeInfo, type Fact, known, type ReleaseInfo, unavailable } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";

const PAGE = 100;
/** The most histories one query asks: 10,000 commits at most, well inside GitHub's node and time limits. */
export const MAX_HISTORIES = 100;
const CHECKOUT_FIX = "run pom check on a checkout of the repository, which reads every commit and file";

/** A repository's reads for its products: one tree, one history query, each at most once. */
export interface ProductReads {
  /** The repository's files (the default branch's), for every product and `ownership.paths`. */
  files(): Promise<Fact<string[]>>;
  /** The readers of one product's unreleased work. */
  readers(product: EffectiveConfig): FactReaders;
}

/**
 * The reads of `products` (the product configurations of one manifest); `releases` gives a
 * product's releases, its newest qualifying one dating its unreleased work.
 *
 * @example factSource(productReads(client, repo, products, releases).readers(products[0]))
 */
export function productReads(
  client: GitHubClient,
  repo: RepoRef,
  products: readonly EffectiveConfig[],
  releases: (product: EffectiveConfig) => Promise<Fact<ReleaseInfo[]> | undefined>,
): ProductReads {
  let tree: Promise<Fact<string[]>> | undefined;
  let work: Promise<Map<string | undefined, Fact<ChangeInfo[]>>> | undefined;
  const workOf = async (product: EffectiveConfig): Promise<Fact<ChangeInfo[]>> => {
    work ??= Promise.all(products.map((p) => releases(p))).then((read) =>
      readWork(client, repo, products, read),
    );
    const name = product.product?.name;
    return (await work).get(name) ?? unavailable(`${name} is not a product of the manifest`);
  };
  return {
    files: () => {
      tree ??= readTree(client, repo);
      return tree;
    },
    readers: (product) => ({
      unreleased: () => workOf(product),
      unreleasedCount: async () => {
        const changes = await workOf(product);
        return changes.ok ? known(changes.value.length) : changes;
      },
    }),
  };
}

interface TreeAnswer {
  tree: { path: string; type: string }[];
  truncated: boolean;
}

/** The default branch's files (submodules included, as `git ls-files` lists them); a cut list is unavailable. */
async function readTree(client: GitHubClient, repo: RepoRef): Promise<Fact<string[]>> {
  let truncated = false;
  const read = await readFact(
    "the repository's files",
    async () => {
      const { data } = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        owner: repo.owner,
        repo: repo.repo,
        tree_sha: "HEAD",
        recursive: "1",
      });
      const answer = data as TreeAnswer;
      truncated = answer.truncated;
      return answer.tree.filter((entry) => entry.type !== "tree").map((entry) => entry.path);
    },
    "contents: read",
  );
  if (truncated) {
    return unavailable(
      "GitHub cut the list of the repository's files short (it lists at most 100,000 entries, 7 MB)",
      undefined,
      CHECKOUT_FIX,
      true,
    );
  }
  return read;
}

/** One `history` of the query: a path since a date, for the products that ask for it. */
interface Alias {
  path: string;
  since: string | null;
}

interface HistoryAnswer {
  totalCount: number;
  nodes: { oid: string; committedDate: string; messageHeadline: string }[];
}

type WorkAnswer = {
  repository: {
    defaultBranchRef: { target: Record<string, HistoryAnswer | undefined> } | null;
  } | null;
};

/** Every product's unreleased work, from one query; or why a product's cannot be told. */
async function readWork(
  client: GitHubClient,
  repo: RepoRef,
  products: readonly EffectiveConfig[],
  releases: readonly (Fact<ReleaseInfo[]> | undefined)[],
): Promise<Map<string | undefined, Fact<ChangeInfo[]>>> {
  // By product name: a judgement may hand a product's configuration on as a copy.
  const result = new Map<string | undefined, Fact<ChangeInfo[]>>();
  const aliases: Alias[] = [];
  const asks = new Map<EffectiveConfig, { since: string | undefined; aliases: number[] }>();
  for (const [index, product] of products.entries()) {
    const read = releases[index];
    if (!read?.ok) {
      result.set(
        product.product?.name,
        unavailable("the releases could not be read, so neither can what is unreleased"),
      );
      continue;
    }
    const paths = product.product?.paths ?? [];
    const inexact = paths.find((p) => !historyPath(p).exact);
    if (inexact !== undefined) {
      result.set(
        product.product?.name,
        unavailable(
          `the path pattern "${inexact}" of ${product.product?.name} is not one directory or file, so GitHub's history cannot tell the commits that touch it`,
          undefined,
          CHECKOUT_FIX,
          true,
        ),
      );
      continue;
    }
    const since = qualifyingReleases(product, read.value)[0]?.publishedAt;
    const mine = paths.map((p) => aliasIndex(aliases, { path: historyPath(p).path, since: since ?? null }));
    asks.set(product, { since, aliases: [...new Set(mine)] });
  }
  if (aliases.length === 0) return result;
  if (aliases.length > MAX_HISTORIES) {
    const over = unavailable<ChangeInfo[]>(
      `the products' paths have ${aliases.length} literal prefixes; one query reads at most ${MAX_HISTORIES}`,
      undefined,
      CHECKOUT_FIX,
      true,
    );
    for (const product of asks.keys()) result.set(product.product?.name, over);
    return result;
  }
  const answer = await readFact(
    "the default branch's history per product",
    async () =>
      (await client.graphql<WorkAnswer>(historyQuery(aliases.length), variables(repo, aliases))).repository,
    "contents: read",
  );
  for (const [product, ask] of asks) {
    result.set(product.product?.name, answer.ok ? workFrom(answer.value, ask, aliases) : answer);
  }
  return result;
}

function aliasIndex(aliases: Alias[], alias: Alias): number {
  const at = aliases.findIndex((a) => a.path === alias.path && a.since === alias.since);
  if (at >= 0) return at;
  aliases.push(alias);
  return aliases.length - 1;
}

/** One query: `h0`, `h1`, … each the history of one path since one date. */
export function historyQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const declared = indexes.map((i) => `$p${i}: String, $s${i}: GitTimestamp`).join(", ");
  const histories = indexes
    .map(
      (i) =>
        `h${i}: history(first: ${PAGE}, path: $p${i}, since: $s${i}) { totalCount nodes { oid committedDate messageHeadline } }`,
    )
    .join("\n          ");
  return `query($owner: String!, $repo: String!, ${declared}) {
  repository(owner: $owner, name: $repo) {
    defaultBranchRef {
      target {
        ... on Commit {
          ${histories}
        }
      }
    }
  }
}`;
}

function variables(repo: RepoRef, aliases: readonly Alias[]): Record<string, unknown> {
  const vars: Record<string, unknown> = { owner: repo.owner, repo: repo.repo };
  aliases.forEach((alias, i) => {
    // The whole repository's history: no path at all.
    vars[`p${i}`] = alias.path === "" ? null : alias.path;
    vars[`s${i}`] = alias.since;
  });
  return vars;
}

/** A product's unreleased work from its histories: every commit after its release, newest first. */
function workFrom(
  repository: WorkAnswer["repository"],
  ask: { since: string | undefined; aliases: number[] },
  aliases: readonly Alias[],
): Fact<ChangeInfo[]> {
  const target = repository?.defaultBranchRef?.target;
  // A repository without commits has no unreleased work.
  if (!target) return known([]);
  const after = ask.since ? Date.parse(ask.since) : Number.NEGATIVE_INFINITY;
  const changes = new Map<string, ChangeInfo>();
  for (const i of ask.aliases) {
    const history = target[`h${i}`];
    if (!history) return unavailable("GitHub did not answer the history of the product's paths");
    if (history.totalCount > history.nodes.length) {
      return unavailable(
        `${history.totalCount} commits touch ${aliases[i]?.path || "the repository"} since the release; one query reads the newest ${PAGE}, not the oldest`,
        undefined,
        CHECKOUT_FIX,
      );
    }
    for (const node of history.nodes) {
      // `since` is inclusive at GitHub; the release's own commit is not unreleased.
      if (Date.parse(node.committedDate) <= after) continue;
      changes.set(node.oid, { sha: node.oid, mergedAt: node.committedDate, title: node.messageHeadline });
    }
  }
  return known([...changes.values()].sort((a, b) => Date.parse(b.mergedAt) - Date.parse(a.mergedAt)));
}
