/**
 * Manifest validation: `loadManifest` (YAML with positions, schema, outcome checks) on the
 * examples/*.pom.yml files, each and round-robin, with the validators every runtime uses
 * (generated from the schemas ahead of time: core/manifest/validators.generated.ts), then round-robin
 * again with validators compiled by ajv in this process, as every process did before (the
 * comparison: core/manifest/schema-compile.ts). The first call of each is timed on its own: the generated
 * ones' first call is the process's first YAML parse; the compiled ones' includes compiling both
 * schemas.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifest } from "../core/manifest/manifest.js";
import { useValidators } from "../core/manifest/schema-check.js";
import { compileValidators } from "../core/manifest/schema-compile.js";
import { type Context, ROOT } from "./config.js";
import { round } from "./stats.js";

export interface ManifestResult {
  /** With the generated validators. */
  files: { file: string; bytes: number; perSecond: number }[];
  /** Over all files, round-robin, with the generated validators. */
  perSecond: number;
  /** The process's very first call, with the generated validators, in ms. */
  firstCallMs: number;
  /** Validators compiled at start: round-robin rate, and compilation plus the first call, in ms. */
  compiled: { perSecond: number; firstCallMs: number; compileMs: number };
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
  const roundRobin = () => {
    const e = examples[next++ % examples.length];
    if (e) loadManifest(e.text, e.file);
  };
  const perSecond = rate(seconds / (examples.length + 1), roundRobin);
  const compileStarted = performance.now();
  const generated = useValidators(compileValidators());
  try {
    const compileMs = performance.now() - compileStarted;
    loadManifest(examples[0]?.text ?? "", examples[0]?.file ?? "");
    const compiledFirstCallMs = performance.now() - compileStarted;
    invalid.push(
      ...examples.filter((e) => !loadManifest(e.text, e.file).ok).map((e) => `${e.file} (compiled)`),
    );
    const compiledPerSecond = rate(seconds / (examples.length + 1), roundRobin);
    return {
      files,
      perSecond: round(perSecond, 0),
      firstCallMs: round(firstCallMs),
      compiled: {
        perSecond: round(compiledPerSecond, 0),
        firstCallMs: round(compiledFirstCallMs),
        compileMs: round(compileMs),
      },
      invalid,
    };
  } finally {
    useValidators(generated);
  }
}
