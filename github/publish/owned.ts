/**
 * The lifecycle of what the app owns on GitHub: an issue in a repository (owned-issue.ts) or a
 * comment on an issue (owned-comment.ts). Both are found again by a hidden marker, created when
 * there is a problem and none exists, edited only when what they say changes, retired when the
 * problem is fixed (an issue closed with a note, a comment deleted) and, for an issue, reopened
 * when the problem comes back. This file holds what both kinds decide alike.
 */
import { createHash } from "node:crypto";
import type { Finding } from "../../core/engine/types.js";

/** What the app's item should become: say `content`, be retired as fixed, or stay as it is. */
export type Goal<C> = { content: C } | "resolved" | "undecided";

/**
 * The goal for `findings`: when some fail, `render(failing)`; when none fail, resolved, unless
 * some could not be decided. An undecided finding never creates or retires an item by itself: it
 * is no evidence of a problem, nor of its fix.
 *
 * @example goalFor(verdict.findings, (failing) => feedbackComment(failing)) // { content: "…" }
 */
export function goalFor<C>(findings: readonly Finding[], render: (failing: Finding[]) => C): Goal<C> {
  const failing = findings.filter((f) => f.status === "fail");
  if (failing.length > 0) return { content: render(failing) };
  return findings.some((f) => f.status === "unknown") ? "undecided" : "resolved";
}

/** One step towards a goal: what the item's current state asks for. */
export type Step = "create" | "reopen" | "edit" | "keep" | "retire" | "none";

/**
 * The step that takes the app's item from `current` (undefined when there is none) to `goal`;
 * `says` tells whether the item already says some content.
 *
 * @example stepFor({ content: "x" }, { open: false }, () => true) // "reopen"
 */
export function stepFor<C>(
  goal: Goal<C>,
  current: { open: boolean } | undefined,
  says: (content: C) => boolean,
): Step {
  if (goal === "undecided") return "none";
  if (goal === "resolved") return current?.open ? "retire" : "none";
  if (!current) return "create";
  // A recurrence brings back the item people followed, with its history, never a second one.
  if (!current.open) return "reopen";
  return says(goal.content) ? "keep" : "edit";
}

/**
 * A short hash of `text` for a hash marker.
 *
 * @example contentHash("release.cadence:error::") // "3f0c…" (16 hex digits)
 */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * The hidden line that records, under `name`, the hash of what a body says: comparing it tells
 * whether an edit is due without comparing wording that may change for no reason (ages, dates).
 *
 * @example hashMarker("hash", "0123456789abcdef") // "<!-- pom-governance:hash:0123456789abcdef -->"
 */
export function hashMarker(name: string, hash: string): string {
  return `<!-- pom-governance:${name}:${hash} -->`;
}

const HASH_MARKERS = /<!-- pom-governance:([a-z-]+):([0-9a-f]+) -->/g;

/**
 * The hash recorded under `name` in `body`, if any.
 *
 * @example hashIn("hash", "<!-- pom-governance:hash:0a1b -->\n…") // "0a1b"
 */
export function hashIn(name: string, body: string | null | undefined): string | undefined {
  // A fixed pattern, the name compared after: no expression is ever built from data.
  for (const [, found, hash] of (body ?? "").matchAll(HASH_MARKERS)) if (found === name) return hash;
  return undefined;
}

/**
 * Whether GitHub names a bot as the author. Anybody who can comment can paste a marker; only the
 * app's own items are a bot's, so a person's text is never edited, closed or deleted as the app's.
 */
export function byBot(item: { user?: { type?: string } | null }): boolean {
  return item.user?.type === "Bot";
}

/**
 * For a DELETE's failure: a 404 means what was to be removed is gone already (removed by hand, by
 * a concurrent delivery, or by an earlier attempt whose answer was lost). Anything else is thrown.
 */
export function alreadyGone(error: { status?: number }): void {
  if (error.status !== 404) throw error;
}
