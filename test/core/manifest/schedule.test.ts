import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { resolveConfig } from "../../../core/manifest/config.js";
import { loadManifest, loadPolicy } from "../../../core/manifest/manifest.js";
import {
  campaignSchedule,
  firstLower,
  levelOn,
  nextStep,
  scheduleOf,
} from "../../../core/manifest/schedule.js";
import { DEFAULT_LEVELS } from "../../../policies/registry.js";
import { baseManifest, merge } from "../../helpers/engine.js";

const at = (day: string) => new Date(`${day}T12:00:00Z`);
const STAGED = { warn: "2027-01-01", error: "2027-03-01" };

function policyOf(text: string) {
  const loaded = loadPolicy(text, ".github/pom-policy.yml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded;
}

function manifestOf(patch: Record<string, unknown>) {
  const loaded = loadManifest(stringify(merge(baseManifest(), patch)), ".github/pom.yml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded;
}

function config(now: Date, policyText?: string, patch?: Record<string, unknown>) {
  const policy = policyText ? policyOf(policyText) : undefined;
  const manifest = patch ? manifestOf(patch) : undefined;
  return resolveConfig({
    defaults: DEFAULT_LEVELS,
    now,
    ...(policy ? { policy: { value: policy.value, source: policy.source } } : {}),
    ...(manifest ? { manifest: { value: manifest.value, source: manifest.source } } : {}),
  });
}

describe("a schedule of levels", () => {
  it("is off before its first date, then each level from the start of its UTC day", () => {
    const s = scheduleOf(STAGED);
    expect(levelOn(s, "2026-12-31")).toBe("off");
    expect(levelOn(s, "2027-01-01")).toBe("warn");
    expect(levelOn(s, "2027-02-28")).toBe("warn");
    expect(levelOn(s, "2027-03-01")).toBe("error");
    expect(nextStep(s, "2027-01-15")).toEqual({ from: "2027-03-01", level: "error" });
    expect(nextStep(s, "2027-03-01")).toBeUndefined();
  });

  it("of a campaign warns until the deadline and blocks from it, unless it sets its own levels", () => {
    expect(levelOn(campaignSchedule("2027-02-01"), "2026-12-07")).toBe("warn");
    expect(levelOn(campaignSchedule("2027-02-01"), "2027-02-01")).toBe("error");
    expect(levelOn(campaignSchedule("2027-02-01", { warn: "2027-01-10" }), "2027-02-01")).toBe("warn");
  });

  it("is lower than another on the first day it would be", () => {
    const org = scheduleOf(STAGED);
    expect(firstLower(scheduleOf({ warn: "2027-01-01", error: "2027-04-01" }), org)).toEqual({
      day: "2027-03-01",
      level: "warn",
      floor: "error",
    });
    expect(firstLower(scheduleOf({ warn: "2026-12-01", error: "2027-02-01" }), org)).toBeUndefined();
    expect(firstLower(scheduleOf("error"), org)).toBeUndefined();
    expect(firstLower(scheduleOf("warn"), org)).toEqual({ day: "2027-03-01", level: "warn", floor: "error" });
  });
});

describe("the level of a scheduled rule", () => {
  const policy = `version: 1
rules:
  release.cadence: { warn: 2027-01-01, error: 2027-03-01 }
`;

  it("is read on the UTC day of the one clock given", () => {
    expect(config(at("2026-12-31"), policy).levels["release.cadence"].value).toBe("off");
    expect(config(at("2027-01-01"), policy).levels["release.cadence"].value).toBe("warn");
    expect(config(new Date("2027-02-28T23:59:59Z"), policy).levels["release.cadence"].value).toBe("warn");
    expect(config(new Date("2027-03-01T00:00:00Z"), policy).levels["release.cadence"].value).toBe("error");
    const level = config(at("2027-01-15"), policy).levels["release.cadence"];
    expect(level).toMatchObject({ from: "policy", location: { line: 3 } });
    expect(level.schedule?.steps).toEqual([
      { from: "2027-01-01", level: "warn" },
      { from: "2027-03-01", level: "error" },
    ]);
  });

  it("may be written in a repository manifest too", () => {
    const c = config(at("2027-01-15"), undefined, { rules: { "outcome.issue": { error: "2027-01-10" } } });
    expect(c.levels["outcome.issue"]).toMatchObject({ value: "error", from: "manifest" });
    expect(c.violations).toEqual([]);
  });

  it("comes from the campaign that stages the rule", () => {
    const c = config(
      at("2026-12-07"),
      `version: 1
campaigns:
  - id: codeowners-2027
    rules: [ownership.codeowners]
    deadline: 2027-02-01
    title: Every repo names its owning team in CODEOWNERS
`,
    );
    expect(c.levels["ownership.codeowners"]).toMatchObject({
      value: "warn",
      from: "policy",
      campaign: "codeowners-2027",
      location: { line: 3 },
    });
    expect(c.campaigns).toEqual([
      expect.objectContaining({
        id: "codeowners-2027",
        deadline: "2027-02-01",
        rules: ["ownership.codeowners"],
      }),
    ]);
  });
});

describe("a locked scheduled rule", () => {
  const policy = `version: 1
rules:
  release.cadence: { warn: 2027-01-01, error: 2027-03-01 }
locked: [release.cadence]
`;

  it("may be brought forward by a repository", () => {
    const c = config(at("2027-02-10"), policy, {
      rules: { "release.cadence": { warn: "2026-12-01", error: "2027-02-01" } },
    });
    expect(c.violations).toEqual([]);
    expect(c.levels["release.cadence"]).toMatchObject({ value: "error", from: "manifest" });
  });

  it("may not be postponed: the violation names the lock and the day, and the org's schedule holds", () => {
    const c = config(at("2027-03-05"), policy, {
      rules: { "release.cadence": { warn: "2027-01-01", error: "2027-06-01" } },
    });
    expect(c.violations).toHaveLength(1);
    expect(c.violations[0]?.message).toContain("the org policy locks release.cadence");
    expect(c.violations[0]?.message).toContain(
      'from 2027-03-01 it would be "warn" where the lock requires "error"',
    );
    expect(c.violations[0]).toMatchObject({ file: ".github/pom.yml", path: "rules.release.cadence" });
    expect(c.levels["release.cadence"]).toMatchObject({ value: "error", from: "policy" });
  });

  it("may not be lowered to a constant, even before the lock's dates", () => {
    const c = config(at("2026-12-07"), policy, { rules: { "release.cadence": "warn" } });
    expect(c.violations[0]?.message).toContain("from 2027-03-01");
  });

  it("of a campaign holds the same way", () => {
    const c = config(
      at("2026-12-07"),
      `version: 1
locked: [ownership.codeowners]
campaigns:
  - { id: co, rules: [ownership.codeowners], deadline: 2027-02-01, title: CODEOWNERS everywhere }
`,
      { rules: { "ownership.codeowners": { warn: "2026-01-01", error: "2027-05-01" } } },
    );
    expect(c.violations[0]?.message).toContain("(campaign co)");
  });
});

describe("staged levels in the files", () => {
  const problems = (text: string, kind: "policy" | "manifest" = "policy") => {
    const loaded =
      kind === "policy" ? loadPolicy(text, "pom-policy.yml") : loadManifest(text, ".github/pom.yml");
    return loaded.ok ? [] : loaded.problems;
  };

  it("refuse an error date that is not after the warn date, where it is written", () => {
    const found = problems(`version: 1
rules:
  release.cadence:
    warn: 2027-03-01
    error: 2027-01-01
`);
    expect(found).toEqual([
      expect.objectContaining({
        line: 5,
        column: 12,
        path: "rules.release.cadence.error",
        message: expect.stringContaining("error from 2027-01-01 is not after warn from 2027-03-01"),
      }),
    ]);
  });

  it("refuse a date that is not a day, and an unknown stage", () => {
    const found = problems(`version: 1
rules:
  release.cadence: { warn: 2027-02-30 }
  outcome.issue: { block: 2027-01-01 }
`);
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, expect.stringContaining("expected a date written YYYY-MM-DD")],
      [4, expect.stringContaining('unknown key "block"')],
    ]);
  });

  it("say what a level may be when it is neither a level nor a schedule", () => {
    const found = problems(
      "version: 1\nproduct: { name: X }\nteam: { name: T, github: acme/t }\nrules: { release.cadence: 3 }\n",
      "manifest",
    );
    expect(found).toEqual([
      expect.objectContaining({
        line: 4,
        message: "rules.release.cadence: expected error, warn or off, or a schedule of dates; found number 3",
        hint: expect.stringContaining("{ warn: 2027-01-01, error: 2027-03-01 }"),
      }),
    ]);
  });

  it("refuse a campaign that repeats an id, shares a rule, or stages a rule also set under rules", () => {
    const found = problems(`version: 1
rules:
  release.cadence: error
campaigns:
  - { id: a, rules: [ownership.codeowners], deadline: 2027-02-01, title: A }
  - { id: A, rules: [ownership.codeowners, release.cadence], deadline: 2027-03-01, title: B, levels: { warn: 2027-02-01, error: 2027-01-01 } }
`);
    expect(found.map((p) => [p.line, p.path, p.message])).toEqual([
      [6, "campaigns[1].id", expect.stringContaining('campaign id "A" is declared twice')],
      [6, "campaigns[1].rules[0]", expect.stringContaining('staged by campaign "a" and by campaign "A"')],
      [6, "campaigns[1].rules[1]", expect.stringContaining("also set under rules.release.cadence")],
      [6, "campaigns[1].levels.error", expect.stringContaining("is not after warn")],
    ]);
  });
});
