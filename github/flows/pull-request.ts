/**
 * Judging a pull request: by the default branch's manifest and policy, with the facts the
 * `pullRequest` and `closingIssues` readers give (the payload first; one GraphQL query only when
 * the pull request names no outcome itself). A pull request that changes the manifest has its
 * proposal validated as a finding of its own; it never judges anything.
 */
import { type FactReaders, factSource } from "../../core/engine/fact-source.js";
import type { WorkItem } from "../../core/engine/facts.js";
import { nextChange } from "../../core/engine/next-change.js";
import { judgeProducts } from "../../core/engine/products.js";
import { type Loaded, loadManifest, MANIFEST_PATHS, type Manifest } from "../../core/manifest/manifest.js";
import { RULES } from "../../policies/registry.js";
import { loadFile, type TrustedConfig } from "../read/config.js";
import { changedGovernancePaths, type PullRequestRefs } from "../read/governance-changes.js";
import {
  closingReferences,
  type PullRequestPayload,
  pullRequestFromPayload,
} from "../read/pull-request-facts.js";
import { pullRequestReaders } from "../read/pull-request-source.js";
import { describeError, type RepoRef, readFact } from "../transport/client.js";
import type { FileAtCommit, RepoFile } from "../transport/file-cache.js";
import { type PipelineDeps, remember } from "./deps.js";
import { changedGovernanceFiles, governanceReaders } from "./governance-facts.js";
import {
  ConfigUnreadable,
  type Judged,
  judgementOf,
  NOT_GOVERNED,
  trustedConfig,
  unreadable,
} from "./trusted.js";
import { inputsHash } from "./verdict-inputs.js";

/**
 * Judges a pull request. The result carries the hash of the verdict's inputs (see
 * verdict-inputs.ts) and the path of a proposed manifest, when the pull request changes one.
 */
export async function evaluatePullRequest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  /** Facts a query that found the pull request already brought (re-judging many at once). */
  known: KnownPullFacts = {},
): Promise<Judged<{ proposedPath?: string; inputs?: string }>> {
  // The head's copy of the manifest is asked for as soon as the default branch's copy is in: with
  // that copy's ETag the answer is a free 304, and the request overlaps the org policy's and the
  // parsing instead of following them.
  let early: Promise<Settled<FileAtCommit>> | undefined;
  const config = await trustedConfig(deps, repo, {
    onManifest: (file) => {
      // Not when a complete list of the changed files decides it without reading the head.
      if (!known.files?.complete)
        early = settle(deps.cache.readAtCommit(deps.client, repo, file.path, pr.head.sha));
    },
  });
  if (!config) return { kind: "skipped", reason: NOT_GOVERNED };
  if (config instanceof ConfigUnreadable) return unreadable(config, deps.now);
  const change = await proposedManifest(deps, repo, pr, config, { files: known.files, early });
  const input = judgementOf("pull_request", config, deps.now, change?.proposed);
  const source = factSource(
    knownClosing(pr, known),
    knownFiles(known),
    pullRequestReaders(deps.client, repo, pr, deps.details),
    governanceReaders(deps, repo, pr, {
      manifest: config.manifest,
      config: input.config,
      proposed: change?.proposed,
      files: known.files,
    }),
  );
  // A pull request's facts are the same for every product it touches: one source for all.
  const evaluation = await judgeProducts(input, RULES, () => source);
  // The linked issues count for the hash only when the verdict read them (asked once: remembered).
  const closingIssues = source.asked.has("closingIssues")
    ? (await source.read(["closingIssues"])).closingIssues
    : undefined;
  // So do the approvals (a review changes no other input): those that stand, by login and commit.
  const reviews = source.asked.has("reviews") ? (await source.read(["reviews"])).reviews : undefined;
  const next = nextChange(input.config, deps.now);
  const inputs = inputsHash({
    headSha: pr.head.sha,
    pullRequest: pullRequestFromPayload(pr),
    manifest: config.manifest,
    policy: config.policy ?? null,
    ...(closingIssues ? { closingIssues } : {}),
    ...(reviews ? { reviews } : {}),
    ...(change ? { proposed: { path: change.path, manifest: change.proposed } } : {}),
    ...(next ? { nextChange: next } : {}),
  });
  return { kind: "evaluated", evaluation, inputs, ...(change ? { proposedPath: change.path } : {}) };
}

/** Facts about a pull request read together with it. */
export interface KnownPullFacts {
  /** The issues GitHub links as closing it. */
  closingIssues?: WorkItem[];
  /** The files it changes; `complete` when the list has them all. */
  files?: { paths: string[]; complete: boolean };
}

/** The changed files as a reader, when a query that found the pull request read them all. */
function knownFiles(known: KnownPullFacts): FactReaders {
  const files = known.files;
  return files?.complete ? { changedFiles: () => ({ ok: true, value: files.paths }) } : {};
}

/**
 * The linked issues as a reader, when they are all the rules would read: every `Fixes #N` of the
 * body is among them (else the live reader asks for the rest too).
 */
function knownClosing(pr: PullRequestPayload, known: KnownPullFacts): FactReaders {
  const issues = known.closingIssues;
  if (!issues) return {};
  const numbers = new Set(issues.map((i) => i.number));
  if (!closingReferences(pr.body).every((n) => numbers.has(n))) return {};
  return { closingIssues: () => ({ ok: true, value: issues }) };
}

/**
 * The manifest as the pull request proposes it, when the pull request changes it. A file that
 * cannot be read fails `manifest.valid` with the reason: a gate must not pass on what it did not
 * see. A complete list of the files it changes (`files`) decides it without reading the head.
 */
async function proposedManifest(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  config: TrustedConfig,
  given: {
    /** The files it changes, when a query read them. */
    files?: { paths: string[]; complete: boolean } | undefined;
    /** The head's copy of the live manifest, asked for early. */
    early?: Promise<Settled<FileAtCommit>> | undefined;
  } = {},
): Promise<Proposal | undefined> {
  const { files, early } = given;
  const problem = (path: string, message: string, hint?: string) => ({
    path,
    proposed: {
      ok: false as const,
      problems: [{ file: path, line: 1, column: 1, message, ...(hint ? { hint } : {}) }],
    },
  });
  const unreadableAt = (path: string, error: unknown) =>
    problem(path, `the proposed manifest could not be read: ${describeError(error)}`, "re-run the check");
  // The head commit of any pull request, a fork's included, is readable from the base
  // repository; a private fork is not readable by the base repository's token at all.
  const path = config.manifestPath;
  const all = deps.manifestPaths ?? MANIFEST_PATHS;
  // Paths that would take over from the live manifest if the pull request added one there.
  const above = path ? all.slice(0, Math.max(0, all.indexOf(path))) : [];
  const candidates = path ? [...above, path] : [...all];
  if (files?.complete) {
    const touched = candidates.find((p) => files.paths.includes(p));
    return touched ? proposedAt(deps, repo, pr, touched, problem, unreadableAt) : undefined;
  }
  let head: FileAtCommit | undefined;
  if (path) {
    const read = early
      ? await early
      : await settle(deps.cache.readAtCommit(deps.client, repo, path, pr.head.sha));
    if (!read.ok) return unreadableAt(path, read.error);
    head = read.value;
    // The head has the live manifest byte for byte, and no path could take over from it.
    if (head.sameAsDefault && above.length === 0) return undefined;
  }
  // The head's copy differs, or another path could take over: did this pull request change a
  // manifest path, or did the default branch move on since the branch was cut?
  const changed = await readFact(
    "which governance files the pull request changes",
    () => changedGovernanceFiles(deps, repo, pr, path && !head?.sameAsDefault ? [path] : []),
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
  if (touched === path && head) return proposalOf(touched, head.file, problem);
  return proposedAt(deps, repo, pr, touched, problem, unreadableAt);
}

type Proposal = { path: string; proposed: Loaded<Manifest> };

/** The proposal of the file at `path` as the head has it (null: deleted). */
function proposalOf(
  path: string,
  file: RepoFile | null,
  problem: (path: string, message: string) => Proposal,
): Proposal {
  return file
    ? { path, proposed: loadFile("manifest", loadManifest, file, path) }
    : problem(path, "the pull request deletes the manifest");
}

/** Reads `path` at the pull request's head and makes it the proposal. */
async function proposedAt(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  path: string,
  problem: (path: string, message: string) => Proposal,
  unreadableAt: (path: string, error: unknown) => Proposal,
): Promise<Proposal> {
  try {
    return proposalOf(
      path,
      (await deps.cache.readAtCommit(deps.client, repo, path, pr.head.sha)).file,
      problem,
    );
  } catch (error) {
    return unreadableAt(path, error);
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that does not reject: its value or its error (so that one started early is never unhandled). */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * {@link changedGovernancePaths}, remembered per head commit and base branch: a head's merge base
 * with its branch stays put while that branch moves forward.
 */
export async function governanceChanges(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestRefs,
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
