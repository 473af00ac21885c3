/**
 * Temporary git repositories for tests that run git (and the `pom` command) for real: files,
 * commits and tags with chosen dates, isolated from the user's and the system's git configuration.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Environment for git (and for `pom`, which runs git): no global or system config, a fixed identity. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}),
    HOME: tmpdir(),
    LC_ALL: "C",
    TZ: "UTC",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Pom Test",
    GIT_AUTHOR_EMAIL: "pom-test@example.com",
    GIT_COMMITTER_NAME: "Pom Test",
    GIT_COMMITTER_EMAIL: "pom-test@example.com",
    ...extra,
  };
}

/** A directory under the system temp dir holding every repository of one test file. */
export interface TempRoot {
  path: string;
  /** A new empty directory inside the root. */
  dir(prefix?: string): string;
  /** A new git repository inside the root. */
  repo(prefix?: string): GitRepo;
  /** Removes the root and everything in it. */
  cleanup(): void;
}

export function tempRoot(name = "pom-cli-"): TempRoot {
  // realpath: on macOS the temp dir is a symlink, and git and `pom` print resolved paths.
  const path = realpathSync(mkdtempSync(join(tmpdir(), name)));
  let count = 0;
  const dir = (prefix = "d") => {
    const created = join(path, `${prefix}-${++count}`);
    mkdirSync(created);
    return created;
  };
  return {
    path,
    dir,
    repo: (prefix = "repo") => createRepo(dir(prefix)),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

export interface TagOptions {
  /** The tagger date of an annotated tag (a lightweight tag has its commit's date instead). */
  date?: Date | string;
  /** Annotated (with a message and a tagger date) rather than lightweight. */
  annotated?: boolean;
  message?: string;
  /** What to tag (default HEAD). */
  ref?: string;
}

export interface GitRepo {
  dir: string;
  /** Runs git in the repository and returns its trimmed stdout. */
  git(args: string[], dates?: Date | string): string;
  /** Writes a file (creating directories), relative to the repository. */
  write(path: string, content: string): GitRepo;
  /** Stages everything and commits with author and committer date `date`; returns the sha. */
  commit(message: string, date: Date | string): string;
  /** Creates a tag; a lightweight tag carries the date of the commit it points to. */
  tag(name: string, options?: TagOptions): GitRepo;
  /**
   * Adds empty commits on top of the current branch, oldest first, in one `git fast-import`:
   * thousands take a second, where as many `git commit` processes take minutes.
   */
  commits(changes: readonly { message: string; date: Date }[]): GitRepo;
}

/** A `git fast-import` stream of empty commits on `branch`, starting from `parent`. */
function fastImportStream(
  branch: string,
  parent: string,
  changes: readonly { message: string; date: Date }[],
) {
  return changes
    .map(({ message, date }, i) => {
      const data = Buffer.byteLength(message);
      const seconds = Math.floor(date.getTime() / 1000);
      const who = "Pom Test <pom-test@example.com>";
      return [
        `commit ${branch}`,
        `author ${who} ${seconds} +0000`,
        `committer ${who} ${seconds} +0000`,
        `data ${data}`,
        message,
        ...(i === 0 ? [`from ${parent}`] : []),
        "",
      ].join("\n");
    })
    .join("\n");
}

function iso(date: Date | string): string {
  return typeof date === "string" ? date : date.toISOString();
}

/** Initialises an empty repository (branch `main`) in `dir`. */
export function createRepo(dir: string): GitRepo {
  const git = (args: string[], dates?: Date | string): string => {
    const env = dates ? gitEnv({ GIT_AUTHOR_DATE: iso(dates), GIT_COMMITTER_DATE: iso(dates) }) : gitEnv();
    return execFileSync("git", args, {
      cwd: dir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  };
  git(["init", "-q", "-b", "main"]);
  const repo: GitRepo = {
    dir,
    git,
    write(path, content) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      return repo;
    },
    commit(message, date) {
      git(["add", "-A"]);
      git(["commit", "-q", "--allow-empty", "--no-verify", "-m", message], date);
      return git(["rev-parse", "HEAD"]);
    },
    tag(name, options = {}) {
      const ref = options.ref ?? "HEAD";
      if (options.annotated) {
        git(["tag", "-a", name, "-m", options.message ?? `release ${name}`, ref], options.date);
      } else {
        git(["tag", name, ref]);
      }
      return repo;
    },
    commits(changes) {
      const branch = git(["symbolic-ref", "HEAD"]);
      const input = fastImportStream(branch, git(["rev-parse", "HEAD"]), changes);
      execFileSync("git", ["fast-import", "--quiet"], {
        cwd: dir,
        env: gitEnv(),
        input,
        stdio: ["pipe", "pipe", "pipe"],
      });
      return repo;
    },
  };
  return repo;
}
