/**
 * ownership.team's second question: where the organization set the repository's custom property
 * `team`, does it name the team the manifest declares? No property, no finding; a property that
 * could not be read, `unknown` (never a pass).
 */
import { agreesWithTeam, propertyValues, TEAM_PROPERTY } from "../core/domain/team-property.js";
import {
  FactUnavailable,
  NOT_GATHERED,
  type RuleContext,
  type RuleResult,
  unknownResult,
} from "../core/engine/rule.js";
import { declarationPath } from "../core/manifest/config.js";

/** The results of comparing the custom property `team` with `team.github`: none, one. */
export function teamPropertyResults(ctx: RuleContext): RuleResult[] {
  // With products, the property must name one of their teams or the shared team: judged once,
  // with the first product.
  const product = ctx.config.product;
  if (product && product.index > 0) return [];
  const manifest = ctx.config.manifest;
  const teams = product
    ? [...(manifest?.products ?? []).map((p) => p.team.github), manifest?.shared?.team?.github ?? ""].filter(
        (t) => t !== "",
      )
    : [ctx.config.team?.github ?? ""];
  const declared = teams.join(" or ");
  let value: string | string[] | null;
  try {
    value = ctx.need("teamProperty");
  } catch (error) {
    // Not asked for yet: the engine asks, then runs the rule again.
    if (!(error instanceof FactUnavailable) || error.reason === NOT_GATHERED) throw error;
    return [
      unknownResult(
        error,
        `the custom property ${TEAM_PROPERTY} could not be read, so whether it agrees with team.github ${declared} is unknown: ${error.reason}`,
      ),
    ];
  }
  const values = propertyValues(value);
  if (values.length === 0) return [];
  const shown = values.map((v) => `"${v}"`).join(", ");
  if (teams.some((team) => agreesWithTeam(value, team))) {
    return [
      {
        status: "pass",
        message: `the custom property ${TEAM_PROPERTY} (${shown}) agrees with team.github ${declared}`,
        evidence: [`custom property ${TEAM_PROPERTY}: ${values.join(", ")}`],
      },
    ];
  }
  const location = ctx.config.manifestSource?.locate(declarationPath(ctx.config, ["team", "github"]));
  return [
    {
      status: "fail",
      message: `the custom property ${TEAM_PROPERTY} is ${shown} but team.github is ${declared}: they name different teams`,
      fix: `set the repository's custom property ${TEAM_PROPERTY} to the team of team.github (${declared} or its slug), or correct team.github`,
      evidence: [`custom property ${TEAM_PROPERTY}: ${values.join(", ")}`, `team.github: ${declared}`],
      ...(location ? { location } : {}),
    },
  ];
}
