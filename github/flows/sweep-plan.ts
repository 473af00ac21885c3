/**
 * What a sweep covers, the same for the sweep in one process and the sweep as jobs shared by
 * replicas: every installation of the app (listed with the app's own credentials), and each
 * installation's active repositories. Only the transport differs: one process reads an
 * installation's repositories in the batches themselves; jobs list them first, one job each.
 */
import type { GitHubClient } from "../transport/client.js";

export interface PlannedInstallation {
  id: number;
  /** The org or user it is installed on. */
  account: string;
  /** "all" lists the owner's repositories in the batch queries; "selected" needs them listed. */
  selection: "all" | "selected";
}

export interface PlannedRepository {
  owner: string;
  name: string;
  nodeId: string;
  archived: boolean;
  /** Whether only some may see it (absent: not known). */
  private?: boolean;
}

/** Every page of a REST list endpoint (100 per page, at most 100 pages). */
export async function listAll<T>(client: GitHubClient, route: string, key?: string): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data } = await client.request(route as "GET /app/installations", { per_page: 100, page });
    const rows = (key ? (data as unknown as Record<string, T[]>)[key] : (data as unknown as T[])) ?? [];
    all.push(...rows);
    if (rows.length < 100) break;
  }
  return all;
}

interface InstallationRow {
  id: number;
  account?: { login?: string } | null;
  repository_selection?: string;
}

/**
 * The installations a sweep covers (`appClient` authenticates as the app, with its JWT).
 *
 * @example for (const i of await planSweep(appClient)) await sweepInstallation(...)
 */
export async function planSweep(appClient: GitHubClient): Promise<PlannedInstallation[]> {
  const rows = await listAll<InstallationRow>(appClient, "GET /app/installations");
  return rows.map((row) => ({
    id: row.id,
    account: row.account?.login ?? "",
    selection: row.repository_selection === "selected" ? "selected" : "all",
  }));
}

interface RepositoryRow {
  name: string;
  node_id: string;
  owner: { login: string };
  archived?: boolean;
  private?: boolean;
}

/** The repositories an installation can see (`client` authenticates as the installation). */
export async function installationRepositories(client: GitHubClient): Promise<PlannedRepository[]> {
  const rows = await listAll<RepositoryRow>(client, "GET /installation/repositories", "repositories");
  return rows.map(plannedRepository);
}

function plannedRepository(r: RepositoryRow): PlannedRepository {
  return {
    owner: r.owner.login,
    name: r.name,
    nodeId: r.node_id,
    archived: r.archived ?? false,
    ...(r.private !== undefined ? { private: r.private } : {}),
  };
}

/**
 * Whether an installation is on all of its account's repositories or on selected ones, as its own
 * token sees it (one request: the first repository of its list).
 */
export async function installationSelection(client: GitHubClient): Promise<"all" | "selected"> {
  const { data } = await client.request("GET /installation/repositories", { per_page: 1 });
  return (data as { repository_selection?: string }).repository_selection === "all" ? "all" : "selected";
}

/** The repositories of organization `org` as `client` sees them (`pom report --org`, `pom policy preview`). */
export async function organizationRepositories(
  client: GitHubClient,
  org: string,
): Promise<PlannedRepository[]> {
  const rows = await listAll<RepositoryRow>(client, `GET /orgs/${encodeURIComponent(org)}/repos`);
  return rows.map(plannedRepository);
}
