/**
 * A local checkout's facts for a manifest with products: its files, and a product's unreleased
 * work, the commits after its newest release that touch its paths (commits touching only other
 * products' paths are not unreleased for it).
 */
import { matchesAnyPath } from "../core/domain/path-patterns.js";
import type { ChangeInfo } from "../core/engine/facts.js";
import { git, isWithoutCommits } from "./git.js";
import { OLDEST_READ } from "./git-history.js";

/** The files of the work tree's index, as paths from the top of the repository. */
export function listFiles(root: string): string[] {
  try {
    return git(root, ["ls-files", "-z", "--full-name"]).split("\0").filter(Boolean);
  } catch (error) {
    if (isWithoutCommits(error)) return [];
    throw error;
  }
}

/**
 * The first-parent changes after `since` (a tag) up to `now` that touch `paths`: how many, and
 * the oldest {@link OLDEST_READ}. A merge counts by what it brought to the first parent.
 */
export function readUnreleasedTouching(
  dir: string,
  since: string | undefined,
  now: Date,
  paths: readonly string[],
): { total: number; oldest: ChangeInfo[] } {
  const walk = [
    "--first-parent",
    "--diff-merges=first-parent",
    `--until=@${Math.floor(now.getTime() / 1000)}`,
    since ? `${since}..HEAD` : "HEAD",
  ];
  let out: string;
  try {
    out = git(dir, ["log", "--name-only", "-z", "--format=%x01%H%x09%cI%x09%s", ...walk, "--"]);
  } catch (error) {
    if (isWithoutCommits(error)) return { total: 0, oldest: [] };
    throw error;
  }
  const touching: ChangeInfo[] = [];
  for (const record of out.split("\x01").filter(Boolean)) {
    // "header\0\nfile\0file\0": the header, then the files the commit changed.
    const end = record.indexOf("\0");
    const header = end < 0 ? record : record.slice(0, end);
    const files =
      end < 0
        ? []
        : record
            .slice(end + 1)
            .replace(/^\n/, "")
            .split("\0")
            .filter(Boolean);
    if (!files.some((f) => matchesAnyPath(paths, f))) continue;
    const [sha = "", date = "", ...subject] = header.split("\t");
    touching.push({ sha, mergedAt: new Date(date).toISOString(), title: subject.join("\t") });
  }
  // Newest first: the last OLDEST_READ are the oldest.
  return { total: touching.length, oldest: touching.slice(-OLDEST_READ) };
}
