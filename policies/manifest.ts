/** manifest.valid and manifest.present: the declaration itself. */

import type { Rule, RuleResult } from "../core/engine/rule.js";
import { resolveConfig } from "../core/manifest/config.js";
import type { SourceProblem } from "../core/manifest/problem.js";

function problemResult(problem: SourceProblem, what: string): RuleResult {
  const { message, hint, path, ...location } = problem;
  return {
    status: "fail",
    message: `${what}: ${message}`,
    fix: hint ?? `correct ${path ?? "the file"} as described; see docs/pom-yml.md`,
    evidence: [`${location.file}:${location.line}:${location.column}`],
    location,
  };
}

export const manifestValid: Rule = {
  id: "manifest.valid",
  title: "pom.yml parses, matches the schema and respects the org policy's locks",
  subjects: ["repo", "pull_request"],
  facts: [],
  defaultLevel: "error",
  needsManifest: false,
  explain: {
    checks:
      "The manifest parses as YAML, matches schemas/pom.schema.json (no unknown keys, right types), and does not weaken a rule the org policy locks or declare a cadence slower than release.max_cadence. On a pull request that edits pom.yml, the proposed manifest is checked.",
    why: "Ownership, cadence and outcomes are only as trustworthy as the declaration they come from; a manifest that does not parse silently governs nothing.",
    fix: "Run `pom validate` locally; each error names the file, line and column and how to fix it.",
  },
  // On a repository without a manifest, an invalid org policy is still reported here.
  appliesTo: (ctx) =>
    ctx.subject === "pull_request"
      ? ctx.proposed !== undefined
      : ctx.manifest !== null || (ctx.policy !== null && !ctx.policy.ok),
  evaluate(ctx) {
    const results: RuleResult[] = [];
    const judged = ctx.subject === "pull_request" ? ctx.proposed : ctx.manifest;
    const what = ctx.subject === "pull_request" ? "the proposed manifest" : "the manifest";
    if (ctx.policy && !ctx.policy.ok) {
      for (const p of ctx.policy.problems) results.push(problemResult(p, "the org policy"));
    }
    if (!judged) return results;
    if (!judged.ok) {
      for (const p of judged.problems) results.push(problemResult(p, what));
      return results;
    }
    // The proposed manifest is held to the same policy as the one it would replace.
    const violations =
      ctx.subject === "pull_request"
        ? resolveConfig({
            defaults: ctx.defaults,
            ...(ctx.policy?.ok ? { policy: { value: ctx.policy.value, source: ctx.policy.source } } : {}),
            manifest: { value: judged.value, source: judged.source },
            now: ctx.now,
          }).violations
        : ctx.config.violations;
    for (const v of violations) results.push(problemResult(v, what));
    if (results.length === 0) {
      results.push({ status: "pass", message: `${what} is valid`, evidence: [judged.source.file] });
    }
    return results;
  },
};

export const manifestPresent: Rule = {
  id: "manifest.present",
  title: "the repository declares a manifest",
  subjects: ["repo"],
  facts: [],
  defaultLevel: "off",
  needsManifest: false,
  explain: {
    checks:
      "The repository has .github/pom.yml (or pom.yml). Its level comes from the org policy's `manifest` key; without an org policy the rule is off.",
    why: "Every product needs an explicit, durable owner and stated outcomes; a repository without a manifest is one nobody has claimed.",
    fix: "Run `pom init` in the repository, fill in the team and outcomes, and commit .github/pom.yml.",
  },
  evaluate(ctx) {
    if (ctx.manifest) return { status: "pass", message: "the repository has a manifest", evidence: [] };
    return {
      status: "fail",
      message: "the repository has no .github/pom.yml",
      fix: "run `pom init` to write a starter .github/pom.yml, then commit it",
      evidence: ["looked for .github/pom.yml and pom.yml on the default branch"],
    };
  },
};
