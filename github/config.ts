/**
 * The trusted configuration of a repository: its manifest and its org's policy, always read from
 * the default branch, so that no pull request can loosen its own gate.
 */
import {
  type Loaded,
  loadManifest,
  loadPolicy,
  MANIFEST_PATHS,
  type Manifest,
  type OrgPolicy,
  POLICY_PATH,
} from "../core/manifest.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { FileCache } from "./file-cache.js";

export interface TrustedConfig {
  manifest: Loaded<Manifest> | null;
  policy: Loaded<OrgPolicy> | null;
  /** Where the manifest was found, when it was. */
  manifestPath?: string;
}

/** The repository that holds an owner's org policy. */
export const POLICY_REPO = ".github";

/**
 * Reads the manifest (`.github/pom.yml`, else `pom.yml`) and the org policy from the default
 * branches. Read failures are thrown: without its configuration a subject cannot be judged.
 */
export async function loadTrustedConfig(
  client: GitHubClient,
  cache: FileCache,
  repo: RepoRef,
  manifestPaths: readonly string[] = MANIFEST_PATHS,
): Promise<TrustedConfig> {
  const [manifestFile, policyFile] = await Promise.all([
    readFirst(client, cache, repo, manifestPaths),
    cache.read(client, { owner: repo.owner, repo: POLICY_REPO }, POLICY_PATH),
  ]);
  return {
    manifest: manifestFile ? loadManifest(manifestFile.text, manifestFile.path) : null,
    policy: policyFile ? loadPolicy(policyFile.text, `${repo.owner}/${POLICY_REPO}/${POLICY_PATH}`) : null,
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
