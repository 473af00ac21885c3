/**
 * The effective configuration: defaults <- org policy <- repo manifest, with the policy's locks and
 * maximum cadence enforced. Every value records where it came from.
 */

import type { Level, RuleId, SourceLocation } from "../engine/types.js";
import { parseDuration } from "./duration.js";
import {
  campaignsOf,
  type EffectiveCampaign,
  INHERITED,
  type Origin,
  type RuleLevel,
  resolveLevels,
  type Sourced,
} from "./levels.js";
import { DEFAULT_STALE_DAYS, staleDays } from "./limits.js";
import type { Loaded, Manifest, OrgPolicy, Outcome, ReleaseSource, Waiver } from "./manifest.js";
import type { SourceProblem } from "./problem.js";
import { type WaiverPolicy, waiverPolicyOf, waiverProblem } from "./waiver-policy.js";
import type { YamlSource } from "./yaml-source.js";

export type { EffectiveCampaign, Origin, RuleLevel, Sourced };

export interface EffectiveOutcome extends Outcome {
  status: "active" | "achieved" | "dropped";
  from: Origin;
  location?: SourceLocation;
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
  team?: { name: string; github: string; productManager?: string; designer?: string; techLead?: string };
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

export const DEFAULT_CADENCE = "14d";

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

  const cadence = resolveCadence(manifest, policy, mSource, pSource, violations);

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
  for (const [id, from] of INHERITED)
    if (levels[id] === levels[from])
      for (const w of waivers.filter((x) => x.rule === from)) waivers.push({ ...w, rule: id });

  const outcomes = new Map<string, EffectiveOutcome>();
  (policy?.outcomes ?? []).forEach((o, i) => {
    outcomes.set(o.id.toLowerCase(), {
      ...o,
      status: o.status ?? "active",
      from: "policy",
      ...at(pSource, ["outcomes", i]),
    });
  });
  (manifest?.outcomes ?? []).forEach((o, i) => {
    outcomes.set(o.id.toLowerCase(), {
      ...o,
      status: o.status ?? "active",
      from: "manifest",
      ...at(mSource, ["outcomes", i]),
    });
  });

  const union = (a: string[] | undefined, b: string[] | undefined) => [
    ...new Set([...(a ?? []), ...(b ?? [])]),
  ];
  const release = manifest?.release;
  const team = manifest?.team;

  return {
    levels,
    locked,
    campaigns: campaignsOf(policy, pSource),
    cadence,
    releaseSource: release?.source
      ? { value: release.source, from: "manifest", ...at(mSource, ["release", "source"]) }
      : { value: "releases", from: "default" },
    tagPattern: release?.tag_pattern
      ? { value: release.tag_pattern, from: "manifest", ...at(mSource, ["release", "tag_pattern"]) }
      : { value: undefined, from: "default" },
    environment: release?.environment
      ? { value: release.environment, from: "manifest", ...at(mSource, ["release", "environment"]) }
      : { value: "production", from: "default" },
    outcomes: [...outcomes.values()],
    staleDays: policy?.limits?.["outcome.stale"]
      ? { value: staleDays(policy), from: "policy", ...at(pSource, ["limits", "outcome.stale"]) }
      : { value: DEFAULT_STALE_DAYS, from: "default" },
    exemptLabels: union(policy?.exemptions?.labels, manifest?.exemptions?.labels),
    exemptAuthors: union(policy?.exemptions?.authors, manifest?.exemptions?.authors),
    waivers,
    waiverPolicy,
    ...(policy?.governance_team ? { governanceTeam: policy.governance_team } : {}),
    ...(manifest ? { manifest } : {}),
    ...(team
      ? {
          team: {
            name: team.name,
            github: team.github,
            ...optional("productManager", normaliseLogin(team.product_manager)),
            ...optional("designer", normaliseLogin(team.designer)),
            ...optional("techLead", normaliseLogin(team.tech_lead)),
          },
        }
      : {}),
    ...(mSource ? { manifestSource: mSource } : {}),
    violations,
  };
}

function resolveCadence(
  manifest: Manifest | undefined,
  policy: OrgPolicy | undefined,
  mSource: YamlSource | undefined,
  pSource: YamlSource | undefined,
  violations: SourceProblem[],
): Sourced<{ text: string; ms: number }> {
  const parse = (text: string) => {
    const parsed = parseDuration(text);
    return parsed.ok ? { text: parsed.text, ms: parsed.ms } : undefined;
  };
  const declared = manifest?.release?.cadence ? parse(manifest.release.cadence) : undefined;
  let cadence: Sourced<{ text: string; ms: number }> = declared
    ? { value: declared, from: "manifest", ...at(mSource, ["release", "cadence"]) }
    : { value: parse(DEFAULT_CADENCE) ?? { text: DEFAULT_CADENCE, ms: 14 * 86_400_000 }, from: "default" };
  const max = policy?.release?.max_cadence ? parse(policy.release.max_cadence) : undefined;
  if (max && cadence.value.ms > max.ms) {
    if (cadence.from === "manifest") {
      violations.push({
        ...(cadence.location ?? { file: "pom.yml", line: 1, column: 1 }),
        message: `release.cadence is ${cadence.value.text}, slower than the org policy allows (release.max_cadence ${max.text})`,
        hint: `declare a cadence of at most ${max.text}`,
        path: "release.cadence",
      });
    }
    cadence = { value: max, from: "policy", ...at(pSource, ["release", "max_cadence"]) };
  }
  return cadence;
}

function at(source: YamlSource | undefined, path: (string | number)[]): { location?: SourceLocation } {
  return source ? { location: source.locate(path) } : {};
}

/** Strips the optional leading "@" of a GitHub login. */
function normaliseLogin(login: string | undefined): string | undefined {
  return login?.replace(/^@/, "");
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
