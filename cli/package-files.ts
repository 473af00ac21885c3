/**
 * Files that ship inside the pom-governance package (the JSON Schemas), found from this module's
 * own place: wherever the package is installed (globally, in a project, or this repository run
 * from source), the path leads to the copy that belongs to the running `pom`.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const MANIFEST_SCHEMA = join("schemas", "pom.schema.json");

/**
 * The package's root directory: the nearest directory above this module holding both a
 * package.json and the schemas (dist/ holds compiled schemas of its own, but no package.json).
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, MANIFEST_SCHEMA))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${MANIFEST_SCHEMA} of the pom-governance package`);
    dir = parent;
  }
}

/**
 * The manifest schema as a file URL, for a `# yaml-language-server: $schema=` line: a URL rather
 * than a path, so that a space in it is escaped (the language server reads the value up to the
 * first space) and it reads the same on Windows.
 *
 * @example manifestSchemaUrl() // "file:///usr/local/lib/node_modules/pom-governance/schemas/pom.schema.json"
 */
export function manifestSchemaUrl(): string {
  return pathToFileURL(join(packageRoot(), MANIFEST_SCHEMA)).href;
}
