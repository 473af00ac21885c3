/** A policy preview as plain text, for `pom policy preview` on a terminal: every row, no limit. */
import type { PolicyPreview } from "../insights/preview.js";
import { previewHeadline } from "./preview-markdown.js";

/**
 * @example renderPreviewText(preview).split("\n")[0] // "POM policy preview: 3 repositories would start failing"
 */
export function renderPreviewText(preview: PolicyPreview): string {
  const lines = [`POM policy preview: ${previewHeadline(preview)}`];
  if (preview.invalid) return lines.join("\n");
  lines.push(
    `${preview.repositories} repositories judged under the current and the proposed ${preview.proposed.file} (${preview.privateRepositories} private); ${preview.notJudged.length} could not be judged`,
  );
  const flips = (title: string, list: PolicyPreview["startFailing"]) => {
    if (list.length === 0) return;
    lines.push("", `${title} (${list.length}):`);
    for (const f of list) lines.push(`  ${f.repo}  ${f.from} -> ${f.to}  ${f.rules.join(", ")}`.trimEnd());
  };
  flips("would start failing", preview.startFailing);
  flips("would stop failing", preview.stopFailing);
  if (preview.rules.length > 0) lines.push("", "by rule:");
  for (const change of preview.rules) {
    lines.push(`  ${change.rule}: ${change.worse.length} worse, ${change.better.length} better`);
    for (const f of [...change.worse, ...change.better]) lines.push(`    ${f.repo}  ${f.from} -> ${f.to}`);
  }
  if (preview.notJudged.length > 0) {
    lines.push("", `could not be judged (${preview.notJudged.length}):`);
    for (const n of preview.notJudged) lines.push(`  ${n.repo}: ${n.reason}`);
  }
  return lines.join("\n");
}
