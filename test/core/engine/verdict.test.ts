/**
 * Which findings block at a fail-on level: the one decision behind the check's conclusion, the
 * action's exit code and `pom check`'s. A gate does not pass on what it could not see.
 */
import { describe, expect, it } from "vitest";
import type { Finding, Level, Status } from "../../../core/engine/types.js";
import { blocks, conclude } from "../../../core/engine/verdict.js";

const finding = (status: Status, level: Level, lasting?: boolean): Finding => ({
  rule: "release.cadence",
  status,
  level,
  message: "",
  fix: "",
  evidence: [],
  ...(lasting ? { lasting } : {}),
});
const shouldFail = blocks;

describe("blocks", () => {
  it("fails on an error-level rule that failed, or could not be decided because of a passing fault", () => {
    expect(shouldFail([finding("fail", "error")], "error")).toBe(true);
    expect(shouldFail([finding("unknown", "error")], "error")).toBe(true);
    expect(shouldFail([finding("unknown", "warn"), finding("fail", "warn")], "error")).toBe(false);
    expect(shouldFail([finding("unknown", "warn")], "warn")).toBe(true);
  });

  it("does not fail on a rule this setup can never decide (a permission the token lacks)", () => {
    expect(shouldFail([finding("unknown", "error", true)], "error")).toBe(false);
    expect(shouldFail([finding("unknown", "warn", true)], "warn")).toBe(false);
  });

  it("never fails with fail-on never, and passes what passed", () => {
    expect(shouldFail([finding("fail", "error"), finding("unknown", "error")], "never")).toBe(false);
    expect(
      shouldFail([finding("pass", "error"), finding("skip", "error"), finding("waived", "error")], "error"),
    ).toBe(false);
  });
});

describe("conclude", () => {
  it("is failure exactly when the findings block at level error", () => {
    for (const findings of [
      [finding("fail", "error")],
      [finding("unknown", "error")],
      [finding("unknown", "error", true)],
      [finding("fail", "warn")],
      [finding("pass", "error")],
    ]) {
      expect(conclude(findings) === "failure").toBe(blocks(findings, "error"));
    }
  });

  it("is neutral for failing warnings and for what this setup can never decide, success otherwise", () => {
    expect(conclude([finding("fail", "warn")])).toBe("neutral");
    expect(conclude([finding("unknown", "error", true)])).toBe("neutral");
    expect(conclude([finding("pass", "error"), finding("waived", "error")])).toBe("success");
  });
});
