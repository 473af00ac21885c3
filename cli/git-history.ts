/**
 * The release history of a local checkout, as of `now`: its releases are the tags reachable from
 * HEAD (a backport tagged on a maintenance branch is not a release of this branch), and nothing
 * dated after `now` exists yet, so that `pom check --now` judges the repository as it was then.
 */

import { mergedPullNumber } from "../core/domain/merge-commits.js";
import type { ChangeInfo, ReleaseInfo } from "../core/engine/facts.js";
import { DAY_MS } from "../core/insights/metrics/time.js";
import { git, isWithoutCommits } from "./git.js";

/** Details (date, subject) are read for this many of the oldest unreleased changes; all are counted. */
export const OLDEST_READ = 100;

/** How far back `pom check` reads merged pull requests for the insights report. */
export const HISTORY_DAYS = 400;

/**
 * Whether a tag names a semantic-versioning pre-release (`v2.0.0-rc.1`), which, like a GitHub
 * pre-release, does not count for the cadence.
 */
export function isPrereleaseTag(tag: string): boolean {
  return /\d+\.\d+\.\d+-[0-9A-Za-z][0-9A-Za-z.-]*$/.test(tag);
}

/** git's `--until` for `now`: commits dated after it are left out (dates are whole seconds). */
export function until(now: Date): string {
  return `--until=@${Math.floor(now.getTime() / 1000)}`;
}

/**
 * The tags reachable from HEAD and made by `now`, with the date they were made (tagger date, or
 * commit date for lightweight tags).
 */
export function readTags(dir: string, now: Date): ReleaseInfo[] {
  // refname:lstrip=2, not refname:short, which says "tags/v1.0.0" when a branch is named v1.0.0 too.
  const format =
    "%(refname:lstrip=2)%09%(creatordate:iso-strict)%09%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)";
  let out: string;
  try {
    out = git(dir, ["for-each-ref", "--merged", "HEAD", `--format=${format}`, "refs/tags"]);
  } catch (error) {
    // Without a commit, no tag can be reachable from HEAD.
    if (isWithoutCommits(error)) return [];
    throw error;
  }
  return out
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [tag = "", date = "", sha = ""] = line.split("\t");
      const ms = Date.parse(date);
      if (Number.isNaN(ms) || ms > now.getTime()) return [];
      return [{ tag, publishedAt: new Date(ms).toISOString(), sha, prerelease: isPrereleaseTag(tag) }];
    });
}

/**
 * The changes after `since` (a tag) on HEAD's first-parent history up to `now`: how many there
 * are, and the oldest {@link OLDEST_READ} of them, which decide how long work has waited.
 */
export function readUnreleased(
  dir: string,
  since: string | undefined,
  now: Date,
): { total: number; oldest: ChangeInfo[] } {
  // --first-parent: a merged branch counts once, from its merge commit, dated when it was merged
  // (its own commits can be weeks older); squashed and rebased changes are dated when they landed.
  const walk = ["--first-parent", until(now), since ? `${since}..HEAD` : "HEAD"];
  let total: number;
  try {
    total = Number(git(dir, ["rev-list", "--count", ...walk, "--"]).trim());
  } catch (error) {
    // A repository without any commit has nothing unreleased.
    if (isWithoutCommits(error)) return { total: 0, oldest: [] };
    throw error;
  }
  if (total === 0) return { total, oldest: [] };
  // Newest first: skipping all but the last OLDEST_READ leaves the oldest.
  const skip = `--skip=${Math.max(0, total - OLDEST_READ)}`;
  const out = git(dir, ["log", skip, "--format=%H%x09%cI%x09%s", ...walk, "--"]);
  const oldest = out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [sha = "", date = "", ...subject] = line.split("\t");
      return { sha, mergedAt: new Date(date).toISOString(), title: subject.join("\t") };
    });
  return { total, oldest };
}

/** The first moment of the history `pom check` reads, as of `now`. */
export function historyStart(now: Date): Date {
  return new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
}

/**
 * Pull requests merged to the checked-out branch in the last HISTORY_DAYS days before `now`,
 * from its first-parent history. Offline their text and labels are unknown, so they carry no
 * trace: the report computes lead time from them, not traceability.
 */
export function readMergedPullRequests(dir: string, now: Date): { number: number; mergedAt: string }[] {
  const since = historyStart(now).toISOString();
  let out: string;
  try {
    out = git(dir, [
      "log",
      "--first-parent",
      `--since=${since}`,
      until(now),
      "--max-count=20000",
      "--format=%cI%x09%s",
      "HEAD",
      "--",
    ]);
  } catch (error) {
    if (isWithoutCommits(error)) return [];
    throw error;
  }
  const seen = new Set<number>();
  return out
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [date = "", ...subject] = line.split("\t");
      const number = mergedPullNumber(subject.join("\t"));
      const ms = Date.parse(date);
      if (number === undefined || seen.has(number) || Number.isNaN(ms) || ms > now.getTime()) return [];
      seen.add(number);
      return [{ number, mergedAt: new Date(ms).toISOString() }];
    });
}
