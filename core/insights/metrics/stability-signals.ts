/**
 * What marks a release as a failure, read from text: a hotfix release's tag or title, a semver
 * patch bump, a revert commit's message, a revert pull request's title, an incident naming a tag.
 * Pure and linear in the text. Definitions: docs/metrics.md ("Stability").
 */

import { matchGlob } from "../../domain/glob.js";
import { MAX_TAG_LENGTH } from "../../domain/releases.js";
import { HOUR_MS } from "./time.js";

/** The org policy's `stability:` settings, resolved. */
export interface StabilitySettings {
  /** How soon after a release a hotfix makes it a failure (`patch_window`). */
  patchWindowMs: number;
  /** Globs a hotfix release's tag or title matches (`hotfix_patterns`), case-insensitive. */
  hotfixPatterns: readonly string[];
  /** The label of incident issues (`incident_label`). */
  incidentLabel: string;
}

export const DEFAULT_STABILITY: StabilitySettings = {
  patchWindowMs: 48 * HOUR_MS,
  hotfixPatterns: ["*hotfix*"],
  incidentLabel: "incident",
};

/**
 * Whether a release's tag or title matches one of the hotfix patterns (case-insensitive).
 *
 * @example isHotfix({ tag: "v1.2.1", name: "Hotfix: login" }, ["*hotfix*"]) // true
 */
export function isHotfix(release: { tag: string; name?: string }, patterns: readonly string[]): boolean {
  const texts = [release.tag, release.name ?? ""]
    .filter((t) => t.length > 0 && t.length <= MAX_TAG_LENGTH)
    .map((t) => t.toLowerCase());
  return patterns.some((p) => texts.some((t) => matchGlob(p.toLowerCase(), t)));
}

/** `prefix` (empty or ending in neither a digit nor a dot), then MAJOR.MINOR.PATCH and nothing else. */
const SEMVER = /^(|.*[^\d.])(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;

/**
 * Whether `next` is a semver patch bump of `release`: the same prefix, major and minor, a higher
 * patch; tags with a pre-release or build suffix are not.
 *
 * @example isPatchBump("v1.4.0", "v1.4.1") // true
 * @example isPatchBump("v1.4.1", "v1.5.0") // false
 */
export function isPatchBump(release: string, next: string): boolean {
  if (release.length > MAX_TAG_LENGTH || next.length > MAX_TAG_LENGTH) return false;
  const a = SEMVER.exec(release);
  const b = SEMVER.exec(next);
  if (!a || !b) return false;
  return (
    a[1] === b[1] &&
    Number(a[2]) === Number(b[2]) &&
    Number(a[3]) === Number(b[3]) &&
    Number(b[4]) > Number(a[4])
  );
}

/**
 * The commits a commit message reverts: each "This reverts commit <sha>" (git's own wording).
 *
 * @example revertedCommits('Revert "Add cache"\n\nThis reverts commit 1a2b3c4d.') // ["1a2b3c4d"]
 */
export function revertedCommits(message: string): string[] {
  return [...message.matchAll(/\bthis reverts commit ([0-9a-f]{7,40})\b/gi)].map((m) =>
    (m[1] as string).toLowerCase(),
  );
}

/**
 * The pull requests a pull request titled "Revert …" names in its title or body, as `#N`,
 * `owner/repo#N` of this repository or a link to one of its pull requests (GitHub's revert
 * button writes "Reverts owner/repo#N"); none when the title does not start with "Revert".
 *
 * @example revertedPulls({ title: 'Revert "Add cache"', body: "Reverts acme/shop#41" }, "acme/shop") // [41]
 */
export function revertedPulls(pull: { title: string; body: string | null }, repo: string): number[] {
  if (!/^\s*revert\b/i.test(pull.title)) return [];
  const own = repo.toLowerCase();
  const text = `${pull.title}\n${pull.body ?? ""}`;
  const found = new Set<number>();
  for (const m of text.matchAll(/(?:^|[^\w/#])(?:([\w.-]+\/[\w.-]+))?#(\d{1,9})\b/g))
    if (m[1] === undefined || m[1].toLowerCase() === own) found.add(Number(m[2]));
  for (const m of text.matchAll(/\bgithub\.com\/([\w.-]+\/[\w.-]+)\/pull\/(\d{1,9})\b/gi))
    if ((m[1] as string).toLowerCase() === own) found.add(Number(m[2]));
  return [...found].sort((a, b) => a - b);
}

const TAG_CHAR = /[\w-]/;

/**
 * Which of `tags` a text names: each as a whole word (not part of a longer tag: `v1.2` is not named
 * by "v1.2.3"; a full stop after it ends a sentence, not the tag).
 *
 * @example namedTags("Checkout down since v1.4.0.", ["v1.4.0", "v1.4"]) // ["v1.4.0"]
 */
export function namedTags(text: string, tags: readonly string[]): string[] {
  const named: string[] = [];
  for (const tag of new Set(tags)) {
    if (tag.length === 0) continue;
    for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + 1)) {
      const before = text[at - 1] ?? " ";
      const after = text[at + tag.length] ?? " ";
      const then = text[at + tag.length + 1] ?? " ";
      const joined = TAG_CHAR.test(after) || ((after === "." || after === "/") && TAG_CHAR.test(then));
      if (!TAG_CHAR.test(before) && before !== "." && before !== "/" && !joined) {
        named.push(tag);
        break;
      }
    }
  }
  return named.sort();
}
