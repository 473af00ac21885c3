/**
 * A merge queue's group: its pull requests judged as each would be on its own (by the default
 * branch's manifest and policy), and one "POM governance" check on the group's head commit that
 * fails when any of them would fail, so that the check can be required with a merge queue.
 */
import type { Evaluation } from "../../core/engine/evaluate.js";
import type { Finding } from "../../core/engine/types.js";
import { conclude } from "../../core/engine/verdict.js";
import { publishCheckRun } from "../publish/check-run.js";
import { mergeGroupPulls } from "../read/open-pulls.js";
import type { RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";
import type { GovernResult } from "./govern.js";
import { evaluatePullRequest } from "./pull-request.js";
import { NOT_GOVERNED } from "./trusted.js";

export interface MergeGroupPayload {
  head_sha: string;
  head_ref: string;
  base_ref: string;
}

/** Judges the group's pull requests and publishes the group's check on its head commit. */
export async function governMergeGroup(
  deps: PipelineDeps,
  repo: RepoRef,
  group: MergeGroupPayload,
  options: { checkRun?: boolean } = {},
): Promise<GovernResult> {
  const pulls = await mergeGroupPulls(deps.client, repo, group);
  const judged: { number: number; evaluation: Evaluation }[] = [];
  for (const pull of pulls) {
    const outcome = await evaluatePullRequest(deps, repo, pull.payload, {
      closingIssues: pull.closingIssues,
      files: pull.files,
    });
    if (outcome.kind === "evaluated")
      judged.push({ number: pull.payload.number, evaluation: outcome.evaluation });
  }
  if (pulls.length > 0 && judged.length === 0) return { skipped: NOT_GOVERNED };
  const findings: Finding[] = judged.flatMap(({ number, evaluation }) =>
    evaluation.findings.map((f) => ({ ...f, message: `#${number}: ${f.message}` })),
  );
  if (pulls.length === 0)
    findings.push({
      rule: "outcome.pull_request",
      status: "unknown",
      level: "error",
      message: "the merge group's pull requests could not be found in the merge queue",
      fix: "re-queue the pull requests; if it persists, check the app's pull request permission",
      evidence: [`head: ${group.head_sha}`, `branch: ${group.head_ref}`],
    });
  const base = judged[0]?.evaluation;
  const evaluation: Evaluation = {
    conclusion: conclude(findings),
    findings,
    config: base?.config as Evaluation["config"],
    needs: [],
  };
  // The action without check-run: the job's own status is the group's check.
  if (options.checkRun === false) return { evaluation };
  const check = await publishCheckRun(
    deps.client,
    repo,
    { sha: group.head_sha, verdict: evaluation, externalId: "merge_group", files: new Set() },
    deps.checks,
  );
  return { evaluation, checkRunId: check.id, checkWrite: check.write };
}
