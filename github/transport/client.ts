/**
 * The GitHub client the app, the action and `pom check --github` share: any Octokit (Probot's, or
 * @octokit/core) provides `request` and `graphql`. Errors are turned into facts that say what could
 * not be read and which permission would help, never into a pass.
 */
import type { Octokit } from "@octokit/core";
import { type Fact, unavailable } from "../../core/engine/facts.js";

export type GitHubClient = Pick<Octokit, "request" | "graphql">;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}

/** What went wrong, in a few words: "GitHub answered 502", "timed out", … */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  const message = (error as Error)?.message ?? String(error);
  // Octokit gives a request that got no answer at all (no connection, a timeout) status 500 and
  // no response: that is not something GitHub answered.
  if (status !== undefined && status >= 500 && isTransportFailure(error))
    return `the request failed: ${firstLine(message)}`;
  if (status === 401) return "GitHub refused the credentials (401): the token is missing or expired";
  if (status === 403 && /rate limit/i.test(message)) return "GitHub's rate limit is exhausted (403)";
  if (status === 429) return "GitHub's rate limit is exhausted (429)";
  if (status !== undefined && status >= 500) return `GitHub answered ${status}`;
  if (status !== undefined) return `GitHub answered ${status}: ${firstLine(message)}`;
  // A GraphQL answer with errors (Octokit's GraphqlResponseError): what GitHub said.
  const errors = (error as { errors?: { message?: unknown }[] })?.errors;
  if (Array.isArray(errors) && errors.length > 0)
    return `GitHub answered: ${firstLine(errors.map((e) => String(e?.message ?? "")).join("; "))}`;
  return `the request failed: ${firstLine(message)}`;
}

function isTransportFailure(error: unknown): boolean {
  const { response, cause, name } = (error ?? {}) as { response?: unknown; cause?: unknown; name?: unknown };
  return response === undefined && (cause !== undefined || name === "AbortError" || name === "TimeoutError");
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

/**
 * A fact that could not be read because of `error`. A 403 or 404 on a resource the token may not
 * see names `permission` (for example "members: read").
 */
export function unavailableFrom<T>(error: unknown, what: string, permission?: string): Fact<T> {
  const status = statusOf(error);
  const permissionProblem = status === 403 && !/rate limit/i.test((error as Error)?.message ?? "");
  return unavailable(
    `${what}: ${describeError(error)}`,
    permissionProblem ? permission : undefined,
    status === 401 ? "reinstall the app or renew the token, then run the check again" : undefined,
  );
}

/** Runs `read`, turning any failure into an unavailable fact. */
export async function readFact<T>(
  what: string,
  read: () => Promise<T>,
  permission?: string,
): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return unavailableFrom<T>(error, what, permission);
  }
}

/**
 * The data of a GraphQL answer whose only errors are NOT_FOUND on aliases `tolerated` accepts, or
 * undefined. GitHub answers `issueOrPullRequest(number: 999)` for a missing number, and
 * `pullRequest(number: N)` when N is an issue, with such an error (and null for that alias); one
 * mistyped `Fixes #N` must not cost the rest of the query.
 */
export function partialGraphqlData<T>(error: unknown, tolerated: (alias: string) => boolean): T | undefined {
  const { data, errors } = (error ?? {}) as { data?: unknown; errors?: unknown };
  if (!data || !Array.isArray(errors) || errors.length === 0) return undefined;
  const missingAliases = errors.every((e) => {
    const { type, path } = (e ?? {}) as { type?: unknown; path?: unknown };
    const alias = Array.isArray(path) ? path[path.length - 1] : undefined;
    return type === "NOT_FOUND" && typeof alias === "string" && tolerated(alias);
  });
  return missingAliases ? (data as T) : undefined;
}

/**
 * A GraphQL query whose aliases `tolerated` accepts may answer NOT_FOUND (null for that alias):
 * the rest of the answer stands; any other error is thrown.
 *
 * @example await graphqlTolerating(client, query, variables, (alias) => /^pr\d+$/.test(alias))
 */
export async function graphqlTolerating<T>(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
  tolerated: (alias: string) => boolean,
): Promise<T> {
  try {
    return await client.graphql<T>(query, variables);
  } catch (error) {
    const partial = partialGraphqlData<T>(error, tolerated);
    if (partial) return partial;
    throw error;
  }
}
