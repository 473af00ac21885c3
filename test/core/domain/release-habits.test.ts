/**
 * What `pom init` guesses from a repository's tags: the prefix of its version tags, the most common
 * one when there are several, and a cadence from the median gap between the newest releases,
 * rounded up to a standard value. The guessed pattern always matches the tags it came from.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchGlob } from "../../../core/domain/glob.js";
import {
  cadenceOf,
  inferReleaseHabits,
  RECENT_RELEASES,
  versionPrefix,
} from "../../../core/domain/release-habits.js";
import type { ReleaseInfo } from "../../../core/engine/facts.js";

const DAY = 86_400_000;
const START = Date.parse("2026-01-01T10:00:00Z");

/** Tags released `gapDays` apart, oldest first. */
function tagsEvery(gapDays: number, names: readonly string[], from = START): ReleaseInfo[] {
  return names.map((tag, i) => ({ tag, publishedAt: new Date(from + i * gapDays * DAY).toISOString() }));
}

describe("versionPrefix", () => {
  it.each([
    ["v1.2.0", "v"],
    ["checkout-v1.4.0", "checkout-v"],
    ["1.2.0", ""],
    ["release-2026.05.01", "release-"],
    ["app2-v1.0.0", "app2-v"],
    ["v1.2.0+build.7", "v"],
    ["v1.2", "v"],
  ])("finds the prefix of %s: %j", (tag, prefix) => {
    expect(versionPrefix(tag)).toBe(prefix);
  });

  it.each(["v1", "latest", "build-42", "v1.2.0-rc.1", "v1.2.x", ""])("finds no version in %j", (tag) => {
    expect(versionPrefix(tag)).toBeUndefined();
  });

  it("ignores a tag longer than the longest a pattern is matched against", () => {
    expect(versionPrefix(`${"x".repeat(300)}1.0.0`)).toBeUndefined();
  });
});

describe("inferReleaseHabits", () => {
  it("guesses checkout-v* for a repository whose only version tags are checkout-v*", () => {
    const habits = inferReleaseHabits(
      tagsEvery(9, ["checkout-v1.0.0", "checkout-v1.1.0", "checkout-v1.2.0"]),
    );
    expect(habits).toMatchObject({ tagPattern: "checkout-v*", matched: 3, versionTags: 3, others: [] });
    expect(habits?.cadence).toEqual({ text: "14d", medianDays: 9, gaps: 2 });
  });

  it("takes the most common prefix and lists the others, most common first", () => {
    const tags = [
      ...tagsEvery(7, ["v1.0.0", "v1.1.0", "v1.2.0"]),
      ...tagsEvery(30, ["api-v1.0.0", "api-v2.0.0"]),
      ...tagsEvery(1, ["2026.01.01"]),
      { tag: "latest", publishedAt: new Date(START).toISOString() },
    ];
    const habits = inferReleaseHabits(tags);
    expect(habits?.tagPattern).toBe("v*");
    expect(habits?.versionTags).toBe(6);
    expect(habits?.others).toEqual([
      { prefix: "api-v", count: 2 },
      { prefix: "", count: 1 },
    ]);
    expect(habits?.cadence?.text).toBe("7d");
  });

  it("breaks a tie by the prefix released most recently", () => {
    const old = tagsEvery(7, ["a-v1.0.0", "a-v1.1.0"]);
    const recent = tagsEvery(7, ["b-v1.0.0", "b-v1.1.0"], START + 100 * DAY);
    expect(inferReleaseHabits([...recent, ...old])?.tagPattern).toBe("b-v*");
    expect(inferReleaseHabits([...old, ...recent])?.tagPattern).toBe("b-v*");
  });

  it("gives bare versions the pattern *.*, which leaves out tags such as latest", () => {
    const habits = inferReleaseHabits(tagsEvery(14, ["1.0.0", "1.1.0"]));
    expect(habits?.tagPattern).toBe("*.*");
    expect(matchGlob("*.*", "latest")).toBe(false);
  });

  it("counts no pre-release and no draft, as the cadence rule does not", () => {
    const tags: ReleaseInfo[] = [
      ...tagsEvery(3, ["v2.0.0", "v2.1.0"]),
      { tag: "rc-v2.2.0", publishedAt: new Date(START).toISOString(), prerelease: true },
      { tag: "rc-v2.3.0", publishedAt: new Date(START).toISOString(), prerelease: true },
      { tag: "rc-v2.4.0", publishedAt: new Date(START).toISOString(), draft: true },
    ];
    expect(inferReleaseHabits(tags)).toMatchObject({ tagPattern: "v*", versionTags: 2, others: [] });
  });

  it("skips a prefix holding a glob character, which could not stand for itself in a pattern", () => {
    expect(inferReleaseHabits(tagsEvery(1, ["what?1.0", "what?2.0"]))).toBeUndefined();
  });

  it("says nothing without a version tag", () => {
    expect(inferReleaseHabits([])).toBeUndefined();
    expect(inferReleaseHabits(tagsEvery(1, ["latest", "v1", "deploy"]))).toBeUndefined();
  });

  it("leaves the cadence out after a single release: there is no gap to measure", () => {
    const habits = inferReleaseHabits(tagsEvery(1, ["v1.0.0"]));
    expect(habits?.tagPattern).toBe("v*");
    expect(habits?.cadence).toBeUndefined();
  });

  it("guesses a pattern that matches every tag it was guessed from", () => {
    const prefix = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const version = fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((parts) => parts.join("."));
    fc.assert(
      fc.property(prefix, fc.uniqueArray(version, { minLength: 1, maxLength: 5 }), (p, versions) => {
        const tags = tagsEvery(
          1,
          versions.map((v) => `${p}${v}`),
        );
        const habits = inferReleaseHabits(tags);
        expect(tags.every((t) => habits && matchGlob(habits.tagPattern, t.tag))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("cadenceOf", () => {
  /** Release times with these gaps between them, in days, starting at 0. */
  const every = (...gaps: number[]) => {
    const times = [0];
    for (const gap of gaps) times.push((times.at(-1) ?? 0) + gap * DAY);
    return times;
  };

  it.each([
    [[0.5, 0.5], "1d"],
    [[1, 1, 1], "1d"],
    [[2, 8, 6], "7d"],
    [[9, 10, 12, 30], "14d"],
    [[31.5, 20, 40], "60d"],
    [[400, 400], "400d"],
  ])("rounds the median of the gaps %j up to %s", (gaps, text) => {
    expect(cadenceOf(every(...gaps))?.text).toBe(text);
  });

  it("takes the mean of the two middle gaps when their number is even", () => {
    expect(cadenceOf(every(4, 6, 20, 30))?.medianDays).toBe(13);
  });

  it(`measures the gaps of the newest ${RECENT_RELEASES} releases only, in any order`, () => {
    const times = [
      ...every(...Array<number>(40).fill(60)),
      ...every(...Array<number>(RECENT_RELEASES).fill(3)).map((t) => t + 10_000 * DAY),
    ];
    const cadence = cadenceOf(times.reverse());
    expect(cadence).toEqual({ text: "7d", medianDays: 3, gaps: RECENT_RELEASES - 1 });
  });
});
