/** ownership.*: a durable team owns the product, with its trio named, and owns the code. */
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  catchAllRule,
  MAX_CODEOWNERS_BYTES,
  owningRule,
  ownsAsTeam,
} from "../core/domain/codeowners.js";
import { manifestRepoPath } from "../core/domain/governance-files.js";
import type { Rule, RuleContext, RuleResult } from "../core/engine/rule.js";
import { declarationPath } from "../core/manifest/config.js";
import { MANIFEST_PATHS } from "../core/manifest/manifest.js";
import { productCodeowners } from "./ownership-paths.js";
import { teamPropertyResults } from "./ownership-property.js";

const WRITE_ACCESS = new Set(["push", "maintain", "admin"]);

export const ownershipTeam: Rule = {
  id: "ownership.team",
  title: "the declared team exists and can push to the repository",
  subjects: ["repo"],
  facts: ["team", "teamProperty"],
  defaultLevel: "error",
  perProduct: true,
  explain: {
    checks:
      "team.github names a GitHub team that exists and has push, maintain or admin access to the repository; where the organization set the repository's custom property `team`, it names the same team (org/slug or slug).",
    why: "Durable, empowered teams own products. A team that does not exist, or cannot change the code, owns nothing in practice.",
    fix: "Correct team.github to the org/team-slug of the owning team, or give that team write access in the repository settings; make the custom property team and team.github name the same team.",
  },
  evaluate(ctx) {
    return [teamResult(ctx), ...teamPropertyResults(ctx)];
  },
};

function teamResult(ctx: RuleContext): RuleResult {
  const declared = ctx.config.team?.github ?? "";
  const location = ctx.config.manifestSource?.locate(declarationPath(ctx.config, ["team", "github"]));
  const at = location ? { location } : {};
  const team = ctx.need("team");
  if (!team.exists) {
    return {
      status: "fail",
      message: `the team ${declared} does not exist (or the token cannot see it)`,
      fix: "set team.github to an existing org/team-slug, or create the team",
      evidence: [`team.github: ${declared}`],
      ...at,
    };
  }
  const permission = team.permission ?? "none";
  if (!WRITE_ACCESS.has(permission)) {
    return {
      status: "fail",
      message: `the team ${declared} has ${team.permission ? `only ${permission}` : "no"} access to the repository; an owning team needs push or higher`,
      fix: `give ${declared} write (push) access in the repository's collaborator settings`,
      evidence: [`team.github: ${declared}`, `permission: ${permission}`],
      ...at,
    };
  }
  return {
    status: "pass",
    message: `the team ${declared} exists and has ${permission} access`,
    evidence: [`permission: ${permission}`],
  };
}

const ROLES = [
  ["productManager", "product_manager", "product manager"],
  ["designer", "designer", "designer"],
  ["techLead", "tech_lead", "tech lead"],
] as const;

export const ownershipRoles: Rule = {
  id: "ownership.roles",
  title: "product manager, designer and tech lead are named and are team members",
  subjects: ["repo"],
  facts: ["teamMembers"],
  defaultLevel: "warn",
  perProduct: true,
  explain: {
    checks:
      "team.product_manager, team.designer and team.tech_lead each name a GitHub login that is a member of team.github.",
    why: "An empowered product team is cross-functional: the product manager answers for value and viability, the designer for usability, the tech lead for feasibility. Unfilled roles mean those risks have no owner.",
    fix: "Name the three people in pom.yml and make sure each is a member of the owning GitHub team.",
  },
  evaluate(ctx) {
    const team = ctx.config.team;
    const missing = ROLES.filter(([key]) => !team?.[key]).map(([, yamlKey]) => yamlKey);
    const teamLocation = ctx.config.manifestSource?.locate(declarationPath(ctx.config, ["team"]), {
      key: true,
    });
    if (missing.length > 0) {
      return {
        status: "fail",
        message: `the team has no ${missing.join(", ")} named`,
        fix: `add ${missing.map((k) => `team.${k}`).join(", ")} with GitHub logins`,
        evidence: [`missing: ${missing.join(", ")}`],
        ...(teamLocation ? { location: teamLocation } : {}),
      };
    }
    const members = new Set(ctx.need("teamMembers").map((m) => m.toLowerCase()));
    const outsiders = ROLES.filter(([key]) => !members.has((team?.[key] ?? "").toLowerCase())).map(
      ([key, yamlKey, name]) => ({ login: team?.[key] ?? "", yamlKey, name }),
    );
    if (outsiders.length > 0) {
      const first = outsiders[0];
      const location = first
        ? ctx.config.manifestSource?.locate(declarationPath(ctx.config, ["team", first.yamlKey]))
        : undefined;
      return {
        status: "fail",
        message: `${outsiders.map((o) => `${o.login} (${o.name})`).join(", ")} ${outsiders.length === 1 ? "is not a member" : "are not members"} of ${team?.github}`,
        fix: `add them to the GitHub team ${team?.github}, or name members of the team`,
        evidence: [`team members: ${members.size}`],
        ...(location ? { location } : {}),
      };
    }
    return {
      status: "pass",
      message: `product manager ${team?.productManager}, designer ${team?.designer} and tech lead ${team?.techLead} are members of ${team?.github}`,
      evidence: [],
    };
  },
};

export const ownershipCodeowners: Rule = {
  id: "ownership.codeowners",
  title: "CODEOWNERS makes the team an owner of everything",
  subjects: ["repo"],
  facts: ["codeowners"],
  productFacts: ["files"],
  defaultLevel: "warn",
  perProduct: true,
  explain: {
    checks: `The CODEOWNERS file GitHub uses (${CODEOWNERS_PATHS.join(", ")}) has a catch-all line (such as "* @org/team") naming the declared team, and no later catch-all line replaces it. While manifest.protected is on, the line that owns the manifest itself (the last one matching it) names the team too, so that GitHub asks the team to review changes of it.`,
    why: "Declared ownership should match the ownership GitHub enforces in reviews; otherwise the manifest says one thing and the review rules another.",
    fix: 'Add "* @org/team" (the value of team.github) as the first rule in .github/CODEOWNERS.',
  },
  evaluate(ctx) {
    const team = ctx.config.team?.github ?? "";
    const file = ctx.need("codeowners");
    if (!file) {
      return {
        status: "fail",
        message: "the repository has no CODEOWNERS file",
        fix: `create .github/CODEOWNERS with the line "* @${team}"`,
        evidence: [`looked in ${CODEOWNERS_PATHS.join(", ")}`],
      };
    }
    if (file.tooLargeBytes !== undefined) return tooLarge(file, file.tooLargeBytes, team);
    if (ctx.config.product) return productCodeowners(ctx, file, team);
    const rule = catchAllRule(file.text);
    const location = rule
      ? { file: file.path, line: rule.line, column: 1 }
      : { file: file.path, line: 1, column: 1 };
    if (!rule) {
      return {
        status: "fail",
        message: `${file.path} has no catch-all rule, so the team does not own the repository by default`,
        fix: `add "* @${team}" near the top of ${file.path}`,
        evidence: [`${file.path}: no "*" line`],
        location,
      };
    }
    if (!ownsAsTeam(rule.owners, team)) {
      return {
        status: "fail",
        message: `${file.path} line ${rule.line} gives "${rule.pattern}" to ${rule.owners.join(" ") || "nobody"}, not to @${team}`,
        fix: `add @${team} to that line, or make it "${rule.pattern} @${team}"`,
        evidence: [`${file.path}:${rule.line}: ${rule.pattern} ${rule.owners.join(" ")}`],
        location,
      };
    }
    const manifest =
      ctx.config.levels["manifest.protected"]?.value !== "off" ? manifestOwner(ctx, file) : undefined;
    if (manifest) return manifest;
    return {
      status: "pass",
      message: `${file.path} makes @${team} an owner of everything`,
      evidence: [`${file.path}:${rule.line}`],
    };
  },
};

/**
 * With manifest.protected on: a failure when the line of CODEOWNERS that owns the manifest (a later
 * one, such as "/.github/ @org/platform", may take it from the catch-all line) leaves the team out.
 */
function manifestOwner(ctx: RuleContext, file: CodeownersFile): RuleResult | undefined {
  const team = ctx.config.team?.github ?? "";
  const path = ctx.manifest?.source ? manifestRepoPath(ctx.manifest.source.file) : MANIFEST_PATHS[0];
  const rule = owningRule(file.text, path);
  if (!rule || ownsAsTeam(rule.owners, team)) return undefined;
  return {
    status: "fail",
    message: `${file.path} line ${rule.line} gives the manifest (${path}) to ${rule.owners.join(" ") || "nobody"}, not to @${team}, while manifest.protected is on`,
    fix: `add @${team} to that line, or add "/${path} @${team}" after it`,
    evidence: [`${file.path}:${rule.line}: ${rule.pattern} ${rule.owners.join(" ")}`],
    location: { file: file.path, line: rule.line, column: 1 },
  };
}

/**
 * A file GitHub does not load makes no one an owner of anything: a known state, so a failure (not
 * `unknown`, which would say that the file could not be read and that asking again might help).
 */
function tooLarge(file: CodeownersFile, bytes: number, team: string): RuleResult {
  return {
    status: "fail",
    message: `${file.path} is ${bytes} bytes: GitHub ignores a CODEOWNERS file over 3 MB, so it makes no one an owner`,
    fix: `shrink ${file.path} under 3 MB (broader patterns, fewer lines), with the catch-all line "* @${team}"`,
    evidence: [`${file.path}: ${bytes} bytes; GitHub reads at most ${MAX_CODEOWNERS_BYTES}`],
    location: { file: file.path, line: 1, column: 1 },
  };
}
