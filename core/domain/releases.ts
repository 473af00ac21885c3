/** Which releases count for the cadence, newest first. */

import type { ReleaseInfo } from "../engine/facts.js";
import type { EffectiveConfig } from "../manifest/config.js";
import { matchGlob } from "./glob.js";

/**
 * Longest tag a `tag_pattern` is matched against; a longer one never matches. Matching costs time
 * linear in the tag, so the cap bounds what any one tag can cost, whatever tags a repository holds.
 * GitHub refuses ref names longer than about 250 bytes, and a UTF-8 byte count is never below the
 * UTF-16 length, so no tag GitHub can hold is left out: only a local checkout (`pom check`) can have a
 * longer one. Leaving a release out is safe: the rules judge qualifying releases only, so one fewer
 * can only make them stricter (an older latest release, a longer gap, more unreleased changes),
 * never turn a failure into a pass; a release event on such a tag is skipped like one on any tag
 * the pattern does not match.
 */
export const MAX_TAG_LENGTH = 255;

/**
 * Whether a release counts: published (not a draft), not a pre-release, and matching `tag_pattern`
 * (and so no longer than MAX_TAG_LENGTH) when there is one.
 *
 * @example isQualifying({ tag: "v1.2.0", publishedAt: "2026-06-01T00:00:00Z" }, config) // true with v*
 */
export function isQualifying(release: ReleaseInfo, config: Pick<EffectiveConfig, "tagPattern">): boolean {
  if (release.draft || release.prerelease) return false;
  if (Number.isNaN(Date.parse(release.publishedAt))) return false;
  const pattern = config.tagPattern.value;
  if (pattern === undefined) return true;
  return release.tag.length <= MAX_TAG_LENGTH && matchGlob(pattern, release.tag);
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

/**
 * The releases of several lists, one per tag (the first list that has a tag gives it).
 *
 * @example oneReleasePerTag([{ tag: "v1" }], [{ tag: "v1" }, { tag: "v2" }]).map((r) => r.tag) // ["v1", "v2"]
 */
export function oneReleasePerTag(...lists: readonly (readonly ReleaseInfo[])[]): ReleaseInfo[] {
  const byTag = new Map<string, ReleaseInfo>();
  for (const list of lists) for (const r of list) if (!byTag.has(r.tag)) byTag.set(r.tag, r);
  return [...byTag.values()];
}
