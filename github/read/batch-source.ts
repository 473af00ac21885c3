/**
 * A repository's facts from a sweep's GraphQL page, as readers for the engine's fact source: each
 * fact the page holds is read from it, and a repository is read on its own (REST or GraphQL) only
 * where the page cannot tell: a release source other than GitHub releases, more history than the
 * page read, a team of another org or with more than 100 members or repositories, a blob too
 * large for GraphQL, recent work for outcome.stale beyond what the page's activity query read
 * (25 merged pull requests and 25 issues of the limit's days; asked only where the policy turns
 * the rule on).
 */
import { reachesBack } from "../../core/domain/outcome-activity.js";
import { qualifyingReleases } from "../../core/domain/releases.js";
import type { FactReaders } from "../../core/engine/fact-source.js";
import {
  type ChangeInfo,
  type Fact,
  known,
  type ReleaseInfo,
  type TeamInfo,
  unavailable,
} from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import type { FileCache } from "../transport/file-cache.js";
import type { OwnerContext } from "./batch-pages.js";
import { configFromFiles, loadTrustedConfig, type TrustedConfig } from "./config.js";
import {
  fetchTeamProperty,
  ownerTeamProperties,
  type PropertyValue,
  REPO_PROPERTIES_PERMISSION,
} from "./custom-properties.js";
import { activityReaders, type WithActivity } from "./outcome-activity.js";
import { fetchReleases } from "./release-source.js";
import type { BatchedRepo, OwnerTeams } from "./repo-batch.js";
import {
  fetchCodeowners,
  fetchTeam,
  fetchTeamMembers,
  fetchUnreleased,
  MEMBERS_PERMISSION,
} from "./repo-facts.js";

/** The trusted configuration from the batch, or from REST when a blob was too large for it. */
export async function batchedConfig(
  client: GitHubClient,
  cache: FileCache,
  repo: BatchedRepo,
  owner: OwnerContext,
): Promise<TrustedConfig> {
  if (repo.manifest === "truncated" || owner.policy === "truncated")
    return loadTrustedConfig(client, cache, repo.repo);
  return configFromFiles(repo.repo, repo.manifest, owner.policy);
}

/**
 * The readers of a repository's facts from its page (`batched`) and its owner's context, reading
 * per repository only where the page cannot tell.
 *
 * @example factSource(batchedReaders(client, cache, batched, owner, config, now)).read(["team"])
 */
export function batchedReaders(
  client: GitHubClient,
  cache: FileCache,
  batched: BatchedRepo & WithActivity,
  owner: OwnerContext,
  config: EffectiveConfig,
  now: Date,
): FactReaders {
  const repo = batched.repo;
  const team = teamFacts(client, repo, owner.teams, config.team?.github);
  const activity = batched.activity;
  return {
    // From the page's activity query where it reaches back the whole limit; else on its own.
    ...(activity && reachesBack(activity, config.staleDays.value, now)
      ? { outcomeActivity: () => known(activity) }
      : activityReaders(client, repo, config, now)),
    team: team.team,
    teamMembers: team.members,
    // Read on its own when the page's blob was too large for GraphQL, or the page did not ask.
    codeowners: () =>
      batched.codeowners === "truncated" || batched.codeowners === undefined
        ? readFact("CODEOWNERS", () => fetchCodeowners(client, cache, repo), "contents: read")
        : known(batched.codeowners),
    teamProperty: () => teamPropertyFact(client, repo, owner),
    releases: () => releasesFact(client, repo, batched, config),
    unreleased: async (get) =>
      unreleasedFact(client, repo, batched, config, (await get("releases")) ?? unavailable("not read")),
  };
}

/** How to read the team facts of `repo`: from the owner's teams, or per repository where they cannot tell. */
function teamFacts(
  client: GitHubClient,
  repo: RepoRef,
  teams: OwnerTeams,
  declared: string | undefined,
): { team: () => Promise<Fact<TeamInfo>>; members: () => Promise<Fact<string[]>> } {
  const given =
    <T>(fact: Fact<T>) =>
    () =>
      Promise.resolve(fact);
  if (!declared) {
    const none = given(unavailable<never>("the manifest names no team"));
    return { team: none, members: none };
  }
  // Read per repository only where the batch cannot tell, and only when asked: each is a request.
  const rest = {
    team: () => readFact("the team", () => fetchTeam(client, repo, declared), MEMBERS_PERMISSION),
    members: () =>
      readFact("the team's members", () => fetchTeamMembers(client, declared), MEMBERS_PERMISSION),
  };
  const [org = "", slug = ""] = declared.split("/");
  if (org.toLowerCase() !== repo.owner.toLowerCase()) return rest;
  if (!teams.ok) {
    const denied = given(
      unavailable<never>(
        `the teams of ${org} are not visible to the token (${teams.reason})`,
        MEMBERS_PERMISSION,
      ),
    );
    return { team: denied, members: denied };
  }
  const entry = teams.teams.get(slug.toLowerCase());
  if (!entry) {
    // An organization that lists no team at all may be one whose teams the token cannot see:
    // REST tells a missing team from an invisible one.
    if (!teams.complete || teams.teams.size === 0) return rest;
    return {
      team: given(known<TeamInfo>({ exists: false })),
      members: given(unavailable<never>(`the team ${declared} does not exist`)),
    };
  }
  const permission = entry.repos.get(`${repo.owner}/${repo.repo}`.toLowerCase());
  return {
    team:
      permission !== undefined || entry.reposAfter === undefined
        ? given(known<TeamInfo>({ exists: true, permission: permission ?? null }))
        : rest.team,
    members: entry.allMembers ? given(known(entry.members)) : rest.members,
  };
}

/** From the owner's list of every repository's values (read once a sweep); else on its own. */
async function teamPropertyFact(
  client: GitHubClient,
  repo: RepoRef,
  owner: OwnerContext,
): Promise<Fact<PropertyValue>> {
  const all = await ownerTeamProperties(client, owner, repo.owner);
  if (!all.ok) return unavailable(all.reason, all.permission, undefined, all.lasting);
  const key = repo.repo.toLowerCase();
  // A repository the list does not hold (created since it was read, or past its last page).
  if (!all.values.has(key))
    return readFact(
      "the custom property team",
      () => fetchTeamProperty(client, repo),
      REPO_PROPERTIES_PERMISSION,
    );
  return known(all.values.get(key) ?? null);
}

async function releasesFact(
  client: GitHubClient,
  repo: RepoRef,
  batched: BatchedRepo,
  config: EffectiveConfig,
): Promise<Fact<ReleaseInfo[]>> {
  const rest = () => readFact("the releases", () => fetchReleases(client, repo, config), "contents: read");
  // Not GitHub releases, or a page that did not ask for them (the org policy has the rules off).
  if (config.releaseSource.value !== "releases" || !batched.releases) return rest();
  const { rows, more } = batched.releases;
  // The newest qualifying release is among those read, or there is none at all.
  if (more && qualifyingReleases(config, rows).length === 0) return rest();
  return known(rows);
}

async function unreleasedFact(
  client: GitHubClient,
  repo: RepoRef,
  batched: BatchedRepo,
  config: EffectiveConfig,
  releases: Fact<ReleaseInfo[]>,
): Promise<Fact<ChangeInfo[]>> {
  if (!releases.ok) return unavailable(`the releases could not be read, so neither can what is unreleased`);
  const newest = qualifyingReleases(config, releases.value)[0];
  const after = newest ? Date.parse(newest.publishedAt) : Number.NEGATIVE_INFINITY;
  const rows = batched.commits?.rows ?? [];
  const unreleased = rows.filter((c) => Date.parse(c.mergedAt) > after);
  // The page did not ask for the history, or every commit read is unreleased and there are more
  // (the oldest is further back): read it on its own.
  if (!batched.commits || (batched.commits.more && unreleased.length === rows.length))
    return readFact(
      "the default branch's history",
      () => fetchUnreleased(client, repo, newest?.publishedAt),
      "contents: read",
    );
  return known(unreleased);
}
