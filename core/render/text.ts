/** Terminal output: one block per finding, colours only when asked for. */
import type { Conclusion, Finding, Status, Verdict } from "../engine/types.js";
import { countLine, productSections, sortFindings } from "./summary.js";

export interface TextOptions {
  color?: boolean;
  /** Show passing and skipped rules too (default: yes). */
  verbose?: boolean;
}

const SYMBOL: Record<Status, string> = { pass: "✔", fail: "✖", unknown: "?", waived: "~", skip: "-" };

type Paint = (code: string, text: string) => string;

function painter(enabled: boolean): Paint {
  return enabled ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

function statusColor(f: Finding): string {
  if (f.status === "fail") return f.level === "error" ? "31" : "33";
  if (f.status === "pass") return "32";
  if (f.status === "unknown") return "35";
  return "90";
}

const CONCLUSION_COLOR: Record<Conclusion, string> = { success: "32", neutral: "33", failure: "31" };

/**
 * Renders a verdict for a terminal.
 *
 * @example renderText(verdict, { color: false }).split("\n")[0] // "POM governance: failure — 1 failed (1 error), 3 passed"
 */
export function renderText(verdict: Verdict, options: TextOptions = {}): string {
  const paint = painter(options.color ?? false);
  const width = Math.max(0, ...verdict.findings.map((f) => f.rule.length));
  const lines = [
    `POM governance: ${paint(CONCLUSION_COLOR[verdict.conclusion], verdict.conclusion)} — ${countLine(verdict.findings)}`,
  ];
  // With products: the repository's findings, then a section per product.
  const sections = verdict.findings.some((f) => f.product !== undefined)
    ? productSections(verdict.findings)
    : [{ findings: sortFindings(verdict.findings) }];
  for (const section of sections) {
    if (section.product !== undefined) lines.push(`  ${paint("1", oneLine(section.product))}`);
    findingLines(section.findings, lines, paint, width, options);
  }
  return lines.join("\n");
}

function findingLines(
  findings: Finding[],
  lines: string[],
  paint: Paint,
  width: number,
  options: TextOptions,
) {
  for (const f of findings) {
    if (options.verbose === false && (f.status === "pass" || f.status === "skip")) continue;
    const mark = paint(statusColor(f), `${SYMBOL[f.status]} ${f.status.padEnd(7)}`);
    lines.push(`  ${mark} ${f.rule.padEnd(width)}  ${paint("90", f.level.padEnd(5))}  ${oneLine(f.message)}`);
    const indent = " ".repeat(14);
    if (f.location)
      lines.push(`${indent}at ${oneLine(f.location.file)}:${f.location.line}:${f.location.column}`);
    if (f.fix) lines.push(`${indent}fix: ${oneLine(f.fix)}`);
    if (f.status !== "pass" && f.evidence.length > 0) {
      lines.push(`${indent}${paint("90", `seen: ${f.evidence.map(oneLine).join("; ")}`)}`);
    }
  }
}

/**
 * Control characters (terminal escapes in user text) and bidirectional overrides are replaced so
 * that output cannot be spoofed.
 */
function oneLine(text: string): string {
  return (
    text
      .replace(/\r?\n/g, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "�")
  );
}
