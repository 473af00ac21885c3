/** Which subject a workflow run judges: from the `mode` input, or from the triggering event. */

export type Mode = "pull_request" | "merge_group" | "issue" | "release" | "repo" | "sweep";
export const MODE_INPUTS = ["auto", "pull_request", "merge_group", "issue", "release", "sweep"] as const;

const BY_EVENT: Record<string, Mode> = {
  pull_request: "pull_request",
  pull_request_target: "pull_request",
  // A review can change which approvals stand (manifest.protected): the pull request again.
  pull_request_review: "pull_request",
  merge_group: "merge_group",
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
