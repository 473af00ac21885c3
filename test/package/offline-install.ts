/**
 * Packing this package and installing the tarball the way a user would, without the network: npm
 * runs with its registry (and proxies) pointed at a closed loopback port and `--offline`, so
 * everything must come from the npm cache that `npm ci` filled.
 *
 * A tarball alone names its dependencies by range, and resolving a range needs the registry's
 * package documents, which `npm ci` does not cache. So the install gets a lock file: this
 * project's own, cut to the production tree (the entries npm ci installed, whose tarballs are in
 * the cache by their integrity), with the tarball at the root. The versions installed are then
 * exactly the ones the rest of the tests ran against.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../testkit/app-process.js";
import { ROOT } from "../../testkit/build.js";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  bin: Record<string, string>;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
  overrides?: Record<string, unknown>;
}

export const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

export interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of every npm run here: none of the `npm_*` settings of an outer `npm test`
 * (its prefix, its scripts), a registry and proxies that nothing listens on, and the cache that
 * `npm ci` filled.
 */
export async function offlineNpmEnv(cache: string): Promise<Record<string, string>> {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
  return {
    ...env,
    npm_config_registry: `${closed}/`,
    npm_config_proxy: closed,
    npm_config_https_proxy: closed,
    npm_config_noproxy: "",
    npm_config_cache: cache,
    // A request that slips through is refused at once rather than retried for a minute.
    npm_config_fetch_retries: "0",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

/** Where `npm ci` cached its tarballs: the outer npm's setting, or npm's own answer. */
export async function npmCache(): Promise<string> {
  const outer = process.env.npm_config_cache;
  if (outer) return outer;
  const { stdout, code, stderr } = await npm(["config", "get", "cache"], ROOT, process.env);
  if (code !== 0) throw new Error(`npm config get cache failed: ${stderr}`);
  return stdout.trim();
}

/** Runs npm with `args` in `cwd`; never throws for an exit code, so that tests can show stderr. */
export function npm(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeout = 120_000,
): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    execFile("npm", args, { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && typeof code !== "number") reject(error);
      else resolve({ code: error ? (code as number) : 0, stdout, stderr });
    });
  });
}

/** The registry address of a package's tarball, for lock entries that left it out (integrity finds it in the cache). */
function tarballUrl(name: string, version: string): string {
  const base = name.split("/").pop() ?? name;
  return `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`;
}

/**
 * Writes package.json and package-lock.json into `dir` for a project that depends on the tarball
 * `tarball` (a file name inside `dir`) and nothing else.
 */
export function writeInstallProject(dir: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${tarball}`;
  // The lock was made under this project's overrides: without them npm would find an entry that
  // breaks its dependant's range and ask the registry (a user's install resolves those ranges).
  const overrides = PACKAGE.overrides ?? {};
  const root = { dependencies: { [PACKAGE.name]: spec }, overrides };
  const packages: Record<string, LockEntry> = {
    "": root,
    [`node_modules/${PACKAGE.name}`]: {
      version: PACKAGE.version,
      resolved: spec,
      license: PACKAGE.license,
      dependencies: PACKAGE.dependencies,
      bin: PACKAGE.bin,
      engines: PACKAGE.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith("node_modules/") || entry.dev || entry.link) continue;
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    packages[path] = { ...entry, resolved: entry.resolved ?? tarballUrl(name, entry.version ?? "") };
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, ...root }));
  writeFileSync(
    join(dir, "package-lock.json"),
    JSON.stringify({ name: "install-check", lockfileVersion: 3, requires: true, packages }),
  );
}
