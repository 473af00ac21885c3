/**
 * Judging an issue (from its payload alone), a release (its gap to the previous release, the
 * outcomes it served) and a repository (ownership, cadence, unreleased work, declared outcomes),
 * each by the default branch's manifest and policy through a fact source: live per repository, or
 * the readers a caller brings (a sweep's batch). A manifest with products also reads the repository's
 * files and each product's unreleased work (github/read/product-reads.ts).
 */
import { oneReleasePerTag } from "../../core/domain/releases.js";
import {
  delegate,
  type FactReaders,
  type FactSource,
  factSource,
  pick,
} from "../../core/engine/fact-source.js";
import { type Fact, type Facts, known, type ReleaseInfo, unavailable } from "../../core/engine/facts.js";
import { judge } from "../../core/engine/judge.js";
import { judgeProducts } from "../../core/engine/products.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { RULES } from "../../policies/registry.js";
import { isGoverned, type TrustedConfig } from "../read/config.js";
import { productReads } from "../read/product-reads.js";
import { labelNames } from "../read/pull-request-facts.js";
import { releaseReaders } from "../read/release-facts.js";
import { releaseFromPayload } from "../read/release-source.js";
import { repoReaders } from "../read/repo-source.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import {
  ConfigUnreadable,
  type Judged,
  judgementOf,
  NOT_GOVERNED,
  trustedConfig,
  unreadable,
} from "./trusted.js";

/** The issue fields of a webhook payload the rules read. */
export interface IssuePayload {
  number: number;
  title: string;
  body?: string | null;
  user?: { login?: string } | null;
  labels?: ({ name?: string } | string | null)[];
  pull_request?: unknown;
}

/** Judges an issue from its payload alone. */
export async function evaluateIssue(
  deps: PipelineDeps,
  repo: RepoRef,
  issue: IssuePayload,
): Promise<Judged<object>> {
  if (issue.pull_request) return { kind: "skipped", reason: "pull requests are judged as pull requests" };
  const config = await trustedConfig(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config, deps.now);
  const item = {
    number: issue.number,
    title: issue.title ?? "",
    body: issue.body ?? null,
    labels: labelNames(issue.labels),
    author: issue.user?.login ?? "",
  };
  const source = factSource({ issue: () => known(item) });
  const evaluation = await judge(judgementOf("issue", config, deps.now), RULES, source);
  return { kind: "evaluated", evaluation };
}

/** Judges a release: the gap to the previous qualifying release and the outcomes it served. */
export async function evaluateRelease(
  deps: PipelineDeps,
  repo: RepoRef,
  release: Parameters<typeof releaseFromPayload>[0],
): Promise<Judged<{ releases?: Fact<ReleaseInfo[]> }>> {
  const config = await trustedConfig(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config, deps.now);
  const input = judgementOf("release", config, deps.now);
  const current = releaseFromPayload(release);
  const source = factSource(releaseReaders(deps.client, repo, input.config, current));
  const evaluation = await judge(input, RULES, source);
  // The releases read for the release's own rules serve the repository's judgement after it.
  const releases = source.asked.has("releases") ? (await source.read(["releases"])).releases : undefined;
  return { kind: "evaluated", evaluation, ...(releases ? { releases } : {}) };
}

/**
 * Judges the repository rules with the facts `readers` give (default: read live, per
 * repository); `releases` already read by this event are not read again.
 */
export async function evaluateRepository(
  deps: PipelineDeps,
  repo: RepoRef,
  options: {
    releases?: Fact<ReleaseInfo[]>;
    /** The trusted configuration, when the caller read it (a sweep's batch). */
    config?: TrustedConfig;
    /** The readers of the facts under the judgement's configuration (a sweep's batch). */
    readers?: (config: EffectiveConfig) => FactReaders;
  } = {},
): Promise<Judged<{ trusted?: TrustedConfig; facts?: Facts }>> {
  const config = options.config
    ? isGoverned(options.config)
      ? options.config
      : undefined
    : await trustedConfig(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config, deps.now);
  const input = judgementOf("repo", config, deps.now);
  const given = options.releases;
  const readersOf = (config: EffectiveConfig) =>
    options.readers?.(config) ?? repoReaders(deps.client, deps.cache, repo, config, deps.now);
  // A manifest with products: the repository's files (one tree read) and every product's
  // unreleased work (one history query), read when a rule asks; a single form reads neither.
  const products = input.config.products;
  const releasesOf = productReleases(input.config, readersOf, () => source);
  const perProduct = products ? productReads(deps.client, repo, products, releasesOf) : undefined;
  const source = factSource(
    given ? { releases: () => given } : {},
    perProduct ? { files: () => perProduct.files() } : {},
    readersOf(input.config),
  );
  // A product's team, releases and unreleased work are its own; the rest is the repository's.
  const sources = (product?: EffectiveConfig) =>
    product
      ? factSource(
          pick(readersOf(product), ["team", "teamMembers"]),
          { releases: async () => (await releasesOf(product)) ?? unavailable("not read") },
          perProduct?.readers(product) ?? {},
          delegate(source),
        )
      : source;
  const evaluation = await judgeProducts(input, RULES, sources, { eager: true });
  // The releases and team members the judgement read also feed the insights (tags and deployments,
  // the team view); the source keeps what it read, so asking again reads nothing.
  const kept = (["releases", "teamMembers"] as const).filter((k) => source.asked.has(k));
  const facts = kept.length > 0 ? await source.read(kept) : {};
  // With products, the releases are every product's, each read by its own source (its tags, say):
  // a product's row of the report picks its own by its tag pattern.
  if (products) {
    const releases = await allProductReleases(products, releasesOf);
    if (releases) facts.releases = releases;
  }
  return { kind: "evaluated", evaluation, trusted: config, facts };
}

/** Every product's releases, one of each tag; undefined when one product's could not be read. */
async function allProductReleases(
  products: readonly EffectiveConfig[],
  releasesOf: (product: EffectiveConfig) => Promise<Fact<ReleaseInfo[]> | undefined>,
): Promise<Fact<ReleaseInfo[]> | undefined> {
  const lists: ReleaseInfo[][] = [];
  for (const read of await Promise.all(products.map((p) => releasesOf(p)))) {
    if (!read?.ok) return undefined;
    lists.push(read.value);
  }
  return { ok: true, value: oneReleasePerTag(...lists) };
}

/**
 * A product's releases, read by its own release source (its tags, say, where the repository's
 * default is GitHub releases): once for every product of the same source and environment (the
 * tag pattern picks a product's among them), from the repository's source where it is the same.
 */
function productReleases(
  whole: EffectiveConfig,
  readersOf: (config: EffectiveConfig) => FactReaders,
  source: () => FactSource,
): (product: EffectiveConfig) => Promise<Fact<ReleaseInfo[]> | undefined> {
  const keyOf = (config: EffectiveConfig) => `${config.releaseSource.value}\u0000${config.environment.value}`;
  const reads = new Map<string, Promise<Fact<ReleaseInfo[]> | undefined>>();
  return (product) => {
    const key = keyOf(product);
    let read = reads.get(key);
    if (!read) {
      const from = key === keyOf(whole) ? source() : factSource(pick(readersOf(product), ["releases"]));
      read = from.read(["releases"]).then((facts) => facts.releases);
      reads.set(key, read);
    }
    return read;
  };
}
