/**
 * The `sarif` input: the repository's findings as a SARIF 2.1.0 file for
 * `github/codeql-action/upload-sarif` (code scanning), written where the input says, relative to
 * the workspace.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Evaluation } from "../core/engine/evaluate.js";
import { repositoryFiles, serialiseSarif, toSarif } from "../core/render/sarif.js";
import { REPO_RULES } from "../policies/registry.js";

/**
 * Writes the SARIF file of `evaluation` to `path`; `manifest` is the manifest input, where findings
 * without a place of their own point when the repository has no manifest to name.
 */
export function writeSarif(path: string, evaluation: Evaluation, manifest: string): { results: number } {
  const input = {
    findings: evaluation.findings,
    rules: REPO_RULES,
    manifestPath: evaluation.config.manifestSource?.file ?? manifest,
    repoFiles: repositoryFiles([manifest]),
  };
  const log = toSarif(input);
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, serialiseSarif(log));
  return { results: log.runs[0]?.results.length ?? 0 };
}
