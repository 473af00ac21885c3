import { describe, expect, it } from "vitest";
import { known } from "../../../core/engine/facts.js";
import { check, findingsOf, policy } from "../../helpers/engine.js";

const CAMPAIGN = {
  campaigns: [
    {
      id: "codeowners-2027",
      rules: ["ownership.codeowners"],
      deadline: "2027-02-01",
      title: "Every repo names its owning team in CODEOWNERS",
    },
  ],
};
const noCodeowners = { codeowners: known(null) };

describe("a rule under a staged level", () => {
  it("is off, then a warning that names the day it blocks, then an error: the verdict follows the clock", () => {
    const staged = policy({ rules: { "ownership.codeowners": { warn: "2027-01-10", error: "2027-02-01" } } });
    const on = (iso: string) =>
      check({ subject: "repo", policy: staged, facts: noCodeowners, now: new Date(iso) });

    const before = on("2027-01-09T23:59:59Z");
    expect(findingsOf(before, "ownership.codeowners")).toEqual([]);

    const between = on("2027-01-10T00:00:00Z");
    const [warning] = findingsOf(between, "ownership.codeowners");
    expect(warning).toMatchObject({ status: "fail", level: "warn" });
    expect(warning?.message).toMatch(/^warning now; blocks from 2027-02-01 \(in 22 days\): /);

    const after = on("2027-02-01T00:00:00Z");
    const [error] = findingsOf(after, "ownership.codeowners");
    expect(error).toMatchObject({ status: "fail", level: "error" });
    expect(error?.message).not.toContain("warning now");
    expect(after.conclusion).toBe("failure");
  });

  it("of a campaign names the campaign; a passing finding says nothing of it", () => {
    const evaluation = check({
      subject: "repo",
      policy: policy(CAMPAIGN),
      facts: noCodeowners,
      now: new Date("2027-01-31T12:00:00Z"),
    });
    expect(findingsOf(evaluation, "ownership.codeowners")[0]?.message).toMatch(
      /^warning now; blocks from 2027-02-01 \(in 1 day, campaign codeowners-2027\): /,
    );
    const passing = check({
      subject: "repo",
      policy: policy(CAMPAIGN),
      facts: { codeowners: known({ path: ".github/CODEOWNERS", text: "* @acme/payments\n" }) },
      now: new Date("2027-01-31T12:00:00Z"),
    });
    const [pass] = findingsOf(passing, "ownership.codeowners");
    expect(pass?.status).toBe("pass");
    expect(pass?.message).not.toContain("blocks from");
  });
});
