/** Which findings fail the step: a gate does not pass on what it could not see. */
import { describe, expect, it } from "vitest";
import { shouldFail } from "../../action/mode.js";

const finding = (status: string, level: string, lasting?: boolean) => ({
  status,
  level,
  ...(lasting ? { lasting } : {}),
});

describe("shouldFail", () => {
  it("fails on an error-level rule that failed, or could not be decided because of a passing fault", () => {
    expect(shouldFail("error", [finding("fail", "error")])).toBe(true);
    expect(shouldFail("error", [finding("unknown", "error")])).toBe(true);
    expect(shouldFail("error", [finding("unknown", "warn"), finding("fail", "warn")])).toBe(false);
    expect(shouldFail("warn", [finding("unknown", "warn")])).toBe(true);
  });

  it("does not fail on a rule this setup can never decide (a permission the token lacks)", () => {
    expect(shouldFail("error", [finding("unknown", "error", true)])).toBe(false);
    expect(shouldFail("warn", [finding("unknown", "warn", true)])).toBe(false);
  });

  it("never fails with fail-on never, and passes what passed", () => {
    expect(shouldFail("never", [finding("fail", "error"), finding("unknown", "error")])).toBe(false);
    expect(
      shouldFail("error", [finding("pass", "error"), finding("skip", "error"), finding("waived", "error")]),
    ).toBe(false);
  });
});
