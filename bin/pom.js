#!/usr/bin/env node
// The `pom` command (also installed as `pom-governance`). The package ships the compiled dist/;
// in a clone, `npm run build` compiles it (run by `npm ci` / `npm install` through `prepare`).
import("../dist/cli/index.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli")) {
    console.error("pom: the command is not built yet; run `npm run build` (or `npm ci`) first");
    process.exit(2);
  }
  throw error;
});
