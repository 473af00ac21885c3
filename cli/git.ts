/** Running git on a local checkout for `pom check`: the one way the CLI asks git anything. */
import { execFileSync } from "node:child_process";
import { basename } from "node:path";
import { UsageError } from "./io.js";

/** Runs git in `dir` and returns its stdout; a failure throws, with git's stderr on the error. */
export function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
  });
}

/** The first line git wrote to stderr for a failed command, or the error's message. */
export function gitError(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
  return stderr.split("\n")[0] || (error as Error).message;
}

/** Whether git failed because the repository has no commit yet (HEAD names nothing). */
export function isWithoutCommits(error: unknown): boolean {
  return /does not have any commits|unknown revision|bad revision|malformed object name/.test(
    gitError(error),
  );
}

/** The top of the git work tree that `dir` is in, or undefined outside any. */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return git(dir, ["rev-parse", "--show-toplevel"]).trim() || undefined;
  } catch {
    return undefined;
  }
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
