/**
 * Test helpers for the pure engine: manifests and policies built from plain objects, one fixed
 * clock, and an `evaluate` wrapper that picks out one rule's findings. Never reads the real clock.
 */
import { stringify } from "yaml";
import {
  defaultLevels,
  type Evaluation,
  type EvaluationInput,
  evaluate,
} from "../../core/engine/evaluate.js";
import type { Facts } from "../../core/engine/facts.js";
import type { Rule } from "../../core/engine/rule.js";
import type { Finding, RuleId, SubjectKind } from "../../core/engine/types.js";
import { configOf } from "../../core/manifest/config.js";
import {
  type Loaded,
  loadManifest,
  loadPolicy,
  type Manifest,
  type OrgPolicy,
} from "../../core/manifest/manifest.js";
import { RULES } from "../../policies/registry.js";

/** The one clock of every test: a Monday noon, UTC. */
export const NOW = new Date("2026-06-15T12:00:00.000Z");
export const SECOND = 1_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The ISO time `ms` before `now`. */
export function ago(ms: number, now: Date = NOW): string {
  return new Date(now.getTime() - ms).toISOString();
}

export const MANIFEST_FILE = ".github/pom.yml";
export const POLICY_FILE = ".github/pom-policy.yml";

type Plain = { [key: string]: unknown };

/** A complete, valid manifest: trio named, 14d cadence, one active, one achieved, one dropped outcome. */
export function baseManifest(): Plain {
  return {
    version: 1,
    product: { name: "Checkout", lifecycle: "production" },
    team: {
      name: "Payments",
      github: "acme/payments",
      product_manager: "alice",
      designer: "bob",
      tech_lead: "carol",
    },
    release: { cadence: "14d" },
    outcomes: [
      {
        id: "CHK-12",
        title: "Cut checkout abandonment from 68% to 55%",
        metric: "checkout_abandonment_rate",
        target: "55%",
        due: "2027-03-31",
        status: "active",
      },
      { id: "OKR-3", title: "Old goal", metric: "m", target: 1, status: "achieved" },
      { id: "CHK-7", title: "Abandoned goal", metric: "m", target: 1, status: "dropped" },
    ],
  };
}

function isPlain(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays are replaced and `undefined` deletes a key. */
export function merge(base: Plain, patch: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else if (isPlain(value) && isPlain(out[key])) out[key] = merge(out[key] as Plain, value);
    else out[key] = value;
  }
  return out;
}

/** Loads YAML text as the manifest, whatever its validity. */
export function manifestText(text: string, file = MANIFEST_FILE): Loaded<Manifest> {
  return loadManifest(text, file);
}

/** The base manifest with `patch` merged in; throws when the result is not valid. */
export function manifest(patch: Plain = {}): Loaded<Manifest> {
  const loaded = loadManifest(stringify(merge(baseManifest(), patch)), MANIFEST_FILE);
  if (!loaded.ok) throw new Error(`test manifest is invalid: ${JSON.stringify(loaded.problems)}`);
  return loaded;
}

/** An org policy (version 1 plus `fields`); throws when it is not valid. */
export function policy(fields: Plain = {}): Loaded<OrgPolicy> {
  const loaded = loadPolicy(stringify({ version: 1, ...fields }), POLICY_FILE);
  if (!loaded.ok) throw new Error(`test policy is invalid: ${JSON.stringify(loaded.problems)}`);
  return loaded;
}

export interface CheckInput {
  subject: SubjectKind;
  facts?: Facts;
  /** Default: the base manifest. Pass null for a repository without one. */
  manifest?: Loaded<Manifest> | null;
  policy?: Loaded<OrgPolicy> | null;
  proposed?: Loaded<Manifest>;
  now?: Date;
}

/** Evaluates with the registry (or `rules`) at the fixed clock. */
export function check(input: CheckInput, rules: readonly Rule[] = RULES): Evaluation {
  const loaded = input.manifest === undefined ? manifest() : input.manifest;
  const policy = input.policy ?? null;
  const evaluation: EvaluationInput = {
    subject: input.subject,
    manifest: loaded,
    policy,
    config: configOf(defaultLevels(rules), loaded, policy, input.now ?? NOW),
    facts: input.facts ?? {},
    now: input.now ?? NOW,
    ...(input.proposed ? { proposed: input.proposed } : {}),
  };
  return evaluate(evaluation, rules);
}

/** Every finding of one rule. */
export function findingsOf(evaluation: Evaluation, rule: RuleId): Finding[] {
  return evaluation.findings.filter((f) => f.rule === rule);
}

/** The one finding of `rule`; throws when there is none or more than one. */
export function findingOf(evaluation: Evaluation, rule: RuleId): Finding {
  const found = findingsOf(evaluation, rule);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${rule} finding, got ${found.length}: ${JSON.stringify(evaluation.findings)}`,
    );
  }
  return found[0] as Finding;
}

/** Shorthand: evaluate and return the one finding of `rule`. */
export function verdictOf(rule: RuleId, input: CheckInput): Finding {
  return findingOf(check(input), rule);
}
