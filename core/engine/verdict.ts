/**
 * The one decision of whether findings block: the check run's conclusion, the action's exit code
 * and `pom check`'s exit code all come from here.
 */
import type { Conclusion, Finding } from "./types.js";

/** The level at which a run fails: error-level findings, warnings too, or never. */
export const FAIL_ON = ["error", "warn", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * A finding that counts against the run at its level: a failure, or a rule that could not be
 * decided because of a passing fault (a gate does not pass on what it did not see; re-running
 * decides it). One this setup can never decide (offline, a permission the token lacks) does not.
 */
function counts(finding: Finding): boolean {
  return finding.status === "fail" || (finding.status === "unknown" && !finding.lasting);
}

/**
 * Whether `findings` block at `failOn`.
 *
 * @example blocks([{ status: "fail", level: "warn", … }], "error") // false
 * @example blocks([{ status: "fail", level: "warn", … }], "warn") // true
 */
export function blocks(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  return findings.some(
    (f) => counts(f) && (f.level === "error" || (failOn === "warn" && f.level === "warn")),
  );
}

/**
 * The conclusion of a set of findings:
 * - `failure` when they block at level error;
 * - `neutral` when a warning fails, or a rule cannot be decided with this setup at all (offline,
 *   or a permission the token lacks: the finding names it);
 * - `success` otherwise.
 */
export function conclude(findings: readonly Finding[]): Conclusion {
  if (blocks(findings, "error")) return "failure";
  if (findings.some((f) => (f.status === "fail" || f.status === "unknown") && f.level !== "off"))
    return "neutral";
  return "success";
}
