/** `pom check --github OWNER/REPO` and `pom report --org ORG`: live against GitHub with a token. */
import { Octokit } from "@octokit/core";
import type { Evaluation } from "../core/engine/evaluate.js";
import type { RepoInsights } from "../core/insights/report/insights.js";
import { evaluateRepository } from "../github/flows/subjects.js";
import { insightsOf, NO_MANIFEST_HISTORY, readHistory } from "../github/insights/insights.js";
import { windowStart } from "../github/insights/org-insights.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import { fetchOptionsFromEnv, githubFetch } from "../github/transport/http.js";
import { UsageError } from "./io.js";

/** A client with the token and API URL of the environment. */
export function liveClient(env: Record<string, string | undefined>, what: string): GitHubClient {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new UsageError(`${what} needs a token in GITHUB_TOKEN (or GH_TOKEN)`);
  let fetchOptions: ReturnType<typeof fetchOptionsFromEnv>;
  try {
    fetchOptions = fetchOptionsFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return new Octokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    userAgent: "pom-governance-cli",
    request: { fetch: githubFetch(fetchOptions) },
    // Only Octokit's warnings reach stderr. An answer the checks expect (a 404 for a missing org
    // policy or CODEOWNERS, a 304 for an unchanged file) is not logged; what matters becomes a finding.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
}

/**
 * Evaluates `slug` ("owner/repo") with the token and API URL of the environment; with
 * `windowDays`, also reads its history for the insights report.
 */
export async function checkLive(
  slug: string,
  env: Record<string, string | undefined>,
  now: Date,
  windowDays?: number,
): Promise<{ evaluation: Evaluation; insights?: RepoInsights }> {
  const [owner = "", repo = "", ...rest] = slug.split("/");
  if (!owner || !repo || rest.length > 0) throw new UsageError(`--github takes OWNER/REPO; got "${slug}"`);
  const client = liveClient(env, "--github");
  const ref = { owner, repo };
  const outcome = await evaluateRepository({ client, cache: new FileCache(), now }, ref);
  if (outcome.kind === "skipped") throw new UsageError(`${slug}: ${outcome.reason}`);
  if (windowDays === undefined) return { evaluation: outcome.evaluation };
  const history = outcome.trusted?.manifest?.ok
    ? await readHistory(client, ref, windowStart(now, windowDays))
    : NO_MANIFEST_HISTORY;
  const insights = insightsOf(ref, outcome, history, now);
  return { evaluation: outcome.evaluation, insights };
}
