/**
 * What a workflow run shows: a job summary, annotations within the runner's limits (10 errors and
 * 10 warnings per step; the rest stay in the summary), and the step's outputs.
 */
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";
import * as core from "@actions/core";
import type { Finding, Verdict } from "../core/engine/types.js";
import type { EffectiveConfig } from "../core/manifest/config.js";
import { truncateText } from "../core/render/escape.js";
import { toJson } from "../core/render/json.js";
import { productLines, renderMarkdown } from "../core/render/markdown.js";

/** The runner shows at most this many annotations of each kind per step. */
export const ANNOTATION_LIMIT = 10;

/**
 * Annotations for failing and undecided findings, located ones first, within the limits. `limits`
 * lowers them, for instance to keep one error annotation for the step's own failure message.
 */
export function annotate(
  findings: readonly Finding[],
  limits: { error: number; warning: number } = { error: ANNOTATION_LIMIT, warning: ANNOTATION_LIMIT },
): { shown: number; omitted: number } {
  const counts = { error: 0, warning: 0 };
  let omitted = 0;
  const ordered = [...findings].sort((a, b) => Number(Boolean(b.location)) - Number(Boolean(a.location)));
  for (const f of ordered) {
    if (f.status !== "fail" && f.status !== "unknown") continue;
    const kind = f.status === "fail" && f.level === "error" ? "error" : "warning";
    if (counts[kind] >= limits[kind]) {
      omitted++;
      continue;
    }
    counts[kind]++;
    // Annotations are plain text; the cut keeps them far below GitHub's 64 KB per message.
    const message = truncateText(f.fix ? `${f.message}. Fix: ${f.fix}` : f.message, 4_000);
    const properties = {
      title: `${f.rule} (${f.status})`,
      ...(f.location
        ? { file: f.location.file, startLine: f.location.line, startColumn: f.location.column }
        : {}),
    };
    if (kind === "error") core.error(message, properties);
    else core.warning(message, properties);
  }
  return { shown: counts.error + counts.warning, omitted };
}

/**
 * Writes the job summary (when the runner provides a summary file), annotations and outputs. With
 * `failing`, one error annotation is left for the step's failure message (`core.setFailed` is an
 * error annotation too, and the runner drops the 11th).
 *
 * The summary is appended to the runner's file as `core.summary.addRaw(text, true).write()` would,
 * but synchronously: the toolkit's summary writer loads `fs/promises` for one append.
 */
export function report(
  verdict: Verdict & { config?: Pick<EffectiveConfig, "products"> },
  title: string,
  options: { failing?: boolean } = {},
): void {
  const { omitted } = annotate(verdict.findings, {
    error: ANNOTATION_LIMIT - (options.failing ? 1 : 0),
    warning: ANNOTATION_LIMIT,
  });
  core.setOutput("conclusion", verdict.conclusion);
  core.setOutput("findings", JSON.stringify(toJson(verdict).findings));
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    const extra =
      omitted > 0 ? `\n\n${omitted} more finding(s) are listed above but not annotated (runner limit).` : "";
    const products = productLines(verdict.config);
    appendFileSync(
      summary,
      `${renderMarkdown(verdict, { title, limit: 1_000_000, products })}${extra}${EOL}`,
    );
  }
}
