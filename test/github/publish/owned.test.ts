/**
 * The decisions every owned issue and comment shares: what the app's item should become for a set
 * of findings, the step that gets it there, and the hash marker that tells whether an edit is due.
 */
import { describe, expect, it } from "vitest";
import type { Finding, Status } from "../../../core/engine/types.js";
import {
  contentHash,
  goalFor,
  hashIn,
  hashMarker,
  type Step,
  stepFor,
} from "../../../github/publish/owned.js";

const finding = (status: Status): Finding => ({
  rule: "release.cadence",
  status,
  level: "error",
  message: status,
  fix: "ship",
  evidence: [],
});
const render = (failing: Finding[]) => `${failing.length} failing`;

describe("goalFor", () => {
  it.each([
    [["fail", "pass"], { content: "1 failing" }],
    [["fail", "unknown"], { content: "1 failing" }],
    [["pass", "skip"], "resolved"],
    [[], "resolved"],
    [["pass", "unknown"], "undecided"],
  ] as [Status[], unknown][])("for findings %j, the goal is %j", (statuses, goal) => {
    expect(goalFor(statuses.map(finding), render)).toEqual(goal);
  });
});

describe("stepFor", () => {
  const says = (text: string) => text === "same";
  it.each([
    ["a problem and no item", "create", { content: "new" }, undefined],
    ["a problem that came back to a closed item", "reopen", { content: "same" }, { open: false }],
    ["a problem the open item already says", "keep", { content: "same" }, { open: true }],
    ["a problem the open item says otherwise", "edit", { content: "new" }, { open: true }],
    ["a fix while the item is open", "retire", "resolved", { open: true }],
    ["a fix with the item closed already", "none", "resolved", { open: false }],
    ["a fix and no item", "none", "resolved", undefined],
    ["nothing decided with the item open", "none", "undecided", { open: true }],
    ["nothing decided with the item closed", "none", "undecided", { open: false }],
    ["nothing decided and no item", "none", "undecided", undefined],
  ] as [string, Step, Parameters<typeof stepFor<string>>[0], { open: boolean } | undefined][])(
    "for %s, the step is %s",
    (_, step, goal, current) => {
      expect(stepFor(goal, current, says)).toBe(step);
    },
  );
});

describe("hash markers", () => {
  it("reads back the hash a body records under its name, and no other name's", () => {
    const hash = contentHash("release.cadence:error::");
    const body = ["<!-- pom-governance:tracking -->", hashMarker("hash", hash), "text"].join("\n");
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashIn("hash", body)).toBe(hash);
    expect(hashIn("report-hash", body)).toBeUndefined();
    expect(hashIn("hash", null)).toBeUndefined();
  });
});
