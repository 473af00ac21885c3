/** The org policy's `limits:` that repository rules read as well as the team view: `outcome.stale`. */
import { parseDuration } from "./duration.js";
import type { OrgPolicy } from "./manifest.js";

/** How long an active outcome may go without traced work, by default. */
export const DEFAULT_STALE_DAYS = 60;

const DAY_MS = 86_400_000;

/**
 * The policy's `limits.outcome.stale` in whole days (at least one), or the default when it sets
 * none (or an unreadable one, which the policy's own validation reports).
 *
 * @example staleDays({ version: 1, limits: { "outcome.stale": "2w" } }) // 14
 */
export function staleDays(policy: Pick<OrgPolicy, "limits"> | null | undefined): number {
  const text = policy?.limits?.["outcome.stale"];
  const parsed = text ? parseDuration(text) : undefined;
  return parsed?.ok ? Math.max(1, Math.round(parsed.ms / DAY_MS)) : DEFAULT_STALE_DAYS;
}
