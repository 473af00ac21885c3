/**
 * What the action's bundle is made of: esbuild's metafile of a fresh build (`node
 * scripts/bundle.mjs --check --metafile FILE`, the same build as the committed file, which it
 * also compares against), grouped by package (node_modules) or by the project's folders, largest
 * first. Bytes are those each input takes in the minified output.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../testkit/build.js";

export interface BundleAnalysis {
  /** Whether the committed bundle equals a fresh build (else the figures are of the fresh build). */
  fresh: boolean;
  outputBytes: number;
  /** Packages (node_modules) and project folders, largest first. */
  groups: { name: string; bytes: number; share: number }[];
  /** Single input files, largest first. */
  files: { path: string; bytes: number }[];
  problems: string[];
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The group an input belongs to: its package, or its first two folders in the project. */
export function groupOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1] ?? input;
  const parts = input.split("/");
  return parts.length > 2 ? `${parts.slice(0, 2).join("/")}/` : input;
}

export function analyseBundle(top = 12): BundleAnalysis {
  const dir = mkdtempSync(join(tmpdir(), "pom-bench-bundle-"));
  try {
    const file = join(dir, "meta.json");
    const run = spawnSync(process.execPath, ["scripts/bundle.mjs", "--check", "--metafile", file], {
      cwd: ROOT,
      encoding: "utf8",
    });
    let meta: Metafile;
    try {
      meta = JSON.parse(readFileSync(file, "utf8")) as Metafile;
    } catch {
      return {
        fresh: false,
        outputBytes: 0,
        groups: [],
        files: [],
        problems: [`scripts/bundle.mjs wrote no metafile: ${run.stderr}`],
      };
    }
    const output = Object.values(meta.outputs)[0];
    const inputs = Object.entries(output?.inputs ?? {}).map(([path, i]) => ({
      path,
      bytes: i.bytesInOutput,
    }));
    const total = output?.bytes ?? 0;
    const groups = new Map<string, number>();
    for (const i of inputs) groups.set(groupOf(i.path), (groups.get(groupOf(i.path)) ?? 0) + i.bytes);
    return {
      fresh: run.status === 0,
      outputBytes: total,
      groups: [...groups]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, bytes]) => ({
          name,
          bytes,
          share: total ? Math.round((bytes / total) * 1000) / 10 : 0,
        })),
      files: inputs
        .filter((i) => i.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, top),
      problems: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
