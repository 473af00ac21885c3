import { describe, expect, it } from "vitest";
import { mean, median, quantile, round, share, summarize } from "../../../../core/insights/metrics/stats.js";

describe("statistics", () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[1, 2, 3], 0.5, 2],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[4, 1, 3, 2], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    [[1, 2, 3, 4, 5], 0, 1],
    [[1, 2, 3, 4, 5], 1, 5],
  ])("quantile(%j, %f) = %j", (values, p, expected) => {
    const q = quantile(values, p);
    expect(q === null ? null : round(q, 9)).toBe(expected);
  });

  it("takes the median as the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it.each([
    [2.345, 1, 2.3],
    [2.35, 1, 2.4],
    [1.005, 2, 1.01],
    [-1.5, 0, -2],
    [-0.0001, 2, 0],
    [0.8571428, 3, 0.857],
  ])("round(%f, %i) = %f", (value, digits, expected) => {
    expect(round(value, digits)).toBe(expected);
  });

  it("gives null for the mean or share of nothing", () => {
    expect(mean([])).toBeNull();
    expect(mean([1, 2])).toBe(1.5);
    expect(share(1, 0)).toBeNull();
    expect(share(1, 4)).toBe(0.25);
  });

  it("summarises only the values present", () => {
    expect(summarize([1, null, 2, undefined, 6, Number.NaN], 2)).toEqual({ n: 3, mean: 3, median: 2 });
    expect(summarize([], 1)).toEqual({ n: 0, mean: null, median: null });
  });
});
