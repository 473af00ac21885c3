/**
 * The fake GitHub's state: repositories (files, history, tags, releases, issues, pull requests,
 * check runs), teams, GitHub Apps and their installations. Tests seed it, the fake's routes read
 * and change it, and tests read it back to see what the app did.
 */
import { createHash, type KeyObject } from "node:crypto";
import { FakeDeliveryLog } from "./deliveries.js";

export type Permission = "admin" | "maintain" | "push" | "triage" | "pull";

/** A deterministic 40-hex commit sha from any text. */
export function shaOf(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

export interface SeedCommit {
  sha?: string;
  message: string;
  /** ISO date; default: now. */
  date?: string;
  author?: string;
  /** The paths it changed (what `history(path:)` filters by); default: none listed. */
  files?: string[];
}

export interface SeedRelease {
  tag: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  /** ISO date; null for a draft. Default: createdAt or now. */
  publishedAt?: string | null;
  createdAt?: string;
  /** A sha or branch the tag is created on when it does not exist; default: the default branch. */
  target?: string;
}

export interface SeedIssue {
  number?: number;
  title: string;
  body?: string | null;
  labels?: string[];
  state?: "open" | "closed";
  /** Why a closed issue was closed; default "completed", as GitHub closes one. */
  stateReason?: "completed" | "not_planned";
  author?: string;
  comments?: { body: string; author?: string }[];
  /** ISO dates; default: now (and, for a closed issue, closed now). */
  createdAt?: string;
  closedAt?: string;
}

export interface SeedPull {
  number?: number;
  title: string;
  body?: string | null;
  labels?: string[];
  author?: string;
  headSha?: string;
  headRef?: string;
  /** Paths the pull request changes. */
  files?: string[];
  /**
   * The tree of the commit the branch was cut from. Default: the head's tree with the paths in
   * `files` as the default branch has them (so the pull request changes exactly `files`).
   */
  mergeBaseFiles?: Record<string, string>;
  /** Issue numbers GitHub links as closing issues. */
  closingIssues?: number[];
  mergedAt?: string | null;
  draft?: boolean;
  state?: "open" | "closed";
  /** The branch it merges into; default: the default branch. */
  baseRef?: string;
  /** The commit its merge made on the base branch (GraphQL `mergeCommit`). */
  mergeCommit?: string;
  /** Its reviews, oldest first. */
  reviews?: SeedReview[];
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";

export interface SeedReview {
  login: string;
  state: ReviewState;
  /** The reviewed commit; default: the pull request's head. */
  commit?: string;
  submittedAt?: string;
}

export interface FakeReview {
  id: number;
  login: string;
  state: ReviewState;
  commit: string;
  submittedAt: string;
}

export interface SeedRepo {
  owner: string;
  name: string;
  defaultBranch?: string;
  archived?: boolean;
  private?: boolean;
  /** Files on the default branch. */
  files?: Record<string, string>;
  /** Trees of other refs (branch names or commit shas, e.g. a pull request's head). */
  filesAt?: Record<string, Record<string, string>>;
  /** Default-branch history, oldest first; the last one is the branch head. */
  commits?: SeedCommit[];
  /** Tag name -> commit sha (lightweight), or an annotated tag. */
  tags?: Record<string, string | { sha: string; date: string }>;
  releases?: SeedRelease[];
  issues?: SeedIssue[];
  pulls?: SeedPull[];
  deployments?: { ref: string; sha: string; environment: string; createdAt: string }[];
  /** The organization's custom property values set on the repository, by property name. */
  properties?: Record<string, string | string[] | null>;
}

export interface SeedTeam {
  org: string;
  slug: string;
  name?: string;
  members?: string[];
  /** "owner/repo" -> the team's permission on it. */
  repos?: Record<string, Permission>;
}

export interface SeedInstallation {
  id: number;
  /** The GitHub App it belongs to (default: the first app). */
  appId?: number;
  /** The org or user it is installed on. */
  account: string;
  /** "owner/repo" names; default: every repository of the account. */
  repositories?: string[];
  /** The permissions the installation was granted; default: those app.yml asks for. */
  permissions?: Record<string, string>;
}

export interface FakeSeed {
  /** GitHub Apps; a public key makes the fake verify the app's JWTs. Default: app 1, unverified. */
  apps?: { id: number; publicKey?: string | KeyObject }[];
  /** Default: installation 1 on every owner that has a repository. */
  installations?: SeedInstallation[];
  repos?: SeedRepo[];
  teams?: SeedTeam[];
}

export interface FakeCommit {
  sha: string;
  message: string;
  date: string;
  author: string;
  /** The paths it changed, when the seed listed them. */
  files?: string[];
}

export interface FakeRelease {
  id: number;
  tag_name: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  published_at: string | null;
  target_commitish: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  author: string;
  created_at: string;
  updated_at: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  state: "open" | "closed";
  state_reason: string | null;
  author: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Pinned to the top of the repository's issues (GraphQL pinIssue). */
  pinned?: boolean;
  /** Set when the issue is a pull request. */
  pull?: FakePull;
}

export interface FakePull {
  number: number;
  headSha: string;
  headRef: string;
  files: string[];
  closingIssues: number[];
  mergedAt: string | null;
  draft: boolean;
  baseRef?: string;
  mergeCommit?: string;
  /** Earlier (or other) head commits of the branch, which share its merge base. */
  heads: string[];
  /** The merge base's sha (a commit of its own, with the tree below). */
  mergeBase: string;
  mergeBaseFiles?: Map<string, string>;
  /** Its reviews, oldest first. */
  reviews: FakeReview[];
}

export interface FakeCheckRun {
  id: number;
  /** The GitHub App that wrote it. */
  app_id?: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] };
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  archived: boolean;
  private: boolean;
  files: Map<string, string>;
  filesAt: Map<string, Map<string, string>>;
  commits: FakeCommit[];
  tags: Map<string, { sha: string; date?: string }>;
  releases: FakeRelease[];
  /** Issues and pull requests share one numbering, as on GitHub. */
  issues: FakeIssue[];
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  labels: Set<string>;
  deployments: { id: number; ref: string; sha: string; environment: string; created_at: string }[];
  /** The default branch's merge queue, in order: each entry's pull request and its head commit. */
  mergeQueue?: { number: number; headSha: string }[];
  /** Custom property values set on the repository, by property name. */
  properties: Map<string, string | string[] | null>;
}

export interface FakeTeam {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: string[];
  repos: Map<string, Permission>;
}

export interface FakeInstallation {
  id: number;
  appId: number;
  account: string;
  /** Lower-cased "owner/repo" names, or "all" for every repository of the account. */
  repositories: Set<string> | "all";
  permissions: Record<string, string>;
}

/** The permissions app.yml asks for, as GitHub grants them to a new installation. */
export const DEFAULT_PERMISSIONS: Readonly<Record<string, string>> = {
  checks: "write",
  contents: "read",
  issues: "write",
  members: "read",
  metadata: "read",
  pull_requests: "read",
  merge_queues: "read",
  organization_custom_properties: "read",
};

const key = (fullName: string) => fullName.toLowerCase();

export class FakeState {
  readonly repos = new Map<string, FakeRepo>();
  readonly teams = new Map<string, FakeTeam>();
  readonly apps = new Map<number, { id: number; publicKey?: string | KeyObject }>();
  readonly installations = new Map<number, FakeInstallation>();
  /** Installation access tokens the fake has issued -> their installation. */
  readonly tokens = new Map<string, number>();
  /** The apps' webhook deliveries, as their "Recent deliveries" log shows them. */
  readonly deliveries = new FakeDeliveryLog();
  /**
   * The most entries (files and directories) a recursive tree read lists; past it GitHub answers
   * `truncated: true` (100,000 entries or 7 MB). Tests lower it to see a truncated tree.
   */
  treeEntryLimit = 100_000;
  #nextId = 1000;

  constructor(seed: FakeSeed = {}) {
    for (const app of seed.apps ?? [{ id: 1 }]) this.apps.set(app.id, app);
    for (const repo of seed.repos ?? []) this.addRepo(repo);
    for (const team of seed.teams ?? []) this.addTeam(team);
    const firstApp = [...this.apps.keys()][0] ?? 1;
    const installations: SeedInstallation[] =
      seed.installations ??
      [...new Set([...this.repos.values()].map((r) => r.owner))].map((account) => ({ id: 1, account }));
    for (const i of installations) {
      this.installations.set(i.id, {
        id: i.id,
        appId: i.appId ?? firstApp,
        account: i.account,
        repositories: i.repositories ? new Set(i.repositories.map(key)) : "all",
        permissions: { ...(i.permissions ?? DEFAULT_PERMISSIONS) },
      });
    }
  }

  nextId(): number {
    return this.#nextId++;
  }

  addRepo(seed: SeedRepo): FakeRepo {
    const now = new Date().toISOString();
    const fullName = `${seed.owner}/${seed.name}`;
    const defaultBranch = seed.defaultBranch ?? "main";
    const commits = (seed.commits ?? [{ message: "Initial commit" }]).map((c, i) => ({
      sha: c.sha ?? shaOf(`${fullName}#${i}:${c.message}`),
      message: c.message,
      date: c.date ?? now,
      author: c.author ?? "octocat",
      ...(c.files ? { files: [...c.files] } : {}),
    }));
    const repo: FakeRepo = {
      id: this.nextId(),
      owner: seed.owner,
      name: seed.name,
      fullName,
      defaultBranch,
      archived: seed.archived ?? false,
      private: seed.private ?? false,
      files: new Map(Object.entries(seed.files ?? {})),
      filesAt: new Map(
        Object.entries(seed.filesAt ?? {}).map(([ref, files]) => [ref, new Map(Object.entries(files))]),
      ),
      commits,
      tags: new Map(
        Object.entries(seed.tags ?? {}).map(([name, t]) => [name, typeof t === "string" ? { sha: t } : t]),
      ),
      releases: [],
      issues: [],
      comments: [],
      checkRuns: [],
      labels: new Set(),
      properties: new Map(Object.entries(seed.properties ?? {})),
      deployments: (seed.deployments ?? []).map((d) => ({
        id: this.nextId(),
        ref: d.ref,
        sha: d.sha,
        environment: d.environment,
        created_at: d.createdAt,
      })),
    };
    this.repos.set(key(fullName), repo);
    for (const r of seed.releases ?? []) this.publishRelease(fullName, r);
    for (const pull of seed.pulls ?? []) this.addPull(fullName, pull);
    for (const issue of seed.issues ?? []) this.addIssue(fullName, issue);
    return repo;
  }

  addTeam(seed: SeedTeam): FakeTeam {
    const team: FakeTeam = {
      id: this.nextId(),
      org: seed.org,
      slug: seed.slug,
      name: seed.name ?? seed.slug,
      members: [...(seed.members ?? [])],
      repos: new Map(Object.entries(seed.repos ?? {}).map(([r, p]) => [key(r), p])),
    };
    this.teams.set(key(`${seed.org}/${seed.slug}`), team);
    return team;
  }

  /** The repository `owner/name`; throws when there is none (for tests). */
  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(key(fullName));
    if (!repo) throw new Error(`fake GitHub: no repository ${fullName}`);
    return repo;
  }

  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(key(`${owner}/${name}`));
  }

  findTeam(org: string, slug: string): FakeTeam | undefined {
    return this.teams.get(key(`${org}/${slug}`));
  }

  /** Whether installation `id` may see `repo`. */
  canSee(installationId: number, repo: FakeRepo): boolean {
    const installation = this.installations.get(installationId);
    if (!installation || installation.account.toLowerCase() !== repo.owner.toLowerCase()) return false;
    return installation.repositories === "all" || installation.repositories.has(key(repo.fullName));
  }

  /** The repositories installation `id` may see. */
  installationRepos(installationId: number): FakeRepo[] {
    return [...this.repos.values()].filter((r) => this.canSee(installationId, r));
  }

  headSha(repo: FakeRepo): string {
    return repo.commits.at(-1)?.sha ?? shaOf(`${repo.fullName}:empty`);
  }

  /** A branch name, tag name or (full or abbreviated) sha -> the commit sha; undefined if unknown. */
  resolveRef(repo: FakeRepo, ref: string): string | undefined {
    const name = ref.replace(/^refs\/(heads|tags)\//, "");
    if (name === repo.defaultBranch) return this.headSha(repo);
    const tag = repo.tags.get(name);
    if (tag) return tag.sha;
    if (/^[0-9a-f]{7,40}$/i.test(name)) {
      const lower = name.toLowerCase();
      const commit = repo.commits.find((c) => c.sha.startsWith(lower));
      if (commit) return commit.sha;
      for (const { pull } of repo.issues) {
        const head = pull && [pull.headSha, ...pull.heads].find((h) => h.startsWith(lower));
        if (head) return head;
      }
      const cut = this.pullByMergeBase(repo, lower);
      if (cut) return cut.mergeBase;
      if (repo.filesAt.has(name)) return name;
    }
    if (repo.filesAt.has(name)) return shaOf(`${repo.fullName}:${name}`);
    return undefined;
  }

  /** The files at `ref` (default: the default branch), or undefined when the ref is unknown. */
  filesAt(repo: FakeRepo, ref?: string): Map<string, string> | undefined {
    if (!ref || ref === repo.defaultBranch) return repo.files;
    const tree = repo.filesAt.get(ref);
    if (tree) return tree;
    const cut = /^[0-9a-f]{7,40}$/i.test(ref) ? this.pullByMergeBase(repo, ref.toLowerCase()) : undefined;
    if (cut) return this.mergeBaseFiles(repo, cut);
    // Known commits (history, tags, pull request heads) share the default branch's tree.
    return this.resolveRef(repo, ref) ? repo.files : undefined;
  }

  /** The pull request whose branch has the head commit `sha`. */
  pullByHead(repo: FakeRepo, sha: string): FakePull | undefined {
    return repo.issues.find((i) => i.pull && (i.pull.headSha === sha || i.pull.heads.includes(sha)))?.pull;
  }

  /** Records `sha` as another head commit of pull request `number` (a push to its branch). */
  addPullHead(fullName: string, number: number, sha: string): void {
    const pull = this.repo(fullName).issues.find((i) => i.number === number)?.pull;
    if (!pull) throw new Error(`${fullName} has no pull request #${number}`);
    if (pull.headSha !== sha && !pull.heads.includes(sha)) pull.heads.push(sha);
  }

  /** The pull request whose merge base's sha starts with `sha` (lower case). */
  pullByMergeBase(repo: FakeRepo, sha: string): FakePull | undefined {
    return repo.issues.find((i) => i.pull?.mergeBase.startsWith(sha))?.pull;
  }

  /** The tree a pull request's branch was cut from: seeded, or its head without its changes. */
  mergeBaseFiles(repo: FakeRepo, pull: FakePull): Map<string, string> {
    if (pull.mergeBaseFiles) return pull.mergeBaseFiles;
    const head = repo.filesAt.get(pull.headSha) ?? repo.files;
    const tree = new Map<string, string>();
    for (const path of new Set([...head.keys(), ...repo.files.keys()])) {
      const text = pull.files.includes(path) ? repo.files.get(path) : head.get(path);
      if (text !== undefined) tree.set(path, text);
    }
    return tree;
  }

  /** Appends a commit to the default branch; returns its sha. */
  addCommit(fullName: string, commit: SeedCommit): string {
    const repo = this.repo(fullName);
    const sha = commit.sha ?? shaOf(`${repo.fullName}#${repo.commits.length}:${commit.message}`);
    repo.commits.push({
      sha,
      message: commit.message,
      date: commit.date ?? new Date().toISOString(),
      author: commit.author ?? "octocat",
      ...(commit.files ? { files: [...commit.files] } : {}),
    });
    return sha;
  }

  /** Creates a release (and its tag, on `target` or the branch head, when it does not exist). */
  publishRelease(fullName: string, seed: SeedRelease): FakeRelease {
    const repo = this.repo(fullName);
    const createdAt = seed.createdAt ?? seed.publishedAt ?? new Date().toISOString();
    if (!repo.tags.has(seed.tag) && !seed.draft) {
      const sha = seed.target ? (this.resolveRef(repo, seed.target) ?? seed.target) : this.headSha(repo);
      repo.tags.set(seed.tag, { sha });
    }
    const release: FakeRelease = {
      id: this.nextId(),
      tag_name: seed.tag,
      name: seed.name ?? seed.tag,
      body: seed.body ?? null,
      draft: seed.draft ?? false,
      prerelease: seed.prerelease ?? false,
      created_at: createdAt,
      published_at: seed.draft ? null : seed.publishedAt === undefined ? createdAt : seed.publishedAt,
      target_commitish: seed.target ?? repo.defaultBranch,
    };
    repo.releases.push(release);
    return release;
  }

  #nextNumber(repo: FakeRepo): number {
    return Math.max(0, ...repo.issues.map((i) => i.number)) + 1;
  }

  addIssue(fullName: string, seed: SeedIssue): FakeIssue {
    const repo = this.repo(fullName);
    const now = new Date().toISOString();
    const number = seed.number ?? this.#nextNumber(repo);
    if (repo.issues.some((i) => i.number === number)) {
      throw new Error(`fake GitHub: ${fullName} already has #${number}`);
    }
    const issue: FakeIssue = {
      number,
      title: seed.title,
      body: seed.body ?? null,
      labels: [],
      state: seed.state ?? "open",
      state_reason: seed.state === "closed" ? (seed.stateReason ?? "completed") : null,
      author: seed.author ?? "octocat",
      created_at: seed.createdAt ?? now,
      updated_at: seed.closedAt ?? seed.createdAt ?? now,
      closed_at: seed.state === "closed" ? (seed.closedAt ?? now) : null,
    };
    this.addLabels(repo, issue, seed.labels ?? []);
    repo.issues.push(issue);
    for (const c of seed.comments ?? []) this.addComment(repo, issue, c.body, c.author ?? "octocat");
    return issue;
  }

  addPull(fullName: string, seed: SeedPull): FakeIssue {
    const issue = this.addIssue(fullName, {
      ...(seed.number !== undefined ? { number: seed.number } : {}),
      title: seed.title,
      body: seed.body ?? null,
      labels: seed.labels ?? [],
      state: seed.state ?? "open",
      author: seed.author ?? "octocat",
    });
    issue.pull = {
      number: issue.number,
      headSha: seed.headSha ?? shaOf(`${fullName}#pull${issue.number}`),
      headRef: seed.headRef ?? `feature-${issue.number}`,
      files: seed.files ?? [],
      closingIssues: seed.closingIssues ?? [],
      mergedAt: seed.mergedAt ?? null,
      draft: seed.draft ?? false,
      ...(seed.baseRef ? { baseRef: seed.baseRef } : {}),
      ...(seed.mergeCommit ? { mergeCommit: seed.mergeCommit } : {}),
      heads: [],
      reviews: [],
      mergeBase: shaOf(`${fullName}#pull${issue.number}:merge-base`),
      ...(seed.mergeBaseFiles ? { mergeBaseFiles: new Map(Object.entries(seed.mergeBaseFiles)) } : {}),
    };
    // A merge is the pull request's last update, as on GitHub.
    if (seed.mergedAt) issue.updated_at = seed.mergedAt;
    for (const review of seed.reviews ?? []) this.addReview(fullName, issue.number, review);
    return issue;
  }

  /** Submits a review of pull request `number` (on its head unless it names a commit). */
  addReview(fullName: string, number: number, seed: SeedReview): FakeReview {
    const pull = this.repo(fullName).issues.find((i) => i.number === number)?.pull;
    if (!pull) throw new Error(`${fullName} has no pull request #${number}`);
    const review = {
      id: this.nextId(),
      login: seed.login,
      state: seed.state,
      commit: seed.commit ?? pull.headSha,
      submittedAt: seed.submittedAt ?? new Date().toISOString(),
    };
    pull.reviews.push(review);
    return review;
  }

  /** Dismisses review `id` of pull request `number`, as a maintainer does. */
  dismissReview(fullName: string, number: number, id: number): FakeReview {
    const review = this.repo(fullName)
      .issues.find((i) => i.number === number)
      ?.pull?.reviews.find((r) => r.id === id);
    if (!review) throw new Error(`${fullName}#${number} has no review ${id}`);
    review.state = "DISMISSED";
    return review;
  }

  /** Adds labels GitHub-style: case-insensitively, without duplicates, creating unknown labels. */
  addLabels(repo: FakeRepo, issue: FakeIssue, names: readonly string[]): void {
    for (const name of names) {
      const existing = [...repo.labels].find((l) => l.toLowerCase() === name.toLowerCase());
      const label = existing ?? name;
      repo.labels.add(label);
      if (!issue.labels.some((l) => l.toLowerCase() === label.toLowerCase())) issue.labels.push(label);
    }
  }

  addComment(repo: FakeRepo, issue: FakeIssue, body: string, author = "octocat"): FakeComment {
    const now = new Date().toISOString();
    const comment = {
      id: this.nextId(),
      issue: issue.number,
      body,
      author,
      created_at: now,
      updated_at: now,
    };
    repo.comments.push(comment);
    return comment;
  }

  /** Comments on issue `number` of `fullName`, oldest first (for tests). */
  commentsOn(fullName: string, number: number): FakeComment[] {
    return this.repo(fullName).comments.filter((c) => c.issue === number);
  }

  /** Issue `number` of `fullName` (for tests). */
  issue(fullName: string, number: number): FakeIssue {
    const issue = this.repo(fullName).issues.find((i) => i.number === number);
    if (!issue) throw new Error(`fake GitHub: ${fullName} has no #${number}`);
    return issue;
  }
}
