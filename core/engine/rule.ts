/**
 * What a rule is. A rule says which subjects it applies to and which facts it reads, and turns
 * them into results; the engine adds levels, exemptions and waivers.
 */
import type { EffectiveConfig } from "../manifest/config.js";
import type { Loaded, Manifest, OrgPolicy } from "../manifest/manifest.js";
import { FACT_NAMES, type Fact, type FactKey, type Facts } from "./facts.js";
import type { Level, RuleId, SourceLocation, Status, SubjectKind } from "./types.js";

/** What a rule returns: a finding without its level (severity comes from configuration). */
export interface RuleResult {
  status: Exclude<Status, "waived">;
  message: string;
  fix?: string;
  evidence?: string[];
  location?: SourceLocation;
  /** For `unknown`: this setup can never decide it (offline, a missing permission). */
  lasting?: boolean;
}

export interface RuleContext {
  subject: SubjectKind;
  config: EffectiveConfig;
  facts: Facts;
  /** Rule levels before any policy or manifest (from the registry). */
  defaults: Record<RuleId, Level>;
  /** The one clock of this evaluation. */
  now: Date;
  /** The default-branch manifest as loaded (null when the repository has none). */
  manifest: Loaded<Manifest> | null;
  policy: Loaded<OrgPolicy> | null;
  /** A manifest proposed by a pull request that edits it. */
  proposed?: Loaded<Manifest>;
  /** The value of a fact, or a thrown {@link FactUnavailable} that the engine reports as `unknown`. */
  need<K extends FactKey>(key: K): NonNullable<Facts[K]> extends Fact<infer T> ? T : never;
}

export interface Rule {
  id: RuleId;
  /** One line for listings. */
  title: string;
  subjects: readonly SubjectKind[];
  /** Facts the rule may read; runtimes gather only these. */
  facts: readonly FactKey[];
  /**
   * Facts the rule may read too in a repository with products (its files, a pull request's
   * changed files): never asked of a repository of the single form, whose costs stay as they were.
   */
  productFacts?: readonly FactKey[];
  defaultLevel: Level;
  /** Exempt labels and authors turn this rule into `skip` for pull requests and issues. */
  exemptable?: boolean;
  /**
   * Whether the rule judges each product of a manifest with products on its own (its team, its
   * releases, its outcomes), with the product's configuration and facts.
   */
  perProduct?: boolean;
  /** Whether the rule needs a valid manifest (all but the manifest rules do). */
  needsManifest?: boolean;
  /** For `pom explain`: what is checked, why it matters in the operating model, how to fix it. */
  explain: { checks: string; why: string; fix: string };
  /** Whether the rule has anything to say about this subject at all (default: yes). */
  appliesTo?(ctx: RuleContext): boolean;
  evaluate(ctx: RuleContext): RuleResult | RuleResult[];
}

/** The reason given for a fact a runtime did not gather (as opposed to one it failed to read). */
export const NOT_GATHERED = "it was not gathered";

/** Thrown by `ctx.need` when a fact is missing or could not be read. */
export class FactUnavailable extends Error {
  constructor(
    readonly key: FactKey,
    readonly reason: string,
    readonly permission?: string,
    readonly fix?: string,
    readonly lasting?: boolean,
  ) {
    super(`${FACT_NAMES[key]} could not be read: ${reason}`);
  }
}

/**
 * The `unknown` result for a fact that could not be read: what to grant, or to try again.
 * `message` replaces the default "… could not be read: reason".
 */
export function unknownResult(error: FactUnavailable, message: string = error.message): RuleResult {
  return {
    status: "unknown",
    message,
    fix:
      error.fix ??
      (error.permission
        ? `grant the token the "${error.permission}" permission, then run the check again`
        : "run the check again; if it persists, check the token and GitHub's status"),
    evidence: [error.permission ? `needs permission: ${error.permission}` : `fact: ${error.key}`],
    ...(error.lasting ? { lasting: true } : {}),
  };
}

/** Builds the `need` accessor over a facts object. */
export function factReader(facts: Facts): RuleContext["need"] {
  return ((key: FactKey) => {
    const fact = facts[key] as Fact<unknown> | undefined;
    if (!fact) throw new FactUnavailable(key, NOT_GATHERED);
    if (!fact.ok) throw new FactUnavailable(key, fact.reason, fact.permission, fact.fix, fact.lasting);
    return fact.value;
  }) as RuleContext["need"];
}
