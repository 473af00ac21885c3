/**
 * Facts from a local checkout, for `pom check` offline: releases from the git tags reachable from
 * HEAD, unreleased changes from the commits after the newest qualifying one, CODEOWNERS from the
 * tree, all as of `now`. Team facts need GitHub and are reported unavailable.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  codeownersFile,
  MAX_CODEOWNERS_BYTES,
  tooLargeCodeowners,
} from "../core/domain/codeowners.js";
import { qualifyingReleases } from "../core/domain/releases.js";
import { type Facts, known, unavailable } from "../core/engine/facts.js";
import type { EffectiveConfig } from "../core/manifest/config.js";
import { displayPath } from "./files.js";
import { gitError } from "./git.js";
import { readTags, readUnreleased } from "./git-history.js";
import { readBounded } from "./safe-read.js";

const OFFLINE = "offline (only GitHub knows teams and their members)";
const OFFLINE_FIX = "run the GitHub App or Action to evaluate this rule against GitHub";

/**
 * The CODEOWNERS file GitHub would use, read from the working tree: not past the size GitHub
 * reads, and never through a link out of `root` (a UsageError, as a FIFO is).
 */
export function readCodeowners(dir: string, cwd = dir, root = dir): CodeownersFile | null {
  const path = CODEOWNERS_PATHS.find((p) => existsSync(join(dir, p)));
  if (!path) return null;
  const shown = displayPath(join(dir, path), cwd);
  const read = readBounded(join(dir, path), { shown, limit: MAX_CODEOWNERS_BYTES, root });
  return read.tooLarge
    ? tooLargeCodeowners(path, read.size)
    : codeownersFile(path, new TextDecoder().decode(read.bytes));
}

/**
 * Gathers the repository facts of a local checkout (a git work tree: see requireGitCheckout) as
 * of `now`; `cwd` is where paths in messages are relative to, `root` what links may not leave.
 *
 * @example const facts = gatherLocalFacts("/src/checkout", config, { now }); facts.releases?.ok
 */
export function gatherLocalFacts(
  dir: string,
  config: Pick<EffectiveConfig, "tagPattern">,
  options: { now: Date; cwd?: string; root?: string },
): Facts {
  const facts: Facts = {
    team: unavailable(OFFLINE, undefined, OFFLINE_FIX, true),
    teamMembers: unavailable(OFFLINE, undefined, OFFLINE_FIX, true),
  };
  // A CODEOWNERS that is no file, or links out of the checkout, stops the check (exit 2), as
  // such a pom.yml does: a checkout built to mislead is not judged.
  facts.codeowners = known(readCodeowners(dir, options.cwd ?? dir, options.root ?? dir));
  try {
    const tags = readTags(dir, options.now);
    facts.releases = known(tags);
    facts.releasesReadFrom = known("tags");
    const newest = qualifyingReleases(config, tags)[0];
    const unreleased = readUnreleased(dir, newest ? `refs/tags/${newest.tag}` : undefined, options.now);
    facts.unreleased = known(unreleased.oldest);
    facts.unreleasedCount = known(unreleased.total);
  } catch (error) {
    const reason = `git failed: ${gitError(error)}`;
    facts.releases ??= unavailable(reason);
    facts.unreleased = unavailable(reason);
  }
  return facts;
}
