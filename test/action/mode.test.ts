import { describe, expect, it } from "vitest";
import { modeFor } from "../../action/mode.js";

describe("the action's mode from its event", () => {
  it.each([
    ["pull_request", "pull_request"],
    ["pull_request_target", "pull_request"],
    // A review can change which approvals stand (manifest.protected).
    ["pull_request_review", "pull_request"],
    ["issues", "issue"],
    ["push", "repo"],
    ["schedule", "sweep"],
    ["pull_request_review_comment", undefined],
  ])("auto on %s judges %s", (event, mode) => {
    expect(modeFor("auto", event)).toBe(mode);
  });
});
