/**
 * `pom policy preview --repos DIR...`: the policy preview over local checkouts, offline. Each
 * checkout is judged as `pom check` judges it (tags, CODEOWNERS from the tree, team rules
 * "unknown (offline)"), under the current and the proposed org policy, each fact read once.
 */
import { resolve } from "node:path";
import { factSource } from "../core/engine/fact-source.js";
import { judge } from "../core/engine/judge.js";
import { readScope, type SharedReads, shareReads } from "../core/engine/shared-reads.js";
import { type JudgedTwice, type PolicyPreview, previewOf, stateOf } from "../core/insights/preview.js";
import type { Loaded, OrgPolicy } from "../core/manifest/manifest.js";
import { effectiveConfig, RULES } from "../policies/registry.js";
import { requireDirectory } from "./commands/shared.js";
import { displayPath, findManifest, readManifestFile } from "./files.js";
import { gitTopLevel, repositoryName, requireGitCheckout } from "./git.js";
import { localReaders } from "./local-facts.js";

export interface OfflinePreviewInput {
  dirs: readonly string[];
  current: Loaded<OrgPolicy> | null;
  /** The proposed policy, valid (or null: none). */
  proposed: Loaded<OrgPolicy> | null;
  proposedFile: string;
  org: string;
  now: Date;
  cwd: string;
}

/** The preview of `input.proposed` over the checkouts `input.dirs` (a bad directory is a UsageError). */
export async function previewCheckouts(input: OfflinePreviewInput): Promise<PolicyPreview> {
  const { now, cwd } = input;
  const judged: JudgedTwice[] = [];
  for (const given of input.dirs) {
    const dir = resolve(cwd, given);
    const shown = displayPath(dir, cwd);
    requireDirectory(dir, shown);
    requireGitCheckout(dir, shown);
    const root = gitTopLevel(dir) ?? dir;
    const found = findManifest(dir);
    const manifest = found ? readManifestFile(resolve(dir, found), cwd, root) : null;
    const reads: SharedReads = new Map();
    const under = async (policy: Loaded<OrgPolicy> | null) => {
      // Not governed: no manifest and no org policy.
      if (!manifest && !policy) return undefined;
      const config = effectiveConfig(manifest, policy, now);
      const readers = localReaders(dir, config, { now, cwd, root });
      const source = factSource(shareReads(reads, readScope(config), readers));
      return judge({ subject: "repo", manifest, policy, config, now }, RULES, source, { eager: true });
    };
    judged.push({
      repo: repositoryName(dir),
      // Offline nothing says who may see it; the command's output stays with its user.
      private: false,
      current: stateOf(await under(input.current)),
      proposed: stateOf(await under(input.proposed)),
    });
  }
  return previewOf({ org: input.org, now, proposed: { file: input.proposedFile }, judged });
}
