/**
 * The effective configuration: defaults <- org policy <- repo manifest, with the policy's locks and
 * maximum cadence enforced. Every value records where it came from.
 */

import { type Level, RULE_IDS, type RuleId, type SourceLocation } from "../engine/types.js";
import { at, type EffectiveOutcome, type EffectiveTeam, type Sourced, scopeParts } from "./config-scope.js";
import type { Loaded, Manifest, OrgPolicy, ReleaseSource, Waiver } from "./manifest.js";
import type { SourceProblem } from "./problem.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

export type { EffectiveOutcome, EffectiveTeam, Origin, Sourced } from "./config-scope.js";
export { DEFAULT_CADENCE } from "./config-scope.js";

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
  levels: Record<RuleId, Sourced<Level>>;
  locked: RuleId[];
  cadence: Sourced<{ text: string; ms: number }>;
  releaseSource: Sourced<ReleaseSource>;
  tagPattern: Sourced<string | undefined>;
  environment: Sourced<string>;
  /** The outcomes work may trace to: the org's and the product's (all products', at the top). */
  outcomes: EffectiveOutcome[];
  exemptLabels: string[];
  exemptAuthors: string[];
  waivers: EffectiveWaiver[];
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
}

const LEVEL_RANK: Record<Level, number> = { off: 0, warn: 1, error: 2 };

/**
 * The effective configuration of a manifest and an org policy as loaded (either may be missing or
 * have errors: then it contributes nothing), with rule levels defaulting to `defaults`.
 *
 * @example configOf(DEFAULT_LEVELS, loadedManifest, null).cadence.value.text // "14d"
 */
export function configOf(
  defaults: Record<RuleId, Level>,
  manifest: Loaded<Manifest> | null | undefined,
  policy: Loaded<OrgPolicy> | null | undefined,
): EffectiveConfig {
  return resolveConfig({
    defaults,
    ...(policy?.ok ? { policy: { value: policy.value, source: policy.source } } : {}),
    ...(manifest?.ok ? { manifest: { value: manifest.value, source: manifest.source } } : {}),
  });
}

/**
 * Merges defaults, the org policy and the repo manifest.
 *
 * @example resolveConfig({ defaults, manifest: { value: manifest } }).levels["release.cadence"].value // "error"
 */
export function resolveConfig(input: ConfigInput): EffectiveConfig {
  const policy = input.policy?.value;
  const manifest = input.manifest?.value;
  const mSource = input.manifest?.source;
  const pSource = input.policy?.source;
  const violations: SourceProblem[] = [];
  const locked = [...new Set(policy?.locked ?? [])];

  const levels = {} as Record<RuleId, Sourced<Level>>;
  for (const id of RULE_IDS) {
    let level: Sourced<Level> = { value: input.defaults[id], from: "default" };
    const fromPolicy =
      id === "manifest.present" ? (policy?.rules?.[id] ?? policy?.manifest) : policy?.rules?.[id];
    if (fromPolicy) {
      const key = id === "manifest.present" && !policy?.rules?.[id] ? ["manifest"] : ["rules", id];
      level = { value: fromPolicy, from: "policy", ...at(pSource, key) };
    }
    const fromManifest = manifest?.rules?.[id];
    if (fromManifest) {
      const location = mSource?.locate(["rules", id]);
      if (locked.includes(id) && LEVEL_RANK[fromManifest] < LEVEL_RANK[level.value]) {
        violations.push({
          ...(location ?? { file: "pom.yml", line: 1, column: 1 }),
          message: `rules.${id} is "${fromManifest}", but the org policy locks ${id} at "${level.value}"; a repo may not lower a locked rule`,
          hint: `remove rules.${id} or set it to "${level.value}"`,
          path: `rules.${id}`,
        });
      } else {
        level = { value: fromManifest, from: "manifest", ...(location ? { location } : {}) };
      }
    }
    levels[id] = level;
  }

  const sources = { policy, mSource, pSource, violations };
  const waivers: EffectiveWaiver[] = [];
  (manifest?.waivers ?? []).forEach((waiver, index) => {
    const location = mSource?.locate(["waivers", index]);
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

  const union = (a: string[] | undefined, b: string[] | undefined) => [
    ...new Set([...(a ?? []), ...(b ?? [])]),
  ];
  const declared = manifest?.products;
  const top: EffectiveConfig = {
    levels,
    locked,
    ...scopeParts(
      declared
        ? {
            outcomeLists: declared.map((p, i) => ({ at: ["products", i, "outcomes"], outcomes: p.outcomes })),
            at: [],
          }
        : { ...(manifest ?? {}), outcomeLists: [{ at: ["outcomes"], outcomes: manifest?.outcomes }], at: [] },
      sources,
    ),
    exemptLabels: union(policy?.exemptions?.labels, manifest?.exemptions?.labels),
    exemptAuthors: union(policy?.exemptions?.authors, manifest?.exemptions?.authors),
    waivers,
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
