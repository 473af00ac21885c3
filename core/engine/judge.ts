/**
 * A judgement: one subject, its trusted configuration (resolved once), one clock, and a fact
 * source. The rules the configuration leaves on declare the facts they may read; the source is
 * asked for those only, and only as the rules need them (or all at once, for a source that reads
 * them together), so that a judgement reads nothing it does not use.
 */
import type { EffectiveConfig } from "../manifest/config.js";
import type { Loaded, Manifest, OrgPolicy } from "../manifest/manifest.js";
import { type Evaluation, evaluate } from "./evaluate.js";
import type { FactSource } from "./fact-source.js";
import type { FactKey, Facts } from "./facts.js";
import type { Rule } from "./rule.js";
import type { SubjectKind } from "./types.js";

export interface JudgementInput {
  subject: SubjectKind;
  /** The default-branch manifest; null when the repository has none. */
  manifest: Loaded<Manifest> | null;
  /** The org policy; null when the organization has none. */
  policy: Loaded<OrgPolicy> | null;
  /** A manifest proposed by a pull request that edits it. */
  proposed?: Loaded<Manifest>;
  /** The effective configuration of `manifest` and `policy`, resolved once for the judgement. */
  config: EffectiveConfig;
  /** The one clock of the judgement. */
  now: Date;
}

export interface JudgeOptions {
  /** Ask the source for every declared fact at once, before the rules run (a repository's facts). */
  eager?: boolean;
}

/**
 * The facts the rules that apply to `subject` and are not off may read: the bound of what a
 * source is asked for.
 *
 * @example declaredFacts(RULES, "pull_request", config) // ["pullRequest", "closingIssues"]
 */
export function declaredFacts(
  rules: readonly Rule[],
  subject: SubjectKind,
  config: EffectiveConfig,
): FactKey[] {
  const keys = new Set<FactKey>();
  const withProducts = config.products !== undefined || config.product !== undefined;
  for (const rule of rules) {
    if (!rule.subjects.includes(subject) || config.levels[rule.id].value === "off") continue;
    for (const key of rule.facts) keys.add(key);
    if (withProducts) for (const key of rule.productFacts ?? []) keys.add(key);
  }
  return [...keys];
}

/**
 * Judges `input` with the facts `source` gives.
 *
 * @example
 * const evaluation = await judge({ subject: "pull_request", manifest, policy: null, config, now }, RULES, source);
 */
export async function judge(
  input: JudgementInput,
  rules: readonly Rule[],
  source: FactSource,
  options: JudgeOptions = {},
): Promise<Evaluation> {
  const declared = new Set(declaredFacts(rules, input.subject, input.config));
  const asked = new Set<FactKey>();
  const ask = async (keys: FactKey[]): Promise<Facts> => {
    const wanted = keys.filter((k) => declared.has(k) && !asked.has(k));
    for (const k of wanted) asked.add(k);
    return wanted.length > 0 ? source.read(wanted) : {};
  };
  let facts: Facts = options.eager ? await ask([...declared]) : {};
  let evaluation = evaluate({ ...input, facts }, rules);
  // A rule that asked for a fact it did not declare gets nothing: it reports `unknown`.
  while (evaluation.needs.some((k) => declared.has(k) && !asked.has(k))) {
    facts = { ...facts, ...(await ask(evaluation.needs)) };
    evaluation = evaluate({ ...input, facts }, rules);
  }
  return evaluation;
}
