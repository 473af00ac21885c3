/**
 * REST representations of the fake's objects, in GitHub's shapes (the fields clients commonly
 * read; not every field GitHub sends).
 */
import type {
  FakeCheckRun,
  FakeComment,
  FakeCommit,
  FakeInstallation,
  FakeIssue,
  FakeRelease,
  FakeRepo,
  FakeTeam,
  Permission,
} from "./state.js";

export interface Urls {
  /** `http://127.0.0.1:PORT/api/v3` */
  api: string;
  /** `http://127.0.0.1:PORT` */
  web: string;
}

const numericId = (text: string): number => {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 10_000_000;
};

export function userJson(urls: Urls, login: string, type = login.endsWith("[bot]") ? "Bot" : "User") {
  return {
    login,
    id: numericId(login),
    node_id: `U_${login}`,
    type,
    site_admin: false,
    url: `${urls.api}/users/${login}`,
    html_url: `${urls.web}/${login}`,
  };
}

export function labelJson(urls: Urls, repo: FakeRepo, name: string) {
  return {
    id: numericId(`${repo.fullName}:${name}`),
    node_id: `LA_${numericId(name)}`,
    url: `${urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

const ALL: Permission[] = ["admin", "maintain", "push", "triage", "pull"];

export function permissionsJson(permission: Permission) {
  const rank = ALL.indexOf(permission);
  return Object.fromEntries(ALL.map((p, i) => [p, i >= rank]));
}

export function repoJson(urls: Urls, repo: FakeRepo, permission?: Permission) {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: userJson(urls, repo.owner, "Organization"),
    html_url: `${urls.web}/${repo.fullName}`,
    url: `${urls.api}/repos/${repo.fullName}`,
    fork: false,
    archived: repo.archived,
    disabled: false,
    default_branch: repo.defaultBranch,
    visibility: repo.private ? "private" : "public",
    ...(permission ? { permissions: permissionsJson(permission), role_name: permission } : {}),
  };
}

export function issueJson(urls: Urls, repo: FakeRepo, issue: FakeIssue) {
  const base = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: numericId(`${repo.fullName}#${issue.number}`),
    node_id: `I_${repo.id}_${issue.number}`,
    url: `${base}/issues/${issue.number}`,
    repository_url: base,
    html_url: `${urls.web}/${repo.fullName}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason,
    title: issue.title,
    body: issue.body,
    user: userJson(urls, issue.author),
    labels: issue.labels.map((l) => labelJson(urls, repo, l)),
    locked: false,
    comments: repo.comments.filter((c) => c.issue === issue.number).length,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    author_association: "MEMBER",
    ...(issue.pull
      ? {
          pull_request: {
            url: `${base}/pulls/${issue.number}`,
            html_url: `${urls.web}/${repo.fullName}/pull/${issue.number}`,
            merged_at: issue.pull.mergedAt,
          },
        }
      : {}),
  };
}

export function pullJson(urls: Urls, repo: FakeRepo, issue: FakeIssue) {
  const pull = issue.pull;
  if (!pull) throw new Error(`#${issue.number} is not a pull request`);
  const repoView = repoJson(urls, repo);
  return {
    ...issueJson(urls, repo, issue),
    url: `${urls.api}/repos/${repo.fullName}/pulls/${issue.number}`,
    draft: pull.draft,
    merged: pull.mergedAt !== null,
    merged_at: pull.mergedAt,
    head: { label: `${repo.owner}:${pull.headRef}`, ref: pull.headRef, sha: pull.headSha, repo: repoView },
    base: { label: `${repo.owner}:${repo.defaultBranch}`, ref: repo.defaultBranch, repo: repoView },
    changed_files: pull.files.length,
  };
}

export function commentJson(urls: Urls, repo: FakeRepo, comment: FakeComment) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${urls.api}/repos/${repo.fullName}/issues/comments/${comment.id}`,
    html_url: `${urls.web}/${repo.fullName}/issues/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${repo.fullName}/issues/${comment.issue}`,
    body: comment.body,
    user: userJson(urls, comment.author),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: "NONE",
  };
}

export function releaseJson(urls: Urls, repo: FakeRepo, release: FakeRelease) {
  return {
    id: release.id,
    node_id: `RE_${release.id}`,
    url: `${urls.api}/repos/${repo.fullName}/releases/${release.id}`,
    html_url: `${urls.web}/${repo.fullName}/releases/tag/${release.tag_name}`,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: release.created_at,
    published_at: release.published_at,
    author: userJson(urls, "octocat"),
    assets: [],
  };
}

export function commitJson(urls: Urls, repo: FakeRepo, commit: FakeCommit, parent?: FakeCommit) {
  const person = { name: commit.author, email: `${commit.author}@example.com`, date: commit.date };
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${urls.api}/repos/${repo.fullName}/commits/${commit.sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${commit.sha}`,
    commit: { message: commit.message, author: person, committer: person },
    author: userJson(urls, commit.author),
    committer: userJson(urls, commit.author),
    parents: parent
      ? [{ sha: parent.sha, url: `${urls.api}/repos/${repo.fullName}/commits/${parent.sha}` }]
      : [],
  };
}

export function checkRunJson(urls: Urls, repo: FakeRepo, run: FakeCheckRun) {
  const { annotations, ...output } = run.output;
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    url: `${urls.api}/repos/${repo.fullName}/check-runs/${run.id}`,
    html_url: `${urls.web}/${repo.fullName}/runs/${run.id}`,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: { ...output, annotations_count: annotations.length },
    app: { id: 1, slug: "pom-governance", name: "POM governance" },
    pull_requests: [],
  };
}

export function teamJson(urls: Urls, team: FakeTeam) {
  return {
    id: team.id,
    node_id: `T_${team.id}`,
    url: `${urls.api}/orgs/${team.org}/teams/${team.slug}`,
    html_url: `${urls.web}/orgs/${team.org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: "closed",
    permission: "pull",
    members_url: `${urls.api}/orgs/${team.org}/teams/${team.slug}/members{/member}`,
    repositories_url: `${urls.api}/orgs/${team.org}/teams/${team.slug}/repos`,
    parent: null,
    members_count: team.members.length,
    repos_count: team.repos.size,
    organization: userJson(urls, team.org, "Organization"),
  };
}

export function installationJson(urls: Urls, installation: FakeInstallation) {
  return {
    id: installation.id,
    app_id: installation.appId,
    app_slug: "pom-governance",
    account: userJson(urls, installation.account, "Organization"),
    target_type: "Organization",
    target_id: numericId(installation.account),
    repository_selection: installation.repositories === "all" ? "all" : "selected",
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/organizations/${installation.account}/settings/installations/${installation.id}`,
    permissions: { ...installation.permissions },
    events: ["check_run", "check_suite", "issues", "pull_request", "push", "release"],
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    single_file_name: null,
    suspended_at: null,
  };
}
