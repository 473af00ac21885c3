/**
 * The facts of rule `manifest.protected` for one pull request: which governance files it changes
 * (blob ids at the head, the default branch and the merge base, remembered per head commit), its
 * approvals that stand (one GraphQL query, read only when a governance file changes), and the
 * members of the teams that may approve (the owning team, the org's governance team, the team a
 * first manifest names). A fact that cannot be read is unavailable with the reason, never empty.
 */
import { governanceChangesOf, governancePaths } from "../../core/domain/governance-files.js";
import type { FactReaders } from "../../core/engine/fact-source.js";
import { unavailable } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type Loaded, MANIFEST_PATHS, type Manifest } from "../../core/manifest/manifest.js";
import { changedGovernancePaths } from "../read/governance-changes.js";
import type { PullRequestPayload } from "../read/pull-request-facts.js";
import { fetchTeamMembers, MEMBERS_PERMISSION } from "../read/repo-facts.js";
import { fetchApprovals } from "../read/reviews.js";
import { type RepoRef, readFact } from "../transport/client.js";
import { type PipelineDeps, remember } from "./deps.js";

/** The governance files of `repo` under `deps` (where the manifest is looked for). */
export function governanceFilesOf(deps: PipelineDeps, repo: RepoRef): string[] {
  return governancePaths(repo.repo, deps.manifestPaths ?? MANIFEST_PATHS);
}

/**
 * {@link changedGovernancePaths} over every governance file of the repository, remembered per head
 * commit and base branch: a head's merge base with its branch stays put while that branch moves
 * forward. `differ`: paths already known to differ from the default branch at the head.
 */
export async function changedGovernanceFiles(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  differ: readonly string[] = [],
): Promise<Set<string>> {
  const paths = governanceFilesOf(deps, repo);
  const key = `${repo.owner}/${repo.repo}:${pr.base.ref}...${pr.head.sha}:${paths.join(",")}`;
  const cached = deps.changes?.get(key);
  if (cached) return cached;
  const changed = await changedGovernancePaths(deps.client, repo, pr, paths, differ);
  remember(deps.changes, key, changed);
  return changed;
}

/** The readers of `manifest.protected`'s facts for pull request `pr`. */
export function governanceReaders(
  deps: PipelineDeps,
  repo: RepoRef,
  pr: PullRequestPayload,
  given: {
    /** The default branch's manifest (null: none). */
    manifest: Loaded<Manifest> | null;
    config: EffectiveConfig;
    /** The manifest the pull request proposes, when it changes it. */
    proposed?: Loaded<Manifest> | undefined;
    /** The files it changes, when a complete list of them was read with it. */
    files?: { paths: string[]; complete: boolean } | undefined;
  },
): FactReaders {
  const all = deps.manifestPaths ?? MANIFEST_PATHS;
  const paths = governanceFilesOf(deps, repo);
  const { config } = given;
  const members = (team: string | undefined, none: string) =>
    team
      ? readFact(`the members of ${team}`, () => fetchTeamMembers(deps.client, team), MEMBERS_PERMISSION)
      : unavailable<string[]>(none);
  return {
    governanceChanges: () =>
      readFact(
        "which governance files the pull request changes",
        async () => {
          const { files } = given;
          const changed = files?.complete
            ? paths.filter((p) => files.paths.includes(p))
            : [...(await changedGovernanceFiles(deps, repo, pr))];
          return governanceChangesOf(
            paths.filter((p) => changed.includes(p)),
            given.manifest,
            given.proposed,
            all,
          );
        },
        "contents: read",
      ),
    reviews: () =>
      readFact(
        "the pull request's reviews",
        () => fetchApprovals(deps.client, repo, pr.number, paths),
        "pull_requests: read",
      ),
    teamMembers: () => members(config.team?.github, "the manifest names no team"),
    governanceTeamMembers: () => members(config.governanceTeam, "the org policy names no governance_team"),
    productTeamMembers: async () => {
      const teams = [
        ...new Set((config.products ?? []).flatMap((p) => (p.team ? [p.team.github.toLowerCase()] : []))),
      ];
      if (teams.length === 0) return unavailable<Record<string, string[]>>("the manifest has no products");
      const read = await Promise.all(teams.map((t) => members(t, "")));
      const failed = read.find((r) => !r.ok);
      if (failed && !failed.ok) return failed;
      return {
        ok: true,
        value: Object.fromEntries(teams.map((t, i) => [t, (read[i] as { value: string[] }).value])),
      };
    },
    proposedTeamMembers: async (get) => {
      const changes = await get("governanceChanges");
      const team = changes?.ok ? changes.value.proposedTeam : undefined;
      return members(team, "the pull request's manifest names no team");
    },
  };
}
