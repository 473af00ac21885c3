/**
 * The "POM governance" check run: one per subject and commit, with a summary and annotations.
 * With a ledger of the runs already written, a verdict GitHub already shows is not written again,
 * and a changed one edits its run in place (PATCH), so the head commit keeps one run per subject.
 */
import { createHash } from "node:crypto";
import type { Verdict } from "../../core/engine/types.js";
import { type Annotation, toAnnotations } from "../../core/render/annotations.js";
import { renderMarkdown } from "../../core/render/markdown.js";
import { countLine } from "../../core/render/summary.js";
import { type GitHubClient, type RepoRef, statusOf } from "../transport/client.js";
import { paced } from "../transport/pacing.js";
import { type CheckLedger, type CheckRecord, checkKey } from "./check-ledger.js";
import { priorityOf } from "./priority.js";

export const CHECK_NAME = "POM governance";
/** GitHub takes at most 50 annotations per request; the rest are appended with PATCH. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckRunInput {
  sha: string;
  verdict: Verdict;
  /**
   * Identifies the subject, so that a re-run request can evaluate it again: "pr:12", "release:v1",
   * "repo". With `inputs`, the run's `external_id` is "pr:12:<first 16 of inputs>".
   */
  externalId: string;
  /** A hash of everything the verdict was computed from: unchanged inputs write nothing. */
  inputs?: string;
  /** Write a new run even when the ledger says GitHub shows this verdict ("Re-run"). */
  force?: boolean;
  /** Repository files that annotations may point into. */
  files?: ReadonlySet<string>;
  detailsUrl?: string;
  /** When the subject last changed (a pull request's `updated_at`): recent ones are created first when creations wait. */
  updatedAt?: string | null;
}

export type CheckWrite = "created" | "updated" | "unchanged";

export interface PublishedCheck {
  id: number;
  write: CheckWrite;
}

interface Rendered {
  conclusion: Verdict["conclusion"];
  title: string;
  summary: string;
  annotations: Annotation[];
  hash: string;
}

function render(input: CheckRunInput): Rendered {
  const { verdict } = input;
  const title = `${CHECK_NAME}: ${countLine(verdict.findings)}`.slice(0, 255);
  const summary = renderMarkdown(verdict);
  const annotations = toAnnotations(verdict.findings, input.files);
  const hash = createHash("sha256")
    .update(JSON.stringify([verdict.conclusion, title, summary, annotations]))
    .digest("hex")
    .slice(0, 32);
  return { conclusion: verdict.conclusion, title, summary, annotations, hash };
}

function externalId(input: CheckRunInput): string {
  return input.inputs ? `${input.externalId}:${input.inputs.slice(0, 16)}` : input.externalId;
}

/**
 * Publishes the completed check run of `input.sha`; returns its id and what was written. Without
 * a ledger every call creates a run (the action: one run per workflow run).
 */
export async function publishCheckRun(
  client: GitHubClient,
  repo: RepoRef,
  input: CheckRunInput,
  ledger?: CheckLedger,
): Promise<PublishedCheck> {
  const rendered = render(input);
  if (!ledger) return { id: await createRun(client, repo, input, rendered), write: "created" };
  const key = checkKey(repo, input.sha, input.externalId);
  return ledger.inTurn(key, async () => {
    const known = await ledger.get(key);
    const decided = known && !input.force ? sameVerdict(known, input, rendered) : undefined;
    if (decided) {
      // What the verdict was computed from (or what it shows) is unchanged: nothing to write. The
      // record learns the new inputs when only they changed.
      if (input.inputs && known && known.inputs !== input.inputs)
        await ledger.set(key, { ...known, inputs: input.inputs });
      return { id: decided, write: "unchanged" as const };
    }
    let write: CheckWrite = "created";
    let id: number | undefined;
    // GitHub appends annotations on every edit: a run with annotations is replaced, not edited.
    if (known && !input.force && !known.annotated) {
      id = await updateRun(client, repo, known.id, input, rendered);
      if (id !== undefined) write = "updated";
    }
    id ??= await createRun(client, repo, input, rendered);
    const record: CheckRecord = {
      id,
      output: rendered.hash,
      annotated: rendered.annotations.length > 0,
      ...(input.inputs ? { inputs: input.inputs } : {}),
    };
    await ledger.set(key, record);
    return { id, write };
  });
}

/** The run's id when GitHub already shows this verdict, else undefined. */
function sameVerdict(known: CheckRecord, input: CheckRunInput, rendered: Rendered): number | undefined {
  if (input.inputs && known.inputs === input.inputs) return known.id;
  return known.output === rendered.hash ? known.id : undefined;
}

function output(rendered: Rendered, batch: Annotation[]) {
  return {
    title: rendered.title,
    summary: rendered.summary,
    ...(batch.length > 0 ? { annotations: batch } : {}),
  };
}

/** What a created or edited run shows: the completed verdict, with the first annotations. */
function verdictFields(input: CheckRunInput, rendered: Rendered) {
  return {
    status: "completed" as const,
    conclusion: rendered.conclusion,
    completed_at: new Date().toISOString(),
    external_id: externalId(input),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    output: output(rendered, rendered.annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  };
}

/** Creates the run with the first batch of annotations, then appends the rest; returns its id. */
async function createRun(
  client: GitHubClient,
  repo: RepoRef,
  input: CheckRunInput,
  rendered: Rendered,
): Promise<number> {
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_NAME,
    head_sha: input.sha,
    ...verdictFields(input, rendered),
    ...paced(priorityOf(input.verdict.findings, input.updatedAt)),
  });
  const id = (created.data as { id: number }).id;
  await appendAnnotations(client, repo, id, rendered, ANNOTATIONS_PER_REQUEST);
  return id;
}

/** Edits run `id` to show the new verdict; undefined when GitHub no longer has it. */
async function updateRun(
  client: GitHubClient,
  repo: RepoRef,
  id: number,
  input: CheckRunInput,
  rendered: Rendered,
): Promise<number | undefined> {
  try {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: id,
      ...verdictFields(input, rendered),
    });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  await appendAnnotations(client, repo, id, rendered, ANNOTATIONS_PER_REQUEST);
  return id;
}

async function appendAnnotations(
  client: GitHubClient,
  repo: RepoRef,
  id: number,
  rendered: Rendered,
  from: number,
): Promise<void> {
  for (let i = from; i < rendered.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: id,
      output: output(rendered, rendered.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)),
    });
  }
}
