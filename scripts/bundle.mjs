#!/usr/bin/env node
/**
 * Bundles the GitHub Action into one committed file, action/dist/index.cjs, which the Actions
 * runner executes straight from the repository. `npm run bundle` writes it; `npm run bundle:check`
 * fails when the committed file differs from a fresh build (CI runs it).
 */
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const outfile = "action/dist/index.cjs";
const check = process.argv.includes("--check");

/**
 * @actions/core imports @actions/http-client (and with it undici, ~40% of the bundle) for
 * getIDToken(), and @actions/exec for `platform`; the action uses neither. Those packages do not
 * declare themselves free of side effects, so esbuild would keep them whole: declared here, they
 * are left out when nothing of theirs is used.
 */
const unusedWhenUnreferenced = {
  name: "side-effect-free-action-packages",
  setup(b) {
    b.onResolve({ filter: /^@actions\/(http-client|exec|io)(\/|$)/ }, async (args) => {
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
  plugins: [unusedWhenUnreferenced],
});

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
