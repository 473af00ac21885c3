/**
 * The sweep's reads, many repositories per GraphQL query: for each repository its manifest, CODEOWNERS,
 * newest releases, newest default-branch commits and tracking issues; for the owner (on the first page
 * only) its org policy and its teams with their members and repositories. One query (batch-queries.ts)
 * serves 50 repositories, where per-repository REST costs about six calls each; this turns answers into facts.
 */
import {
  CODEOWNERS_PATHS,
  type CodeownersFile,
  codeownersFile,
  isCodeownersTooLarge,
  tooLargeCodeowners,
} from "../../core/domain/codeowners.js";
import type { ChangeInfo, Permission, ReleaseInfo } from "../../core/engine/facts.js";
import { MANIFEST_PATHS, POLICY_PATH } from "../../core/manifest/manifest.js";
import { TRACKING_LABEL, TRACKING_MARKER } from "../publish/tracking-issue.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import type { TeamContinuation } from "./batch-queries.js";

/** A file read in a batch: its text, none, or too large for GraphQL's blob text. */
export type BatchedFile = { path: string; text: string } | null | "truncated";

export interface BatchedRepo {
  repo: RepoRef;
  nodeId: string;
  archived: boolean;
  /** Whether only some people may see it (a policy preview names only public ones where all may read). */
  private: boolean;
  manifest: BatchedFile;
  /** The CODEOWNERS GitHub uses; "truncated" (read it over REST) only below GitHub's size limit. */
  codeowners?: CodeownersFile | null | "truncated";
  /** The newest GitHub releases, and whether there are more (absent when the page did not ask). */
  releases?: { rows: ReleaseInfo[]; more: boolean };
  /** The newest default-branch commits, newest first, and whether there are more (absent: not asked). */
  commits?: { rows: ChangeInfo[]; more: boolean };
  /** The newest tracking issues, open and closed (a closed one may be reopened), oldest first. */
  tracking: { number: number; body: string | null; state: "open" | "closed"; state_reason: string | null }[];
}

export interface TeamEntry {
  /** GitHub's id of the team (kept through a rename), and its direct members (not child teams'). */
  id?: number;
  direct?: string[];
  members: string[];
  /** Whether `members` is every member (a team of more than 100 is read by REST). */
  allMembers: boolean;
  /** Lower-cased "owner/repo" -> the team's permission. */
  repos: Map<string, Permission>;
  /** Where the team's repositories continue, when it has more than were read. */
  reposAfter?: string;
}

/** The owner's teams by lower-cased slug; `complete` when every team was listed. */
export type OwnerTeams =
  | { ok: true; teams: Map<string, TeamEntry>; complete: boolean }
  | { ok: false; reason: string };

export interface BatchPage {
  repos: BatchedRepo[];
  next?: string;
  /** Read on the first page only. */
  owner?: { policy: BatchedFile; teams: OwnerTeams };
}

type Blob = { text: string | null; isTruncated: boolean; byteSize?: number } | null;
type RepoNode = {
  id: string;
  name: string;
  isArchived: boolean;
  isPrivate?: boolean;
  owner: { login: string };
  releases?: {
    pageInfo: { hasNextPage: boolean };
    nodes: {
      tagName: string;
      name: string | null;
      isDraft: boolean;
      isPrerelease: boolean;
      publishedAt: string | null;
      createdAt: string;
    }[];
  };
  defaultBranchRef?: {
    target: {
      history?: {
        pageInfo: { hasNextPage: boolean };
        nodes: { oid: string; committedDate: string; messageHeadline: string }[];
      };
    } | null;
  } | null;
  issues: { nodes: { number: number; body: string | null; state: string; stateReason: string | null }[] };
} & Record<string, Blob>;

type TeamReposNode = {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { permission: string; node: { nameWithOwner: string } }[];
};

type Logins = { pageInfo: { hasNextPage: boolean }; nodes: { login: string }[] };
type TeamsNode = {
  teams?: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      slug: string;
      databaseId?: number | null;
      members: Logins;
      direct?: Logins;
      repositories: TeamReposNode;
    }[];
  };
} | null;

export type PageData = {
  listing?: {
    repositories: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: RepoNode[] };
  };
  nodes?: (RepoNode | null)[];
  owner?: TeamsNode;
  policy?: { file: Blob } | null;
} & { [alias: `more${number}`]: { team: { repositories: TeamReposNode } | null } | null };

/** The first of `paths` that is a file, with its blob. */
function firstBlob(
  node: RepoNode,
  alias: string,
  paths: readonly string[],
): { path: string; blob: NonNullable<Blob> } | null {
  for (const [i, path] of paths.entries()) {
    const found = node[`${alias}${i}`];
    // Nothing there, or a directory (the Blob fragment selects nothing from a tree).
    if (found && "text" in found) return { path, blob: found };
  }
  return null;
}

function firstFile(node: RepoNode, alias: string, paths: readonly string[]): BatchedFile {
  const found = firstBlob(node, alias, paths);
  if (!found) return null;
  if (found.blob.isTruncated || found.blob.text === null) return "truncated";
  return { path: found.path, text: found.blob.text };
}

function codeownersOf(node: RepoNode): BatchedRepo["codeowners"] {
  const found = firstBlob(node, "codeowners", CODEOWNERS_PATHS);
  if (!found) return null;
  const { path, blob } = found;
  if (blob.byteSize !== undefined && isCodeownersTooLarge(blob.byteSize))
    return tooLargeCodeowners(path, blob.byteSize);
  if (blob.isTruncated || blob.text === null) return "truncated";
  return codeownersFile(path, blob.text);
}

function releasesOf(releases: NonNullable<RepoNode["releases"]>): NonNullable<BatchedRepo["releases"]> {
  return {
    rows: releases.nodes.map((r) => ({
      tag: r.tagName,
      ...(r.name ? { name: r.name } : {}),
      publishedAt: r.publishedAt ?? r.createdAt,
      draft: r.isDraft,
      prerelease: r.isPrerelease,
    })),
    more: releases.pageInfo.hasNextPage,
  };
}

export function toBatchedRepo(node: RepoNode): BatchedRepo {
  const history = node.defaultBranchRef?.target?.history;
  // A page carries only the facts it was asked for (batch-queries.ts BatchFields).
  const askedCodeowners = "codeowners0" in node;
  const askedHistory = node.defaultBranchRef !== undefined;
  return {
    repo: { owner: node.owner.login, repo: node.name },
    nodeId: node.id,
    archived: node.isArchived,
    // Unknown is private: a name is shown only where it is known to be public.
    private: node.isPrivate !== false,
    manifest: firstFile(node, "manifest", MANIFEST_PATHS),
    ...(askedCodeowners ? { codeowners: codeownersOf(node) } : {}),
    ...(node.releases ? { releases: releasesOf(node.releases) } : {}),
    ...(askedHistory
      ? {
          commits: {
            rows: (history?.nodes ?? []).map((c) => ({
              sha: c.oid,
              mergedAt: c.committedDate,
              title: c.messageHeadline,
            })),
            more: history?.pageInfo.hasNextPage ?? false,
          },
        }
      : {}),
    tracking: node.issues.nodes
      .filter((i) => i.body?.includes(TRACKING_MARKER))
      .map((i) => ({
        number: i.number,
        body: i.body,
        state: i.state === "OPEN" ? ("open" as const) : ("closed" as const),
        state_reason: i.stateReason?.toLowerCase() ?? null,
      }))
      .sort((a, b) => a.number - b.number),
  };
}

// biome-ignore format: a table
const PERMISSIONS: Record<string, Permission> = { ADMIN: "admin", MAINTAIN: "maintain", WRITE: "push", TRIAGE: "triage", READ: "pull" };

/** Adds one page of teams to `into`; returns the cursor of the next page, if any. */
export function addTeams(into: Map<string, TeamEntry>, owner: TeamsNode): string | undefined {
  for (const team of owner?.teams?.nodes ?? []) {
    into.set(team.slug.toLowerCase(), {
      ...(team.databaseId ? { id: team.databaseId } : {}),
      members: team.members.nodes.map((m) => m.login),
      allMembers: !team.members.pageInfo.hasNextPage,
      ...(team.direct ? { direct: team.direct.nodes.map((m) => m.login) } : {}),
      repos: new Map(),
    });
    addTeamRepos(into.get(team.slug.toLowerCase()) as TeamEntry, team.repositories);
  }
  const info = owner?.teams?.pageInfo;
  return info?.hasNextPage && info.endCursor ? info.endCursor : undefined;
}

/** Adds a page of a team's repositories to its entry. */
function addTeamRepos(entry: TeamEntry, page: TeamReposNode): void {
  for (const e of page.edges)
    entry.repos.set(e.node.nameWithOwner.toLowerCase(), PERMISSIONS[e.permission] ?? "pull");
  if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) entry.reposAfter = page.pageInfo.endCursor;
  else delete entry.reposAfter;
}

/** Adds the continuations a query carried (`more0`, `more1`, …) to the teams they continue. */
export function addContinuations(
  teams: Map<string, TeamEntry>,
  asked: readonly TeamContinuation[],
  data: PageData,
): void {
  for (const [i, c] of asked.entries()) {
    const entry = teams.get(c.slug.toLowerCase());
    if (!entry) continue;
    const page = data[`more${i}`]?.team?.repositories;
    if (page) addTeamRepos(entry, page);
    // A team deleted since the first page: what was read is all there is.
    else delete entry.reposAfter;
  }
}

/**
 * Runs a batch query. GitHub answers partial data beside errors for what the token may not see:
 * the org's `.github` repository (no policy) and its teams (no members permission). Those are
 * tolerated and returned as `denied`; any other error fails the query.
 */
export async function runBatch(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: PageData; denied: { policy?: string; teams?: string } }> {
  try {
    return {
      data: await client.graphql<PageData>(query, { ...variables, label: TRACKING_LABEL }),
      denied: {},
    };
  } catch (error) {
    const { data, errors } = (error ?? {}) as { data?: PageData; errors?: unknown };
    if (!data || !Array.isArray(errors)) throw error;
    const denied: { policy?: string; teams?: string } = {};
    for (const e of errors as { path?: unknown[]; message?: string; type?: string }[]) {
      const top = e.path?.[0];
      // No `.github` repository (or none the installation may see): no org policy, as a 404 on
      // REST. Any other failure to read the policy fails the query: judging without a policy
      // that exists would loosen its locked rules.
      if (top === "policy" && e.type === "NOT_FOUND") denied.policy = e.message ?? "not found";
      else if (top === "owner" || (typeof top === "string" && top.startsWith("more")))
        denied.teams = e.message ?? "not visible";
      else throw error;
    }
    return { data, denied };
  }
}

/** The owner's policy file and teams from a first page's answer. */
export function ownerPart(
  data: PageData,
  denied: { policy?: string; teams?: string },
): { policy: BatchedFile; teams: OwnerTeams; teamsAfter?: string } {
  const file = data.policy?.file ?? null;
  const policy: BatchedFile = !file
    ? null
    : file.isTruncated || file.text === null
      ? "truncated"
      : { path: POLICY_PATH, text: file.text };
  if (denied.teams) return { policy, teams: { ok: false, reason: denied.teams } };
  const teams = new Map<string, TeamEntry>();
  const teamsAfter = addTeams(teams, data.owner ?? null);
  return {
    policy,
    teams: { ok: true, teams, complete: teamsAfter === undefined },
    ...(teamsAfter ? { teamsAfter } : {}),
  };
}
