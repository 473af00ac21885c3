import { describe, expect, it } from "vitest";
import { check, findingsOf, manifest, policy } from "../helpers/engine.js";

const LOCKED = policy({
  rules: { "release.cadence": { warn: "2027-01-01", error: "2027-03-01" } },
  locked: ["release.cadence"],
});
const NOW = new Date("2026-12-07T12:00:00Z");

describe("manifest.valid and a locked rule's schedule", () => {
  it("fails, naming the lock, when the repository postpones the org's dates", () => {
    const evaluation = check({
      subject: "repo",
      policy: LOCKED,
      manifest: manifest({ rules: { "release.cadence": { warn: "2027-01-01", error: "2027-06-01" } } }),
      now: NOW,
    });
    const failed = findingsOf(evaluation, "manifest.valid").filter((f) => f.status === "fail");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.level).toBe("error");
    expect(failed[0]?.message).toContain(
      'the org policy locks release.cadence at { warn: 2027-01-01, error: 2027-03-01 }: from 2027-03-01 it would be "warn"',
    );
    expect(failed[0]?.location).toMatchObject({ file: ".github/pom.yml" });
    expect(evaluation.conclusion).toBe("failure");
  });

  it("passes when the repository brings the dates forward", () => {
    const evaluation = check({
      subject: "repo",
      policy: LOCKED,
      manifest: manifest({ rules: { "release.cadence": { error: "2026-12-01" } } }),
      now: NOW,
    });
    expect(findingsOf(evaluation, "manifest.valid").map((f) => f.status)).toEqual(["pass"]);
  });

  it("judges a pull request's proposed manifest on the same terms", () => {
    const evaluation = check({
      subject: "pull_request",
      policy: LOCKED,
      proposed: manifest({ rules: { "release.cadence": "warn" } }),
      now: NOW,
    });
    const failed = findingsOf(evaluation, "manifest.valid").filter((f) => f.status === "fail");
    expect(failed[0]?.message).toContain(
      "a repo may bring a locked rule's dates forward, never postpone them",
    );
  });
});
