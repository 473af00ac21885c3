/**
 * Feedback on an issue: a label per unmet rule and one sticky comment, found again by a hidden
 * marker, edited in place and deleted once the issue complies. Every write is skipped when the
 * issue already shows the right thing, so redelivered webhooks change nothing.
 */

import type { Finding, RuleId, Verdict } from "../../core/engine/types.js";
import { escapeInline } from "../../core/render/escape.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";

export const ISSUE_LABELS: Partial<Record<RuleId, string>> = {
  "outcome.issue": "pom: needs outcome",
  "problem.issue": "pom: needs problem",
};
export const COMMENT_MARKER = "<!-- pom-governance:issue-feedback -->";

export interface IssueFeedbackResult {
  added: string[];
  removed: string[];
  comment: "created" | "updated" | "deleted" | "unchanged" | "none";
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
 * A 404 on a DELETE: what was to be removed is gone already (removed by hand, by a concurrent
 * delivery, or by an earlier attempt of this request whose answer was lost). Nothing to do.
 */
function alreadyGone(error: { status?: number }): void {
  if (error.status !== 404) throw error;
}

interface Comment {
  id: number;
  body?: string;
  user?: { type?: string } | null;
}

/** Our comments on an issue, oldest first (normally one; more only after a past race). */
async function findStickyComments(client: GitHubClient, repo: RepoRef, issue: number): Promise<Comment[]> {
  const ours: Comment[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: issue,
      per_page: 100,
      page,
    });
    const comments = data as Comment[];
    // Only a bot's comment counts: anybody who can comment could paste the marker, and the app
    // would then edit their comment or delete its own as a duplicate.
    ours.push(...comments.filter((c) => c.user?.type === "Bot" && c.body?.includes(COMMENT_MARKER)));
    if (comments.length < 100) break;
  }
  return ours;
}

/**
 * Brings labels and the sticky comment of an issue in line with its verdict. Rules that could not
 * be decided leave their label as it is.
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

  const failing = verdict.findings.filter((f) => f.status === "fail" && ISSUE_LABELS[f.rule]);
  // A complying issue that carries none of our labels has had no comment from us to remove (the
  // comment and the labels come and go together), so it costs no request at all.
  const hadLabel = Object.values(ISSUE_LABELS).some((l) => has.has(l.toLowerCase()));
  if (failing.length === 0 && !hadLabel) return result;
  const [existing, ...extra] = await findStickyComments(client, repo, issue.number);
  for (const duplicate of extra) {
    await client
      .request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner: repo.owner,
        repo: repo.repo,
        comment_id: duplicate.id,
      })
      .catch(alreadyGone);
  }
  if (failing.length > 0) {
    const body = feedbackComment(failing);
    if (!existing) {
      await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issue.number,
        body,
      });
      result.comment = "created";
    } else if (existing.body !== body) {
      await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner: repo.owner,
        repo: repo.repo,
        comment_id: existing.id,
        body,
      });
      result.comment = "updated";
    } else {
      result.comment = "unchanged";
    }
  } else if (existing && !verdict.findings.some((f) => f.status === "unknown" && ISSUE_LABELS[f.rule])) {
    await client
      .request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner: repo.owner,
        repo: repo.repo,
        comment_id: existing.id,
      })
      .catch(alreadyGone);
    result.comment = "deleted";
  }
  return result;
}
