/** Which webhook events the app handles, and the small decisions about them. */
import { CODEOWNERS_PATHS } from "../core/domain/codeowners.js";
import { MANIFEST_PATHS, POLICY_PATH } from "../core/manifest/manifest.js";
import { ISSUE_LABELS } from "../github/publish/issue-feedback.js";

export const PULL_REQUEST_ACTIONS = [
  "opened",
  "edited",
  "synchronize",
  "reopened",
  "labeled",
  "unlabeled",
  "ready_for_review",
] as const;
export const ISSUE_ACTIONS = ["opened", "edited", "labeled", "unlabeled", "reopened", "closed"] as const;
/** Issue actions that judge the issue itself (a closed issue gets no feedback). */
export const FEEDBACK_ACTIONS: ReadonlySet<string> = new Set([
  "opened",
  "edited",
  "labeled",
  "unlabeled",
  "reopened",
]);
/**
 * Issue actions after which the pull requests that close or reference the issue are judged again:
 * their verdict may read its text and labels, and GitHub sends them no event of their own.
 */
export const DEPENDANT_ACTIONS: ReadonlySet<string> = new Set([
  "edited",
  "labeled",
  "unlabeled",
  "closed",
  "reopened",
]);
export const RELEASE_ACTIONS = ["published", "edited"] as const;
/** Review actions that can change which approvals stand (manifest.protected). */
export const REVIEW_ACTIONS = ["submitted", "dismissed"] as const;

/**
 * Whether a review event can change a verdict: a dismissal, or a review that approves or requests
 * changes. A comment leaves every approval as it was, and is not judged again.
 *
 * @example changesApprovals({ action: "submitted", review: { state: "commented" } }) // false
 */
export function changesApprovals(payload: { action?: string; review?: { state?: string } | null }): boolean {
  if (payload.action === "dismissed") return true;
  const state = (payload.review?.state ?? "").toLowerCase();
  return state === "approved" || state === "changes_requested";
}

const WATCHED = new Set<string>([...MANIFEST_PATHS, ...CODEOWNERS_PATHS]);

interface PushCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/** The files a push touched, from its commits (GitHub lists up to 2,000 per push). */
export function touchedFiles(commits: readonly PushCommit[] | undefined): Set<string> {
  const files = new Set<string>();
  for (const c of commits ?? [])
    for (const f of [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]) files.add(f);
  return files;
}

/** Whether a push changes what the repository rules read: pom.yml or CODEOWNERS. */
export function touchesGovernance(files: ReadonlySet<string>): boolean {
  return [...files].some((f) => WATCHED.has(f));
}

/** Whether a ref is a merge queue's temporary branch (`refs/heads/gh-readonly-queue/<base>/pr-…`). */
export function isMergeQueueBranch(ref: string | undefined): boolean {
  return /^(refs\/heads\/)?gh-readonly-queue\//.test(ref ?? "");
}

/** Whether a push changes the manifest, which open pull requests are judged by. */
export function touchesManifest(files: ReadonlySet<string>): boolean {
  return MANIFEST_PATHS.some((p) => files.has(p));
}

/** Whether a push changes the org policy (pushes to the org's `.github` repository). */
export function touchesPolicy(repo: string, files: ReadonlySet<string>): boolean {
  return repo === ".github" && files.has(POLICY_PATH);
}

/** Our own label changes come back as webhooks; they change nothing and are ignored. */
export function isOwnLabelEvent(payload: {
  sender?: { type?: string } | null;
  label?: { name?: string } | null;
}): boolean {
  const ours = new Set(Object.values(ISSUE_LABELS));
  return payload.sender?.type === "Bot" && ours.has(payload.label?.name ?? "");
}

/** The subject a check run stands for, from its `external_id`. */
export type CheckSubject =
  | { kind: "pr"; number: number }
  | { kind: "release"; tag: string }
  | { kind: "repo" };

export function parseExternalId(id: string | null | undefined): CheckSubject | undefined {
  if (!id) return undefined;
  if (id === "repo") return { kind: "repo" };
  // "pr:12", or "pr:12:<hash of the verdict's inputs>".
  const pr = /^pr:(\d+)(?::[0-9a-f]+)?$/.exec(id);
  if (pr) return { kind: "pr", number: Number(pr[1]) };
  const release = /^release:(.+)$/.exec(id);
  if (release?.[1]) return { kind: "release", tag: release[1] };
  return undefined;
}
