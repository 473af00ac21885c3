import { describe, expect, it } from "vitest";
import { complianceMatrix } from "../../../../core/insights/metrics/compliance.js";
import { finding as f } from "./helpers.js";

const repos = [
  { repo: "acme/b", findings: [f("release.cadence", "fail"), f("ownership.team", "pass")] },
  {
    repo: "acme/a",
    findings: [f("release.cadence", "pass"), f("ownership.team", "unknown"), f("manifest.valid", "pass")],
  },
  { repo: "acme/c", findings: [] },
];

describe("complianceMatrix", () => {
  it("builds repo × rule cells in name and catalogue order, with per-rule totals", () => {
    expect(complianceMatrix(repos)).toEqual({
      rules: ["manifest.valid", "ownership.team", "release.cadence"],
      rows: [
        {
          repo: "acme/a",
          statuses: { "manifest.valid": "pass", "ownership.team": "unknown", "release.cadence": "pass" },
        },
        {
          repo: "acme/b",
          statuses: { "manifest.valid": null, "ownership.team": "pass", "release.cadence": "fail" },
        },
        {
          repo: "acme/c",
          statuses: { "manifest.valid": null, "ownership.team": null, "release.cadence": null },
        },
      ],
      totals: {
        "manifest.valid": { pass: 1, fail: 0, skip: 0, waived: 0, unknown: 0, none: 2, passShare: 1 },
        "ownership.team": { pass: 1, fail: 0, skip: 0, waived: 0, unknown: 1, none: 1, passShare: 0.5 },
        "release.cadence": { pass: 1, fail: 1, skip: 0, waived: 0, unknown: 0, none: 1, passShare: 0.5 },
      },
    });
  });

  it("uses the columns asked for, even one no repository has", () => {
    const m = complianceMatrix(repos, { rules: ["outcome.declared", "release.cadence"] });
    expect(m.rules).toEqual(["release.cadence", "outcome.declared"]);
    expect(m.totals["outcome.declared"]).toEqual({
      pass: 0,
      fail: 0,
      skip: 0,
      waived: 0,
      unknown: 0,
      none: 3,
      passShare: null,
    });
  });

  it("leaves skipped cells out of the pass share and counts waived ones against it", () => {
    const m = complianceMatrix([
      { repo: "a", findings: [f("outcome.declared", "skip")] },
      { repo: "b", findings: [f("outcome.declared", "pass")] },
      { repo: "c", findings: [f("outcome.declared", "waived")] },
    ]);
    expect(m.totals["outcome.declared"]).toMatchObject({ skip: 1, pass: 1, waived: 1, passShare: 0.5 });
  });

  it("combines a repository named twice, the worst finding speaking for a rule", () => {
    const m = complianceMatrix([
      { repo: "a", findings: [f("manifest.valid", "pass")] },
      { repo: "a", findings: [f("manifest.valid", "fail")] },
    ]);
    expect(m.rows).toEqual([{ repo: "a", statuses: { "manifest.valid": "fail" } }]);
  });

  it("is empty for no repositories", () => {
    expect(complianceMatrix([])).toEqual({ rules: [], rows: [], totals: {} });
  });
});
