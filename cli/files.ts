/** Reading manifests and policies from disk for the command line. */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  type Loaded,
  loadManifest,
  loadPolicy,
  MANIFEST_PATHS,
  type Manifest,
  type OrgPolicy,
} from "../core/manifest.js";
import { decodeUtf8 } from "../core/yaml-source.js";
import { UsageError } from "./io.js";

/** The first manifest path that exists in `dir`, relative to it. */
export function findManifest(dir: string): string | undefined {
  return MANIFEST_PATHS.find((p) => existsSync(join(dir, p)));
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return rel && !rel.startsWith("..") ? rel : resolve(cwd, path);
}

function readText(path: string, shown: string): { text: string } | { problems: Loaded<never> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? `${shown}: no such file` : `${shown}: cannot read (${code ?? error})`,
    );
  }
  const decoded = decodeUtf8(bytes, shown);
  return decoded.ok ? { text: decoded.text } : { problems: { ok: false, problems: decoded.problems } };
}

/** Loads a manifest file; a missing or unreadable file is a {@link UsageError}. */
export function readManifestFile(path: string, cwd: string): Loaded<Manifest> {
  const shown = displayPath(path, cwd);
  const read = readText(resolve(cwd, path), shown);
  return "text" in read ? loadManifest(read.text, shown) : read.problems;
}

/** Loads an org policy file; a missing or unreadable file is a {@link UsageError}. */
export function readPolicyFile(path: string, cwd: string): Loaded<OrgPolicy> {
  const shown = displayPath(path, cwd);
  const read = readText(resolve(cwd, path), shown);
  return "text" in read ? loadPolicy(read.text, shown) : read.problems;
}
