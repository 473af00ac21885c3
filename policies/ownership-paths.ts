/**
 * Ownership in a repository with products: CODEOWNERS gives each product's files to its team
 * (judged file by file, last matching line wins), and every file belongs to a product or to
 * `shared` (`ownership.paths`).
 */
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  codeownersRules,
  ownsAsTeam,
  ruleFor,
} from "../core/domain/codeowners.js";
import { matchesAnyPath } from "../core/domain/path-patterns.js";
import { ownerOf } from "../core/engine/products.js";
import type { Rule, RuleContext, RuleResult } from "../core/engine/rule.js";
import { MANIFEST_PATHS } from "../core/manifest/paths.js";

/** ownership.codeowners for one product: every file under its paths is its team's in CODEOWNERS. */
export function productCodeowners(ctx: RuleContext, file: CodeownersFile, team: string): RuleResult {
  const product = ctx.config.product;
  const paths = product?.paths ?? [];
  const files = ctx.need("files").filter((f) => matchesAnyPath(paths, f));
  const rules = codeownersRules(file.text);
  for (const path of files) {
    const rule = ruleFor(rules, path);
    if (rule && ownsAsTeam(rule.owners, team)) continue;
    const given = rule
      ? `${file.path} line ${rule.line} ("${rule.pattern}") gives it to ${rule.owners.join(" ") || "nobody"}`
      : `no line of ${file.path} matches it`;
    return {
      status: "fail",
      message: `${path} is ${product?.name}'s, but ${given}, not @${team}`,
      fix: `add a line "${paths[0] ?? path} @${team}" after the lines that match ${path} in ${file.path}`,
      evidence: [
        `product ${product?.name}: ${paths.join(", ")}`,
        ...(rule ? [`${file.path}:${rule.line}: ${rule.pattern} ${rule.owners.join(" ")}`] : []),
      ],
      location: { file: file.path, line: rule?.line ?? 1, column: 1 },
    };
  }
  return {
    status: "pass",
    message: `${file.path} makes @${team} an owner of ${product?.name}'s ${files.length} file${files.length === 1 ? "" : "s"}`,
    evidence: [`paths: ${paths.join(", ")}`],
  };
}

const GOVERNANCE_FILES: ReadonlySet<string> = new Set([...MANIFEST_PATHS, ...CODEOWNERS_PATHS]);

export const ownershipPaths: Rule = {
  id: "ownership.paths",
  title: "every file belongs to a product or to shared",
  subjects: ["repo", "pull_request"],
  facts: [],
  productFacts: ["files", "changedFiles"],
  defaultLevel: "warn",
  explain: {
    checks:
      "In a manifest with products: every file of the repository (for a pull request, every file it changes) matches the paths of a product or of shared.",
    why: "A file no product owns has no team answering for it: no one reviews it as an owner, releases it or traces its changes to an outcome.",
    fix: "Add the file's directory to the paths of the product that owns it, or to shared.paths.",
  },
  appliesTo: (ctx) => ctx.config.products !== undefined,
  evaluate(ctx) {
    const files = ctx.need(ctx.subject === "pull_request" ? "changedFiles" : "files");
    // The governance files themselves are judged by the manifest rules, not owned by a product.
    const unowned = files.filter((f) => !GOVERNANCE_FILES.has(f) && ownerOf(ctx.config, f) === undefined);
    const what = ctx.subject === "pull_request" ? "changed file" : "file";
    const first = unowned[0];
    if (first === undefined) {
      return {
        status: "pass",
        message: `every ${what} (${files.length}) belongs to a product or to shared`,
        evidence: [],
      };
    }
    return {
      status: "fail",
      message: `unowned path: ${first} belongs to no product and is not shared${unowned.length > 1 ? ` (and ${unowned.length - 1} more ${what}s)` : ""}`,
      fix: `add ${first.includes("/") ? `${first.slice(0, first.lastIndexOf("/"))}/**` : first} to the paths of the product that owns it, or to shared.paths`,
      evidence: unowned.slice(0, 10).map((f) => `unowned: ${f}`),
      ...(ctx.config.manifestSource
        ? { location: ctx.config.manifestSource.locate(["products"], { key: true }) }
        : {}),
    };
  },
};
