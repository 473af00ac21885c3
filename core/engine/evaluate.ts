/**
 * The engine: one subject, the manifests, the facts and one clock in; a verdict out.
 * Violations are data; a rule that throws or lacks a fact yields `unknown`, never a pass.
 */
import type { EffectiveConfig } from "../manifest/config.js";
import { stageNote } from "../manifest/levels.js";
import type { Loaded, Manifest, OrgPolicy } from "../manifest/manifest.js";
import type { FactKey, Facts } from "./facts.js";
import {
  FactUnavailable,
  factReader,
  NOT_GATHERED,
  type Rule,
  type RuleContext,
  type RuleResult,
  unknownResult,
} from "./rule.js";
import { type Finding, type Level, RULE_IDS, type RuleId, type SubjectKind, type Verdict } from "./types.js";
import { conclude } from "./verdict.js";
import { isWaiverActive } from "./waivers.js";

export interface EvaluationInput {
  subject: SubjectKind;
  /** The default-branch manifest; null when the repository has none. */
  manifest: Loaded<Manifest> | null;
  /** The org policy; null or absent when the organization has none. */
  policy?: Loaded<OrgPolicy> | null;
  /** A manifest proposed by a pull request that edits it. */
  proposed?: Loaded<Manifest>;
  /** The effective configuration of `manifest` and `policy` (resolveConfig), resolved once. */
  config: EffectiveConfig;
  facts: Facts;
  now: Date;
}

export interface Evaluation extends Verdict {
  config: EffectiveConfig;
  /**
   * Facts some rule asked for that were not gathered at all: `judge` (judge.ts) reads these from
   * its fact source and evaluates again.
   */
  needs: FactKey[];
}

/** Default levels of a registry. */
export function defaultLevels(rules: readonly Rule[]): Record<RuleId, Level> {
  const levels = Object.fromEntries(RULE_IDS.map((id) => [id, "off"])) as Record<RuleId, Level>;
  for (const rule of rules) levels[rule.id] = rule.defaultLevel;
  return levels;
}

/**
 * Evaluates every rule of `rules` that applies to the subject.
 *
 * @example
 * const verdict = evaluate({ subject: "repo", manifest, config, facts, now }, RULES);
 * verdict.conclusion // "success" | "neutral" | "failure"
 */
export function evaluate(input: EvaluationInput, rules: readonly Rule[]): Evaluation {
  const policy = input.policy ?? null;
  const defaults = defaultLevels(rules);
  const { config } = input;
  const ctx: RuleContext = {
    subject: input.subject,
    config,
    defaults,
    facts: input.facts,
    now: input.now,
    manifest: input.manifest,
    policy,
    ...(input.proposed ? { proposed: input.proposed } : {}),
    need: factReader(input.facts),
  };

  const findings: Finding[] = [];
  const needs = new Set<FactKey>();
  for (const rule of rules) {
    const level = config.levels[rule.id].value;
    if (level === "off" || !rule.subjects.includes(input.subject)) continue;
    if (rule.appliesTo && !safely(() => rule.appliesTo?.(ctx), true)) continue;
    if ((rule.needsManifest ?? true) && !input.manifest?.ok) {
      if (input.manifest === null) continue;
      findings.push({
        rule: rule.id,
        status: "unknown",
        level,
        message: "not evaluated because the manifest has errors",
        fix: "fix the manifest.valid findings first",
        evidence: [],
      });
      continue;
    }
    const exemption = rule.exemptable ? findExemption(input, config) : undefined;
    if (exemption) {
      findings.push({
        rule: rule.id,
        status: "skip",
        level,
        message: `exempt: ${exemption}`,
        fix: "",
        evidence: [],
      });
      continue;
    }
    for (const result of run(rule, ctx, needs)) {
      findings.push(
        staged(applyWaiver(toFinding(rule.id, level, result), config, input.now), config, input.now),
      );
    }
  }
  return { conclusion: conclude(findings), findings, config, needs: [...needs] };
}

function run(rule: Rule, ctx: RuleContext, needs: Set<FactKey>): RuleResult[] {
  try {
    const result = rule.evaluate(ctx);
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    if (error instanceof FactUnavailable) {
      if (error.reason === NOT_GATHERED) needs.add(error.key);
      return [unknownResult(error)];
    }
    return [
      {
        status: "unknown",
        message: `the rule failed to run: ${(error as Error)?.message ?? String(error)}`,
        fix: "this is a bug in pom-governance; please report it with the manifest that triggered it",
        evidence: [],
      },
    ];
  }
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function toFinding(rule: RuleId, level: Level, result: RuleResult): Finding {
  return {
    rule,
    status: result.status,
    level,
    message: result.message,
    fix: result.status === "pass" || result.status === "skip" ? "" : (result.fix ?? ""),
    evidence: result.evidence ?? [],
    ...(result.location ? { location: result.location } : {}),
    ...(result.status === "unknown" && result.lasting ? { lasting: true } : {}),
  };
}

/** Rules no waiver can silence: a manifest may not waive its own validity (or its lock violations). */
const UNWAIVABLE: ReadonlySet<RuleId> = new Set(["manifest.valid"]);

function applyWaiver(finding: Finding, config: EffectiveConfig, now: Date): Finding {
  if (finding.status !== "fail" || UNWAIVABLE.has(finding.rule)) return finding;
  const waivers = config.waivers.filter((w) => w.rule === finding.rule);
  const active = waivers.find((w) => isWaiverActive(w.until, now));
  if (active) {
    return {
      ...finding,
      status: "waived",
      message: `waived until ${active.until} (${active.reason}): ${finding.message}`,
      evidence: [...finding.evidence, `waiver: until ${active.until}, reason: ${active.reason}`],
    };
  }
  const expired = waivers.map((w) => `waiver expired on ${w.until}: ${w.reason}`);
  return expired.length > 0 ? { ...finding, evidence: [...finding.evidence, ...expired] } : finding;
}

/** A failing or undecided finding under a level that will rise says when (a schedule or a campaign). */
function staged(finding: Finding, config: EffectiveConfig, now: Date): Finding {
  if (finding.status !== "fail" && finding.status !== "unknown") return finding;
  const note = stageNote(config.levels[finding.rule], now);
  return note ? { ...finding, message: `${note}: ${finding.message}` } : finding;
}

function findExemption(input: EvaluationInput, config: EffectiveConfig): string | undefined {
  const item =
    input.subject === "pull_request"
      ? input.facts.pullRequest
      : input.subject === "issue"
        ? input.facts.issue
        : undefined;
  if (!item?.ok) return undefined;
  const labels = new Set(item.value.labels.map((l) => l.toLowerCase()));
  const label = config.exemptLabels.find((l) => labels.has(l.toLowerCase()));
  if (label) return `labelled "${label}"`;
  const author = item.value.author.toLowerCase();
  const exemptAuthor = config.exemptAuthors.find((a) => a.toLowerCase() === author);
  if (exemptAuthor) return `authored by ${exemptAuthor}`;
  return undefined;
}
