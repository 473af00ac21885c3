/** `pom init`: write a commented starter .github/pom.yml, never overwriting one. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { catchAllRule } from "../../core/domain/codeowners.js";
import type { Command } from "../command.js";
import { displayPath, findManifest } from "../files.js";
import { EXIT } from "../io.js";
import { readCodeowners } from "../local-facts.js";

const TEAM_OWNER = /^@([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

/** The team that CODEOWNERS makes owner of everything, when it names one. */
export function guessTeam(codeowners: string | undefined): string | undefined {
  if (!codeowners) return undefined;
  const owners = catchAllRule(codeowners)?.owners ?? [];
  for (const owner of owners) {
    const match = TEAM_OWNER.exec(owner);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function productName(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
    if (typeof pkg.name === "string" && pkg.name.trim()) return pkg.name.replace(/^@[^/]+\//, "");
  } catch {
    // no package.json: fall back to the directory name
  }
  return basename(dir);
}

/** A YAML scalar that is always read back as the same text. */
function quote(text: string): string {
  return JSON.stringify(text);
}

export function starterManifest(name: string, team: string | undefined): string {
  const teamSlug = team ?? "your-org/your-team";
  const teamName = team ? (team.split("/")[1] ?? team) : "Your team";
  return `# yaml-language-server: $schema=https://pom-governance.dev/schemas/pom.schema.json
# The Product Operating Model manifest of this repository: who owns it, how often it ships,
# and which outcomes its work exists to move. Reference: docs/pom-yml.md of pom-governance.
version: 1

product:
  name: ${quote(name)}
  # description: What this product does for whom
  lifecycle: production # experimental | production | deprecated | retired

team:
  name: ${quote(teamName)} # the durable product team
  github: ${teamSlug} # org/team-slug of the owning GitHub team${team ? " (from CODEOWNERS)" : " - TODO: set it"}
  # The trio: GitHub logins of the product manager, designer and tech lead.
  # product_manager: alice
  # designer: bob
  # tech_lead: carol

release:
  cadence: 14d # the longest allowed gap between releases: Nh, Nd, Nw, daily, weekly, biweekly, monthly
  source: releases # releases | tags | deployments
  # tag_pattern: "v*"

# The outcomes (OKRs, product goals) this repository's work exists to move. Pull requests and
# issues reference them by id, e.g. "Serves OUT-1" or the label outcome:OUT-1.
outcomes:
  - id: OUT-1
    title: TODO describe the outcome this product exists to move
    # metric: checkout_abandonment_rate
    # target: "55%"
    # due: 2027-03-31

# rules:            # per-rule levels: error | warn | off (see \`pom explain\`)
#   problem.issue: warn

exemptions:
  authors: ["dependabot[bot]", "renovate[bot]"]
`;
}

export const initCommand: Command = {
  name: "init",
  usage: `
Usage: pom init [--repo DIR]

Writes a commented starter .github/pom.yml for the repository in DIR (default: the current
directory). The owning team is taken from CODEOWNERS when its catch-all line names a team.
Refuses to overwrite an existing .github/pom.yml or pom.yml.`,
  options: { repo: { type: "string" } },
  positionals: false,
  run({ values }, io) {
    const dir = resolve(io.cwd, (values.repo as string | undefined) ?? ".");
    const existing = findManifest(dir);
    if (existing) {
      io.err(`pom init: ${displayPath(join(dir, existing), io.cwd)} already exists; not overwriting it`);
      return EXIT.failed;
    }
    if (!existsSync(dir)) {
      io.err(`pom init: ${dir} does not exist`);
      return EXIT.usage;
    }
    const team = guessTeam(readCodeowners(dir, io.cwd)?.text);
    mkdirSync(join(dir, ".github"), { recursive: true });
    const target = join(dir, ".github", "pom.yml");
    writeFileSync(target, starterManifest(productName(dir), team), { flag: "wx" });
    io.out(`wrote ${displayPath(target, io.cwd)}${team ? ` (team ${team} from CODEOWNERS)` : ""}`);
    io.out("next: fill in the team's trio and outcomes, then run `pom validate` and `pom check`");
    return EXIT.ok;
  },
};
