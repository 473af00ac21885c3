/**
 * Judging an issue (from its payload alone), a release (its gap to the previous release, the
 * outcomes it served) and a repository (ownership, cadence, unreleased work, declared outcomes),
 * each by the default branch's manifest and policy through a fact source: live per repository, or
 * the readers a caller brings (a sweep's batch).
 */
import { delegate, type FactReaders, factSource, pick } from "../../core/engine/fact-source.js";
import { type Fact, type Facts, known, type ReleaseInfo, unavailable } from "../../core/engine/facts.js";
import { judge } from "../../core/engine/judge.js";
import { judgeProducts } from "../../core/engine/products.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { RULES } from "../../policies/registry.js";
import { isGoverned, type TrustedConfig } from "../read/config.js";
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

const PER_PRODUCT_FIX =
  "run pom check on a checkout of the repository to judge each product's work and files";
const NOT_READ_PER_PRODUCT: FactReaders = {
  unreleased: () =>
    unavailable("a product's unreleased work is read by pom check only", undefined, PER_PRODUCT_FIX, true),
  unreleasedCount: () =>
    unavailable("a product's unreleased work is read by pom check only", undefined, PER_PRODUCT_FIX, true),
  files: () =>
    unavailable("the repository's files are read by pom check only", undefined, PER_PRODUCT_FIX, true),
};

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
  const source = factSource(given ? { releases: () => given } : {}, readersOf(input.config));
  // A product's team is its own; its unreleased work (the commits touching its paths) and the
  // repository's files are not read from GitHub yet: unknown, never the whole repository's.
  const sources = (product?: EffectiveConfig) =>
    product
      ? factSource(pick(readersOf(product), ["team", "teamMembers"]), NOT_READ_PER_PRODUCT, delegate(source))
      : source;
  const evaluation = await judgeProducts(input, RULES, sources, { eager: true });
  // The releases and team members the judgement read also feed the insights (tags and deployments,
  // the team view); the source keeps what it read, so asking again reads nothing.
  const kept = (["releases", "teamMembers"] as const).filter((k) => source.asked.has(k));
  const facts = kept.length > 0 ? await source.read(kept) : {};
  return { kind: "evaluated", evaluation, trusted: config, facts };
}
