#!/usr/bin/env node
// The `pom` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
import("../dist/cli/index.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli")) {
    console.error("pom: the command is not built yet; run `npm run build` (or `npm ci`) first");
    process.exit(2);
  }
  throw error;
});
