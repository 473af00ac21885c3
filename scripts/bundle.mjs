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
