/**
 * manifest.protected: a pull request that changes a governance file (the manifest, CODEOWNERS, the
 * org policy) changes the gate itself, so it needs an approving review from someone entitled to
 * change it: the owning team of the default branch's manifest, or the org's governance team when
 * ownership itself, the org policy or an approved waiver is at stake.
 */
import { addedWaivers, changedProductTeams } from "../core/domain/governance-files.js";
import {
  FactUnavailable,
  NOT_GATHERED,
  type Rule,
  type RuleContext,
  type RuleResult,
} from "../core/engine/rule.js";

/** A team whose member's approval suffices, and the fact that holds its members. */
interface Approver {
  team: string;
  members: "teamMembers" | "governanceTeamMembers" | "proposedTeamMembers" | "productTeamMembers";
}

/** Who may approve, and why it takes them; empty `teams` when no one named can. */
interface Requirement {
  teams: Approver[];
  why: string;
  /** Set when the governance team is needed but the org policy names none. */
  missingGovernance?: string;
}

export const manifestProtected: Rule = {
  id: "manifest.protected",
  title: "changes of the governance files are approved by their owners",
  subjects: ["pull_request"],
  facts: [
    "governanceChanges",
    "reviews",
    "teamMembers",
    "governanceTeamMembers",
    "proposedTeamMembers",
    "productTeamMembers",
  ],
  defaultLevel: "warn",
  needsManifest: false,
  explain: {
    checks:
      "A pull request that changes the manifest (.github/pom.yml or pom.yml), a CODEOWNERS file or, in the org's .github repository, .github/pom-policy.yml has an approving review that still stands (the reviewer's latest review, not dismissed, and no governance file changed after the reviewed commit) from a member of the owning team of the default branch's manifest, or of the org policy's governance_team. Only the governance team may approve a change of team.github, a new manifest (or a member of the team it names), a change of the org policy, and a waiver the org policy requires approved. Without a governance_team those cases stay unknown, never pass.",
    why: "The manifest and CODEOWNERS decide who owns the product and who reviews its changes; a pull request that could rewrite them unseen could dodge every other rule. Ownership changes hands only with the organization's consent.",
    fix: "Ask a member of the team the check names to approve the pull request (again, after the last change to a governance file). An organization sets governance_team: org/team in .github/pom-policy.yml.",
  },
  evaluate(ctx) {
    const changes = ctx.need("governanceChanges");
    if (changes.paths.length === 0) return [];
    const requirement = requirementOf(ctx);
    const changed = `changes ${changes.paths.join(", ")}`;
    const evidence = [`changed: ${changes.paths.join(", ")}`, `why: ${requirement.why}`];
    const who = whoMayApprove(requirement);
    if (requirement.teams.length === 0)
      return undecided(`the pull request ${changed}: ${requirement.missingGovernance}`, evidence);
    const approvals = ctx.need("reviews");
    const standing = approvals.filter((a) => !a.governanceChangedSince);
    for (const a of approvals.filter((a) => a.governanceChangedSince))
      evidence.push(`@${a.login} approved ${short(a.commit)}, before a governance file changed again`);
    const unreadable: FactUnavailable[] = [];
    const outsiders = new Set(standing.map((a) => a.login));
    for (const approver of standing.length > 0 ? requirement.teams : []) {
      const members = membersOf(ctx, approver, unreadable);
      if (!members) continue;
      const member = standing.find((a) => members.has(a.login.toLowerCase()));
      if (member)
        return {
          status: "pass",
          message: `the pull request ${changed}, approved by @${member.login} of @${approver.team}`,
          evidence: [...evidence, `approved at ${short(member.commit)}`],
        };
      for (const a of standing) if (!members.has(a.login.toLowerCase())) outsiders.add(a.login);
    }
    if (unreadable.length > 0 && standing.length > 0) {
      const [first] = unreadable as [FactUnavailable];
      return {
        status: "unknown",
        message: `the pull request ${changed} and needs an approval from ${who}, whose members could not be read: ${first.reason}`,
        fix: first.permission
          ? `grant the token the "${first.permission}" permission, then run the check again`
          : "run the check again",
        evidence: [...evidence, ...(first.permission ? [`needs permission: ${first.permission}`] : [])],
        ...(first.lasting ? { lasting: true } : {}),
      };
    }
    if (requirement.missingGovernance)
      return undecided(`the pull request ${changed}: ${requirement.missingGovernance}`, evidence);
    const seen = [...outsiders].map((login) => `@${login}`);
    return {
      status: "fail",
      message: `the pull request ${changed}: it needs an approving review from ${who}`,
      fix: `ask ${who} to approve the pull request${approvals.length > standing.length ? " again, on its latest commit" : ""}`,
      evidence: [
        ...evidence,
        seen.length > 0 ? `approved by non-members: ${seen.join(", ")}` : "no standing approval",
      ],
    };
  },
};

/** Who must approve the pull request, from what it changes and the policy. */
function requirementOf(ctx: RuleContext): Requirement {
  const changes = ctx.need("governanceChanges");
  const governance = ctx.config.governanceTeam;
  const current = ctx.manifest?.ok ? ctx.manifest.value : undefined;
  // With products, the teams of the products whose block changes (all of them when none does).
  const productTeams = current?.products
    ? changedProductTeams(current, ctx.proposed?.ok ? ctx.proposed.value : undefined)
    : undefined;
  const owner = productTeams ? productTeams.join(", @") || undefined : current?.team?.github;
  const governing: Approver[] = governance ? [{ team: governance, members: "governanceTeamMembers" }] : [];
  const escalate = (why: string, also: Approver[] = []): Requirement => ({
    teams: [...governing, ...also],
    why,
    ...(governance
      ? {}
      : {
          missingGovernance: `${why}, which only the governance team may approve, and the org policy names no governance_team`,
        }),
  });
  if (changes.policyChanges) return escalate("it changes the org policy");
  if (ctx.manifest === null) {
    const named = changes.proposedTeam;
    return escalate(
      named
        ? `the repository has no manifest yet (the new one names @${named})`
        : "the repository has no manifest yet",
      named ? [{ team: named, members: "proposedTeamMembers" }] : [],
    );
  }
  if (!owner) return escalate("the default branch's manifest has errors, so its owning team is unknown");
  if (changes.teamChanges)
    return escalate(
      changes.proposedTeam
        ? `it hands the repository from @${owner} to @${changes.proposedTeam}`
        : `it removes @${owner} as the owning team`,
    );
  const waivers = ctx.config.waiverPolicy.requireApproval ? addedWaivers(ctx.manifest, ctx.proposed) : [];
  if (waivers.length > 0)
    return escalate(
      `it adds or extends the waiver${waivers.length > 1 ? "s" : ""} of ${waivers.map((w) => `${w.rule} (until ${w.until})`).join(", ")}`,
    );
  if (productTeams)
    return {
      teams: [
        ...productTeams.map((team): Approver => ({ team, members: "productTeamMembers" })),
        ...governing,
      ],
      why: `@${owner} ${productTeams.length > 1 ? "own the products it changes" : "owns the product it changes"}`,
    };
  return {
    teams: [{ team: owner, members: "teamMembers" }, ...governing],
    why: `@${owner} owns the repository`,
  };
}

/** "a member of @acme/payments (or of @acme/platform)". */
function whoMayApprove(requirement: Requirement): string {
  const [first, ...rest] = requirement.teams;
  if (!first) return "a member of the governance team";
  return `a member of @${first.team}${rest.length > 0 ? ` (or of ${rest.map((t) => `@${t.team}`).join(", ")})` : ""}`;
}

/** The team's members (lower case), or undefined when they cannot be read (kept in `unreadable`). */
function membersOf(
  ctx: RuleContext,
  approver: Approver,
  unreadable: FactUnavailable[],
): Set<string> | undefined {
  try {
    const members =
      approver.members === "productTeamMembers"
        ? (ctx.need("productTeamMembers")[approver.team.toLowerCase()] ?? [])
        : ctx.need(approver.members);
    return new Set(members.map((m) => m.toLowerCase()));
  } catch (error) {
    // Not gathered yet: the engine reads it and asks again.
    if (!(error instanceof FactUnavailable) || error.reason === NOT_GATHERED) throw error;
    unreadable.push(error);
    return undefined;
  }
}

/** A requirement no one named can meet: undecided, never a pass. */
function undecided(message: string, evidence: string[]): RuleResult {
  return {
    status: "unknown",
    message,
    fix: "set governance_team: org/team in the org policy (.github/pom-policy.yml), then ask a member to approve",
    evidence,
  };
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : "an unknown commit");
