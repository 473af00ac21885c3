/**
 * How merged pull requests trace to outcomes, judged by the `outcome.pull_request` rule itself, so
 * that the traceability figures and the gate can never disagree. Each pull request is judged
 * against today's manifest and policy, with the waivers that were in force when it was merged.
 */

import { scanReferences } from "../../domain/outcome-refs.js";
import { defaultLevels, evaluate } from "../../engine/evaluate.js";
import type { PullRequestInfo, WorkItem } from "../../engine/facts.js";
import type { Rule } from "../../engine/rule.js";
import { configOf, type EffectiveConfig } from "../../manifest/config.js";
import type { Loaded, Manifest, OrgPolicy } from "../../manifest/manifest.js";
import { traceOf } from "../metrics/traceability.js";
import type { MergedPullRequest } from "./insights.js";

const RULE = "outcome.pull_request";

export interface TraceInput {
  manifest: Loaded<Manifest> | null;
  policy?: Loaded<OrgPolicy> | null;
  /** Merged pull requests with their closing issues (each needs `mergedAt`). */
  pullRequests: readonly (PullRequestInfo & { closingIssues?: WorkItem[] })[];
  /** The clock of the report: the configuration is today's (each pull request keeps its merge time). */
  now: Date;
}

/**
 * The trace of each merged pull request. A repository that turned the rule off is still measured:
 * the rule is judged as a warning for the figures (a level never changes what a rule sees), and so is
 * one whose level is scheduled but not yet on.
 *
 * @example tracePullRequests({ manifest, pullRequests, now }, RULES)[0]?.trace // "outcome"
 */
export function tracePullRequests(input: TraceInput, rules: readonly Rule[]): MergedPullRequest[] {
  const rule = rules.filter((r) => r.id === RULE);
  const manifest = input.manifest;
  const policy = input.policy ?? null;
  const config = measured(configOf(defaultLevels(rules), manifest, policy, input.now));
  const out: MergedPullRequest[] = [];
  for (const pr of input.pullRequests) {
    if (!pr.mergedAt || Number.isNaN(Date.parse(pr.mergedAt))) continue;
    const closing = pr.closingIssues ?? [];
    const evaluation = evaluate(
      {
        subject: "pull_request",
        manifest,
        policy,
        config,
        facts: {
          pullRequest: { ok: true, value: { ...pr, closingIssues: closing } },
          closingIssues: { ok: true, value: closing },
        },
        now: new Date(pr.mergedAt),
      },
      rule,
    );
    const finding = evaluation.findings.find((f) => f.rule === RULE);
    const trace = traceOf(finding?.status);
    const entry: MergedPullRequest = { number: pr.number, mergedAt: pr.mergedAt, trace };
    if (trace === "outcome") {
      const served = [pr, ...closing]
        .map(
          (item) => scanReferences([item.title, item.body], item.labels, evaluation.config.outcomes).active,
        )
        .find((active) => active.length > 0);
      entry.outcomes = (served ?? []).map((o) => o.id);
    }
    out.push(entry);
  }
  return out;
}

/** The configuration with `outcome.pull_request` at `warn`, so that it is judged even where it is off. */
function measured(config: EffectiveConfig): EffectiveConfig {
  return { ...config, levels: { ...config.levels, [RULE]: { value: "warn", from: "default" } } };
}
