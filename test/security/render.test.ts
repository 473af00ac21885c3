/**
 * Hostile user text through every renderer and every body the publishers build: the result is
 * inert Markdown (or plain text) within GitHub's limits, whatever the text and the byte budget.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding, Status, Verdict } from "../../core/engine/types.js";
import { toAnnotations } from "../../core/render/annotations.js";
import { byteLength, escapeMarkdown, truncateText } from "../../core/render/escape.js";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../core/render/markdown.js";
import { renderText } from "../../core/render/text.js";
import { feedbackComment } from "../../github/publish/issue-feedback.js";
import { trackingContent } from "../../github/publish/tracking-issue.js";
import {
  expectInertMarkdown,
  HOSTILE,
  HUGE,
  isWellFormed,
  LIMITS,
  markdownProblems,
  TRICKS,
} from "./hostile.js";

function hostileFinding(text: string, over: Partial<Finding> = {}): Finding {
  return {
    rule: "outcome.issue",
    status: "fail",
    level: "error",
    message: text,
    fix: text,
    evidence: [text, text],
    location: { file: `.github/${text.slice(0, 300)}`, line: 3, column: 1 },
    ...over,
  };
}

function verdictOf(texts: readonly string[]): Verdict {
  const statuses: Status[] = ["fail", "unknown", "waived", "skip", "pass"];
  return {
    conclusion: "failure",
    findings: texts.map((t, i) => hostileFinding(t, { status: statuses[i % statuses.length] as Status })),
  };
}

/** Characters that mean something to Markdown, HTML or GitHub, and some that need two UTF-16 units. */
const hostileChar = fc.constantFrom(
  ..."<>&@#`*_[]()!|~$\\:/.-=+{}\"' \n\r\t\u0000\u001b\u202e\u200bGHgh0123456789abcwxyz".split(""),
  "😀",
  "é",
  "https://",
  "www.",
  "GH-",
  "&#64;",
  "<!--",
);
const hostileText = fc.array(hostileChar, { maxLength: 200 }).map((parts) => parts.join(""));

describe("escapeMarkdown on hostile text", () => {
  it.each(TRICKS.map((t) => [JSON.stringify(t).slice(0, 60), t]))("leaves %s inert", (_name, trick) => {
    const escaped = escapeMarkdown(trick);
    expect(markdownProblems(escaped)).toEqual([]);
    expect(escaped).not.toContain("\n");
  });

  it("keeps the words readable: only markup is neutralised", () => {
    const escaped = escapeMarkdown("@alice fixes #12, see https://example.com");
    expect(escaped.replace(/\u200b/g, "").replace(/\\/g, "")).toBe(
      "@alice fixes #12, see https://example.com",
    );
  });

  it("leaves any mix of Markdown, HTML and reference characters inert", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(markdownProblems(escapeMarkdown(text))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("truncateText", () => {
  it("never splits a character made of two UTF-16 units", () => {
    const text = "😀".repeat(10);
    for (let max = 1; max <= 21; max++) {
      const cut = truncateText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(isWellFormed(cut), `max ${max}`).toBe(true);
    }
  });
});

describe("renderMarkdown with hostile findings", () => {
  it("renders every trick inert, one table row per finding", () => {
    const verdict = verdictOf([...TRICKS, HOSTILE]);
    const md = renderMarkdown(verdict);
    expectInertMarkdown(md, MARKDOWN_LIMIT);
    expect(md.split("\n").filter((l) => l.startsWith("| `"))).toHaveLength(verdict.findings.length);
  });

  it("renders a 70 KB title, message, fix and evidence inert within the 65,535-byte limit", () => {
    const md = renderMarkdown(verdictOf([HUGE, HUGE, HUGE]), { title: HUGE });
    expectInertMarkdown(md, LIMITS.checkRunSummaryBytes);
  });

  it("stays inert and within any byte budget, also when the budget cuts the document", () => {
    const verdict = verdictOf([...TRICKS, HUGE]);
    for (const limit of [0, 1, 10, 40, 100, 200, 333, 500, 1_000, 4_096, 20_000, 65_535]) {
      const md = renderMarkdown(verdict, { limit, title: HOSTILE });
      expectInertMarkdown(md, limit, `limit ${limit}`);
    }
  });

  it("stays inert and within budget for any hostile text and budget", () => {
    fc.assert(
      fc.property(
        fc.array(hostileText, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3_000 }),
        (texts, limit) => {
          const md = renderMarkdown(verdictOf(texts), { limit, title: texts[0] ?? "" });
          expect(markdownProblems(md)).toEqual([]);
          expect(byteLength(md)).toBeLessThanOrEqual(limit);
          expect(isWellFormed(md)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the bodies the publishers send", () => {
  it("builds an issue comment that is inert and within 65,536 characters from 70 KB findings", () => {
    const failing = [
      hostileFinding(HUGE, { rule: "outcome.issue" }),
      hostileFinding(HUGE, { rule: "problem.issue" }),
    ];
    const body = feedbackComment(failing);
    expectInertMarkdown(body, 4 * LIMITS.commentChars, "comment");
    expect(body.length).toBeLessThanOrEqual(LIMITS.commentChars);
    expect(body).toContain("outcome.issue");
  });

  it("builds an issue comment that is inert for every trick", () => {
    const body = feedbackComment(TRICKS.map((t) => hostileFinding(t)));
    expect(markdownProblems(body)).toEqual([]);
  });

  it("builds a tracking issue that is inert and within GitHub's issue limits from 70 KB findings", () => {
    const findings = [...TRICKS, HUGE, HUGE].map((t) => hostileFinding(t, { rule: "release.unreleased" }));
    const { title, body } = trackingContent({ conclusion: "failure", findings });
    expectInertMarkdown(body, 4 * LIMITS.issueBodyChars, "tracking issue body");
    expect(body.length).toBeLessThanOrEqual(LIMITS.issueBodyChars);
    expect(title.length).toBeLessThanOrEqual(LIMITS.issueTitleChars);
    expect(markdownProblems(title)).toEqual([]);
  });

  it("makes check-run annotations within GitHub's limits from 70 KB findings", () => {
    const files = new Set([`.github/${HUGE.slice(0, 300)}`]);
    const annotations = toAnnotations(verdictOf([HUGE, HUGE]).findings, files);
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      expect(byteLength(a.message)).toBeLessThanOrEqual(LIMITS.annotationMessageBytes);
      expect(a.title.length).toBeLessThanOrEqual(LIMITS.annotationTitle);
      expect(isWellFormed(a.message)).toBe(true);
    }
  });

  it("prints terminal text without control characters or bidirectional overrides", () => {
    const text = renderText(verdictOf([...TRICKS, HOSTILE]), { color: false });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
  });
});
