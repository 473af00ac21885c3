/**
 * Repository findings as SARIF 2.1.0, for GitHub code scanning: one run of one tool, every rule it
 * judged with the `pom explain` text as help, and one result per finding that is not a pass.
 *
 * - fail → `error` or `warning` (the level the configuration gives the rule); `unknown` → `note`
 *   (a fact could not be read: never a pass, so it is not left out, which code scanning would read
 *   as fixed); pass and skip → nothing (an alert that is no longer reported is closed as fixed);
 *   waived → nothing (an accepted exception until its date; the summary lists it, and when the
 *   waiver lapses the finding comes back under the same fingerprint).
 * - Locations: a finding that points into a file of the repository keeps its line and columns;
 *   any other (no location, or a file elsewhere such as the org policy) points at line 1 of the
 *   manifest, where the repository's governance is declared.
 * - Within GitHub's limits: at most 25,000 results a run and 10 MB (measured before compression,
 *   which bounds the compressed upload too); the worst findings are kept and the run says how many
 *   were left out.
 */
import { CODEOWNERS_PATHS } from "../domain/codeowners.js";
import type { Rule } from "../engine/rule.js";
import type { Finding, Level } from "../engine/types.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { MANIFEST_PATHS } from "../manifest/paths.js";
import { byteLength, truncateText } from "./escape.js";
import { explainRule } from "./explain.js";
import { FINGERPRINT_KEY, fingerprints } from "./sarif-fingerprint.js";

const TOOL = { name: "pom-governance", version: ENGINE_VERSION };

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** GitHub's limits on one upload: results per run, and bytes (of the gzipped file). */
export const MAX_SARIF_RESULTS = 25_000;
export const MAX_SARIF_BYTES = 10_000_000;
/** A result's message is cut here: an alert's text, not a document. */
const MESSAGE_LIMIT = 4_000;

export interface SarifInput {
  findings: readonly Finding[];
  /** The rules to declare (those that judge a repository); results name them by index. */
  rules: readonly Rule[];
  /** Default: pom-governance at the engine's version. */
  tool?: { name: string; version: string };
  /** The manifest's path in the repository: where findings without a place of their own point. */
  manifestPath: string;
  /**
   * The files findings may point into, as their locations name them, and each one's path in the
   * repository (the CLI names files relative to the working directory). Others are not located.
   */
  repoFiles: ReadonlyMap<string, string>;
}

/**
 * The repository files findings may point into, named as GitHub's readers name them (their path in
 * the repository), with `extra` ones such as a manifest at a path of the action's `manifest` input.
 */
export function repositoryFiles(extra: readonly string[] = []): ReadonlyMap<string, string> {
  return new Map([...MANIFEST_PATHS, ...CODEOWNERS_PATHS, ...extra].map((p) => [p, p]));
}

type SarifLevel = "error" | "warning" | "note" | "none";
const RANK: Record<SarifLevel, number> = { error: 0, warning: 1, note: 2, none: 3 };

/** The SARIF level of a finding, or undefined when it is not reported. */
export function sarifLevel(finding: Finding): SarifLevel | undefined {
  if (finding.status === "fail") return finding.level === "error" ? "error" : "warning";
  if (finding.status === "unknown") return "note";
  return undefined;
}

function configured(level: Level): { level: SarifLevel; enabled?: false } {
  if (level === "off") return { level: "none", enabled: false };
  return { level: level === "error" ? "error" : "warning" };
}

function describeRule(rule: Rule) {
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.explain.checks },
    help: { text: explainRule(rule) },
    defaultConfiguration: configured(rule.defaultLevel),
    properties: { tags: ["pom-governance", rule.id.split(".")[0] ?? rule.id] },
  };
}

function region(finding: Finding, located: boolean) {
  if (!located || !finding.location) return { startLine: 1 };
  const { line, column, endLine, endColumn } = finding.location;
  const start = { startLine: Math.max(1, line), startColumn: Math.max(1, column) };
  if (endLine === undefined || endColumn === undefined || endLine < line) return start;
  if (endLine === line && endColumn <= column) return start;
  return { ...start, endLine, endColumn };
}

/** The SARIF log as an object (see {@link renderSarif}). */
export function toSarif(input: SarifInput) {
  const index = new Map(input.rules.map((r, i) => [r.id as string, i]));
  const reported = input.findings
    .map((finding, order) => ({ finding, order, level: sarifLevel(finding) }))
    .filter((r): r is typeof r & { level: SarifLevel } => r.level !== undefined)
    .sort((a, b) => RANK[a.level] - RANK[b.level] || a.order - b.order);
  const placed = reported.map((r) => {
    const file = r.finding.location?.file;
    const inRepo = file !== undefined ? input.repoFiles.get(file) : undefined;
    return { ...r, uri: inRepo ?? input.manifestPath, located: inRepo !== undefined };
  });
  const prints = fingerprints(
    placed.map((p) => ({ rule: p.finding.rule, uri: p.uri, message: p.finding.message })),
  );
  const results = placed.map((p, i) => {
    const f = p.finding;
    const text = f.fix ? `${f.message}. Fix: ${f.fix}` : f.message;
    const ruleIndex = index.get(f.rule);
    return {
      ruleId: f.rule,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: p.level,
      message: { text: truncateText(f.status === "unknown" ? `not decided: ${text}` : text, MESSAGE_LIMIT) },
      locations: [{ physicalLocation: { artifactLocation: { uri: p.uri }, region: region(f, p.located) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i] ?? "" },
      properties: { status: f.status, evidence: f.evidence.map((e) => truncateText(e, MESSAGE_LIMIT)) },
    };
  });
  const tool = input.tool ?? TOOL;
  const run = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        semanticVersion: tool.version,
        rules: input.rules.map(describeRule),
      },
    },
    columnKind: "utf16CodeUnits",
    results: [] as typeof results,
  };
  const log = { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
  // What fits: the log without results, plus results in order of severity while both limits hold.
  let bytes = byteLength(JSON.stringify(log)) + 200;
  for (const result of results) {
    const size = byteLength(JSON.stringify(result)) + 1;
    if (run.results.length >= MAX_SARIF_RESULTS || bytes + size > MAX_SARIF_BYTES) break;
    run.results.push(result);
    bytes += size;
  }
  const omitted = results.length - run.results.length;
  if (omitted === 0) return log;
  const note = `${omitted} of ${results.length} results were left out to stay within GitHub's limits (${MAX_SARIF_RESULTS} results, ${MAX_SARIF_BYTES} bytes); the least severe went first`;
  return {
    ...log,
    runs: [
      {
        ...run,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [{ level: "warning", message: { text: note } }],
          },
        ],
      },
    ],
  };
}

/**
 * The findings as SARIF 2.1.0 text, for `upload-sarif`.
 *
 * @example JSON.parse(renderSarif({ findings, rules, manifestPath: ".github/pom.yml", repoFiles })).runs.length // 1
 */
export function renderSarif(input: SarifInput): string {
  return serialiseSarif(toSarif(input));
}

/** A log from {@link toSarif} as text. */
export function serialiseSarif(log: ReturnType<typeof toSarif>): string {
  // Laid out for people when that stays within the limit the results were counted against.
  const pretty = JSON.stringify(log, null, 2);
  return `${byteLength(pretty) < MAX_SARIF_BYTES ? pretty : JSON.stringify(log)}\n`;
}
