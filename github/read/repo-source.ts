/**
 * A repository's facts read live, one repository at a time (REST and GraphQL), as readers for the
 * engine's fact source: its team and the team's members, CODEOWNERS, releases, unreleased work,
 * recent work naming outcomes.
 * Each is read only when a rule the configuration leaves on asks for it; one that cannot be read
 * is unavailable with the reason (and the permission that would help), never empty.
 */
import { qualifyingReleases } from "../../core/domain/releases.js";
import type { FactReaders } from "../../core/engine/fact-source.js";
import { type ChangeInfo, unavailable } from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { type GitHubClient, type RepoRef, readFact } from "../transport/client.js";
import type { FileCache } from "../transport/file-cache.js";
import { fetchTeamProperty, REPO_PROPERTIES_PERMISSION } from "./custom-properties.js";
import { activityReaders } from "./outcome-activity.js";
import { fetchReleases } from "./release-source.js";
import {
  fetchCodeowners,
  fetchTeam,
  fetchTeamMembers,
  fetchUnreleased,
  MEMBERS_PERMISSION,
} from "./repo-facts.js";

const NO_TEAM = "the manifest names no team";

/**
 * The readers of one repository's facts under `config`, as of `now`.
 *
 * @example factSource(repoReaders(client, cache, repo, config, now)).read(["team"])
 */
export function repoReaders(
  client: GitHubClient,
  cache: FileCache,
  repo: RepoRef,
  config: EffectiveConfig,
  now: Date,
): FactReaders {
  const team = config.team?.github;
  return {
    ...activityReaders(client, repo, config, now),
    team: () =>
      team
        ? readFact("the team", () => fetchTeam(client, repo, team), MEMBERS_PERMISSION)
        : unavailable(NO_TEAM),
    teamMembers: () =>
      team
        ? readFact("the team's members", () => fetchTeamMembers(client, team), MEMBERS_PERMISSION)
        : unavailable(NO_TEAM),
    teamProperty: () =>
      readFact("the custom property team", () => fetchTeamProperty(client, repo), REPO_PROPERTIES_PERMISSION),
    codeowners: () => readFact("CODEOWNERS", () => fetchCodeowners(client, cache, repo), "contents: read"),
    releases: () => readFact("the releases", () => fetchReleases(client, repo, config), "contents: read"),
    unreleased: async (get) => {
      const releases = await get("releases");
      if (!releases?.ok)
        return unavailable<ChangeInfo[]>("the releases could not be read, so neither can what is unreleased");
      const newest = qualifyingReleases(config, releases.value)[0];
      return readFact(
        "the default branch's history",
        () => fetchUnreleased(client, repo, newest?.publishedAt),
        "contents: read",
      );
    },
  };
}
