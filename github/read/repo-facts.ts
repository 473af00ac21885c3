/**
 * Reading a repository's facts from GitHub, one repository at a time: its team (and the team's
 * permission on it), the team's members, CODEOWNERS, the default branch's history after a release.
 * repo-source.ts makes fact readers of them.
 */
import { CODEOWNERS_PATHS, type CodeownersFile, codeownersFile } from "../../core/domain/codeowners.js";
import type { ChangeInfo, Permission, TeamInfo } from "../../core/engine/facts.js";
import { type GitHubClient, type RepoRef, statusOf } from "../transport/client.js";
import type { FileCache } from "../transport/file-cache.js";
import { readFirst } from "./config.js";

/** The permission GitHub Apps need to see teams, their members and their repository access. */
export const MEMBERS_PERMISSION = "members: read (organization)";

function splitTeam(github: string): { org: string; slug: string } {
  const [org = "", slug = ""] = github.split("/");
  return { org, slug };
}

const PERMISSION_ORDER: Permission[] = ["admin", "maintain", "push", "triage", "pull"];

/** Whether the team exists and its permission on the repository. */
export async function fetchTeam(client: GitHubClient, repo: RepoRef, github: string): Promise<TeamInfo> {
  const { org, slug } = splitTeam(github);
  try {
    await client.request("GET /orgs/{org}/teams/{team_slug}", { org, team_slug: slug });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    // A token that cannot see teams at all (the Actions GITHUB_TOKEN) also gets a 404: only when
    // the organization's teams are visible does a 404 mean that the team does not exist.
    if (await canListTeams(client, org)) return { exists: false };
    throw new NotVisible(`the token cannot see the teams of ${org}`);
  }
  try {
    const { data } = await client.request("GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", {
      org,
      team_slug: slug,
      owner: repo.owner,
      repo: repo.repo,
      headers: { accept: "application/vnd.github.v3.repository+json" },
    });
    const permissions = (data as { permissions?: Partial<Record<Permission, boolean>> }).permissions ?? {};
    return { exists: true, permission: PERMISSION_ORDER.find((p) => permissions[p]) ?? null };
  } catch (error) {
    if (statusOf(error) === 404) return { exists: true, permission: null };
    throw error;
  }
}

/** A resource the token is not allowed to see; reported like a 403, with the permission it needs. */
export class NotVisible extends Error {
  readonly status = 403;
}

async function canListTeams(client: GitHubClient, org: string): Promise<boolean> {
  try {
    await client.request("GET /orgs/{org}/teams", { org, per_page: 1 });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) return false;
    throw error;
  }
}

/** The logins of the team's members (up to 1,000). */
export async function fetchTeamMembers(client: GitHubClient, github: string): Promise<string[]> {
  const { org, slug } = splitTeam(github);
  const members: string[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await client
      .request("GET /orgs/{org}/teams/{team_slug}/members", { org, team_slug: slug, per_page: 100, page })
      .catch((error: unknown) => {
        // As above: a token without members:read is told 404, not 403.
        if (statusOf(error) === 404)
          throw new NotVisible(`the members of ${github} are not visible to the token`);
        throw error;
      });
    const rows = data as { login: string }[];
    members.push(...rows.map((m) => m.login));
    if (rows.length < 100) break;
  }
  return members;
}

/** The CODEOWNERS file GitHub uses: the first of its places that exists, judged by its size. */
export async function fetchCodeowners(
  client: GitHubClient,
  cache: FileCache,
  repo: RepoRef,
): Promise<CodeownersFile | null> {
  const file = await readFirst(client, cache, repo, CODEOWNERS_PATHS);
  return file ? codeownersFile(file.path, file.text) : null;
}

const HISTORY_QUERY = `query($owner: String!, $repo: String!, $since: GitTimestamp) {
  repository(owner: $owner, name: $repo) {
    defaultBranchRef {
      target {
        ... on Commit {
          history(first: 100, since: $since) { nodes { oid committedDate messageHeadline } }
        }
      }
    }
  }
}`;

type HistoryResult = {
  repository: {
    defaultBranchRef: {
      target: { history?: { nodes: { oid: string; committedDate: string; messageHeadline: string }[] } };
    } | null;
  };
};

/** Commits on the default branch after `since` (the newest qualifying release), newest first. */
export async function fetchUnreleased(
  client: GitHubClient,
  repo: RepoRef,
  since: string | undefined,
): Promise<ChangeInfo[]> {
  const data = await client.graphql<HistoryResult>(HISTORY_QUERY, {
    owner: repo.owner,
    repo: repo.repo,
    since: since ?? null,
  });
  const nodes = data.repository.defaultBranchRef?.target.history?.nodes ?? [];
  const after = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  // `since` is inclusive at GitHub; the release's own commit is not unreleased.
  return nodes
    .filter((n) => Date.parse(n.committedDate) > after)
    .map((n) => ({ sha: n.oid, mergedAt: n.committedDate, title: n.messageHeadline }));
}
