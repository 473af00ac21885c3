/**
 * The effective configuration: defaults <- org policy <- repo manifest, with the policy's locks and
 * maximum cadence enforced. Every value records where it came from.
 */

import { type Level, RULE_IDS, type RuleId, type SourceLocation } from "../engine/types.js";
import { at, type EffectiveOutcome, type EffectiveTeam, scopeParts } from "./config-scope.js";
import {
  campaignsOf,
  type EffectiveCampaign,
  type Origin,
  type RuleLevel,
  resolveLevels,
  type Sourced,
} from "./levels.js";
import { DEFAULT_STALE_DAYS, staleDays } from "./limits.js";
import type { Loaded, Manifest, OrgPolicy, ReleaseSource, Waiver } from "./manifest.js";
import type { SourceProblem } from "./problem.js";
import { type WaiverPolicy, waiverPolicyOf, waiverProblem } from "./waiver-policy.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

export { DEFAULT_CADENCE } from "./config-scope.js";
export type { EffectiveCampaign, EffectiveOutcome, EffectiveTeam, Origin, RuleLevel, Sourced };

/** Which product a product's configuration is of (in a manifest with products). */
export interface ProductScope {
  name: string;
  /** Its index in `products`. */
  index: number;
  paths: string[];
}

export interface EffectiveWaiver extends Waiver {
  location?: SourceLocation;
}

export interface EffectiveConfig {
  /** Each rule's level on the day of the configuration's `now`, with its schedule when it has one. */
  levels: Record<RuleId, RuleLevel>;
  locked: RuleId[];
  /** The org policy's campaigns. */
  campaigns: EffectiveCampaign[];
  cadence: Sourced<{ text: string; ms: number }>;
  releaseSource: Sourced<ReleaseSource>;
  tagPattern: Sourced<string | undefined>;
  environment: Sourced<string>;
  /** The outcomes work may trace to: the org's and the product's (all products', at the top). */
  outcomes: EffectiveOutcome[];
  /** Days an active outcome may go without traced work (the org policy's `limits.outcome.stale`). */
  staleDays: Sourced<number>;
  exemptLabels: string[];
  exemptAuthors: string[];
  waivers: EffectiveWaiver[];
  /** What waivers need to be honoured (the org policy's `waivers`). */
  waiverPolicy: WaiverPolicy;
  /** The org policy's `governance_team` (org/team-slug), when it names one. */
  governanceTeam?: string;
  /** The manifest's declarations, when there is a valid manifest. */
  manifest?: Manifest;
  team?: EffectiveTeam;
  /** In a product's configuration (a manifest with products): which product it is. */
  product?: ProductScope;
  /** In a manifest with products: each product's configuration, in the file's order. */
  products?: EffectiveConfig[];
  /** In a manifest with products: the paths of no product, owned by a platform team. */
  shared?: { paths: string[]; team?: string };
  /** Where each part of the manifest is in its file, when there is one. */
  manifestSource?: YamlSource;
  /** Attempts of the manifest to weaken what the policy locks: findings of `manifest.valid`. */
  violations: SourceProblem[];
}

export interface ConfigInput {
  /** Rule defaults, from the rule registry. */
  defaults: Record<RuleId, Level>;
  policy?: { value: OrgPolicy; source?: YamlSource };
  manifest?: { value: Manifest; source?: YamlSource };
  /** The one clock of the judgement: scheduled levels are read on its UTC day. */
  now: Date;
}

/**
 * The effective configuration of a manifest and an org policy as loaded (either may be missing or
 * have errors: then it contributes nothing), with rule levels defaulting to `defaults`.
 *
 * @example configOf(DEFAULT_LEVELS, loadedManifest, null, now).cadence.value.text // "14d"
 */
export function configOf(
  defaults: Record<RuleId, Level>,
  manifest: Loaded<Manifest> | null | undefined,
  policy: Loaded<OrgPolicy> | null | undefined,
  now: Date,
): EffectiveConfig {
  return resolveConfig({
    defaults,
    now,
    ...(policy?.ok ? { policy: { value: policy.value, source: policy.source } } : {}),
    ...(manifest?.ok ? { manifest: { value: manifest.value, source: manifest.source } } : {}),
  });
}

/**
 * Merges defaults, the org policy and the repo manifest.
 *
 * @example resolveConfig({ defaults, manifest: { value: manifest }, now }).levels["release.cadence"].value // "error"
 */
export function resolveConfig(input: ConfigInput): EffectiveConfig {
  const policy = input.policy?.value;
  const manifest = input.manifest?.value;
  const mSource = input.manifest?.source;
  const pSource = input.policy?.source;
  const violations: SourceProblem[] = [];
  const locked = [...new Set(policy?.locked ?? [])];

  const levels = resolveLevels(
    {
      defaults: input.defaults,
      ...(policy ? { policy } : {}),
      ...(pSource ? { policySource: pSource } : {}),
      ...(manifest ? { manifest } : {}),
      ...(mSource ? { manifestSource: mSource } : {}),
      locked,
      now: input.now,
    },
    violations,
  );

  const sources = { policy, mSource, pSource, violations };
  const waiverPolicy = waiverPolicyOf(policy);
  const waivers: EffectiveWaiver[] = [];
  (manifest?.waivers ?? []).forEach((waiver, index) => {
    const location = mSource?.locate(["waivers", index]);
    const problem = waiverProblem(waiver, waiverPolicy);
    if (problem) {
      violations.push({
        ...(location ?? { file: "pom.yml", line: 1, column: 1 }),
        message: `waivers[${index}]: ${problem.message}; the waiver is not honoured`,
        hint: problem.hint,
        path: `waivers[${index}]`,
      });
      return;
    }
    if (locked.includes(waiver.rule)) {
      violations.push({
        ...(location ?? { file: "pom.yml", line: 1, column: 1 }),
        message: `waivers[${index}] waives ${waiver.rule}, which the org policy locks; the waiver is ignored`,
        hint: "ask the owners of the org policy for an exception, or remove the waiver",
        path: `waivers[${index}]`,
      });
      return;
    }
    waivers.push({ ...waiver, ...(location ? { location } : {}) });
  });
  // A rule that inherits another's level inherits its waivers too.
  for (const id of RULE_IDS) {
    const from = levels[id].inheritedFrom;
    if (from) for (const w of waivers.filter((x) => x.rule === from)) waivers.push({ ...w, rule: id });
  }

  const union = (a: string[] | undefined, b: string[] | undefined) => [
    ...new Set([...(a ?? []), ...(b ?? [])]),
  ];
  const declared = manifest?.products;
  const top: EffectiveConfig = {
    levels,
    locked,
    campaigns: campaignsOf(policy, pSource),
    ...scopeParts(
      declared
        ? {
            outcomeLists: declared.map((p, i) => ({ at: ["products", i, "outcomes"], outcomes: p.outcomes })),
            at: [],
          }
        : { ...(manifest ?? {}), outcomeLists: [{ at: ["outcomes"], outcomes: manifest?.outcomes }], at: [] },
      sources,
    ),
    staleDays: policy?.limits?.["outcome.stale"]
      ? { value: staleDays(policy), from: "policy", ...at(pSource, ["limits", "outcome.stale"]) }
      : { value: DEFAULT_STALE_DAYS, from: "default" },
    exemptLabels: union(policy?.exemptions?.labels, manifest?.exemptions?.labels),
    exemptAuthors: union(policy?.exemptions?.authors, manifest?.exemptions?.authors),
    waivers,
    waiverPolicy,
    ...(policy?.governance_team ? { governanceTeam: policy.governance_team } : {}),
    ...(manifest ? { manifest } : {}),
    ...(mSource ? { manifestSource: mSource } : {}),
    violations,
  };
  if (!declared) return top;
  top.products = declared.map((product, index) => {
    const at = ["products", index];
    return {
      ...top,
      ...scopeParts(
        { ...product, outcomeLists: [{ at: [...at, "outcomes"], outcomes: product.outcomes }], at },
        sources,
      ),
      product: { name: product.name, index, paths: product.paths },
      waivers: waivers.filter((w) => w.product === undefined || w.product === product.name),
      violations: [],
    };
  });
  if (manifest?.shared) {
    top.shared = {
      paths: manifest.shared.paths,
      ...(manifest.shared.team ? { team: manifest.shared.team.github } : {}),
    };
  }
  return top;
}

/** The configuration of each product: the products of a manifest with products, or the one. */
export function productsOf(config: EffectiveConfig): EffectiveConfig[] {
  return config.products ?? [config];
}

/** Where a product's declaration `path` (team.github, release.cadence) is in the manifest. */
export function declarationPath(config: EffectiveConfig, path: PathSegment[]): PathSegment[] {
  return config.product ? ["products", config.product.index, ...path] : path;
}
