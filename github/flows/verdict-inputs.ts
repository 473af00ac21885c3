/**
 * The inputs of a pull request's verdict, as one hash: the head commit, the pull request's title,
 * body, labels, author and draft state, the linked issues the rules read (their text and labels),
 * the approvals that stand (when a rule read them), the manifest and org policy in force, the manifest the pull request proposes, the engine version,
 * and the next date at which a waiver or a due date changes the verdict by itself. Two judgements
 * with the same hash give the same verdict; a stored hash tells whether a check is current.
 */
import { createHash } from "node:crypto";
import type { Approval, Fact, PullRequestInfo, WorkItem } from "../../core/engine/facts.js";
import { ENGINE_VERSION } from "../../core/engine/version.js";
import type { Loaded, Manifest, OrgPolicy } from "../../core/manifest/manifest.js";

export interface PullRequestInputs {
  headSha: string;
  pullRequest: PullRequestInfo;
  /** The linked issues, when a rule read them (a verdict that did not read them does not depend on them). */
  closingIssues?: Fact<WorkItem[]>;
  /** The approvals that stand, when a rule read them (a review changes nothing else). */
  reviews?: Fact<Approval[]>;
  manifest: Loaded<Manifest> | null;
  policy?: Loaded<OrgPolicy> | null;
  proposed?: { path: string; manifest: Loaded<Manifest> };
  /** From core/engine/next-change.ts. */
  nextChange?: string;
}

/** What a loaded file contributes: its value, or its problems. */
function loaded(file: Loaded<unknown> | null | undefined): unknown {
  if (!file) return null;
  return file.ok ? file.value : file.problems;
}

/**
 * The hash of a pull request verdict's inputs (64 hex digits).
 *
 * @example inputsHash({ headSha, pullRequest, manifest, policy: null }) // "3f1c…"
 */
export function inputsHash(inputs: PullRequestInputs): string {
  const { pullRequest: pr } = inputs;
  const issues = inputs.closingIssues;
  const canonical = [
    ENGINE_VERSION,
    inputs.headSha,
    pr.number,
    pr.title,
    pr.body ?? null,
    [...pr.labels].sort(),
    pr.author,
    pr.draft ?? null,
    issues === undefined
      ? null
      : issues.ok
        ? [...issues.value]
            .sort((a, b) => a.number - b.number)
            .map((i) => [i.number, i.title, i.body ?? null, [...i.labels].sort()])
        : ["unknown", issues.reason],
    loaded(inputs.manifest),
    loaded(inputs.policy),
    inputs.proposed ? [inputs.proposed.path, loaded(inputs.proposed.manifest)] : null,
    inputs.nextChange ?? null,
    ...(inputs.reviews === undefined
      ? []
      : [
          inputs.reviews.ok
            ? inputs.reviews.value
                .map((a) => [a.login.toLowerCase(), a.commit, a.governanceChangedSince])
                .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
            : ["unknown", inputs.reviews.reason],
        ]),
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
