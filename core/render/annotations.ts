/** Findings that point into a file, as check-run annotations. */
import type { Finding } from "../engine/types.js";
import { truncateText } from "./escape.js";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

/**
 * One annotation per failing or undecided finding with a location in `files` (paths in the
 * repository; findings in other files, such as the org policy, stay in the summary).
 */
export function toAnnotations(findings: readonly Finding[], files?: ReadonlySet<string>): Annotation[] {
  return findings.flatMap((f) => {
    if (!f.location || (f.status !== "fail" && f.status !== "unknown")) return [];
    if (files && !files.has(f.location.file)) return [];
    const { file, line, column, endLine, endColumn } = f.location;
    const sameLine = endLine === undefined || endLine === line;
    return [
      {
        path: file,
        start_line: line,
        end_line: sameLine ? line : endLine,
        // GitHub accepts columns only on single-line annotations.
        ...(sameLine ? { start_column: column, end_column: Math.max(column, endColumn ?? column) } : {}),
        annotation_level: f.status === "unknown" ? "notice" : f.level === "error" ? "failure" : "warning",
        title: f.rule,
        message: truncateText(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message, 4_000),
      },
    ];
  });
}
