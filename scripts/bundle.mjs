#!/usr/bin/env node
/**
 * Bundles the GitHub Action into one committed file, action/dist/index.cjs, which the Actions
 * runner executes straight from the repository. `npm run bundle` writes it; `npm run bundle:check`
 * fails when the committed file differs from a fresh build (CI runs it). `--metafile FILE` also
 * writes esbuild's account of what went into the bundle (the benchmark reads it: which inputs
 * take the bytes).
 *
 * One file: each mode's flow, the reporting and the SARIF writer are dynamic `import()`s in the
 * source, which esbuild turns into modules initialised when first reached, so a pull request
 * check runs the top-level code of what it needs only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const outfile = "action/dist/index.cjs";
const check = process.argv.includes("--check");
const metafileAt = process.argv.indexOf("--metafile");
const metafile = metafileAt > 0 ? process.argv[metafileAt + 1] : undefined;
if (metafileAt > 0 && !metafile) {
  console.error("--metafile needs a file name");
  process.exit(2);
}

/**
 * @actions/core imports @actions/http-client (and with it undici, ~40% of the bundle) for
 * getIDToken(), @actions/exec for `platform`, and its job summary writer, which loads
 * `fs/promises` as the bundle starts; the action uses none of them (action/report.ts appends the
 * summary itself). They do not declare themselves free of side effects, so esbuild would keep
 * them whole: declared here, they are left out when nothing of theirs is used.
 */
const UNUSED_PACKAGES = /^@actions\/(http-client|exec|io)(\/|$)/;
const UNUSED_CORE_MODULES = /^\.\/(summary|platform)\.js$/;
const unusedWhenUnreferenced = {
  name: "side-effect-free-action-packages",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      const core = UNUSED_CORE_MODULES.test(args.path) && /@actions[\\/]core[\\/]/.test(args.importer);
      if (!core && !UNUSED_PACKAGES.test(args.path)) return undefined;
      if (args.pluginData?.resolving) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: resolved.namespace, sideEffects: false };
    });
  },
};

const result = await build({
  entryPoints: ["action/index.ts"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  write: !check,
  outfile,
  logLevel: "warning",
  metafile: Boolean(metafile),
  plugins: [unusedWhenUnreferenced],
});
if (metafile) writeFileSync(metafile, JSON.stringify(result.metafile));

if (check) {
  const fresh = result.outputFiles?.[0]?.text ?? "";
  let committed = "";
  try {
    committed = readFileSync(outfile, "utf8");
  } catch {
    // missing: reported below
  }
  if (fresh !== committed) {
    console.error(`${outfile} is out of date: run \`npm run bundle\` and commit the result`);
    process.exit(1);
  }
  console.log(`${outfile} matches a fresh build (${fresh.length} bytes)`);
} else {
  console.log(`wrote ${outfile} (${readFileSync(outfile).length} bytes)`);
}
