/**
 * Makes sure dist/ is built from the current sources before a test runs a built entry point
 * (`bin/pom.js`, `dist/app/server.js`). `npm test` builds before vitest, so there this costs a few
 * stat calls; a lone `npx vitest run FILE` builds once, one worker at a time.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["core", "policies", "cli", "github", "app", "schemas"].map((d) => join(ROOT, d));
const LOCK = join(ROOT, "dist", ".test-build.lock");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(entry: string): boolean {
  if (!existsSync(entry)) return false;
  const built = statSync(entry).mtimeMs;
  return SOURCES.every((dir) => !existsSync(dir) || newestSource(dir) <= built);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ with `tsc -p tsconfig.build.json` when it is missing or older than a source. Test
 * files run in parallel workers, so one build at a time: a lock directory, taken atomically.
 */
export function ensureBuilt(entry: string): void {
  if (isFresh(entry)) return;
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another worker is building; a lock older than a minute was left by a killed run.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 60_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      sleep(100);
    }
  }
  try {
    if (isFresh(entry)) return;
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (!existsSync(entry)) {
      throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    }
    if (build.status !== 0) {
      // tsc still emits on type errors (others may be mid-edit); `npm test` type-checks separately.
      console.warn(`tsc -p tsconfig.build.json reported errors:\n${build.stdout}${build.stderr}`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
