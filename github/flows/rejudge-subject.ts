/**
 * Judging a subject again from what GitHub holds now, not from a delivery's payload: the pull
 * request, release or issue is read fresh, and published as a delivery would publish it. The
 * check-run ledger keeps this from writing what GitHub already shows, and a check that was never
 * written is created. Used for work whose delivery was acknowledged but whose writes failed.
 */
import { readPullRequest } from "../read/pull-request-facts.js";
import { readRelease } from "../read/release-source.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import {
  type GovernResult,
  governIssue,
  governPullRequest,
  governRelease,
  governRepository,
} from "./govern.js";
import type { IssuePayload } from "./subjects.js";

/** What to judge again: a pull request, a release, an issue, or the repository (on a commit). */
export type WorkSubject =
  | { kind: "pr"; number: number }
  | { kind: "release"; tag: string }
  | { kind: "issue"; number: number }
  | { kind: "repo"; sha?: string };

/** A short name of `subject` for logs and keys: "pr #7", "release v1.2.0", "repo @abc1234". */
export function describeSubject(subject: WorkSubject): string {
  if (subject.kind === "pr") return `pr #${subject.number}`;
  if (subject.kind === "issue") return `issue #${subject.number}`;
  if (subject.kind === "release") return `release ${subject.tag}`;
  return subject.sha ? `repo @${subject.sha.slice(0, 7)}` : "repo";
}

/**
 * Judges `subject` of `repo` again as it is now.
 *
 * @example await rejudge(deps, { owner: "acme", repo: "checkout" }, { kind: "pr", number: 7 })
 */
export async function rejudge(
  deps: PipelineDeps,
  repo: RepoRef,
  subject: WorkSubject,
): Promise<GovernResult> {
  switch (subject.kind) {
    case "pr":
      return governPullRequest(deps, repo, await readPullRequest(deps.client, repo, subject.number));
    case "release":
      return governRelease(deps, repo, await readRelease(deps.client, repo, subject.tag));
    case "issue": {
      const { data } = await deps.client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: subject.number,
      });
      return governIssue(deps, repo, data as unknown as IssuePayload);
    }
    case "repo":
      return governRepository(deps, repo, subject.sha ? { sha: subject.sha } : {});
  }
}
