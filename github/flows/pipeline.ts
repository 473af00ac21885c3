/**
 * The pipeline the app and the action share: subject in, trusted configuration and facts gathered,
 * rules evaluated, results published. Runtimes only say which subject and how to report it.
 */

import { qualifyingReleases } from "../../core/domain/releases.js";
import { type Evaluation, evaluate, evaluateLazily } from "../../core/engine/evaluate.js";
import { type Fact, type Facts, known, type ReleaseInfo, type WorkItem } from "../../core/engine/facts.js";
import { nextChange } from "../../core/engine/next-change.js";
import type { Finding } from "../../core/engine/types.js";
import { resolveConfig } from "../../core/manifest/config.js";
import { type Loaded, loadManifest, MANIFEST_PATHS, type Manifest } from "../../core/manifest/manifest.js";
import { setNewest } from "../../core/util/bounded-map.js";
import type { Serialise } from "../../core/util/serial.js";
import { DEFAULT_LEVELS, RULES } from "../../policies/registry.js";
import type { CheckLedger } from "../publish/check-ledger.js";
import { isGoverned, loadFile, loadTrustedConfig, type TrustedConfig } from "../read/config.js";
import { changedGovernancePaths } from "../read/governance-changes.js";
import {
  closingReferences,
  fetchPullRequestDetails,
  labelNames,
  type PullRequestDetails,
  type PullRequestPayload,
  pullRequestFromPayload,
} from "../read/pull-request-facts.js";
import { fetchReleasePullRequests } from "../read/release-facts.js";
import { fetchReleases, releaseFromPayload } from "../read/release-source.js";
import { gatherRepoFacts } from "../read/repo-facts.js";
import { describeError, type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import { type FileAtCommit, FileCache } from "../transport/file-cache.js";
import { inputsHash } from "./verdict-inputs.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PipelineDeps {
  client: GitHubClient;
  cache: FileCache;
  /** Pull request details by head commit: a label or an edit does not re-read them. */
  details?: Map<string, PullRequestDetails>;
  /** The governance files a pull request changes, by base and head commit. */
  changes?: Map<string, Set<string>>;
  /** The check runs already written, so that a verdict GitHub shows is not written again. */
  checks?: CheckLedger;
  now?: () => Date;
  /** Where the manifest is looked for (default: .github/pom.yml, then pom.yml). */
  manifestPaths?: readonly string[];
  /**
   * Runs writes that must not happen twice at once (finding, then opening, a tracking or report
   * issue) one at a time across processes; within a process they are serialised anyway.
   */
  across?: Serialise;
}

export type Outcome<T> =
  | { kind: "skipped"; reason: string }
  | ({ kind: "evaluated"; evaluation: Evaluation } & T);

export const NOT_GOVERNED = "the repository has no pom.yml and its organization no pom-policy.yml";
const DETAILS_KEPT = 2_000;

/** Creates the shared caches for a long-running process. */
export function createDeps(client: GitHubClient, cache = new FileCache()): PipelineDeps {
  return { client, cache, details: new Map() };
}

function remember<T>(map: Map<string, T> | undefined, key: string, value: T): void {
  if (map) setNewest(map, key, value, DETAILS_KEPT);
}

/** Loads the trusted configuration, or says why the subject is left alone. */
/** Why the configuration could not be read, for a verdict that says so. */
class ConfigUnreadable {
  constructor(readonly error: unknown) {}
}

async function governed(
  deps: PipelineDeps,
  repo: RepoRef,
): Promise<TrustedConfig | ConfigUnreadable | undefined> {
  try {
    const config = await loadTrustedConfig(deps.client, deps.cache, repo, deps.manifestPaths);
    return isGoverned(config) ? config : undefined;
  } catch (error) {
    return new ConfigUnreadable(error);
  }
}

/**
 * The verdict when the manifest or the policy could not be read: one undecided error-level
 * finding, so that the check fails with the reason instead of vanishing or passing.
 */
function unreadable(problem: ConfigUnreadable): Outcome<object> {
  const finding: Finding = {
    rule: "manifest.valid",
    status: "unknown",
    level: "error",
    message: `the manifest and org policy could not be read: ${describeError(problem.error)}`,
    fix: "run the check again; if it persists, check the app's contents permission and GitHub's status",
    evidence: [],
  };
  return {
    kind: "evaluated",
    evaluation: {
      conclusion: "failure",
      findings: [finding],
      config: resolveConfig({ defaults: DEFAULT_LEVELS }),
      needs: [],
    },
  };
}

/** The effective settings of a trusted configuration: defaults, org policy, manifest. */
export function effectiveConfig(config: TrustedConfig) {
  return resolveConfig({
    defaults: DEFAULT_LEVELS,
    ...(config.policy?.ok ? { policy: { value: config.policy.value, source: config.policy.source } } : {}),
    ...(config.manifest?.ok
      ? { manifest: { value: config.manifest.value, source: config.manifest.source } }
      : {}),
  });
}

/**
 * Evaluates a pull request: payload first; the governing manifest at the head commit, compared
 * with the default branch's by a conditional read (a 304 when unchanged, which costs no rate
 * limit); and one GraphQL query for closing issues and changed files, only when the rules need
 * closing issues or the head's manifest differs.
 */
export async function evaluatePullRequest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
): Promise<Outcome<{ proposedPath?: string; inputs?: string }>> {
  const config = await governed(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config);
  // Keyed by head commit and the issues the body names: a label or a title edit reuses the query.
  const key = `${repo.owner}/${repo.repo}#${pr.number}@${pr.head.sha}:${closingReferences(pr.body).join(",")}`;
  let details: Promise<Fact<PullRequestDetails>> | undefined;
  const readDetails = () => {
    details ??= readFact(
      "the pull request's closing issues and files",
      async () => {
        const cached = deps.details?.get(key);
        if (cached) return cached;
        const fetched = await fetchPullRequestDetails(deps.client, repo, {
          number: pr.number,
          body: pr.body ?? null,
        });
        remember(deps.details, key, fetched);
        return fetched;
      },
      "pull_requests: read",
    );
    return details;
  };
  const change = await proposedManifest(deps, repo, pr, config);
  const pullRequest = pullRequestFromPayload(pr);
  const facts: Facts = { pullRequest: known(pullRequest) };
  let closingIssues: Fact<WorkItem[]> | undefined;
  const now = deps.now?.() ?? new Date();
  const evaluation = await evaluateLazily(
    {
      subject: "pull_request",
      manifest: config.manifest,
      policy: config.policy,
      ...(change ? { proposed: change.proposed } : {}),
      facts,
      now,
    },
    RULES,
    async (keys) => {
      if (!keys.includes("closingIssues")) return {};
      const fact = await readDetails();
      closingIssues = fact.ok ? known(fact.value.closingIssues) : fact;
      return { closingIssues };
    },
  );
  const next = nextChange(evaluation.config, now);
  const inputs = inputsHash({
    headSha: pr.head.sha,
    pullRequest,
    manifest: config.manifest,
    policy: config.policy ?? null,
    ...(closingIssues ? { closingIssues } : {}),
    ...(change ? { proposed: { path: change.path, manifest: change.proposed } } : {}),
    ...(next ? { nextChange: next } : {}),
  });
  return { kind: "evaluated", evaluation, inputs, ...(change ? { proposedPath: change.path } : {}) };
}

/**
 * The manifest as the pull request proposes it, when the pull request changes it. A file that
 * cannot be read fails `manifest.valid` with the reason: a gate must not pass on what it did not
 * see.
 */
async function proposedManifest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  config: TrustedConfig,
): Promise<{ path: string; proposed: Loaded<Manifest> } | undefined> {
  const problem = (path: string, message: string, hint?: string) => ({
    path,
    proposed: {
      ok: false as const,
      problems: [{ file: path, line: 1, column: 1, message, ...(hint ? { hint } : {}) }],
    },
  });
  // The head commit of any pull request, a fork's included, is readable from the base
  // repository; a private fork is not readable by the base repository's token at all.
  const path = config.manifestPath;
  const all = deps.manifestPaths ?? MANIFEST_PATHS;
  // Paths that would take over from the live manifest if the pull request added one there.
  const above = path ? all.slice(0, Math.max(0, all.indexOf(path))) : [];
  const candidates = path ? [...above, path] : [...all];
  let head: FileAtCommit | undefined;
  if (path) {
    try {
      head = await deps.cache.readAtCommit(deps.client, repo, path, pr.head.sha);
    } catch (error) {
      return problem(
        path,
        `the proposed manifest could not be read: ${describeError(error)}`,
        "re-run the check",
      );
    }
    // The head has the live manifest byte for byte, and no path could take over from it.
    if (head.sameAsDefault && above.length === 0) return undefined;
  }
  // The head's copy differs, or another path could take over: did this pull request change a
  // manifest path, or did the default branch move on since the branch was cut?
  const changed = await readFact(
    "which governance files the pull request changes",
    () => governanceChanges(deps, repo, pr, candidates, path && !head?.sameAsDefault ? [path] : []),
    "contents: read",
  );
  if (!changed.ok)
    return problem(
      path ?? candidates[0] ?? "pom.yml",
      `whether the pull request changes the manifest could not be read: ${changed.reason}`,
      "re-run the check",
    );
  const touched = candidates.find((p) => changed.value.has(p));
  if (!touched) return undefined;
  let file = touched === path ? head?.file : undefined;
  if (touched !== path) {
    try {
      file = (await deps.cache.readAtCommit(deps.client, repo, touched, pr.head.sha)).file;
    } catch (error) {
      return problem(
        touched,
        `the proposed manifest could not be read: ${describeError(error)}`,
        "re-run the check",
      );
    }
  }
  return file
    ? { path: touched, proposed: loadFile("manifest", loadManifest, file, touched) }
    : problem(touched, "the pull request deletes the manifest");
}

/**
 * {@link changedGovernancePaths}, remembered per head commit and base branch: a head's merge base
 * with its branch stays put while that branch moves forward.
 */
async function governanceChanges(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  paths: readonly string[],
  differ: readonly string[],
): Promise<Set<string>> {
  const key = `${repo.owner}/${repo.repo}:${pr.base.ref}...${pr.head.sha}:${paths.join(",")}`;
  const cached = deps.changes?.get(key);
  if (cached) return cached;
  const changed = await changedGovernancePaths(deps.client, repo, pr, paths, differ);
  remember(deps.changes, key, changed);
  return changed;
}

/** The issue fields of a webhook payload the rules read. */
export interface IssuePayload {
  number: number;
  title: string;
  body?: string | null;
  user?: { login?: string } | null;
  labels?: ({ name?: string } | string | null)[];
  pull_request?: unknown;
}

/** Evaluates an issue from its payload alone. */
export async function evaluateIssue(
  deps: PipelineDeps,
  repo: RepoRef,
  issue: IssuePayload,
): Promise<Outcome<object>> {
  if (issue.pull_request) return { kind: "skipped", reason: "pull requests are judged as pull requests" };
  const config = await governed(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config);
  const labels = labelNames(issue.labels);
  const evaluation = evaluate(
    {
      subject: "issue",
      manifest: config.manifest,
      policy: config.policy,
      facts: {
        issue: known({
          number: issue.number,
          title: issue.title ?? "",
          body: issue.body ?? null,
          labels,
          author: issue.user?.login ?? "",
        }),
      },
      now: deps.now?.() ?? new Date(),
    },
    RULES,
  );
  return { kind: "evaluated", evaluation };
}

/** Evaluates a release: the gap to the previous qualifying release and the outcomes it served. */
export async function evaluateRelease(
  deps: PipelineDeps,
  repo: RepoRef,
  release: Parameters<typeof releaseFromPayload>[0],
): Promise<Outcome<{ releases?: Fact<ReleaseInfo[]> }>> {
  const config = await governed(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config);
  const settings = effectiveConfig(config);
  const current = releaseFromPayload(release);
  const releases = await readFact(
    "the releases",
    () => fetchReleases(deps.client, repo, settings),
    "contents: read",
  );
  const at = Date.parse(current.publishedAt);
  const previous = releases.ok
    ? qualifyingReleases(settings, releases.value).find(
        (r) => r.tag !== current.tag && Date.parse(r.publishedAt) <= at,
      )
    : undefined;
  const pulls = await readFact(
    "the pull requests in the release",
    () => fetchReleasePullRequests(deps.client, repo, previous?.tag, current.tag),
    "pull_requests: read",
  );
  const evaluation = evaluate(
    {
      subject: "release",
      manifest: config.manifest,
      policy: config.policy,
      facts: { release: known(current), releases, releasePullRequests: pulls },
      now: deps.now?.() ?? new Date(),
    },
    RULES,
  );
  return { kind: "evaluated", evaluation, releases };
}

/** Evaluates the repository rules: ownership, cadence, unreleased work, declared outcomes. */
export async function evaluateRepository(
  deps: PipelineDeps,
  repo: RepoRef,
  /** Releases this event has already read (see evaluateRelease). */
  releases?: Fact<ReleaseInfo[]>,
): Promise<Outcome<{ trusted?: TrustedConfig; facts?: Facts }>> {
  const config = await governed(deps, repo);
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config);
  const facts = config.manifest?.ok
    ? await gatherRepoFacts(deps.client, deps.cache, repo, effectiveConfig(config), releases)
    : {};
  return { kind: "evaluated", evaluation: judgeRepository(deps, config, facts), trusted: config, facts };
}

/** The repository rules on facts already gathered (by REST per repository, or by a sweep batch). */
export function judgeRepository(deps: PipelineDeps, config: TrustedConfig, facts: Facts): Evaluation {
  return evaluate(
    {
      subject: "repo",
      manifest: config.manifest,
      policy: config.policy,
      facts,
      now: deps.now?.() ?? new Date(),
    },
    RULES,
  );
}
