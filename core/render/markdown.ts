/**
 * Markdown for check runs, job summaries and comments: one row per finding (status, why, how to
 * fix), user text escaped, and the whole kept under GitHub's 65,535-byte limit.
 */
import type { Conclusion, Finding, Status, Verdict } from "../engine/types.js";
import { conclude } from "../engine/verdict.js";
import type { EffectiveConfig } from "../manifest/config.js";
import { byteLength, escapeInline, truncateBytes } from "./escape.js";
import { countLine, productSections, sortFindings } from "./summary.js";

/** GitHub's limit for check-run summaries and comment bodies. */
export const MARKDOWN_LIMIT = 65_535;

const STATUS_ICON: Record<Status, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  unknown: "❔ unknown",
  waived: "⏳ waived",
  skip: "⏭️ skip",
};

const HEADLINE: Record<Conclusion, string> = {
  success: "✅ POM governance: all rules pass",
  neutral: "⚠️ POM governance: warnings",
  failure: "❌ POM governance: failing",
};

export interface MarkdownOptions {
  /** Title line; defaults to a headline for the conclusion. */
  title?: string;
  /** Byte budget for the whole document. */
  limit?: number;
  /** A repository with products: each product with its team, one row each before the findings. */
  products?: readonly ProductLine[];
}

/** A product of a repository with products, as the Markdown lists it. */
export interface ProductLine {
  name: string;
  /** Its team, as `team.github`. */
  team?: string;
}

/**
 * The products of a configuration with their teams (none for the single form).
 *
 * @example productLines(config) // [{ name: "Checkout", team: "acme/payments" }, …]
 */
export function productLines(config: Pick<EffectiveConfig, "products"> | undefined): ProductLine[] {
  return (config?.products ?? []).map((p) => ({
    name: p.product?.name ?? "",
    ...(p.team?.github ? { team: p.team.github } : {}),
  }));
}

/**
 * One row per product with findings: its team, its conclusion (its findings and the
 * repository's) and the rules that fail for it.
 */
function productTable(findings: readonly Finding[], products: readonly ProductLine[]): string[] {
  // The products judged here (a pull request's: those it touches).
  const judged = products.filter((p) => findings.some((f) => f.product === p.name));
  if (judged.length === 0) return [];
  const rows = judged.map((p) => {
    const own = findings.filter((f) => f.product === p.name);
    const failing = [...new Set(own.filter((f) => f.status === "fail").map((f) => `\`${f.rule}\``))];
    const conclusion = conclude([...own, ...findings.filter((f) => f.product === undefined)]);
    return `| ${cell(p.name)} | ${p.team ? cell(p.team) : "–"} | ${conclusion} | ${failing.join(", ") || "none"} |`;
  });
  return ["| Product | Team | Conclusion | Failing rules |", "| --- | --- | --- | --- |", ...rows, ""];
}

function cell(text: string): string {
  return escapeInline(text);
}

function row(f: Finding): string {
  const where = f.location ? ` (${cell(`${f.location.file}:${f.location.line}:${f.location.column}`)})` : "";
  const evidence = f.evidence.length > 0 ? `<br><sub>${f.evidence.map(cell).join(" · ")}</sub>` : "";
  return `| \`${f.rule}\` | ${STATUS_ICON[f.status]} | ${f.level} | ${cell(f.message)}${where}${evidence} | ${cell(f.fix)} |`;
}

/**
 * Renders a verdict as Markdown within the byte limit; rows that do not fit are counted in an
 * honest "N more" line instead.
 *
 * @example renderMarkdown({ conclusion: "success", findings: [] }).startsWith("## ") // true
 */
export function renderMarkdown(verdict: Verdict, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head = [
    `## ${options.title ? escapeInline(options.title, 200) : HEADLINE[verdict.conclusion]}`,
    "",
    countLine(verdict.findings),
    "",
    ...productTable(verdict.findings, options.products ?? []),
  ];
  if (verdict.findings.length === 0) return truncateBytes(head.join("\n"), limit);
  const table = ["| Rule | Status | Level | Why | How to fix |", "| --- | --- | --- | --- | --- |"];
  // With products: the repository's rows, then a section (heading and table) per product.
  const sections = verdict.findings.some((f) => f.product !== undefined)
    ? productSections(verdict.findings)
    : [{ findings: sortFindings(verdict.findings) }];
  const rows = sections.flatMap((section, index) =>
    section.findings.map((f, i) => {
      const heading =
        i === 0 && section.product !== undefined
          ? `${index === 0 ? "" : "\n"}\n### ${escapeInline(section.product, 200)}\n\n${table.join("\n")}\n`
          : "";
      return heading + row(f);
    }),
  );
  const footerFor = (omitted: number) =>
    omitted > 0
      ? `\n\n…and ${omitted} more finding${omitted === 1 ? "" : "s"} not shown (size limit); the JSON output has all of them.`
      : "";
  let text = [...head, ...(sections[0]?.product === undefined ? table : [])].join("\n");
  let shown = 0;
  for (const r of rows) {
    const reserve = byteLength(footerFor(rows.length - shown)) + 2;
    if (byteLength(text) + 1 + byteLength(r) + reserve > limit) break;
    text += `\n${r}`;
    shown++;
  }
  return truncateBytes(text + footerFor(rows.length - shown), limit);
}
