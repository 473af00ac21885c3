/** Which subject a workflow run judges: from the `mode` input, or from the triggering event. */

export type Mode = "pull_request" | "issue" | "release" | "repo" | "sweep";
export const MODE_INPUTS = ["auto", "pull_request", "issue", "release", "sweep"] as const;
export const FAIL_ON = ["error", "warn", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

const BY_EVENT: Record<string, Mode> = {
  pull_request: "pull_request",
  pull_request_target: "pull_request",
  issues: "issue",
  release: "release",
  push: "repo",
  schedule: "sweep",
  workflow_dispatch: "sweep",
};

/**
 * The mode for `input` ("auto" or a mode) and the event name; undefined when auto cannot tell.
 *
 * @example modeFor("auto", "pull_request_target") // "pull_request"
 */
export function modeFor(input: string, eventName: string): Mode | undefined {
  if (input === "auto" || input === "") return BY_EVENT[eventName];
  return (MODE_INPUTS as readonly string[]).includes(input) ? (input as Mode) : undefined;
}

/**
 * Whether a verdict should fail the step. A rule that could not be decided because of a passing
 * fault (GitHub answered 5xx, a timeout) counts as failing at its level: a gate does not pass on
 * what it did not see. One this setup can never decide (`lasting`: a permission the token lacks)
 * does not.
 */
export function shouldFail(
  failOn: FailOn,
  findings: readonly { status: string; level: string; lasting?: boolean }[],
): boolean {
  if (failOn === "never") return false;
  const failing = findings.filter((f) => f.status === "fail" || (f.status === "unknown" && !f.lasting));
  if (failOn === "warn") return failing.some((f) => f.level === "error" || f.level === "warn");
  return failing.some((f) => f.level === "error");
}
