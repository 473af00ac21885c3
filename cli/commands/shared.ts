/** Options and loading shared by the commands that evaluate a checkout. */
import { type Stats, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Loaded, Manifest, OrgPolicy } from "../../core/manifest/manifest.js";
import { confinement, displayPath, findManifest, readManifestFile, readPolicyFile } from "../files.js";
import { gitTopLevel, requireGitCheckout } from "../git.js";
import { UsageError } from "../io.js";
import { listFiles } from "../product-history.js";

export const REPO_OPTIONS = {
  repo: { type: "string" },
  policy: { type: "string" },
} as const;

export interface Checkout {
  dir: string;
  /** What its files' links may not leave: the git work tree's top, or `dir` outside git. */
  root: string;
  manifest: Loaded<Manifest> | null;
  /** The manifest's path relative to `dir`, when there is one. */
  manifestFile?: string;
  policy: Loaded<OrgPolicy> | null;
}

/**
 * Loads the manifest of `--repo` (default: the working directory) and the `--policy` file. With
 * `git`, the directory must be in a git work tree.
 */
export function loadCheckout(
  values: Record<string, unknown>,
  cwd: string,
  options: { git?: boolean } = {},
): Checkout {
  const repo = values.repo as string | undefined;
  // Without --repo, a subdirectory of a checkout means the checkout it belongs to.
  const dir = repo !== undefined ? resolve(cwd, repo) : findManifest(cwd) ? cwd : (gitTopLevel(cwd) ?? cwd);
  requireDirectory(dir, displayPath(dir, cwd));
  if (options.git) requireGitCheckout(dir, displayPath(dir, cwd));
  const policyPath = values.policy as string | undefined;
  const policy = policyPath ? readPolicyFile(policyPath, cwd, confinement(policyPath, cwd)) : null;
  const found = findManifest(dir);
  if (!found && !policy) {
    throw new UsageError(`no .github/pom.yml or pom.yml in ${dir}; run \`pom init\` to write one`);
  }
  // The checkout's own manifest must not lead out of its repository, wherever the command runs.
  const top = gitTopLevel(dir);
  const root = top ?? dir;
  // In a git work tree, its files decide whether products' paths overlap.
  const files = top ? () => listFiles(top) : undefined;
  const manifest = found ? readManifestFile(resolve(dir, found), cwd, root, files) : null;
  return { dir, root, manifest, ...(found ? { manifestFile: found } : {}), policy };
}

export function requireDirectory(dir: string, shown: string): void {
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch {
    throw new UsageError(`${shown}: the directory does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${shown}: not a directory`);
}

/** `--now` as a Date (default: the real clock, read once). A time without a zone is UTC. */
export function parseNow(value: unknown): Date {
  if (value === undefined) return new Date();
  const text = String(value);
  const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(`--now must be an ISO 8601 time such as 2026-11-22T09:00:00Z; got "${text}"`);
  return new Date(ms);
}
