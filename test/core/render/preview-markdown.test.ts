/** The policy preview's Markdown: counts first, lists within GitHub's limit, private repositories unnamed where all may read. */
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../core/engine/types.js";
import { type JudgedTwice, previewOf, stateOf } from "../../../core/insights/preview.js";
import { byteLength } from "../../../core/render/escape.js";
import { MARKDOWN_LIMIT } from "../../../core/render/markdown.js";
import { renderPreviewMarkdown } from "../../../core/render/preview-markdown.js";
import { renderPreviewText } from "../../../core/render/preview-text.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const fail: Finding = {
  rule: "manifest.valid",
  status: "fail",
  level: "error",
  message: "",
  fix: "",
  evidence: [],
};
const passing = stateOf({ conclusion: "success", findings: [] });
const failing = stateOf({ conclusion: "failure", findings: [fail] });

function flipping(n: number, options: { private?: (i: number) => boolean } = {}): JudgedTwice[] {
  return Array.from({ length: n }, (_, i) => ({
    repo: `acme/service-with-a-rather-long-name-${String(i).padStart(4, "0")}`,
    private: options.private?.(i) ?? false,
    current: passing,
    proposed: failing,
  }));
}

const preview = (judged: JudgedTwice[]) =>
  previewOf({
    org: "acme",
    now: NOW,
    proposed: { file: ".github/pom-policy.yml", pull: 12, head: "a".repeat(40) },
    judged,
  });

describe("the preview's Markdown", () => {
  it("stays within 65,535 bytes with 2,000 flipping repositories and says how many were left out", () => {
    const text = renderPreviewMarkdown(preview(flipping(2_000)), { fullList: "/pom/acme/preview/12.json" });
    expect(byteLength(text)).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(text).toMatch(/^## POM policy preview: 2000 repositories would start failing/);
    expect(text).toContain("| would start failing | 2000 |");
    const shown = text.split("\n").filter((l) => l.startsWith("| acme/service")).length;
    const omitted = Number(/(\d+) rows were left out/.exec(text)?.[1]);
    // Each flipping repository is listed twice: among those that start failing, and under its rule.
    expect(shown + omitted).toBe(4_000);
    expect(shown).toBeGreaterThan(100);
    expect(text).toContain("the full list: `/pom/acme/preview/12.json`");
    expect(text).toMatch(/…and \d+ more repositories not shown here \(size limit\)/);
  });

  it("lists everything, and says nothing of a limit, when it fits", () => {
    const text = renderPreviewMarkdown(preview(flipping(3)));
    expect(text.split("\n").filter((l) => l.startsWith("| acme/service"))).toHaveLength(6);
    expect(text).not.toMatch(/left out|not shown/);
  });

  it("names no private repository unless told to, and counts them", () => {
    const judged = flipping(4, { private: (i) => i % 2 === 1 });
    const text = renderPreviewMarkdown(preview(judged));
    expect(text).toContain("acme/service-with-a-rather-long-name-0000");
    expect(text).not.toContain("acme/service-with-a-rather-long-name-0001");
    expect(text).toContain("| judged (2 private) | 4 |");
    expect(text).toContain("2 private repositories are counted here but not named");
    expect(renderPreviewMarkdown(preview(judged), { namePrivate: true })).toContain(
      "acme/service-with-a-rather-long-name-0001",
    );
  });

  it("of an invalid policy gives each problem with its position", () => {
    const invalid = {
      ...preview([]),
      conclusion: "failure" as const,
      invalid: [
        {
          file: "acme/.github/.github/pom-policy.yml",
          line: 4,
          column: 3,
          message: "unknown key",
          hint: "did you mean locked?",
        },
      ],
    };
    const text = renderPreviewMarkdown(invalid);
    expect(text).toMatch(/^## POM policy preview: the proposed policy is invalid \(1 problem\)/);
    expect(text).toContain("`acme/.github/.github/pom-policy.yml:4:3` unknown key (did you mean locked?)");
  });

  it("as text, lists every row", () => {
    const text = renderPreviewText(preview(flipping(2)));
    expect(text.split("\n")[0]).toBe("POM policy preview: 2 repositories would start failing");
    expect(text).toContain("  acme/service-with-a-rather-long-name-0001  success -> failure  manifest.valid");
    expect(text).toContain("  manifest.valid: 2 worse, 0 better");
  });
});
