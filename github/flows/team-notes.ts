/**
 * The team findings a sweep's tracking issues name: the team rules (focus, load, roles shared,
 * one trio) need only what judging every repository read (manifests, team members, the org
 * policy), so they cost no read of their own. Computed once all repositories are judged, before
 * the first tracking issue is written.
 */
import { productRows, repoInsights, rowLabel } from "../../core/insights/report/insights.js";
import { teamRepoOf } from "../../core/insights/teams/input.js";
import { type TeamNote, teamNotes } from "../../core/insights/teams/notes.js";
import { teamSettings } from "../../core/insights/teams/settings.js";
import type { RepoRef } from "../transport/client.js";
import type { GovernResult } from "./govern-result.js";

/**
 * The note of each judged repository (lower-case `owner/name`) whose team has failing findings.
 *
 * @example sweepTeamNotes(judged, now).get("acme/checkout")?.team // "acme/payments"
 */
export function sweepTeamNotes(
  judged: readonly { ref: RepoRef; result: GovernResult }[],
  now: Date,
): Map<string, TeamNote> {
  const repos = judged.flatMap(({ ref, result }) => {
    const evaluation = result.evaluation;
    if (!evaluation) return [];
    const members = result.facts?.teamMembers;
    const insights = repoInsights({
      repo: `${ref.owner}/${ref.repo}`,
      checkedAt: now,
      verdict: evaluation,
      config: evaluation.config,
      ...(members?.ok ? { teamMembers: members.value } : {}),
    });
    // A repository with products: each product's team owns that product.
    return productRows(insights).map((r) => teamRepoOf(r, { repo: rowLabel(r) }));
  });
  const policy = judged.find((j) => j.result.trusted?.policy?.ok)?.result.trusted?.policy;
  return teamNotes(repos, teamSettings(policy?.ok ? policy.value : null), now);
}
