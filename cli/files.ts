/** Reading manifests and policies from disk for the command line. */
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  type Loaded,
  loadManifest,
  loadPolicy,
  MANIFEST_PATHS,
  type Manifest,
  type OrgPolicy,
} from "../core/manifest/manifest.js";
import { decodeUtf8, documentSizeProblem, MAX_DOCUMENT_BYTES } from "../core/manifest/yaml-source.js";
import { gitTopLevel } from "./git.js";
import { isInside, readBounded } from "./safe-read.js";

/** The first manifest path that exists in `dir`, relative to it. */
export function findManifest(dir: string): string | undefined {
  return MANIFEST_PATHS.find((p) => existsSync(join(dir, p)));
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return rel && !rel.startsWith("..") ? rel : resolve(cwd, path);
}

/**
 * The text of a manifest or policy. A file over the size limit is not read: its size gives the
 * same positioned problem that the parser gives for a text too large.
 */
function readText(
  path: string,
  shown: string,
  root?: string,
): { text: string } | { problems: Loaded<never> } {
  const read = readBounded(path, { shown, limit: MAX_DOCUMENT_BYTES, ...(root ? { root } : {}) });
  if (read.tooLarge) {
    const problems = [documentSizeProblem(read.size, shown)].filter((p) => p !== undefined);
    return { problems: { ok: false, problems } };
  }
  const decoded = decodeUtf8(read.bytes, shown);
  return decoded.ok ? { text: decoded.text } : { problems: { ok: false, problems: decoded.problems } };
}

/**
 * The directory a file named on the command line must stay inside, its links followed: the
 * repository the working directory is in (or the working directory outside git), when the file
 * is named inside it. A file named elsewhere is read where it leads: the user chose it.
 */
export function confinement(path: string, cwd: string): string | undefined {
  const root = gitTopLevel(cwd) ?? cwd;
  return isInside(root, resolve(cwd, path)) ? root : undefined;
}

/**
 * Loads a manifest file; a missing, unreadable or non-regular file, or one that links out of
 * `root`, is a {@link UsageError}.
 */
export function readManifestFile(
  path: string,
  cwd: string,
  root?: string,
  files?: () => readonly string[],
): Loaded<Manifest> {
  const shown = displayPath(path, cwd);
  const read = readText(resolve(cwd, path), shown, root);
  // The repository's files, when at hand, decide whether products' paths overlap.
  return "text" in read ? loadManifest(read.text, shown, files ? { files } : {}) : read.problems;
}

/** Loads an org policy file; as {@link readManifestFile}. */
export function readPolicyFile(path: string, cwd: string, root?: string): Loaded<OrgPolicy> {
  const read = readPolicyText(path, cwd, root);
  return "text" in read ? loadPolicy(read.text, read.shown) : read.problems;
}

/** An org policy file's text as shown, or the problems that keep it from being read as text. */
export function readPolicyText(
  path: string,
  cwd: string,
  root?: string,
): ({ text: string } | { problems: Loaded<never> }) & { shown: string } {
  const shown = displayPath(path, cwd);
  return { ...readText(resolve(cwd, path), shown, root), shown };
}
