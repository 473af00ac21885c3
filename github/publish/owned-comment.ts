/**
 * The comment the app owns on an issue (the issue feedback): found by its hidden marker among a
 * bot's comments, created when there is a problem and none exists, edited only when its text
 * changes, deleted when the problem is fixed. Extra ones (left by a past race) are deleted. A
 * comment's text is short and carries no ages or dates, so it is compared whole rather than by a
 * hash marker.
 */
import type { GitHubClient, RepoRef } from "../transport/client.js";
import type { Priority } from "../transport/pacer.js";
import { paced } from "../transport/pacing.js";
import { alreadyGone, byBot, type Goal, stepFor } from "./owned.js";

/** What sets one kind of owned comment apart. */
export interface OwnedCommentKind {
  /** The hidden marker every body the app writes carries. */
  marker: string;
}

export interface OwnedComment {
  id: number;
  body?: string;
  user?: { type?: string } | null;
}

export type OwnedCommentAction = "created" | "updated" | "deleted" | "unchanged" | "none";

/** Pages of 100 comments read at most: an issue with more than 1,000 comments is not looked through further. */
const PAGES = 10;

/**
 * The app's comments of `kind` on issue `issue`, oldest first (normally one). Only a bot's
 * comment counts: anybody who can comment could paste the marker, and the app would then edit
 * their comment, or delete its own as a duplicate.
 *
 * @example await findOwnedComments(client, repo, 9, FEEDBACK_COMMENT) // [{ id: 50, body: "…" }]
 */
export async function findOwnedComments(
  client: GitHubClient,
  repo: RepoRef,
  issue: number,
  kind: OwnedCommentKind,
): Promise<OwnedComment[]> {
  const ours: OwnedComment[] = [];
  for (let page = 1; page <= PAGES; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: issue,
      per_page: 100,
      page,
    });
    const comments = data as OwnedComment[];
    ours.push(...comments.filter((c) => byBot(c) && (c.body?.includes(kind.marker) ?? false)));
    if (comments.length < 100) break;
  }
  return ours;
}

async function deleteComment(client: GitHubClient, repo: RepoRef, id: number): Promise<void> {
  await client
    .request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: repo.owner,
      repo: repo.repo,
      comment_id: id,
    })
    .catch(alreadyGone);
}

/**
 * Brings the app's comment of `kind` on issue `issue` to `goal` (its body): creates it, edits it
 * when its text changed, deletes it when resolved, or leaves it alone.
 *
 * @example await syncOwnedComment(client, repo, 9, FEEDBACK_COMMENT, "resolved") // "deleted"
 */
export async function syncOwnedComment(
  client: GitHubClient,
  repo: RepoRef,
  issue: number,
  kind: OwnedCommentKind,
  goal: Goal<string>,
  /** How urgent creating it is when creations wait their turn (worst first). */
  priority?: Priority,
): Promise<OwnedCommentAction> {
  const [current, ...extras] = await findOwnedComments(client, repo, issue, kind);
  for (const extra of extras) await deleteComment(client, repo, extra.id);
  const step = stepFor(goal, current && { open: true }, (body) => current?.body === body);
  if (step === "none") return "none";
  if (step === "keep") return "unchanged";
  if (step === "retire" && current) {
    await deleteComment(client, repo, current.id);
    return "deleted";
  }
  if (typeof goal !== "object") throw new Error(`owned comment: step ${step} without content`);
  if (!current) {
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: issue,
      body: goal.content,
      ...paced(priority),
    });
    return "created";
  }
  await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
    owner: repo.owner,
    repo: repo.repo,
    comment_id: current.id,
    body: goal.content,
  });
  return "updated";
}
