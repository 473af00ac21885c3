/**
 * The organization's custom property `team` on its repositories (custom properties are not in
 * GraphQL): one repository's with `GET /repos/{owner}/{repo}/properties/values` (any token that
 * can read the repository's metadata), every repository's at once with
 * `GET /orgs/{org}/properties/values`, 100 a page, which needs the app's organization permission
 * "Custom properties" (read).
 */
import { TEAM_PROPERTY } from "../../core/domain/team-property.js";
import { type GitHubClient, type RepoRef, readFact, statusOf } from "../transport/client.js";

/** The permission that lets an app list the custom property values of every repository of an org. */
export const ORG_PROPERTIES_PERMISSION = "custom properties: read (organization)";
/** The permission that lets a token read one repository's custom property values. */
export const REPO_PROPERTIES_PERMISSION = "metadata: read";

/** A custom property's value as GitHub answers it. */
export type PropertyValue = string | string[] | null;

interface ValueRow {
  property_name: string;
  value: PropertyValue;
}

function teamValue(rows: readonly ValueRow[]): PropertyValue {
  return rows.find((r) => r.property_name === TEAM_PROPERTY)?.value ?? null;
}

/**
 * The value of the repository's custom property `team`; null when it has none. A repository
 * without custom properties (one of a user, say) answers 404: no value either.
 */
export async function fetchTeamProperty(client: GitHubClient, repo: RepoRef): Promise<PropertyValue> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/properties/values", {
      owner: repo.owner,
      repo: repo.repo,
    });
    return teamValue(data as ValueRow[]);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The `team` values of an organization's repositories, by lower-cased repository name. */
export interface OrgTeamProperties {
  values: Map<string, PropertyValue>;
  /** Whether every page was read (at most 100 pages of 100 repositories). */
  complete: boolean;
}

const MAX_PAGES = 100;

/**
 * The `team` values of every repository of `org`, 100 repositories a request. An owner without
 * custom properties (a user account) answers 404: no values. A 403 (the installation lacks the
 * permission) is thrown for the caller to report.
 */
export async function fetchOrgTeamProperties(client: GitHubClient, org: string): Promise<OrgTeamProperties> {
  const values = new Map<string, PropertyValue>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    let rows: { repository_name: string; properties: ValueRow[] }[];
    try {
      const { data } = await client.request("GET /orgs/{org}/properties/values", {
        org,
        per_page: 100,
        page,
      });
      rows = data as typeof rows;
    } catch (error) {
      if (statusOf(error) === 404 && page === 1) return { values, complete: true };
      throw error;
    }
    for (const row of rows) values.set(row.repository_name.toLowerCase(), teamValue(row.properties));
    if (rows.length < 100) return { values, complete: true };
  }
  return { values, complete: false };
}

/** What a sweep knows of its owner's `team` values: read, or why not (the fact's reason). */
export type OwnerTeamProperties =
  | ({ ok: true } & OrgTeamProperties)
  | { ok: false; reason: string; permission?: string; lasting?: boolean };

const reading = new WeakMap<object, Promise<OwnerTeamProperties>>();

/**
 * The `team` values of `org`'s repositories for one sweep's owner context `holder`: read once (its
 * first repository that needs them asks), then kept on `holder.properties`, so that a replica's
 * next batches of the same run, which get a copy of the context, read them no more. A failure that
 * lasts (a missing permission) is kept too; a passing one is not.
 */
export function ownerTeamProperties(
  client: GitHubClient,
  holder: { properties?: OwnerTeamProperties },
  org: string,
): Promise<OwnerTeamProperties> {
  if (holder.properties) return Promise.resolve(holder.properties);
  let read = reading.get(holder);
  if (!read) {
    read = readFact(
      "the custom property values of the organization's repositories",
      () => fetchOrgTeamProperties(client, org),
      ORG_PROPERTIES_PERMISSION,
    ).then((fact): OwnerTeamProperties => {
      const result: OwnerTeamProperties = fact.ok
        ? { ok: true, ...fact.value }
        : {
            ok: false,
            reason: fact.reason,
            ...(fact.permission ? { permission: fact.permission } : {}),
            ...(fact.lasting ? { lasting: true } : {}),
          };
      if (result.ok || result.lasting) holder.properties = result;
      return result;
    });
    reading.set(holder, read);
  }
  return read;
}
