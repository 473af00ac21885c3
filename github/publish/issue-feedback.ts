/**
 * Feedback on an issue: a label per unmet rule and one sticky comment, found again by a hidden
 * marker, edited in place and deleted once the issue complies. Every write is skipped when the
 * issue already shows the right thing, so redelivered webhooks change nothing. The comment's
 * lifecycle is owned-comment.ts's; this file says what it says and keeps the labels.
 */
import type { Finding, RuleId, Verdict } from "../../core/engine/types.js";
import { escapeInline } from "../../core/render/escape.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import { alreadyGone, goalFor } from "./owned.js";
import { type OwnedCommentAction, type OwnedCommentKind, syncOwnedComment } from "./owned-comment.js";
import { priorityOf } from "./priority.js";

export const ISSUE_LABELS: Partial<Record<RuleId, string>> = {
  "outcome.issue": "pom: needs outcome",
  "problem.issue": "pom: needs problem",
};
export const COMMENT_MARKER = "<!-- pom-governance:issue-feedback -->";
const FEEDBACK_COMMENT: OwnedCommentKind = { marker: COMMENT_MARKER };

export interface IssueFeedbackResult {
  added: string[];
  removed: string[];
  comment: OwnedCommentAction;
}

/** The sticky comment's body for the failing findings. */
export function feedbackComment(failing: readonly Finding[]): string {
  // Each text is cut before it is escaped: two rules' worth stay far below GitHub's 65,536 characters.
  const lines = failing.map((f) => `- **${f.rule}**: ${escapeInline(f.message)}. ${escapeInline(f.fix)}`);
  return [
    COMMENT_MARKER,
    "### POM governance",
    "",
    "This issue does not yet meet the repository's Product Operating Model rules:",
    "",
    ...lines,
    "",
    "<sub>Edit the issue to fix this; the comment updates itself and disappears once the issue complies.</sub>",
  ].join("\n");
}

/**
 * Brings labels and the sticky comment of an issue in line with its verdict. Rules that could not
 * be decided leave their label and the comment as they are.
 *
 * @example await publishIssueFeedback(client, repo, { number: 9, labels: [] }, verdict)
 * // { added: ["pom: needs outcome"], removed: [], comment: "created" }
 */
export async function publishIssueFeedback(
  client: GitHubClient,
  repo: RepoRef,
  issue: { number: number; labels: string[] },
  verdict: Verdict,
): Promise<IssueFeedbackResult> {
  const result: IssueFeedbackResult = { added: [], removed: [], comment: "none" };
  const has = new Set(issue.labels.map((l) => l.toLowerCase()));
  for (const [rule, label] of Object.entries(ISSUE_LABELS) as [RuleId, string][]) {
    const finding = verdict.findings.find((f) => f.rule === rule);
    const failing = finding?.status === "fail";
    const settled = finding?.status !== "unknown";
    if (failing && !has.has(label.toLowerCase())) {
      await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issue.number,
        labels: [label],
      });
      result.added.push(label);
    } else if (!failing && settled && has.has(label.toLowerCase())) {
      await client
        .request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
          owner: repo.owner,
          repo: repo.repo,
          issue_number: issue.number,
          name: label,
        })
        .catch(alreadyGone);
      result.removed.push(label);
    }
  }

  const judged = verdict.findings.filter((f) => ISSUE_LABELS[f.rule]);
  // A complying issue that carries none of our labels has had no comment from us to remove (the
  // comment and the labels come and go together), so it costs no request at all.
  const hadLabel = Object.values(ISSUE_LABELS).some((l) => has.has(l.toLowerCase()));
  if (!judged.some((f) => f.status === "fail") && !hadLabel) return result;
  const goal = goalFor(judged, feedbackComment);
  const priority = priorityOf(judged);
  result.comment = await syncOwnedComment(client, repo, issue.number, FEEDBACK_COMMENT, goal, priority);
  return result;
}
