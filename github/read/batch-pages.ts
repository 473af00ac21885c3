/**
 * The sweep's reads in GraphQL pages (see repo-batch.ts and batch-queries.ts): an installation's
 * repositories 50 at a time, with the owner's policy and teams on the first page, and the teams
 * that own more than 100 repositories continued beside later pages. A failed query throws: the
 * caller falls back to reading the rest per repository.
 */
import { declaredFacts } from "../../core/engine/judge.js";
import type { Loaded, OrgPolicy } from "../../core/manifest/manifest.js";
import { effectiveConfig, RULES } from "../../policies/registry.js";
import type { GitHubClient } from "../transport/client.js";
import {
  ALL_FIELDS,
  BATCH_SIZE,
  type BatchFields,
  nodesQuery,
  ownerPageQuery,
  type TeamContinuation,
  teamsQuery,
} from "./batch-queries.js";
import { configFromFiles } from "./config.js";
import type { OwnerTeamProperties } from "./custom-properties.js";
import { fetchActivityBatch, type WithActivity } from "./outcome-activity.js";
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

const DAY_MS = 86_400_000;

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
  /** The facts the pages ask for (default: all); see batchFieldsFor. */
  fields?: BatchFields;
}

/**
 * The facts a sweep's pages ask for: those the rules the org policy leaves on at `now` declare. A
 * repository whose manifest turns another rule on reads that fact on its own.
 *
 * @example batchFieldsFor(policy, now).releases // false when the policy turns both release rules off
 */
export function batchFieldsFor(policy: Loaded<OrgPolicy> | null, now: Date): BatchFields {
  const config = effectiveConfig(null, policy, now);
  const declared = new Set(declaredFacts(RULES, "repo", config));
  return {
    codeowners: declared.has("codeowners"),
    releases: declared.has("releases") || declared.has("unreleased"),
    history: declared.has("unreleased"),
    teams: declared.has("team") || declared.has("teamMembers"),
    ...(declared.has("outcomeActivity")
      ? { activitySince: new Date(now.getTime() - config.staleDays.value * DAY_MS).toISOString() }
      : {}),
  };
}

/** What the sweep knows about the owner after the first page. */
export interface OwnerContext {
  policy: BatchedFile;
  teams: OwnerTeams;
  /** The custom property `team` of the owner's repositories, once a repository needed it. */
  properties?: OwnerTeamProperties;
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
  const fields = installation.fields ?? ALL_FIELDS;
  const run = async (
    query: (first: boolean, more: TeamContinuation[], fields: BatchFields) => string,
    variables: object,
  ) => {
    const first = context === undefined;
    const more = asked();
    const { data, denied } = await runBatch(client, query(first, more, fields), {
      owner,
      ...variables,
      ...(first && fields.teams ? { teamsAfter: null } : {}),
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
      await addActivity(client, repos, fields.activitySince);
      yield { repos, owner: context as unknown as OwnerContext, ...(after ? { next: after } : {}) };
    } while (after);
    return;
  }
  const listed = (await installation.listRepositories()).filter((r) => !r.archived);
  for (let start = 0; start < listed.length; start += BATCH_SIZE) {
    const ids = listed.slice(start, start + BATCH_SIZE).map((r) => r.nodeId);
    const data = await run(nodesQuery, { ids });
    const repos = (data.nodes ?? []).flatMap((node) => (node ? [toRepo(node)] : []));
    await addActivity(client, repos, fields.activitySince);
    yield { repos, owner: context as unknown as OwnerContext };
  }
}

/**
 * The recent work of a page's repositories that have a manifest, in one query, where the org policy
 * turns outcome.stale on (`since`). A failed query leaves them without: each is then read on its own.
 */
async function addActivity(
  client: GitHubClient,
  repos: (BatchedRepo & WithActivity)[],
  since: string | undefined,
): Promise<void> {
  const governed = repos.filter((r) => !r.archived && r.manifest !== null);
  if (!since || governed.length === 0) return;
  try {
    const read = await fetchActivityBatch(
      client,
      governed.map((r) => r.nodeId),
      since,
    );
    for (const r of governed) {
      const activity = read.get(r.nodeId);
      if (activity) r.activity = activity;
    }
  } catch {
    // Read per repository (batch-source.ts), as a page that did not ask.
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
  // The team as declared: no level of the configuration is needed, so none is resolved.
  const declared = config.manifest?.ok ? config.manifest.value.team?.github : undefined;
  const [org = "", slug = ""] = (declared ?? "").split("/");
  if (org.toLowerCase() !== batched.repo.owner.toLowerCase()) return undefined;
  const entry = owner.teams.teams.get(slug.toLowerCase());
  if (!entry?.reposAfter) return undefined;
  const fullName = `${batched.repo.owner}/${batched.repo.repo}`.toLowerCase();
  return { slug: slug.toLowerCase(), waits: !entry.repos.has(fullName) };
}
