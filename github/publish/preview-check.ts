/**
 * The "POM policy preview" check run on a pull request that changes the org policy: created
 * `in_progress` when the preview starts, completed with its conclusion and summary when it ends
 * (within GitHub's 65,535-byte limit), or completed `cancelled` when a newer push superseded it.
 * It is the only thing a preview writes.
 */
import type { PolicyPreview } from "../../core/insights/preview.js";
import { POLICY_PATH } from "../../core/manifest/manifest.js";
import { problemAnnotations } from "../../core/render/annotations.js";
import { previewHeadline, renderPreviewMarkdown } from "../../core/render/preview-markdown.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import { paced } from "../transport/pacing.js";
import { ANNOTATIONS_PER_REQUEST } from "./check-run.js";

export const PREVIEW_CHECK_NAME = "POM policy preview";

/** The run's `external_id`: the pull request it previews. */
export const previewExternalId = (pull: number) => `preview:${pull}`;

/** Creates the run on `sha`, in progress; returns its id. */
export async function startPreviewCheck(
  client: GitHubClient,
  repo: RepoRef,
  input: { sha: string; pull: number; detailsUrl?: string },
): Promise<number> {
  const { data } = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: repo.owner,
    repo: repo.repo,
    name: PREVIEW_CHECK_NAME,
    head_sha: input.sha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    external_id: previewExternalId(input.pull),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    output: {
      title: `${PREVIEW_CHECK_NAME}: judging every repository under both policies`,
      summary:
        "Every repository of the installation is being judged under the current and the proposed org policy.",
    },
    // A person waits for it: created before the sweep's tracking issues when creations wait.
    ...paced({ rank: 0 }),
  });
  return (data as { id: number }).id;
}

export interface FinishOptions {
  /** Name private repositories in the summary (only where everyone who reads it may see them). */
  namePrivate: boolean;
  /** Where the full list is, when the summary cannot hold it all. */
  fullList?: string;
}

/** Completes run `id` with the preview: conclusion, summary, and the proposal's problems as annotations. */
export async function finishPreviewCheck(
  client: GitHubClient,
  repo: RepoRef,
  id: number,
  preview: PolicyPreview,
  options: FinishOptions,
): Promise<void> {
  const annotations = problemAnnotations(preview.invalid ?? [], POLICY_PATH);
  const output = (batch: typeof annotations) => ({
    title: `${PREVIEW_CHECK_NAME}: ${previewHeadline(preview)}`.slice(0, 255),
    summary: renderPreviewMarkdown(preview, {
      namePrivate: options.namePrivate,
      ...(options.fullList ? { fullList: options.fullList } : {}),
    }),
    ...(batch.length > 0 ? { annotations: batch } : {}),
  });
  await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: id,
    status: "completed",
    conclusion: preview.conclusion,
    completed_at: new Date().toISOString(),
    output: output(annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  });
  // GitHub appends the annotations of each edit to the run's.
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: id,
      output: output(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)),
    });
}

/** Completes run `id` as cancelled: a newer push to the pull request is previewed instead. */
export function supersedePreviewCheck(client: GitHubClient, repo: RepoRef, id: number, by: string) {
  return completeWith(client, repo, id, "cancelled", {
    title: `${PREVIEW_CHECK_NAME}: superseded by ${by.slice(0, 7)}`,
    summary: `A newer push (${by.slice(0, 7)}) changed the proposed policy: its preview replaces this one.`,
  });
}

/** Completes run `id` as failed when the preview itself could not be made (GitHub failed it). */
export function failPreviewCheck(client: GitHubClient, repo: RepoRef, id: number, reason: string) {
  return completeWith(client, repo, id, "failure", {
    title: `${PREVIEW_CHECK_NAME}: could not be made`,
    summary: `The preview could not be made: ${reason.slice(0, 2_000)}. Re-run the check to try again.`,
  });
}

async function completeWith(
  client: GitHubClient,
  repo: RepoRef,
  id: number,
  conclusion: "cancelled" | "failure",
  output: { title: string; summary: string },
): Promise<void> {
  await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: id,
    status: "completed",
    conclusion,
    completed_at: new Date().toISOString(),
    output,
  });
}
