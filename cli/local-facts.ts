/**
 * Facts from a local checkout, for `pom check` offline: releases from git tags, unreleased
 * changes from commits after the newest qualifying tag, CODEOWNERS from the tree. Team facts
 * need GitHub and are reported unavailable.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  codeownersFile,
  MAX_CODEOWNERS_BYTES,
  tooLargeCodeowners,
} from "../core/codeowners.js";
import type { EffectiveConfig } from "../core/config.js";
import { type ChangeInfo, type Facts, known, type ReleaseInfo, unavailable } from "../core/facts.js";
import { mergedPullNumber } from "../core/merge-commits.js";
import { DAY_MS } from "../core/metrics/time.js";
import { qualifyingReleases } from "../core/releases.js";
import { displayPath } from "./files.js";
import { UsageError } from "./io.js";
import { readBounded } from "./safe-read.js";

/** The most commits read for release.unreleased; the oldest of them decides the rule. */
const MAX_COMMITS = 1000;
const OFFLINE = "offline (only GitHub knows teams and their members)";
const OFFLINE_FIX = "run the GitHub App or Action to evaluate this rule against GitHub";

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
  });
}

function gitError(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
  return stderr.split("\n")[0] || (error as Error).message;
}

/**
 * Whether a tag names a semantic-versioning pre-release (`v2.0.0-rc.1`), which, like a GitHub
 * pre-release, does not count for the cadence.
 */
export function isPrereleaseTag(tag: string): boolean {
  return /\d+\.\d+\.\d+-[0-9A-Za-z][0-9A-Za-z.-]*$/.test(tag);
}

/** Tags with the date they were made (tagger date, or commit date for lightweight tags). */
export function readTags(dir: string): ReleaseInfo[] {
  // refname:lstrip=2, not refname:short, which says "tags/v1.0.0" when a branch is named v1.0.0 too.
  const format =
    "%(refname:lstrip=2)%09%(creatordate:iso-strict)%09%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)";
  return git(dir, ["for-each-ref", `--format=${format}`, "refs/tags"])
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [tag = "", date = "", sha = ""] = line.split("\t");
      // A tag on a tree or blob has no date; it is no release, and must not hide the others.
      const ms = Date.parse(date);
      if (Number.isNaN(ms)) return [];
      return [{ tag, publishedAt: new Date(ms).toISOString(), sha, prerelease: isPrereleaseTag(tag) }];
    });
}

function readCommits(dir: string, since: string | undefined): ChangeInfo[] {
  const range = since ? `${since}..HEAD` : "HEAD";
  let out: string;
  try {
    // --first-parent: a merged branch counts once, from its merge commit, dated when it was merged
    // (its own commits can be weeks older); squashed and rebased changes are dated when they landed.
    out = git(dir, [
      "log",
      "--first-parent",
      `--max-count=${MAX_COMMITS}`,
      "--format=%H%x09%cI%x09%s",
      range,
      "--",
    ]);
  } catch (error) {
    // A repository without any commit has nothing unreleased.
    if (/does not have any commits|unknown revision|bad revision/.test(gitError(error))) return [];
    throw error;
  }
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [sha = "", date = "", ...subject] = line.split("\t");
      return { sha, mergedAt: new Date(date).toISOString(), title: subject.join("\t") };
    });
}

/** How far back `pom check` reads merged pull requests for the insights report. */
export const HISTORY_DAYS = 400;

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
      "--max-count=20000",
      "--format=%cI%x09%s",
      "HEAD",
      "--",
    ]);
  } catch (error) {
    if (/does not have any commits|unknown revision|bad revision/.test(gitError(error))) return [];
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

/**
 * The repository's name for reports: "owner/name" from the `origin` remote's URL when it has
 * one (https or ssh), else the checkout directory's name.
 */
export function repositoryName(dir: string): string {
  try {
    const url = git(dir, ["config", "--get", "remote.origin.url"]).trim();
    const match = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
    if (match) return `${match[1]}/${match[2]}`;
  } catch {
    // No origin: the directory's name.
  }
  return basename(dir);
}

/**
 * The CODEOWNERS file GitHub would use, read from the working tree: not past the size GitHub
 * reads, and never through a link out of the checkout (a {@link UsageError}, as a FIFO is).
 */
export function readCodeowners(dir: string, cwd = dir): CodeownersFile | null {
  const path = CODEOWNERS_PATHS.find((p) => existsSync(join(dir, p)));
  if (!path) return null;
  const shown = displayPath(join(dir, path), cwd);
  const read = readBounded(join(dir, path), { shown, limit: MAX_CODEOWNERS_BYTES, root: dir });
  return read.tooLarge
    ? tooLargeCodeowners(path, read.size)
    : codeownersFile(path, new TextDecoder().decode(read.bytes));
}

/**
 * Refuses a directory that is not in a git work tree: offline its releases are its tags, and a
 * check that cannot read any must not pass as "neutral" (a CI gate pointed at the wrong place).
 */
export function requireGitCheckout(dir: string, shown: string): void {
  let inside: string;
  try {
    inside = git(dir, ["rev-parse", "--is-inside-work-tree"]).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError("git is not installed (or not on PATH); pom check reads the checkout with it");
    throw new UsageError(`${shown} is not a git repository (${gitError(error)})`);
  }
  // "false" inside a .git directory or a bare repository: there is no work tree to judge.
  if (inside !== "true") throw new UsageError(`${shown} is not a git repository's work tree`);
}

/**
 * Gathers the repository facts of a local checkout (see {@link requireGitCheckout}).
 *
 * @example const facts = gatherLocalFacts("/src/checkout", config); facts.releases?.ok
 */
export function gatherLocalFacts(dir: string, config: Pick<EffectiveConfig, "tagPattern">, cwd = dir): Facts {
  const facts: Facts = {
    team: unavailable(OFFLINE, undefined, OFFLINE_FIX, true),
    teamMembers: unavailable(OFFLINE, undefined, OFFLINE_FIX, true),
  };
  // A CODEOWNERS that is no file, or links out of the checkout, stops the check (exit 2), as
  // such a pom.yml does: a checkout built to mislead is not judged.
  facts.codeowners = known(readCodeowners(dir, cwd));
  try {
    const tags = readTags(dir);
    facts.releases = known(tags);
    const newest = qualifyingReleases(config, tags)[0];
    facts.unreleased = known(readCommits(dir, newest ? `refs/tags/${newest.tag}` : undefined));
  } catch (error) {
    const reason = `git failed: ${gitError(error)}`;
    facts.releases ??= unavailable(reason);
    facts.unreleased = unavailable(reason);
  }
  return facts;
}
