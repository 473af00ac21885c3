/** `pom check --github OWNER/REPO`: the repository rules evaluated live against GitHub. */
import { Octokit } from "@octokit/core";
import type { Evaluation } from "../core/evaluate.js";
import { FileCache } from "../github/file-cache.js";
import { fetchOptionsFromEnv, githubFetch } from "../github/http.js";
import { evaluateRepository } from "../github/pipeline.js";
import { UsageError } from "./io.js";

/** Evaluates `slug` ("owner/repo") with the token and API URL of the environment. */
export async function checkLive(
  slug: string,
  env: Record<string, string | undefined>,
  now: Date,
): Promise<Evaluation> {
  const [owner = "", repo = "", ...rest] = slug.split("/");
  if (!owner || !repo || rest.length > 0) throw new UsageError(`--github takes OWNER/REPO; got "${slug}"`);
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new UsageError("--github needs a token in GITHUB_TOKEN (or GH_TOKEN)");
  let fetchOptions: ReturnType<typeof fetchOptionsFromEnv>;
  try {
    fetchOptions = fetchOptionsFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const octokit = new Octokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    userAgent: "pom-governance-cli",
    request: { fetch: githubFetch(fetchOptions) },
    // Only Octokit's warnings reach stderr. An answer the checks expect (a 404 for a missing org
    // policy or CODEOWNERS, a 304 for an unchanged file) is not logged; what matters becomes a finding.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
  const outcome = await evaluateRepository(
    { client: octokit, cache: new FileCache(), now: () => now },
    { owner, repo },
  );
  if (outcome.kind === "skipped") throw new UsageError(`${slug}: ${outcome.reason}`);
  return outcome.evaluation;
}
