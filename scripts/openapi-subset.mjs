#!/usr/bin/env node
/**
 * Writes testkit/github-subset.json: the operations of GitHub's REST OpenAPI description
 * (api.github.com) that this project calls, plus every component they reference, transitively.
 * testkit/openapi.ts checks the requests our code sends against it, so the 385 MB
 * `@octokit/openapi` package is needed only to regenerate the subset, never for a test run.
 *
 * Regenerate (the package is installed without touching package.json or package-lock.json):
 *
 *   npm install --no-save @octokit/openapi && node scripts/openapi-subset.mjs
 *
 * `node scripts/openapi-subset.mjs PATH/TO/api.github.com.json` reads the spec from elsewhere.
 * To cover a new call, add one line to OPERATIONS and regenerate. Output is deterministic: keys
 * are sorted, so the same spec always gives the same file. Dropped on the way: `examples` and
 * `example` values, and the long prose descriptions of operations and parameters; schemas keep
 * every validation keyword, and `nullable` is left as in the spec (the checker rewrites it).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** "METHOD /path/{template}", exactly as in the spec. One line per call the project makes. */
const OPERATIONS = [
  "GET /app/hook/deliveries",
  "POST /app/hook/deliveries/{delivery_id}/attempts",
  "GET /app/installations",
  "POST /app/installations/{installation_id}/access_tokens",
  "GET /installation/repositories",
  "GET /orgs/{org}/teams/{team_slug}",
  "GET /orgs/{org}/teams/{team_slug}/members",
  "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
  "GET /repos/{owner}/{repo}",
  "POST /repos/{owner}/{repo}/check-runs",
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
  "GET /repos/{owner}/{repo}/compare/{basehead}",
  "GET /repos/{owner}/{repo}/contents/{path}",
  "GET /repos/{owner}/{repo}/deployments",
  "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
  "GET /repos/{owner}/{repo}/issues",
  "POST /repos/{owner}/{repo}/issues",
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
  "POST /repos/{owner}/{repo}/labels",
  "GET /repos/{owner}/{repo}/labels/{name}",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}",
  "GET /repos/{owner}/{repo}/releases",
  "GET /repos/{owner}/{repo}/tags",
  "GET /repos/{owner}/{repo}/commits/{ref}",
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
  "GET /orgs/{org}/teams",
  "GET /orgs/{org}/repos",
  "GET /repos/{owner}/{repo}/releases/tags/{tag}",
  "GET /repos/{owner}/{repo}/properties/values",
  "GET /orgs/{org}/properties/values",
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE_DIR = join(root, "node_modules", "@octokit", "openapi");
const specFile = process.argv[2] ?? join(PACKAGE_DIR, "generated", "api.github.com.json");
const outFile = join(root, "testkit", "github-subset.json");

/** Operation-level prose kept only up to this many characters (schemas keep theirs in full). */
const MAX_DESCRIPTION = 200;

function fail(message) {
  console.error(`openapi-subset: ${message}`);
  process.exit(1);
}

if (!existsSync(specFile)) {
  fail(
    `${specFile} not found. Run: npm install --no-save @octokit/openapi && node scripts/openapi-subset.mjs`,
  );
}
const spec = JSON.parse(readFileSync(specFile, "utf8"));
const packageVersion = (() => {
  const file = join(dirname(dirname(specFile)), "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : undefined;
})();

/** Keys whose value is a map from names to objects: their keys are names, never keywords. */
const NAME_MAPS = new Set([
  "paths",
  "components",
  "schemas",
  "parameters",
  "responses",
  "headers",
  "content",
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "encoding",
  "links",
  "callbacks",
]);

/** Copies `node`, dropping examples and over-long prose, and sorting object keys. */
function clean(node, parentKey, inSchema) {
  if (Array.isArray(node)) return node.map((item) => clean(item, undefined, inSchema));
  if (node === null || typeof node !== "object") return node;
  const isNameMap =
    parentKey !== undefined &&
    NAME_MAPS.has(parentKey) &&
    !(parentKey === "parameters" && Array.isArray(node));
  const out = {};
  for (const key of Object.keys(node).sort()) {
    let value = node[key];
    if (!isNameMap) {
      if (key === "examples" || key === "example") continue;
      if (key === "externalDocs" || key === "x-github-breaking-changes") continue;
      if (key === "description" && typeof value === "string" && !inSchema && value.length > MAX_DESCRIPTION) {
        value = `${value.slice(0, MAX_DESCRIPTION).trimEnd()}…`;
      }
    }
    const childInSchema = inSchema || (!isNameMap && key === "schema") || parentKey === "schemas";
    out[key] = clean(value, isNameMap ? undefined : key, childInSchema);
  }
  return out;
}

/** Every `#/components/...` reference reachable from `node`, resolved transitively. */
function collectRefs(node, found) {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(value);
      if (!match) fail(`unsupported $ref ${value}`);
      const [, type, name] = match;
      const id = `${type}/${name}`;
      if (type === "examples" || found.has(id)) continue;
      const target = spec.components?.[type]?.[name];
      if (target === undefined) fail(`dangling $ref ${value}`);
      found.set(id, target);
      collectRefs(target, found);
    } else if (key !== "examples") {
      collectRefs(value, found);
    }
  }
}

const paths = {};
const problems = [];
const seen = new Set();
for (const line of OPERATIONS) {
  const match = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\/\S*)$/.exec(line);
  if (!match) fail(`bad OPERATIONS entry "${line}" (expected "METHOD /path")`);
  const [, method, path] = match;
  if (seen.has(line)) fail(`duplicate OPERATIONS entry "${line}"`);
  seen.add(line);
  const pathItem = spec.paths[path];
  const operation = pathItem?.[method.toLowerCase()];
  if (!operation) {
    problems.push(
      `${line}: not in the spec${pathItem ? ` (the path has ${Object.keys(pathItem).join(", ")})` : ""}`,
    );
    continue;
  }
  paths[path] ??= {};
  // Path-level parameters apply to every operation of the path.
  if (pathItem.parameters) paths[path].parameters = pathItem.parameters;
  paths[path][method.toLowerCase()] = operation;
}
if (problems.length > 0) fail(`operations missing from ${specFile}:\n  ${problems.join("\n  ")}`);

const found = new Map();
collectRefs(paths, found);
const components = {};
for (const [id, value] of found) {
  const [type, name] = id.split("/");
  components[type] ??= {};
  components[type][name] = value;
}

const subset = {
  openapi: spec.openapi,
  info: {
    title: `${spec.info.title} (subset used by pom-governance's tests)`,
    version: spec.info.version,
    "x-source": `@octokit/openapi${packageVersion ? `@${packageVersion}` : ""} generated/api.github.com.json`,
    "x-generator": "scripts/openapi-subset.mjs",
  },
  paths,
  components,
};

const text = `${JSON.stringify(clean(subset, undefined, false), null, 2)}\n`;
writeFileSync(outFile, text);
const counts = Object.entries(components)
  .map(([type, entries]) => `${Object.keys(entries).length} ${type}`)
  .join(", ");
console.log(
  `wrote ${relative(process.cwd(), outFile)}: ${OPERATIONS.length} operations, ${counts}, ${Buffer.byteLength(text)} bytes`,
);
