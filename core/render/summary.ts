/** Counting findings for headlines. */
import type { Finding, Status } from "../engine/types.js";

export const STATUS_ORDER: readonly Status[] = ["fail", "unknown", "waived", "skip", "pass"];

/** "2 failed (1 error), 1 unknown, 5 passed" */
export function countLine(findings: readonly Finding[]): string {
  const count = (s: Status) => findings.filter((f) => f.status === s).length;
  const errors = findings.filter((f) => f.status === "fail" && f.level === "error").length;
  const parts: string[] = [];
  const failed = count("fail");
  if (failed > 0)
    parts.push(`${failed} failed${errors > 0 ? ` (${errors} error${errors === 1 ? "" : "s"})` : ""}`);
  const words: [Status, string][] = [
    ["unknown", "unknown"],
    ["waived", "waived"],
    ["skip", "skipped"],
    ["pass", "passed"],
  ];
  for (const [status, word] of words) {
    const n = count(status);
    if (n > 0) parts.push(`${n} ${word}`);
  }
  return parts.length > 0 ? parts.join(", ") : "no rules applied";
}

/** Findings in reading order: problems first, then the rest, keeping rule order within a status. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => STATUS_ORDER.indexOf(a.f.status) - STATUS_ORDER.indexOf(b.f.status) || a.i - b.i)
    .map(({ f }) => f);
}

/** Findings in sections: the repository's (`product` undefined) first, then each product's, in order. */
export function productSections(findings: readonly Finding[]): { product?: string; findings: Finding[] }[] {
  const sections = new Map<string | undefined, Finding[]>([[undefined, []]]);
  for (const f of findings) sections.set(f.product, [...(sections.get(f.product) ?? []), f]);
  return [...sections]
    .filter(([product, list]) => product !== undefined || list.length > 0)
    .map(([product, list]) => ({
      ...(product !== undefined ? { product } : {}),
      findings: sortFindings(list),
    }));
}
