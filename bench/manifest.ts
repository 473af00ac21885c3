/**
 * Manifest validation: `loadManifest` (YAML with positions, schema, outcome checks) on the
 * examples/*.pom.yml files, round-robin for `manifestSeconds`. The first call, which compiles the
 * schema, is timed on its own.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifest } from "../core/manifest.js";
import { type Context, ROOT } from "./config.js";
import { round } from "./stats.js";

export interface ManifestResult {
  files: { file: string; bytes: number; perSecond: number }[];
  /** Over all files, round-robin. */
  perSecond: number;
  /** The very first call (schema compilation included), in ms. */
  firstCallMs: number;
  invalid: string[];
}

function rate(seconds: number, task: () => void): number {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let n = 0;
  // Bounded by time, checked every 50 calls.
  while (performance.now() < deadline && n < 10_000_000) {
    for (let i = 0; i < 50; i++) task();
    n += 50;
  }
  return n / ((performance.now() - started) / 1000);
}

export function measureManifests(context: Context): ManifestResult {
  const dir = join(ROOT, "examples");
  const examples = readdirSync(dir)
    .filter((f) => f.endsWith(".pom.yml"))
    .sort()
    .map((file) => ({ file: `examples/${file}`, text: readFileSync(join(dir, file), "utf8") }));
  const started = performance.now();
  loadManifest(examples[0]?.text ?? "", examples[0]?.file ?? "");
  const firstCallMs = performance.now() - started;
  const invalid = examples.filter((e) => !loadManifest(e.text, e.file).ok).map((e) => e.file);
  const seconds = context.sizes.manifestSeconds;
  const files = examples.map((e) => ({
    file: e.file,
    bytes: Buffer.byteLength(e.text),
    perSecond: round(
      rate(seconds / (examples.length + 1), () => loadManifest(e.text, e.file)),
      0,
    ),
  }));
  let next = 0;
  const perSecond = rate(seconds / (examples.length + 1), () => {
    const e = examples[next++ % examples.length];
    if (e) loadManifest(e.text, e.file);
  });
  return { files, perSecond: round(perSecond, 0), firstCallMs: round(firstCallMs), invalid };
}
