/**
 * The live reads of a repository with products (github/read/product-reads.ts): the history query
 * is valid against GitHub's GraphQL schema, and what one query cannot tell exactly is unavailable,
 * never guessed: a pattern whose literal prefix holds more than its files, a path with more
 * commits than one page, releases that could not be read.
 */
import { describe, expect, it } from "vitest";
import type { FactGetter } from "../../../core/engine/fact-source.js";
import { type Fact, known, type ReleaseInfo, unavailable } from "../../../core/engine/facts.js";
import { type EffectiveConfig, resolveConfig } from "../../../core/manifest/config.js";
import { loadManifest } from "../../../core/manifest/manifest.js";
import { historyQuery, MAX_HISTORIES, productReads } from "../../../github/read/product-reads.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { DEFAULT_LEVELS } from "../../../policies/registry.js";
import { schemaProblems } from "../../../testkit/fake-github/graphql-schema.js";
import { MONOREPO_MANIFEST } from "../../../testkit/monorepo.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const repo = { owner: "acme", repo: "shop" };

function products(text = MONOREPO_MANIFEST): EffectiveConfig[] {
  const loaded = loadManifest(text, ".github/pom.yml");
  if (!loaded.ok) throw new Error("invalid manifest");
  const config = resolveConfig({ defaults: DEFAULT_LEVELS, manifest: { value: loaded.value }, now: NOW });
  return config.products ?? [];
}

type Answer = Record<
  string,
  { totalCount: number; nodes: { oid: string; committedDate: string; messageHeadline: string }[] }
>;

/** A client whose one GraphQL answer is `answer`, recording the queries. */
function clientAnswering(answer: Answer) {
  const queries: { query: string; variables: Record<string, unknown> }[] = [];
  const client = {
    graphql: async (query: string, variables: Record<string, unknown>) => {
      queries.push({ query, variables });
      return { repository: { defaultBranchRef: { target: answer } } };
    },
    request: async () => {
      throw new Error("no REST expected");
    },
  } as unknown as GitHubClient;
  return { client, queries };
}

const TAGS: Fact<ReleaseInfo[]> = known([
  { tag: "checkout-v1.0.0", publishedAt: "2026-06-12T12:00:00Z" },
  { tag: "search-v2.0.1", publishedAt: "2026-06-05T12:00:00Z" },
]);
/** The readers under test ask no other fact. */
const none = (async () => undefined) as unknown as FactGetter;
const commit = (oid: string, date: string) => ({ oid, committedDate: date, messageHeadline: oid });

describe("productReads", () => {
  it("asks GitHub's schema-valid query once for every product and keeps each product's commits apart", async () => {
    expect(schemaProblems(historyQuery(3))).toEqual([]);
    const all = products();
    const { client, queries } = clientAnswering({
      h0: { totalCount: 1, nodes: [commit("c1", "2026-06-14T00:00:00Z")] },
      h1: {
        totalCount: 2,
        nodes: [commit("c1", "2026-06-14T00:00:00Z"), commit("c2", "2026-06-13T00:00:00Z")],
      },
      // GitHub's `since` is inclusive: the release's own commit is not unreleased.
      h2: {
        totalCount: 2,
        nodes: [commit("s1", "2026-06-10T00:00:00Z"), commit("s0", "2026-06-05T12:00:00Z")],
      },
    });
    const reads = productReads(client, repo, all, async () => TAGS);
    const [checkout, search] = all;
    if (!checkout || !search) throw new Error("two products");
    const checkoutWork = await reads.readers(checkout).unreleased?.(none);
    const searchCount = await reads.readers(search).unreleasedCount?.(none);
    expect(queries).toHaveLength(1);
    // A commit touching both of Checkout's paths counts once.
    expect(checkoutWork).toEqual(
      known([
        { sha: "c1", mergedAt: "2026-06-14T00:00:00Z", title: "c1" },
        { sha: "c2", mergedAt: "2026-06-13T00:00:00Z", title: "c2" },
      ]),
    );
    expect(searchCount).toEqual(known(1));
  });

  it("cannot tell the work of a product whose pattern is not one directory, nor past one page of commits", async () => {
    const all = products(
      MONOREPO_MANIFEST.replace('paths: ["services/search/**"]', 'paths: ["services/search/*.ts"]'),
    );
    const { client, queries } = clientAnswering({
      h0: {
        totalCount: 101,
        nodes: Array.from({ length: 100 }, (_, i) => commit(`c${i}`, "2026-06-14T00:00:00Z")),
      },
      h1: { totalCount: 0, nodes: [] },
    });
    const reads = productReads(client, repo, all, async () => TAGS);
    const [checkout, search] = all;
    if (!checkout || !search) throw new Error("two products");
    const searchWork = await reads.readers(search).unreleased?.(none);
    expect(searchWork).toMatchObject({ ok: false, lasting: true });
    expect(searchWork?.ok === false && searchWork.reason).toContain(
      'the path pattern "services/search/*.ts" of Search',
    );
    const checkoutWork = await reads.readers(checkout).unreleased?.(none);
    expect(checkoutWork?.ok === false && checkoutWork.reason).toContain(
      "101 commits touch services/checkout since the release",
    );
    // Only Checkout's two paths were asked.
    expect(Object.keys(queries[0]?.variables ?? {}).sort()).toEqual([
      "owner",
      "p0",
      "p1",
      "repo",
      "s0",
      "s1",
    ]);
  });

  it("asks nothing past MAX_HISTORIES path prefixes: unknown, at no cost", async () => {
    const paths = (p: string) => `[${Array.from({ length: 51 }, (_, i) => `"${p}${i}/**"`).join(", ")}]`;
    const all = products(
      MONOREPO_MANIFEST.replace('["services/checkout/**", "web/checkout/**"]', paths("c")).replace(
        '["services/search/**"]',
        paths("s"),
      ),
    );
    const { client, queries } = clientAnswering({});
    const work = await productReads(client, repo, all, async () => TAGS)
      .readers(all[1] as EffectiveConfig)
      .unreleased?.(none);
    expect(work?.ok === false && work.reason).toBe(
      `the products' paths have 102 literal prefixes; one query reads at most ${MAX_HISTORIES}`,
    );
    expect(queries).toHaveLength(0);
  });

  it("cannot tell a product's work without its releases", async () => {
    const all = products();
    const { client, queries } = clientAnswering({});
    const reads = productReads(client, repo, all, async () => unavailable("the tags: 502"));
    const work = await reads.readers(all[0] as EffectiveConfig).unreleased?.(none);
    expect(work).toMatchObject({
      ok: false,
      reason: "the releases could not be read, so neither can what is unreleased",
    });
    expect(queries).toHaveLength(0);
  });
});
