/**
 * Facts from a local checkout, for `pom check` offline: releases from the git tags reachable from
 * HEAD, unreleased changes from the commits after the newest qualifying one, CODEOWNERS from the
 * tree, recent work (commit and tag messages) for outcome staleness, all as of `now`. Team facts
 * need GitHub and are reported unavailable.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  codeownersFile,
  MAX_CODEOWNERS_BYTES,
  tooLargeCodeowners,
} from "../core/domain/codeowners.js";
import { qualifyingReleases } from "../core/domain/releases.js";
import type { FactReaders } from "../core/engine/fact-source.js";
import { type Facts, known, type ReleaseInfo, unavailable } from "../core/engine/facts.js";
import type { EffectiveConfig } from "../core/manifest/config.js";
import { displayPath } from "./files.js";
import { gitError } from "./git.js";
import { readActivity } from "./git-activity.js";
import { readTags, readUnreleased } from "./git-history.js";
import { listFiles, readUnreleasedTouching } from "./product-history.js";
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
 * The readers of a local checkout's repository facts (a git work tree: see requireGitCheckout) as
 * of `now`, for the engine's fact source; `cwd` is where paths in messages are relative to, `root`
 * what links may not leave. Team facts need GitHub: offline, they are unavailable for good.
 *
 * @example await factSource(localReaders("/src/checkout", config, { now })).read(["releases"])
 */
export function localReaders(
  dir: string,
  config: Pick<EffectiveConfig, "tagPattern" | "staleDays" | "product" | "products">,
  options: { now: Date; cwd?: string; root?: string },
): FactReaders {
  const offline = () => unavailable<never>(OFFLINE, undefined, OFFLINE_FIX, true);
  // Tags and the unreleased commits after the newest qualifying one, read together when asked.
  let history: ReturnType<typeof readHistory> | undefined;
  const read = () => {
    history ??= readHistory(dir, config, options.now);
    return history;
  };
  return {
    team: offline,
    teamMembers: offline,
    teamProperty: offline,
    // A CODEOWNERS that is no file, or links out of the checkout, stops the check (exit 2), as
    // such a pom.yml does: a checkout built to mislead is not judged.
    codeowners: () => {
      const file = readCodeowners(dir, options.cwd ?? dir, options.root ?? dir);
      // Named in findings as the user would name it: relative to where the command runs.
      const shown = file && options.cwd ? relative(options.cwd, join(dir, file.path)) : undefined;
      return known(file && shown ? { ...file, path: shown } : file);
    },
    releases: () => read().releases ?? unavailable("not read"),
    releasesReadFrom: () => known("tags"),
    unreleased: () => read().unreleased ?? unavailable("not read"),
    unreleasedCount: () => read().unreleasedCount ?? unavailable("not read"),
    outcomeActivity: () => {
      try {
        return known(readActivity(dir, config.staleDays.value, options.now));
      } catch (error) {
        return unavailable(`git failed: ${gitError(error)}`);
      }
    },
    // Only a manifest with products reads the files (a single-form check reads what it always did).
    ...(config.product || config.products ? { files: () => readFiles(options.root ?? dir) } : {}),
  };
}

function readFiles(root: string): Facts["files"] & object {
  try {
    return known(listFiles(root));
  } catch (error) {
    return unavailable(`git failed: ${gitError(error)}`);
  }
}

function readHistory(dir: string, config: Pick<EffectiveConfig, "tagPattern" | "product">, now: Date): Facts {
  const failed = (error: unknown) => unavailable<never>(`git failed: ${gitError(error)}`);
  let tags: ReleaseInfo[];
  try {
    tags = readTags(dir, now);
  } catch (error) {
    return { releases: failed(error), unreleased: failed(error), unreleasedCount: failed(error) };
  }
  try {
    const newest = qualifyingReleases(config, tags)[0];
    const since = newest ? `refs/tags/${newest.tag}` : undefined;
    // A product's unreleased work is what touches its paths.
    const unreleased = config.product
      ? readUnreleasedTouching(dir, since, now, config.product.paths)
      : readUnreleased(dir, since, now);
    return {
      releases: known(tags),
      unreleased: known(unreleased.oldest),
      unreleasedCount: known(unreleased.total),
    };
  } catch (error) {
    return { releases: known(tags), unreleased: failed(error), unreleasedCount: failed(error) };
  }
}
