/** `pom check --github OWNER/REPO`: the repository rules evaluated live against GitHub. */
import { Octokit } from "@octokit/rest";
import type { Evaluation } from "../core/evaluate.js";
import { fetchWithTimeout, type GitHubClient } from "../github/client.js";
import { FileCache } from "../github/file-cache.js";
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
  const octokit = new Octokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    userAgent: "pom-governance-cli",
    request: { fetch: fetchWithTimeout(30_000) },
    // Octokit logs every non-2xx answer to stderr, also the 404s and 304s the checks expect (no org
    // policy, no CODEOWNERS in one of its places, an unchanged file); what matters becomes a finding.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
  const outcome = await evaluateRepository(
    { client: octokit as unknown as GitHubClient, cache: new FileCache(), now: () => now },
    { owner, repo },
  );
  if (outcome.kind === "skipped") throw new UsageError(`${slug}: ${outcome.reason}`);
  return outcome.evaluation;
}
