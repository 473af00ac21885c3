/** Findings that point into a file, as check-run annotations. */
import type { Finding, SourceLocation } from "../engine/types.js";
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
    return [
      {
        path: f.location.file,
        ...position(f.location),
        annotation_level: f.status === "unknown" ? "notice" : f.level === "error" ? "failure" : "warning",
        title: f.rule,
        message: truncateText(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message, 4_000),
      },
    ];
  });
}

/** GitHub's position fields of a location: columns only on a single-line annotation. */
function position(
  at: SourceLocation,
): Pick<Annotation, "start_line" | "end_line" | "start_column" | "end_column"> {
  const { line, column, endLine, endColumn } = at;
  const sameLine = endLine === undefined || endLine === line;
  return {
    start_line: line,
    end_line: sameLine ? line : endLine,
    ...(sameLine ? { start_column: column, end_column: Math.max(column, endColumn ?? column) } : {}),
  };
}

/**
 * Problems of a file (a proposed org policy that does not validate) as failure annotations on
 * `path`, the file's path in the repository the check run belongs to.
 *
 * @example problemAnnotations(problems, ".github/pom-policy.yml")[0].start_line // 4
 */
export function problemAnnotations(
  problems: readonly (SourceLocation & { message: string; hint?: string })[],
  path: string,
): Annotation[] {
  return problems.map((p) => ({
    path,
    ...position(p),
    annotation_level: "failure",
    title: "invalid org policy",
    message: truncateText(p.hint ? `${p.message}\nHint: ${p.hint}` : p.message, 4_000),
  }));
}
