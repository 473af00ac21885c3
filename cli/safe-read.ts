/**
 * Reading a file of a checkout that may be hostile (a pull request's, in CI): a FIFO or a device
 * must not block or stream forever, a huge file must not be read into memory, and a symbolic link
 * must not lead out of the repository (to /etc/passwd, or to /proc/self/environ and its tokens),
 * since what is read can end up in messages.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import { UsageError } from "./io.js";

export interface ReadOptions {
  /** How the file is named in messages. */
  shown: string;
  /** The most bytes read; a larger file is not read at all. */
  limit: number;
  /** The directory that the file, its links followed, must stay inside (the repository's root). */
  root?: string;
}

/** The whole file, or, when it is larger than the limit, only its size. */
export type BoundedRead = { tooLarge: false; bytes: Uint8Array } | { tooLarge: true; size: number };

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
// O_NOFOLLOW: the path opened is already resolved; a link swapped in meanwhile is not followed.
// Both are 0 where the platform has no such flag (Windows has no FIFOs or such links to race).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Reads a regular file of at most `limit` bytes. Anything else is a {@link UsageError} naming the
 * file: a missing file, a FIFO, socket, device or directory, a link out of `root`.
 *
 * @example readBounded(".github/pom.yml", { shown: ".github/pom.yml", limit: 262144, root: "." })
 */
export function readBounded(path: string, options: ReadOptions): BoundedRead {
  const target = options.root === undefined ? path : resolveInside(path, options.root, options.shown);
  const fd = openFile(
    target,
    options.root === undefined ? OPEN_FLAGS : OPEN_FLAGS | NO_FOLLOW,
    options.shown,
  );
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw notRegular(options.shown, stat);
    if (stat.size > options.limit) return { tooLarge: true, size: stat.size };
    return readUpTo(fd, options.limit, stat.size);
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is `dir` or below it (both absolute, compared as written). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel.split(sep)[0] !== ".." && !isAbsolute(rel);
}

/** The file's real path, when it lies inside `root` once every link is followed. */
function resolveInside(path: string, root: string, shown: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    throw cannotRead(shown, error);
  }
  if (!isInside(realpathSync(root), real)) {
    // The target is not named: it is the link's text, chosen by whoever wrote the checkout.
    throw new UsageError(`${shown}: a symbolic link to outside the repository; refusing to read it`);
  }
  return real;
}

function openFile(path: string, flags: number, shown: string): number {
  try {
    return openSync(path, flags);
  } catch (error) {
    // A socket cannot be opened at all (ENXIO): say what it is rather than the error's code.
    const stat = statQuietly(path);
    if (stat && !stat.isFile()) throw notRegular(shown, stat);
    throw cannotRead(shown, error);
  }
}

/** Up to `limit` bytes: one byte more than `size` tells a file that grew past the limit meanwhile. */
function readUpTo(fd: number, limit: number, size: number): BoundedRead {
  const buffer = Buffer.alloc(Math.min(size, limit) + 1);
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
    if (length > limit) return { tooLarge: true, size: length };
    if (length === buffer.length) break;
  }
  return { tooLarge: false, bytes: buffer.subarray(0, length) };
}

function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function notRegular(shown: string, stat: Stats): UsageError {
  const kind = stat.isFIFO()
    ? "a FIFO"
    : stat.isSocket()
      ? "a socket"
      : stat.isDirectory()
        ? "a directory"
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? "a device"
          : "not a file";
  return new UsageError(`${shown}: cannot read ${kind}: only regular files are read`);
}

function cannotRead(shown: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UsageError(
    code === "ENOENT" ? `${shown}: no such file` : `${shown}: cannot read (${code ?? error})`,
  );
}
