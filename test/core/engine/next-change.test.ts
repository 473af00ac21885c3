/** The next moment a verdict changes by itself: a waiver running out, an outcome falling due. */
import { describe, expect, it } from "vitest";
import { nextChange } from "../../../core/engine/next-change.js";
import { resolveConfig } from "../../../core/manifest/config.js";
import { DEFAULT_LEVELS } from "../../../policies/registry.js";
import { baseManifest, merge } from "../../helpers/engine.js";

const NOW = new Date("2026-12-07T10:00:00Z");
const config = (patch: Record<string, unknown>, now = NOW) =>
  resolveConfig({
    defaults: DEFAULT_LEVELS,
    manifest: { value: merge(baseManifest(), patch) as never },
    now,
  });

describe("nextChange", () => {
  it("is undefined when nothing is dated", () => {
    const outcomes = [{ id: "CHK-12", title: "t", metric: "m", target: "1" }];
    expect(nextChange(config({ waivers: [], outcomes }), NOW)).toBeUndefined();
  });

  it("is the start of the day after a waiver's last day", () => {
    const waivers = [{ rule: "release.cadence", until: "2026-12-31", reason: "freeze" }];
    const outcomes = [{ id: "CHK-12", title: "t", metric: "m", target: "1" }];
    expect(nextChange(config({ waivers, outcomes }), NOW)).toBe("2027-01-01T00:00:00.000Z");
  });

  it("is the earliest of waivers and active outcomes' due dates, and ignores the past and finished outcomes", () => {
    const waivers = [
      { rule: "release.cadence", until: "2026-12-31", reason: "freeze" },
      { rule: "ownership.roles", until: "2026-12-01", reason: "over" },
    ];
    const outcomes = [
      { id: "CHK-12", title: "t", metric: "m", target: "1", due: "2026-12-20" },
      { id: "CHK-13", title: "t", metric: "m", target: "1", due: "2026-12-10", status: "achieved" },
    ];
    expect(nextChange(config({ waivers, outcomes }), NOW)).toBe("2026-12-21T00:00:00.000Z");
  });
});

describe("nextChange of a staged level", () => {
  it("is the start of the day the rule's level next changes, in the manifest or by an org campaign", () => {
    const staged = { waivers: [], rules: { "outcome.issue": { warn: "2026-12-20", error: "2027-02-01" } } };
    expect(nextChange(config(staged), NOW)).toBe("2026-12-20T00:00:00.000Z");
    expect(
      nextChange(config(staged, new Date("2026-12-20T00:00:00Z")), new Date("2026-12-20T00:00:00Z")),
    ).toBe("2027-02-01T00:00:00.000Z");
    const campaign = resolveConfig({
      defaults: DEFAULT_LEVELS,
      policy: {
        value: {
          version: 1,
          campaigns: [{ id: "co", title: "t", rules: ["ownership.codeowners"], deadline: "2027-01-10" }],
        },
      },
      now: NOW,
    });
    expect(nextChange(campaign, NOW)).toBe("2027-01-10T00:00:00.000Z");
  });
});
