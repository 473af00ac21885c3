/**
 * The trusted configuration of a subject: the manifest and the org policy on the default branch,
 * read once per judgement; what a flow does when there is none, or when it cannot be read; and the
 * judgement's input built from it, with its configuration resolved once.
 */
import type { Evaluation } from "../../core/engine/evaluate.js";
import type { JudgementInput } from "../../core/engine/judge.js";
import type { Finding, SubjectKind } from "../../core/engine/types.js";
import type { Loaded, Manifest } from "../../core/manifest/manifest.js";
import { effectiveConfig } from "../../policies/registry.js";
import { isGoverned, loadTrustedConfig, type TrustedConfig } from "../read/config.js";
import { describeError, type RepoRef } from "../transport/client.js";
import type { PipelineDeps } from "./deps.js";

export const NOT_GOVERNED = "the repository has no pom.yml and its organization no pom-policy.yml";

/** What judging a subject came to: left alone, with the reason, or a verdict (and more, per flow). */
export type Judged<T> =
  | { kind: "skipped"; reason: string }
  | ({ kind: "evaluated"; evaluation: Evaluation } & T);

/** Why the configuration could not be read, for a verdict that says so. */
export class ConfigUnreadable {
  constructor(readonly error: unknown) {}
}

/** The trusted configuration, or why the subject is left alone (none), or why it cannot be judged. */
export async function trustedConfig(
  deps: PipelineDeps,
  repo: RepoRef,
  options: Parameters<typeof loadTrustedConfig>[4] = {},
): Promise<TrustedConfig | ConfigUnreadable | undefined> {
  try {
    const config = await loadTrustedConfig(deps.client, deps.cache, repo, deps.manifestPaths, options);
    return isGoverned(config) ? config : undefined;
  } catch (error) {
    return new ConfigUnreadable(error);
  }
}

/**
 * The verdict when the manifest or the policy could not be read: one undecided error-level
 * finding, so that the check fails with the reason instead of vanishing or passing.
 */
export function unreadable(problem: ConfigUnreadable, now: Date): Judged<object> {
  const finding: Finding = {
    rule: "manifest.valid",
    status: "unknown",
    level: "error",
    message: `the manifest and org policy could not be read: ${describeError(problem.error)}`,
    fix: "run the check again; if it persists, check the app's contents permission and GitHub's status",
    evidence: [],
  };
  return {
    kind: "evaluated",
    evaluation: {
      conclusion: "failure",
      findings: [finding],
      config: effectiveConfig(null, null, now),
      needs: [],
    },
  };
}

/** The input of a judgement of `subject` under `trusted`, its configuration resolved here, once. */
export function judgementOf(
  subject: SubjectKind,
  trusted: TrustedConfig,
  now: Date,
  proposed?: Loaded<Manifest>,
): JudgementInput {
  const manifest = trusted.manifest;
  const policy = trusted.policy ?? null;
  return {
    subject,
    manifest,
    policy,
    config: effectiveConfig(manifest, policy, now),
    now,
    ...(proposed ? { proposed } : {}),
  };
}
