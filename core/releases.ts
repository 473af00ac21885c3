/** Which releases count for the cadence, newest first. */
import type { EffectiveConfig } from "./config.js";
import type { ReleaseInfo } from "./facts.js";
import { matchGlob } from "./glob.js";

/** Whether a release counts: published (not a draft), not a pre-release, and matching `tag_pattern`. */
export function isQualifying(release: ReleaseInfo, config: Pick<EffectiveConfig, "tagPattern">): boolean {
  if (release.draft || release.prerelease) return false;
  if (Number.isNaN(Date.parse(release.publishedAt))) return false;
  const pattern = config.tagPattern.value;
  return pattern === undefined || matchGlob(pattern, release.tag);
}

/**
 * The qualifying releases, newest first; with `asOf`, only those published by then (judging the
 * repository as it was at a past `now`, a later release does not exist yet).
 *
 * @example qualifyingReleases(config, releases)[0]?.tag // the latest release's tag
 */
export function qualifyingReleases(
  config: Pick<EffectiveConfig, "tagPattern">,
  releases: readonly ReleaseInfo[],
  asOf?: Date,
): ReleaseInfo[] {
  const by = asOf?.getTime() ?? Number.POSITIVE_INFINITY;
  return releases
    .filter((r) => isQualifying(r, config) && Date.parse(r.publishedAt) <= by)
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
}
