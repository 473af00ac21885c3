/**
 * Reviews as GitHub counts them for approval: each reviewer's latest opinion wins. A later
 * "changes requested" cancels an approval, a dismissed review counts for nothing (and cancels the
 * approval it was), a comment changes nothing.
 */

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "COMMENTED" | "PENDING";

export interface Review {
  login: string;
  state: ReviewState;
  /** The reviewed commit, when GitHub still knows it. */
  commit: string | null;
  submittedAt?: string;
}

/**
 * The reviews whose author's latest opinion is an approval, one per author, in the order given
 * (GitHub lists reviews oldest first).
 *
 * @example standingApprovals([{ login: "ann", state: "APPROVED", commit: "a" }, { login: "ann", state: "CHANGES_REQUESTED", commit: "b" }]) // []
 */
export function standingApprovals(reviews: readonly Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING" || !review.login) continue;
    const key = review.login.toLowerCase();
    latest.delete(key);
    latest.set(key, review);
  }
  return [...latest.values()].filter((r) => r.state === "APPROVED");
}
