/**
 * The sweep of one installation in GraphQL batches (see repo-batch.ts): each page of repositories
 * is judged from what the page's query returned, with a per-repository read only where the batch
 * could not tell (a release source other than GitHub releases, more history than was read, a team
 * of another org or with more than 100 members or repositories, a blob too large for GraphQL).
 */

import { qualifyingReleases } from "../../core/domain/releases.js";
import {
  type ChangeInfo,
  type Fact,
  type Facts,
  known,
  type ReleaseInfo,
  type TeamInfo,
  unavailable,
} from "../../core/engine/facts.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import type { GovernResult } from "../flows/govern.js";
import { effectiveConfig, judgeRepository, NOT_GOVERNED, type PipelineDeps } from "../flows/pipeline.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import { readFact } from "../transport/client.js";
import {
  BATCH_SIZE,
  nodesQuery,
  ownerPageQuery,
  type TeamContinuation,
  teamsQuery,
} from "./batch-queries.js";
import { configFromFiles, isGoverned, loadTrustedConfig, type TrustedConfig } from "./config.js";
import { fetchReleases } from "./release-source.js";
import {
  addContinuations,
  addTeams,
  type BatchedFile,
  type BatchedRepo,
  type BatchPage,
  type OwnerTeams,
  ownerPart,
  type PageData,
  runBatch,
  toBatchedRepo as toRepo,
} from "./repo-batch.js";
import {
  fetchCodeowners,
  fetchTeam,
  fetchTeamMembers,
  fetchUnreleased,
  MEMBERS_PERMISSION,
} from "./repo-facts.js";

export interface Installation {
  account: string;
  /** "all" lists the owner's repositories in the batch itself; "selected" needs node ids. */
  selection: "all" | "selected";
  /** For "selected": the installation's repositories (REST `GET /installation/repositories`). */
  listRepositories: () => Promise<{ owner: string; name: string; nodeId: string; archived: boolean }[]>;
  /**
   * The owner's policy and teams as an earlier batch of the same sweep read them: the queries then
   * leave them out (a sweep split into jobs reads them once per replica, not once per batch).
   */
  owner?: OwnerContext;
}

/** What the sweep knows about the owner after the first page. */
export interface OwnerContext {
  policy: BatchedFile;
  teams: OwnerTeams;
}

/**
 * Pages of an installation's repositories with their facts. The owner's context comes with the
 * first page. Each later query also carries up to five continuations of teams with more than 100
 * repositories that `wanted` names, so that finding a team's permission costs no query of its
 * own. A failed query throws: the caller falls back to per-repository reads.
 */
export async function* batchedPages(
  client: GitHubClient,
  installation: Installation,
  wanted: () => readonly string[] = () => [],
): AsyncGenerator<BatchPage & { owner: OwnerContext }> {
  const owner = installation.account;
  let context: OwnerContext | undefined = installation.owner;
  const asked = () => (context ? continuationsFor(context, wanted()).slice(0, 5) : []);
  const run = async (query: (first: boolean, more: TeamContinuation[]) => string, variables: object) => {
    const first = context === undefined;
    const more = asked();
    const { data, denied } = await runBatch(client, query(first, more), {
      owner,
      ...variables,
      ...(first ? { teamsAfter: null } : {}),
    });
    if (!context) context = await ownerContext(client, owner, data, denied);
    else if (denied.teams) context.teams = { ok: false, reason: denied.teams };
    else if (context.teams.ok) addContinuations(context.teams.teams, more, data);
    return data;
  };
  if (installation.selection === "all") {
    let after: string | undefined;
    do {
      const data = await run(ownerPageQuery, { after: after ?? null });
      // No listing at all (an owner renamed since the installation was listed, say) is a failed
      // page, not an owner without repositories: the caller reads the installation over REST.
      if (!data.listing) throw new Error(`GitHub listed no repositories for ${owner}`);
      const repositories = data.listing.repositories;
      after = repositories?.pageInfo.hasNextPage ? (repositories.pageInfo.endCursor ?? undefined) : undefined;
      const repos = (repositories?.nodes ?? []).map(toRepo);
      yield { repos, owner: context as unknown as OwnerContext, ...(after ? { next: after } : {}) };
    } while (after);
    return;
  }
  const listed = (await installation.listRepositories()).filter((r) => !r.archived);
  for (let start = 0; start < listed.length; start += BATCH_SIZE) {
    const ids = listed.slice(start, start + BATCH_SIZE).map((r) => r.nodeId);
    const data = await run(nodesQuery, { ids });
    const repos = (data.nodes ?? []).flatMap((node) => (node ? [toRepo(node)] : []));
    yield { repos, owner: context as unknown as OwnerContext };
  }
}

/** The policy and every team of the owner (teams beyond the first 100 cost a query per 100). */
async function ownerContext(
  client: GitHubClient,
  owner: string,
  data: PageData,
  denied: Parameters<typeof ownerPart>[1],
): Promise<OwnerContext> {
  const part = ownerPart(data, denied);
  let after = part.teamsAfter;
  while (after && part.teams.ok) {
    const more = await runBatch(client, teamsQuery(after), { owner, teamsAfter: after });
    // Teams that could not be listed are not teams that do not exist.
    if (more.denied.teams) return { policy: part.policy, teams: { ok: false, reason: more.denied.teams } };
    after = addTeams(part.teams.teams, more.data.owner ?? null);
  }
  if (part.teams.ok) part.teams.complete = true;
  return { policy: part.policy, teams: part.teams };
}

function continuationsFor(context: OwnerContext, slugs: readonly string[]): TeamContinuation[] {
  if (!context.teams.ok) return [];
  const teams = context.teams.teams;
  return [...new Set(slugs.map((s) => s.toLowerCase()))].flatMap((slug) => {
    const after = teams.get(slug)?.reposAfter;
    return after ? [{ slug, after }] : [];
  });
}

/** Reads the rest of the repositories of the teams `slugs` names, five teams per query. */
export async function completeTeams(
  client: GitHubClient,
  owner: string,
  context: OwnerContext,
  slugs: readonly string[],
): Promise<void> {
  for (;;) {
    const more = continuationsFor(context, slugs).slice(0, 5);
    if (more.length === 0 || !context.teams.ok) return;
    const { data, denied } = await runBatch(client, teamsQuery(undefined, more), { owner });
    if (denied.teams) {
      context.teams = { ok: false, reason: denied.teams };
      return;
    }
    addContinuations(context.teams.teams, more, data);
  }
}

/**
 * The team of `batched` whose list of repositories has not been read to its end (a team of the
 * owner with more than 100 repositories), and whether `batched` must wait for more of it.
 */
export function unfinishedTeam(
  batched: BatchedRepo,
  owner: OwnerContext,
): { slug: string; waits: boolean } | undefined {
  if (!owner.teams.ok || batched.manifest === "truncated" || owner.policy === "truncated") return undefined;
  const config = configFromFiles(batched.repo, batched.manifest, owner.policy);
  const declared = config.manifest?.ok ? effectiveConfig(config).team?.github : undefined;
  const [org = "", slug = ""] = (declared ?? "").split("/");
  if (org.toLowerCase() !== batched.repo.owner.toLowerCase()) return undefined;
  const entry = owner.teams.teams.get(slug.toLowerCase());
  if (!entry?.reposAfter) return undefined;
  const fullName = `${batched.repo.owner}/${batched.repo.repo}`.toLowerCase();
  return { slug: slug.toLowerCase(), waits: !entry.repos.has(fullName) };
}

/** The trusted configuration from the batch, or from REST when a blob was too large for it. */
export async function batchedConfig(
  deps: PipelineDeps,
  repo: BatchedRepo,
  owner: OwnerContext,
): Promise<TrustedConfig> {
  if (repo.manifest === "truncated" || owner.policy === "truncated")
    return loadTrustedConfig(deps.client, deps.cache, repo.repo);
  return configFromFiles(repo.repo, repo.manifest, owner.policy);
}

/** The repository facts from the batch, read per repository only where the batch cannot tell. */
export async function batchedFacts(
  deps: PipelineDeps,
  batched: BatchedRepo,
  owner: OwnerContext,
  config: EffectiveConfig,
): Promise<Facts> {
  const { client } = deps;
  const repo = batched.repo;
  const [team, teamMembers] = teamFacts(client, repo, owner.teams, config.team?.github);
  const codeowners =
    batched.codeowners === "truncated"
      ? readFact("CODEOWNERS", () => fetchCodeowners(client, deps.cache, repo), "contents: read")
      : Promise.resolve(known(batched.codeowners));
  const releases = await releasesFact(client, repo, batched, config);
  return {
    team: await team,
    teamMembers: await teamMembers,
    codeowners: await codeowners,
    releases,
    unreleased: await unreleasedFact(client, repo, batched, config, releases),
  };
}

function teamFacts(
  client: GitHubClient,
  repo: RepoRef,
  teams: OwnerTeams,
  declared: string | undefined,
): [Promise<Fact<TeamInfo>>, Promise<Fact<string[]>>] {
  if (!declared) {
    const none = Promise.resolve(unavailable<never>("the manifest names no team"));
    return [none, none];
  }
  // Read per repository only where the batch cannot tell (called lazily: each one is a request).
  const teamByRest = () => readFact("the team", () => fetchTeam(client, repo, declared), MEMBERS_PERMISSION);
  const membersByRest = () =>
    readFact("the team's members", () => fetchTeamMembers(client, declared), MEMBERS_PERMISSION);
  const [org = "", slug = ""] = declared.split("/");
  if (org.toLowerCase() !== repo.owner.toLowerCase()) return [teamByRest(), membersByRest()];
  if (!teams.ok) {
    const denied = Promise.resolve(
      unavailable<never>(
        `the teams of ${org} are not visible to the token (${teams.reason})`,
        MEMBERS_PERMISSION,
      ),
    );
    return [denied, denied];
  }
  const entry = teams.teams.get(slug.toLowerCase());
  if (!entry) {
    // An organization that lists no team at all may be one whose teams the token cannot see:
    // REST tells a missing team from an invisible one.
    if (!teams.complete || teams.teams.size === 0) return [teamByRest(), membersByRest()];
    return [
      Promise.resolve(known({ exists: false })),
      Promise.resolve(unavailable<never>(`the team ${declared} does not exist`)),
    ];
  }
  const permission = entry.repos.get(`${repo.owner}/${repo.repo}`.toLowerCase());
  return [
    permission !== undefined || entry.reposAfter === undefined
      ? Promise.resolve(known({ exists: true, permission: permission ?? null }))
      : teamByRest(),
    entry.allMembers ? Promise.resolve(known(entry.members)) : membersByRest(),
  ];
}

async function releasesFact(
  client: GitHubClient,
  repo: RepoRef,
  batched: BatchedRepo,
  config: EffectiveConfig,
): Promise<Fact<ReleaseInfo[]>> {
  const rest = () => readFact("the releases", () => fetchReleases(client, repo, config), "contents: read");
  if (config.releaseSource.value !== "releases") return rest();
  const { rows, more } = batched.releases;
  // The newest qualifying release is among those read, or there is none at all.
  if (more && qualifyingReleases(config, rows).length === 0) return rest();
  return known(rows);
}

async function unreleasedFact(
  client: GitHubClient,
  repo: RepoRef,
  batched: BatchedRepo,
  config: EffectiveConfig,
  releases: Fact<ReleaseInfo[]>,
): Promise<Fact<ChangeInfo[]>> {
  if (!releases.ok) return unavailable(`the releases could not be read, so neither can what is unreleased`);
  const newest = qualifyingReleases(config, releases.value)[0];
  const after = newest ? Date.parse(newest.publishedAt) : Number.NEGATIVE_INFINITY;
  const { rows, more } = batched.commits;
  const unreleased = rows.filter((c) => Date.parse(c.mergedAt) > after);
  // Every commit read is unreleased and there are more: the oldest is further back.
  if (more && unreleased.length === rows.length)
    return readFact(
      "the default branch's history",
      () => fetchUnreleased(client, repo, newest?.publishedAt),
      "contents: read",
    );
  return known(unreleased);
}

/** One repository of a batch, judged (the sweep then keeps its tracking issue). */
export async function judgeBatched(
  deps: PipelineDeps,
  batched: BatchedRepo,
  owner: OwnerContext,
): Promise<GovernResult> {
  const config = await batchedConfig(deps, batched, owner);
  if (!isGoverned(config)) return { skipped: NOT_GOVERNED };
  const facts = config.manifest?.ok ? await batchedFacts(deps, batched, owner, effectiveConfig(config)) : {};
  return { evaluation: judgeRepository(deps, config, facts), trusted: config, facts };
}
