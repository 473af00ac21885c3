import { describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../../../core/engine/types.js";
import { byteLength, escapeMarkdown } from "../../../core/render/escape.js";
import { renderJson, toJson } from "../../../core/render/json.js";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../../core/render/markdown.js";
import { renderText } from "../../../core/render/text.js";

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: "release.cadence",
  status: "fail",
  level: "error",
  message: "the latest release v1.4.0 is 20d old; the cadence is 14d",
  fix: "ship a release: it is overdue by 6d",
  evidence: ["latest: v1.4.0 at 2026-11-02T10:00:00.000Z", "cadence: 14d (from manifest)"],
  location: { file: ".github/pom.yml", line: 12, column: 12 },
  ...over,
});

const verdict: Verdict = {
  conclusion: "failure",
  findings: [
    finding({
      rule: "manifest.valid",
      status: "pass",
      message: "the manifest is valid",
      fix: "",
      evidence: [],
    }),
    finding(),
    finding({
      rule: "ownership.roles",
      level: "warn",
      message: "the team has no designer named",
      location: undefined,
    }),
    finding({
      rule: "ownership.team",
      status: "unknown",
      message: "the owning team could not be read: offline",
    }),
  ],
};

describe("markdown rendering", () => {
  it("renders a headline, counts and one row per finding, problems first", () => {
    expect(renderMarkdown(verdict)).toMatchSnapshot();
  });

  it("escapes HTML, formatting, mentions and issue references in user text", () => {
    const hostile = escapeMarkdown("<img src=x onerror=alert(1)> **bold** @alice fixes #12 | `code` [x](y)");
    expect(hostile).not.toMatch(/<img/);
    expect(hostile).toContain("&lt;img");
    expect(hostile).not.toMatch(/@alice/);
    expect(hostile).not.toMatch(/#12/);
    expect(hostile).toContain("\\|");
    expect(hostile).toContain("\\*\\*bold\\*\\*");
    expect(hostile).toContain("\\`code\\`");
  });

  it("neutralises GH-123 references and lone carriage returns", () => {
    const text = escapeMarkdown("see GH-123\rnext");
    expect(text).not.toMatch(/GH-123/);
    expect(text).not.toContain("\r");
  });

  it("keeps table rows on one line when user text has newlines", () => {
    const md = renderMarkdown({
      conclusion: "neutral",
      findings: [finding({ message: "line one\nline two\r\nthree" })],
    });
    const rows = md.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("line one line two three");
  });

  it("stays within GitHub's 65,535-byte limit and says how many findings it left out", () => {
    const many: Verdict = {
      conclusion: "failure",
      findings: Array.from({ length: 400 }, (_, i) =>
        finding({ message: `problem ${i} ${"é".repeat(600)}` }),
      ),
    };
    const md = renderMarkdown(many);
    expect(byteLength(md)).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const shown = md.split("\n").filter((l) => l.startsWith("| `")).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(400);
    expect(md).toContain(`…and ${400 - shown} more findings not shown`);
  });

  it("honours a smaller byte budget", () => {
    const md = renderMarkdown(verdict, { limit: 400 });
    expect(byteLength(md)).toBeLessThanOrEqual(400);
    expect(md).toMatch(/more finding/);
  });

  it("truncates a 70 KB message instead of overflowing", () => {
    const md = renderMarkdown({
      conclusion: "failure",
      findings: [finding({ message: "x".repeat(70_000) })],
    });
    expect(byteLength(md)).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain("…");
  });
});

describe("byte length", () => {
  it.each([
    ["ascii", "abc", 3],
    ["two-byte", "é", 2],
    ["three-byte", "€", 3],
    ["four-byte (surrogate pair)", "😀", 4],
  ])("counts %s characters as UTF-8 does", (_name, text, bytes) => {
    expect(byteLength(text)).toBe(bytes);
    expect(byteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe("text rendering", () => {
  it("prints the conclusion, then problems with their location, fix and evidence", () => {
    const text = renderText(verdict, { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("POM governance: failure — 2 failed (1 error), 1 unknown, 1 passed");
    expect(text).toContain("at .github/pom.yml:12:12");
    expect(text).toContain("fix: ship a release");
    expect(text.indexOf("release.cadence")).toBeLessThan(text.indexOf("manifest.valid"));
    expect(text).not.toContain("\u001b[");
  });

  it("uses ANSI colours only when asked", () => {
    expect(renderText(verdict, { color: true })).toContain("\u001b[31m");
  });

  it("neutralises terminal escape sequences in user text", () => {
    const text = renderText({
      conclusion: "neutral",
      findings: [finding({ message: "evil \u001b[2J clear" })],
    });
    expect(text).not.toContain("\u001b[2J");
  });
});

describe("JSON rendering", () => {
  it("has exactly the documented keys in a stable order", () => {
    const json = JSON.parse(renderJson(verdict));
    expect(Object.keys(json)).toEqual(["conclusion", "findings"]);
    expect(Object.keys(json.findings[1])).toEqual([
      "rule",
      "status",
      "level",
      "message",
      "fix",
      "evidence",
      "location",
    ]);
    expect(Object.keys(json.findings[2])).toEqual(["rule", "status", "level", "message", "fix", "evidence"]);
  });

  it("drops anything that is not part of the contract", () => {
    const extra = { ...verdict, config: { secret: true } } as unknown as Verdict;
    expect(toJson(extra)).not.toHaveProperty("config");
  });
});
