import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../core/manifest/duration.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("parseDuration", () => {
  it.each([
    ["14d", 14 * DAY, "14d"],
    ["2w", 14 * DAY, "2w"],
    ["36h", 36 * HOUR, "36h"],
    ["1h", HOUR, "1h"],
    ["9999d", 9999 * DAY, "9999d"],
    ["daily", DAY, "daily"],
    ["weekly", 7 * DAY, "weekly"],
    ["biweekly", 14 * DAY, "biweekly"],
    ["monthly", 30 * DAY, "monthly"],
    ["Daily", DAY, "daily"],
    ["WEEKLY", 7 * DAY, "weekly"],
    ["BiWeekly", 14 * DAY, "biweekly"],
    ["Monthly", 30 * DAY, "monthly"],
    ["14D", 14 * DAY, "14d"],
    [" 14d ", 14 * DAY, "14d"],
  ])("reads %j as %i ms, written %j", (input, ms, text) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms, text });
  });

  it.each([
    ["0d", 'a duration must be longer than zero; found "0d"'],
    ["-1d", 'a duration must be longer than zero; found "-1d"'],
    ["10000d", 'a duration may be at most 9999d; found "10000d"'],
    ["", 'found ""'],
    ["14", "a unit is missing"],
    ["14x", '"x" is not a unit (use h, d or w)'],
    ["14 days", '"days" is not a unit'],
    ["2m", '"m" is not a unit'],
    ["fortnight", 'found "fortnight"'],
    ["1.5d", 'found "1.5d"'],
    [14, "found number 14"],
    [null, "found nothing (an empty value)"],
    [undefined, "found nothing (an empty value)"],
    [["14d"], "found a list"],
  ])("refuses %j with a message containing %j", (input, message) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("says what a duration looks like when it refuses one", () => {
    const result = parseDuration("fortnight");
    expect(result.ok ? "" : result.message).toContain(
      "expected a duration such as 36h, 14d or 2w, or one of daily, weekly, biweekly, monthly",
    );
  });

  it("shortens a very long input in its message", () => {
    const result = parseDuration("x".repeat(500));
    expect(result.ok ? "" : result.message.length).toBeLessThan(200);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [45_000, "45s"],
    [90 * 60_000, "1h 30m"],
    [HOUR, "1h"],
    [36 * HOUR, "1d 12h"],
    [90_000_000, "1d 1h"],
    [14 * DAY, "14d"],
    [DAY + 30 * 60_000, "1d"],
    [-2 * HOUR, "-2h"],
    [-3 * DAY, "-3d"],
  ])("renders %i ms as %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("renders what parseDuration reads back in the same unit of days", () => {
    for (const input of ["1d", "14d", "2w", "weekly", "monthly"]) {
      const parsed = parseDuration(input);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(formatDuration(parsed.ms)).toBe(`${parsed.ms / DAY}d`);
    }
  });
});
