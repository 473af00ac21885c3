/**
 * The text of the starter .github/pom.yml that `pom init` writes: every section commented, the
 * values read from the repository (team, release source, tag pattern, cadence) marked as guesses.
 */
import { type ReleaseHabits, tagPatternFor } from "../core/domain/release-habits.js";

export interface StarterFacts {
  name: string;
  /** org/team-slug of the team CODEOWNERS makes owner of everything. */
  team?: string | undefined;
  /** What the repository's tags say; absent without version tags. */
  habits?: ReleaseHabits | undefined;
  /** The `$schema` of the yaml-language-server line: the schema file of the running package. */
  schemaUrl: string;
}

/** A YAML scalar that is always read back as the same text. */
function quote(text: string): string {
  return JSON.stringify(text);
}

const CADENCE_FORMS = "Nh, Nd, Nw, daily, weekly, biweekly, monthly";

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The release section: releases by default, the tags' habits when the repository has version tags. */
function releaseSection(habits: ReleaseHabits | undefined): string {
  if (!habits) {
    return `release:
  cadence: 14d # the longest allowed gap between releases: ${CADENCE_FORMS}
  source: releases # releases | tags | deployments
  # tag_pattern: "v*"`;
  }
  const others = habits.others.map((o) => `${tagPatternFor(o.prefix)} (${o.count})`).join(", ");
  const share =
    habits.others.length === 0
      ? `all ${plural(habits.versionTags, "version tag")} match it`
      : `the most common: ${habits.matched} of ${habits.versionTags} version tags; others: ${others}`;
  const cadence = habits.cadence
    ? `the median gap between the last ${plural(habits.cadence.gaps + 1, "release")} is ${days(habits.cadence.medianDays)}, rounded up`
    : "one release so far: no gap to measure yet";
  return `release:
  # Guessed from this repository's git tags; GitHub releases cannot be seen offline: if you
  # publish them, set source: releases.
  cadence: ${habits.cadence?.text ?? "14d"} # ${cadence}; the longest allowed gap: ${CADENCE_FORMS}
  source: tags # releases | tags | deployments
  tag_pattern: ${quote(habits.tagPattern)} # ${share}`;
}

function days(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded} ${rounded === 1 ? "day" : "days"}`;
}

/** The starter manifest; it validates as written. */
export function starterManifest({ name, team, habits, schemaUrl }: StarterFacts): string {
  const teamSlug = team ?? "your-org/your-team";
  const teamName = team ? (team.split("/")[1] ?? team) : "Your team";
  return `# yaml-language-server: $schema=${schemaUrl}
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

${releaseSection(habits)}

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
