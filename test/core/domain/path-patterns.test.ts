import { describe, expect, it } from "vitest";
import { matchesPath, mayOverlap } from "../../../core/domain/path-patterns.js";

describe("matchesPath (CODEOWNERS semantics)", () => {
  it.each([
    ["*", "README.md", true],
    ["*", "a/b/c.ts", true],
    ["**", "a/b/c.ts", true],
    ["/**", "a/b/c.ts", true],
    ["/*", "README.md", true],
    ["/*", "src/index.ts", false],
    ["docs/*", "docs/intro.md", true],
    ["docs/*", "docs/guide/intro.md", false],
    ["services/search/**", "services/search/api/index.ts", true],
    ["services/search/**", "services/searching/index.ts", false],
    ["services/search/", "services/search/api/index.ts", true],
    ["/services/search/", "other/services/search/x.ts", false],
    ["apps/", "deep/apps/x.ts", true],
    ["*.md", "docs/guide/intro.md", true],
    ["*.md", "docs/guide/intro.ts", false],
    ["services/search", "services/search/x.ts", true],
    ["docs/**/*.md", "docs/a/b/c.md", true],
    ["docs/**/*.md", "docs/c.md", true],
    ["services/*/api/**", "services/search/api/x.ts", true],
  ])("%s against %s is %s", (pattern, file, expected) => {
    expect(matchesPath(pattern, file)).toBe(expected);
  });
});

describe("mayOverlap (literal prefixes, without files)", () => {
  it.each([
    ["services/**", "services/search/**", true],
    ["services/checkout/**", "services/search/**", false],
    ["services/checkout/**", "web/checkout/**", false],
    ["*.md", "docs/**", true],
    ["docs/", "tools/**", true],
    ["/docs/", "/tools/", false],
    ["services/search", "services/search/api/**", true],
  ])("%s and %s: %s", (a, b, expected) => {
    expect(mayOverlap(a, b)).toBe(expected);
    expect(mayOverlap(b, a)).toBe(expected);
  });
});
