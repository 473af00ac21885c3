import { describe, expect, it } from "vitest";
import {
  type TracedPullRequest,
  traceability,
  traceOf,
} from "../../../../core/insights/metrics/traceability.js";
import { ago, DAY, NOW } from "./helpers.js";

const MERGED = "2026-06-10T12:00:00Z";
const pr = (number: number, trace: TracedPullRequest["trace"], outcomes?: string[], mergedAt = MERGED) => ({
  number,
  trace,
  mergedAt,
  ...(outcomes ? { outcomes } : {}),
});

describe("traceability", () => {
  it("reports an empty history with zero counts and null shares", () => {
    expect(traceability({ pullRequests: [], now: NOW })).toEqual({
      window: { from: "2026-03-18", to: "2026-06-15", days: 90 },
      pullRequests: 0,
      traced: 0,
      exempt: 0,
      waived: 0,
      untraced: 0,
      unknown: 0,
      tracedShare: null,
      exemptShare: null,
      waivedShare: null,
      untracedShare: null,
      tracedShareOfGoverned: null,
      byOutcome: [],
    });
  });

  it("counts traced, exempt, waived, untraced and unknown, and pull requests per outcome", () => {
    const pullRequests = [
      pr(1, "outcome", ["CHK-12"]),
      pr(2, "outcome", ["CHK-12", "OKR-3"]), // counts for both outcomes
      pr(3, "outcome", ["OKR-3"]),
      pr(4, "outcome", ["CHK-12", "CHK-12"]), // once
      pr(5, "outcome"), // traced, but names no id we were told about
      pr(6, "exempt"),
      pr(7, "exempt", ["CHK-12"]), // exempt work is not counted for an outcome
      pr(8, "waived"),
      pr(9, "none"),
      pr(10, "unknown"),
    ];
    expect(traceability({ pullRequests, activeOutcomes: ["CHK-12", "OKR-3", "GROW-1"], now: NOW })).toEqual({
      window: { from: "2026-03-18", to: "2026-06-15", days: 90 },
      pullRequests: 10,
      traced: 5,
      exempt: 2,
      waived: 1,
      untraced: 1,
      unknown: 1,
      tracedShare: 0.5,
      exemptShare: 0.2,
      waivedShare: 0.1,
      untracedShare: 0.1,
      tracedShareOfGoverned: 0.625, // 5 of the 8 that are not exempt
      byOutcome: [
        { id: "CHK-12", pullRequests: 3 },
        { id: "OKR-3", pullRequests: 2 },
        { id: "GROW-1", pullRequests: 0 },
      ],
    });
  });

  it.each([
    ["merged exactly 90 days ago: outside", ago(90 * DAY), 0],
    ["merged exactly 89 days ago: inside", ago(89 * DAY), 1],
    ["merged at the window's first instant: inside", "2026-03-18T00:00:00Z", 1],
    ["merged after now: outside", "2026-06-15T12:00:01Z", 0],
    ["merged at now: inside", "2026-06-15T12:00:00Z", 1],
    ["an unreadable merge time: outside", "not a time", 0],
  ])("%s", (_name, mergedAt, count) => {
    expect(traceability({ pullRequests: [pr(1, "none", [], mergedAt)], now: NOW }).pullRequests).toBe(count);
  });

  it("counts a pull request listed twice once (the first entry)", () => {
    const t = traceability({ pullRequests: [pr(1, "outcome", ["A-1"]), pr(1, "none")], now: NOW });
    expect(t).toMatchObject({ pullRequests: 1, traced: 1, untraced: 0 });
  });

  it("has no governed share when every pull request is exempt", () => {
    const t = traceability({ pullRequests: [pr(1, "exempt"), pr(2, "exempt")], now: NOW });
    expect(t).toMatchObject({ exemptShare: 1, tracedShare: 0, tracedShareOfGoverned: null });
  });

  it("rounds shares to 3 decimals", () => {
    const t = traceability({ pullRequests: [pr(1, "outcome"), pr(2, "none"), pr(3, "none")], now: NOW });
    expect(t).toMatchObject({ tracedShare: 0.333, untracedShare: 0.667 });
  });

  it("sorts outcomes with equal counts by id", () => {
    const t = traceability({ pullRequests: [pr(1, "outcome", ["B-2", "A-1", "a-1"])], now: NOW });
    expect(t.byOutcome.map((o) => o.id)).toEqual(["A-1", "B-2", "a-1"]);
  });
});

describe("traceOf: the trace from an outcome.pull_request status", () => {
  it.each([
    ["pass", "outcome"],
    ["skip", "exempt"],
    ["waived", "waived"],
    ["fail", "none"],
    ["unknown", "unknown"],
    [undefined, "unknown"],
  ] as const)("%s → %s", (status, trace) => {
    expect(traceOf(status)).toBe(trace);
  });
});
