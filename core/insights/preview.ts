/**
 * A policy preview: every repository judged under the org policy as it stands and as a change
 * proposes it, and what would change. A repository fails when its conclusion is `failure` (what
 * blocks a merge); a rule fails for a repository when one of its findings fails, at the level it
 * fails at. The preview lists the repositories that would start or stop failing, and per rule
 * those for which the rule would fail more or less. Pure: the runtimes do the judging.
 */
import { type Conclusion, type Finding, RULE_IDS, type RuleId } from "../engine/types.js";
import type { SourceProblem } from "../manifest/problem.js";

/** A repository's verdict under one policy: not governed, or its conclusion and failing rules. */
export interface PreviewState {
  conclusion: Conclusion | "not governed";
  /** Each failing rule at the level it fails at (error when it fails at both). */
  failing: Partial<Record<RuleId, FailLevel>>;
}

export type FailLevel = "warn" | "error";
/** A rule's standing for a repository: passing (or not failing), or failing at a level. */
export type RuleStanding = "pass" | FailLevel;

/** One repository judged under both policies from the same facts. */
export interface JudgedTwice {
  repo: string;
  /** Private (or not known to be public): never named where everyone may read. */
  private: boolean;
  current: PreviewState;
  proposed: PreviewState;
}

/** A repository whose conclusion flips between failing and not. */
export interface RepoFlip {
  repo: string;
  private: boolean;
  from: PreviewState["conclusion"];
  to: PreviewState["conclusion"];
  /** The rules that changed in the flip's direction: newly failing, or no longer failing. */
  rules: RuleId[];
}

/** A repository for which one rule fails more (or less) under the proposed policy. */
export interface RuleFlip {
  repo: string;
  private: boolean;
  from: RuleStanding;
  to: RuleStanding;
}

export interface RuleChange {
  rule: RuleId;
  /** Newly failing, or failing at a higher level. */
  worse: RuleFlip[];
  /** No longer failing, or failing at a lower level. */
  better: RuleFlip[];
}

export const PREVIEW_KIND = "pom-policy-preview";

export interface PolicyPreview {
  kind: typeof PREVIEW_KIND;
  /** The account whose repositories were judged. */
  org: string;
  generatedAt: string;
  /** The proposed policy: its file, and the pull request and head commit that propose it. */
  proposed: { file: string; pull?: number; head?: string };
  /** Why the proposed policy is invalid: then nothing was judged. */
  invalid?: SourceProblem[];
  /** Repositories judged under both policies, and how many of them are private. */
  repositories: number;
  privateRepositories: number;
  /** Repositories that could not be judged, with why. */
  notJudged: { repo: string; private: boolean; reason: string }[];
  startFailing: RepoFlip[];
  stopFailing: RepoFlip[];
  /** The rules whose standing changes for some repository, in catalogue order. */
  rules: RuleChange[];
  /** `failure`: the policy is invalid; `neutral`: something gets worse; `success`: nothing does. */
  conclusion: Conclusion;
}

const RANK: Record<RuleStanding, number> = { pass: 0, warn: 1, error: 2 };

/**
 * What a verdict comes to for the preview (`undefined`: the repository is not governed).
 *
 * @example stateOf({ conclusion: "failure", findings: [{ rule: "manifest.valid", status: "fail", level: "error", … }] })
 * // { conclusion: "failure", failing: { "manifest.valid": "error" } }
 */
export function stateOf(
  verdict: { conclusion: Conclusion; findings: readonly Finding[] } | undefined,
): PreviewState {
  if (!verdict) return { conclusion: "not governed", failing: {} };
  const failing: PreviewState["failing"] = {};
  for (const f of verdict.findings) {
    if (f.status !== "fail" || f.level === "off") continue;
    if (failing[f.rule] !== "error") failing[f.rule] = f.level;
  }
  return { conclusion: verdict.conclusion, failing };
}

const fails = (state: PreviewState) => state.conclusion === "failure";
const standing = (state: PreviewState, rule: RuleId): RuleStanding => state.failing[rule] ?? "pass";

export interface PreviewInput {
  org: string;
  now: Date;
  proposed: PolicyPreview["proposed"];
  judged: readonly JudgedTwice[];
  notJudged?: PolicyPreview["notJudged"];
}

/**
 * The preview of repositories judged under both policies.
 *
 * @example previewOf({ org: "acme", now, proposed: { file }, judged }).startFailing.map((f) => f.repo)
 */
export function previewOf(input: PreviewInput): PolicyPreview {
  const judged = [...input.judged].sort((a, b) => a.repo.localeCompare(b.repo));
  const startFailing: RepoFlip[] = [];
  const stopFailing: RepoFlip[] = [];
  const changes = new Map<RuleId, RuleChange>();
  for (const j of judged) {
    const moved = RULE_IDS.filter((rule) => standing(j.current, rule) !== standing(j.proposed, rule));
    for (const rule of moved) {
      const flip: RuleFlip = {
        repo: j.repo,
        private: j.private,
        from: standing(j.current, rule),
        to: standing(j.proposed, rule),
      };
      const change = changes.get(rule) ?? { rule, worse: [], better: [] };
      (RANK[flip.to] > RANK[flip.from] ? change.worse : change.better).push(flip);
      changes.set(rule, change);
    }
    const flip = (rules: RuleId[]): RepoFlip => ({
      repo: j.repo,
      private: j.private,
      from: j.current.conclusion,
      to: j.proposed.conclusion,
      rules,
    });
    const rank = (state: PreviewState, rule: RuleId) => RANK[standing(state, rule)];
    if (!fails(j.current) && fails(j.proposed))
      startFailing.push(flip(moved.filter((r) => rank(j.proposed, r) > rank(j.current, r))));
    else if (fails(j.current) && !fails(j.proposed))
      stopFailing.push(flip(moved.filter((r) => rank(j.proposed, r) < rank(j.current, r))));
  }
  const rules = RULE_IDS.flatMap((rule) => changes.get(rule) ?? []);
  const worse = startFailing.length > 0 || rules.some((r) => r.worse.length > 0);
  return {
    kind: PREVIEW_KIND,
    org: input.org,
    generatedAt: input.now.toISOString(),
    proposed: input.proposed,
    repositories: judged.length,
    privateRepositories: judged.filter((j) => j.private).length,
    notJudged: [...(input.notJudged ?? [])].sort((a, b) => a.repo.localeCompare(b.repo)),
    startFailing,
    stopFailing,
    rules,
    conclusion: worse ? "neutral" : "success",
  };
}

/** The preview of a proposed policy that is invalid: its problems, nothing judged. */
export function invalidPreview(
  input: Omit<PreviewInput, "judged" | "notJudged">,
  problems: readonly SourceProblem[],
): PolicyPreview {
  return {
    ...previewOf({ ...input, judged: [] }),
    invalid: [...problems],
    conclusion: "failure",
  };
}

/** Whether `value` is a stored preview (what the dashboard serves back). */
export function isPolicyPreview(value: unknown): value is PolicyPreview {
  const p = value as Partial<PolicyPreview> | null;
  return (
    typeof p === "object" &&
    p !== null &&
    p.kind === PREVIEW_KIND &&
    typeof p.org === "string" &&
    Array.isArray(p.startFailing) &&
    Array.isArray(p.stopFailing) &&
    Array.isArray(p.rules)
  );
}
