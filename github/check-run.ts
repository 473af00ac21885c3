/** The "POM governance" check run: one per subject and commit, with a summary and annotations. */
import { type Annotation, toAnnotations } from "../core/render/annotations.js";
import { renderMarkdown } from "../core/render/markdown.js";
import { countLine } from "../core/render/summary.js";
import type { Verdict } from "../core/types.js";
import type { GitHubClient, RepoRef } from "./client.js";

export const CHECK_NAME = "POM governance";
/** GitHub takes at most 50 annotations per request; the rest are appended with PATCH. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckRunInput {
  sha: string;
  verdict: Verdict;
  /** Identifies the subject, so that a re-run request can evaluate it again: "pr:12", "release:v1". */
  externalId: string;
  /** Repository files that annotations may point into. */
  files?: ReadonlySet<string>;
  detailsUrl?: string;
}

/** Creates the completed check run; returns its id. */
export async function publishCheckRun(
  client: GitHubClient,
  repo: RepoRef,
  input: CheckRunInput,
): Promise<number> {
  const { verdict } = input;
  const annotations = toAnnotations(verdict.findings, input.files);
  const output = (batch: Annotation[]) => ({
    title: `${CHECK_NAME}: ${countLine(verdict.findings)}`.slice(0, 255),
    summary: renderMarkdown(verdict),
    ...(batch.length > 0 ? { annotations: batch } : {}),
  });
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_NAME,
    head_sha: input.sha,
    status: "completed",
    conclusion: verdict.conclusion,
    completed_at: new Date().toISOString(),
    external_id: input.externalId,
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    output: output(annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  });
  const id = (created.data as { id: number }).id;
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: id,
      output: output(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)),
    });
  }
  return id;
}
