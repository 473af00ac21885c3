/**
 * The vocabulary shared by the engine, the policies and every runtime.
 * Pure types only: nothing here touches the network, the file system or the clock.
 */

/** Severity a configuration gives a rule. `off` rules are not evaluated. */
export type Level = "error" | "warn" | "off";

/** What a rule saw. A violation is a `fail`; a fact that could not be read is `unknown`. */
export type Status = "pass" | "fail" | "skip" | "waived" | "unknown";

/** Check-run style summary of a verdict. */
export type Conclusion = "success" | "neutral" | "failure";

/** What a rule can be evaluated against. */
export type SubjectKind = "repo" | "pull_request" | "issue" | "release";

/** A position in a source file; lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One rule's verdict on one subject. This is the stable JSON shape of `findings[]`. */
export interface Finding {
  rule: RuleId;
  status: Status;
  level: Level;
  /** The problem (or, for a pass, what was confirmed), in one sentence a person understands. */
  message: string;
  /** What to do about it; empty for a pass. */
  fix: string;
  /** What the rule saw, so that the verdict explains itself. */
  evidence: string[];
  /** Where in a file the finding points, when it does. */
  location?: SourceLocation;
  /** In a repository with products: the product the finding is about (none: the repository). */
  product?: string;
  /**
   * For `unknown` only, and not part of the JSON output: this setup can never decide the rule
   * (offline, or a permission the token lacks), so re-running would not help.
   */
  lasting?: boolean;
}

/** The result of evaluating one subject. */
export interface Verdict {
  conclusion: Conclusion;
  findings: Finding[];
}

/** Every rule id of the catalogue. The ids are part of the product contract. */
export const RULE_IDS = [
  "manifest.valid",
  "manifest.present",
  "ownership.team",
  "ownership.roles",
  "ownership.codeowners",
  "release.cadence",
  "release.unreleased",
  "outcome.pull_request",
  "outcome.issue",
  "problem.issue",
  "outcome.release",
  "outcome.declared",
  "outcome.overdue",
  "outcome.stale",
  "manifest.protected",
  "ownership.paths",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
