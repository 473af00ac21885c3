import { describe, expect, it } from "vitest";
import { configOf } from "../../../core/manifest/config.js";
import { waiverPolicyOf, waiverProblem } from "../../../core/manifest/waiver-policy.js";
import { DEFAULT_LEVELS } from "../../../policies/registry.js";
import { manifest, policy } from "../../helpers/engine.js";

const waiver = (fields: { until: string; granted?: string }) => ({
  rule: "release.cadence" as const,
  reason: "freeze",
  ...fields,
});

describe("the org's waiver policy", () => {
  it("is empty without the policy's waivers key", () => {
    expect(waiverPolicyOf(undefined)).toEqual({ requireApproval: false });
    expect(waiverProblem(waiver({ until: "2030-01-01" }), { requireApproval: false })).toBeUndefined();
  });

  it("with max_days, a waiver must say when it was granted and last at most that long", () => {
    const limits = { requireApproval: false, maxDays: 90 };
    expect(waiverProblem(waiver({ until: "2026-09-01" }), limits)?.message).toMatch(
      /says nothing of when it was granted/,
    );
    expect(waiverProblem(waiver({ until: "2026-09-13", granted: "2026-06-15" }), limits)).toBeUndefined();
    const long = waiverProblem(waiver({ until: "2026-09-14", granted: "2026-06-15" }), limits);
    expect(long?.message).toMatch(/lasts 91 days .* longer than the 90 days/);
    expect(long?.hint).toMatch(/set until to 2026-09-13 or earlier/);
    expect(waiverProblem(waiver({ until: "2026-06-01", granted: "2026-06-15" }), limits)?.message).toMatch(
      /before it was granted/,
    );
  });

  it("a waiver over the limit is a positioned manifest.valid problem and is not honoured", () => {
    const loaded = manifest({ waivers: [waiver({ until: "2027-06-01", granted: "2026-06-01" })] });
    const config = configOf(
      DEFAULT_LEVELS,
      loaded,
      policy({ waivers: { max_days: 90 } }),
      new Date("2026-06-15T12:00:00Z"),
    );
    expect(config.waivers).toEqual([]);
    const problem = config.violations.find((v) => v.path === "waivers[0]");
    expect(problem?.message).toMatch(/lasts 365 days/);
    expect(problem?.line).toBeGreaterThan(1);
  });
});
