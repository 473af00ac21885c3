/**
 * Facts: what the runtimes gather about a subject and hand to the pure rules. Each fact is either
 * known or unavailable with the reason (and the permission that would make it readable), so that a
 * rule can never mistake "could not read" for "nothing there".
 */
import type { CodeownersFile } from "../domain/codeowners.js";
import type { ReleaseSource } from "../manifest/manifest.js";

export type Fact<T> =
  | { ok: true; value: T }
  | { ok: false; reason: string; permission?: string; fix?: string; lasting?: boolean };

/** A fact that was read. */
export function known<T>(value: T): Fact<T> {
  return { ok: true, value };
}

/**
 * A fact that could not be read, and why; `permission` names what the token lacks, `fix` says
 * what to do when it is not a permission. `lasting` marks a fact that this setup can never read
 * (offline, or a permission the token lacks), as opposed to a passing fault worth retrying.
 */
export function unavailable<T = never>(
  reason: string,
  permission?: string,
  fix?: string,
  lasting?: boolean,
): Fact<T> {
  return {
    ok: false,
    reason,
    ...(permission ? { permission } : {}),
    ...(fix ? { fix } : {}),
    ...(lasting || permission ? { lasting: true } : {}),
  };
}

/** A release, tag or deployment; times are ISO 8601 strings. */
export interface ReleaseInfo {
  tag: string;
  name?: string;
  publishedAt: string;
  sha?: string;
  body?: string;
  prerelease?: boolean;
  draft?: boolean;
}

/** A change that reached the default branch. */
export interface ChangeInfo {
  sha: string;
  mergedAt: string;
  title: string;
  number?: number;
}

/** A pull request or an issue as the rules see it. */
export interface WorkItem {
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  author: string;
}

export interface PullRequestInfo extends WorkItem {
  draft?: boolean;
  mergedAt?: string;
  /** Issues the pull request closes, when they were read with it. */
  closingIssues?: WorkItem[];
}

export type Permission = "pull" | "triage" | "push" | "maintain" | "admin";

export interface TeamInfo {
  exists: boolean;
  /** The team's permission on this repository; null when it has none. */
  permission?: Permission | null;
}

/** The governance files a pull request changes (manifest, CODEOWNERS, in the org's `.github` repository the org policy). */
export interface GovernanceChanges {
  /** The governance files it adds, edits or deletes, as repository paths. */
  paths: string[];
  /** Whether it changes the owning team: the manifest it proposes names another `team.github`, none, or is deleted. */
  teamChanges: boolean;
  /** The team the manifest it proposes names, when it changes the manifest and names one. */
  proposedTeam?: string;
  /** Whether it changes the org policy. */
  policyChanges: boolean;
}

/** An approving review that stands: the reviewer's latest opinion (dismissed reviews are not). */
export interface Approval {
  login: string;
  /** The commit the review was made on (null when GitHub no longer knows it). */
  commit: string | null;
  submittedAt?: string;
  /** Whether a governance file changed between the reviewed commit and the head: then it does not count. */
  governanceChangedSince: boolean;
}

/** A piece of work that may name outcomes: a merged pull request, an issue, a release, a commit, a tag. */
export interface TracedWork {
  /** How to name it in evidence: "pull request #12", "release v1.2.0", "commit 1a2b3c4". */
  ref: string;
  /** When it counts as activity (merged, created or closed, published, committed): ISO 8601. */
  at: string;
  /** Its title and body (or subject and message, name and notes). */
  texts: (string | null | undefined)[];
  labels?: string[];
}

/** Recent work of a repository, for outcome staleness: what was read, and how far back it reaches. */
export interface OutcomeActivity {
  work: TracedWork[];
  /** Everything since this moment (ISO 8601) was read; earlier work may be missing. */
  since: string;
  /** What was read, for evidence ("merged pull requests, issues and releases"). */
  readFrom: string;
}

export interface Facts {
  /** Releases, tags or deployments of the repository, per `release.source`, in any order. */
  releases?: Fact<ReleaseInfo[]>;
  /**
   * What `releases` were read from, when a source reads another kind than `release.source` names
   * (offline, git tags stand for GitHub releases); the evidence names what was really read.
   */
  releasesReadFrom?: Fact<ReleaseSource>;
  /**
   * Changes on the default branch after the latest qualifying release: every one, or, with
   * `unreleasedCount`, the oldest of them.
   */
  unreleased?: Fact<ChangeInfo[]>;
  /** How many changes are unreleased, from a source that counts them all but lists only the oldest. */
  unreleasedCount?: Fact<number>;
  team?: Fact<TeamInfo>;
  /** Logins of the owning team's members. */
  teamMembers?: Fact<string[]>;
  /**
   * The value the organization set for the repository's custom property `team` (a string, or the
   * strings of a multi-select), or null when it set none (or has no such property).
   */
  teamProperty?: Fact<string | string[] | null>;
  /** The CODEOWNERS file GitHub uses (or would, were it not too large), or null when there is none. */
  codeowners?: Fact<CodeownersFile | null>;
  pullRequest?: Fact<PullRequestInfo>;
  /** Issues the pull request closes (GraphQL `closingIssuesReferences` or `Fixes #N`). */
  closingIssues?: Fact<WorkItem[]>;
  issue?: Fact<WorkItem>;
  /** The release being evaluated. */
  release?: Fact<ReleaseInfo>;
  /** The pull requests the release contains. */
  releasePullRequests?: Fact<PullRequestInfo[]>;
  /** The repository's files (paths from its top), read for a manifest with products. */
  files?: Fact<string[]>;
  /** The files a pull request changes, read for a manifest with products. */
  changedFiles?: Fact<string[]>;
  /** The governance files the pull request changes. */
  governanceChanges?: Fact<GovernanceChanges>;
  /** The approvals of the pull request that stand: the latest review of each reviewer, if an approval. */
  reviews?: Fact<Approval[]>;
  /** Logins of the members of the org policy's `governance_team`. */
  governanceTeamMembers?: Fact<string[]>;
  /** Logins of the members of the team a pull request's new manifest names (a repository without one). */
  proposedTeamMembers?: Fact<string[]>;
  /** Work that may name outcomes, from the last `limits.outcome.stale` days (outcome.stale). */
  outcomeActivity?: Fact<OutcomeActivity>;
  /** In a manifest with products: the members (logins) of each product's team, by `org/slug` in lower case. */
  productTeamMembers?: Fact<Record<string, string[]>>;
}

export type FactKey = keyof Facts;

/** Human names of the facts, for messages. */
export const FACT_NAMES: Record<FactKey, string> = {
  releases: "the repository's releases",
  releasesReadFrom: "what the releases were read from",
  unreleased: "the changes since the latest release",
  unreleasedCount: "how many changes wait to be released",
  team: "the owning team",
  teamMembers: "the owning team's members",
  teamProperty: "the repository's custom property team",
  codeowners: "the CODEOWNERS file",
  pullRequest: "the pull request",
  closingIssues: "the issues the pull request closes",
  issue: "the issue",
  release: "the release",
  releasePullRequests: "the pull requests in the release",
  files: "the repository's files",
  changedFiles: "the files the pull request changes",
  governanceChanges: "the governance files the pull request changes",
  reviews: "the pull request's approving reviews",
  governanceTeamMembers: "the governance team's members",
  proposedTeamMembers: "the members of the team the new manifest names",
  outcomeActivity: "the recent pull requests, issues and releases",
  productTeamMembers: "the members of the products' teams",
};
