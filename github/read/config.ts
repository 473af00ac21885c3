/**
 * The trusted configuration of a repository: its manifest and its org's policy, always read from
 * the default branch, so that no pull request can loosen its own gate.
 */
import { createHash } from "node:crypto";
import {
  type Loaded,
  loadManifest,
  loadPolicy,
  MANIFEST_PATHS,
  type Manifest,
  type OrgPolicy,
  POLICY_PATH,
} from "../../core/manifest/manifest.js";
import type { SourceProblem } from "../../core/manifest/problem.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import type { FileCache } from "../transport/file-cache.js";

export interface TrustedConfig {
  manifest: Loaded<Manifest> | null;
  policy: Loaded<OrgPolicy> | null;
  /** Where the manifest was found, when it was. */
  manifestPath?: string;
}

/**
 * Parsed documents by file and content. An unchanged file (a 304) is not parsed and validated
 * again on every event; loaded documents are immutable values, so sharing them is safe.
 */
const PARSED_KEPT = 2_000;
const parsedCache = new Map<string, unknown>();

function parsed<T>(kind: string, load: (text: string, file: string) => T, text: string, file: string): T {
  const key = `${kind}\u0000${file}\u0000${createHash("sha256").update(text).digest("base64")}`;
  const hit = parsedCache.get(key);
  if (hit !== undefined) return hit as T;
  const value = load(text, file);
  parsedCache.set(key, value);
  if (parsedCache.size > PARSED_KEPT) parsedCache.delete(parsedCache.keys().next().value as string);
  return value;
}

/** A document from a file as read: bytes that are not UTF-8 are refused where they stop being so. */
export function loadFile<T>(
  kind: string,
  load: (text: string, file: string) => Loaded<T>,
  file: { text: string; invalid?: SourceProblem[] },
  shown: string,
): Loaded<T> {
  if (file.invalid) return { ok: false, problems: file.invalid.map((p) => ({ ...p, file: shown })) };
  return parsed(kind, load, file.text, shown);
}

/** The repository that holds an owner's org policy. */
export const POLICY_REPO = ".github";

/**
 * Reads the manifest (`.github/pom.yml`, else `pom.yml`) and the org policy from the default
 * branches. Read failures are thrown: without its configuration a subject cannot be judged.
 * `onManifest` hears of the manifest as soon as it is read, before the policy's answer: a flow
 * can then start what depends on it alone (the pull request's copy of it).
 */
export async function loadTrustedConfig(
  client: GitHubClient,
  cache: FileCache,
  repo: RepoRef,
  manifestPaths: readonly string[] = MANIFEST_PATHS,
  options: { onManifest?: (file: { path: string }) => void } = {},
): Promise<TrustedConfig> {
  const [manifestFile, policyFile] = await Promise.all([
    readFirst(client, cache, repo, manifestPaths).then(async (file) => {
      if (file) {
        options.onManifest?.(file);
        // Parsed while the policy (and what onManifest started) is on its way, once those requests
        // are out (a turn of the event loop later); configFromFiles finds it parsed (by its hash).
        await new Promise((resolve) => setImmediate(resolve));
        loadFile("manifest", loadManifest, file, file.path);
      }
      return file;
    }),
    cache.read(client, { owner: repo.owner, repo: POLICY_REPO }, POLICY_PATH),
  ]);
  return configFromFiles(repo, manifestFile, policyFile);
}

/** The org policy of `owner` from its `.github` repository's default branch, or null without one. */
export async function loadOrgPolicy(
  client: GitHubClient,
  cache: FileCache,
  owner: string,
): Promise<Loaded<OrgPolicy> | null> {
  const file = await cache.read(client, { owner, repo: POLICY_REPO }, POLICY_PATH);
  return configFromFiles({ owner, repo: POLICY_REPO }, null, file).policy;
}

/** The trusted configuration from the default branch's manifest and the org policy, as read. */
export function configFromFiles(
  repo: RepoRef,
  manifestFile: { path: string; text: string; invalid?: SourceProblem[] } | null,
  policyFile: { text: string; invalid?: SourceProblem[] } | null,
): TrustedConfig {
  const policyPath = `${repo.owner}/${POLICY_REPO}/${POLICY_PATH}`;
  return {
    manifest: manifestFile ? loadFile("manifest", loadManifest, manifestFile, manifestFile.path) : null,
    policy: policyFile ? loadFile("policy", loadPolicy, policyFile, policyPath) : null,
    ...(manifestFile ? { manifestPath: manifestFile.path } : {}),
  };
}

/** Reads the first of `paths` that exists, in order. */
export async function readFirst(
  client: GitHubClient,
  cache: FileCache,
  repo: RepoRef,
  paths: readonly string[],
  ref?: string,
): Promise<{ path: string; text: string } | null> {
  for (const path of paths) {
    const file = await cache.read(client, repo, path, ref);
    if (file) return file;
  }
  return null;
}

/** Whether a repository is governed at all: it has a manifest, or its org has a policy. */
export function isGoverned(config: TrustedConfig): boolean {
  return config.manifest !== null || config.policy !== null;
}

/**
 * `config` with another org policy in place of its own (a policy preview's proposal; null: none),
 * named as the policy it stands in for.
 */
export function withPolicy(
  config: TrustedConfig,
  repo: RepoRef,
  policyFile: { text: string; invalid?: SourceProblem[] } | null,
): TrustedConfig {
  return { ...config, policy: configFromFiles(repo, null, policyFile).policy };
}
