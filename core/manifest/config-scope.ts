/**
 * The part of the effective configuration that belongs to one product: its team, its cadence
 * (within the org's `max_cadence`), where its releases come from, and the outcomes it may trace
 * to. The single form of the manifest declares it at the top; a manifest with products, once per
 * product at `products[i]`.
 */
import type { SourceLocation } from "../engine/types.js";
import { parseDuration } from "./duration.js";
import type { Origin, Sourced } from "./levels.js";
import type { SourceProblem } from "./problem.js";
import type { OrgPolicy, Outcome, ReleaseDeclaration, ReleaseSource, TeamDeclaration } from "./types.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

export type { Origin, Sourced } from "./levels.js";

export interface EffectiveOutcome extends Outcome {
  status: "active" | "achieved" | "dropped";
  from: Origin;
  location?: SourceLocation;
}

export interface EffectiveTeam {
  name: string;
  github: string;
  productManager?: string;
  designer?: string;
  techLead?: string;
}

/** What one product's configuration holds of its own. */
export interface ScopeParts {
  cadence: Sourced<{ text: string; ms: number }>;
  releaseSource: Sourced<ReleaseSource>;
  tagPattern: Sourced<string | undefined>;
  environment: Sourced<string>;
  outcomes: EffectiveOutcome[];
  team?: EffectiveTeam;
}

/** A product's declarations (or the single form's), and the path they are at in the file. */
export interface Declaration {
  team?: TeamDeclaration;
  release?: ReleaseDeclaration;
  /** Its outcomes, each list with the path it is at (the top's: every product's). */
  outcomeLists: { at: PathSegment[]; outcomes: Outcome[] | undefined }[];
  at: PathSegment[];
}

export interface ScopeSources {
  policy: OrgPolicy | undefined;
  mSource: YamlSource | undefined;
  pSource: YamlSource | undefined;
  /** Where violations of the org policy (a cadence over max_cadence) are collected. */
  violations: SourceProblem[];
}

export const DEFAULT_CADENCE = "14d";

/** A product's scope: its declarations over the defaults, with the org's outcomes and max cadence. */
export function scopeParts(declaration: Declaration, sources: ScopeSources): ScopeParts {
  const { mSource } = sources;
  const { release, team, at: base } = declaration;
  const outcomes = new Map<string, EffectiveOutcome>();
  (sources.policy?.outcomes ?? []).forEach((o, i) => {
    outcomes.set(o.id.toLowerCase(), {
      ...o,
      status: o.status ?? "active",
      from: "policy",
      ...at(sources.pSource, ["outcomes", i]),
    });
  });
  for (const list of declaration.outcomeLists) {
    (list.outcomes ?? []).forEach((o, i) => {
      outcomes.set(o.id.toLowerCase(), {
        ...o,
        status: o.status ?? "active",
        from: "manifest",
        ...at(mSource, [...list.at, i]),
      });
    });
  }
  return {
    cadence: resolveCadence(declaration, sources),
    releaseSource: release?.source
      ? { value: release.source, from: "manifest", ...at(mSource, [...base, "release", "source"]) }
      : { value: "releases", from: "default" },
    tagPattern: release?.tag_pattern
      ? { value: release.tag_pattern, from: "manifest", ...at(mSource, [...base, "release", "tag_pattern"]) }
      : { value: undefined, from: "default" },
    environment: release?.environment
      ? { value: release.environment, from: "manifest", ...at(mSource, [...base, "release", "environment"]) }
      : { value: "production", from: "default" },
    outcomes: [...outcomes.values()],
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
  };
}

function resolveCadence(
  declaration: Declaration,
  { policy, mSource, pSource, violations }: ScopeSources,
): Sourced<{ text: string; ms: number }> {
  const parse = (text: string) => {
    const parsed = parseDuration(text);
    return parsed.ok ? { text: parsed.text, ms: parsed.ms } : undefined;
  };
  const base = declaration.at;
  const declaredText = declaration.release?.cadence;
  const declared = declaredText ? parse(declaredText) : undefined;
  let cadence: Sourced<{ text: string; ms: number }> = declared
    ? { value: declared, from: "manifest", ...at(mSource, [...base, "release", "cadence"]) }
    : { value: parse(DEFAULT_CADENCE) ?? { text: DEFAULT_CADENCE, ms: 14 * 86_400_000 }, from: "default" };
  const max = policy?.release?.max_cadence ? parse(policy.release.max_cadence) : undefined;
  if (max && cadence.value.ms > max.ms) {
    if (cadence.from === "manifest") {
      const path = [...base, "release", "cadence"]
        .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
        .join("")
        .slice(1);
      violations.push({
        ...(cadence.location ?? { file: "pom.yml", line: 1, column: 1 }),
        message: `${path} is ${cadence.value.text}, slower than the org policy allows (release.max_cadence ${max.text})`,
        hint: `declare a cadence of at most ${max.text}`,
        path,
      });
    }
    cadence = { value: max, from: "policy", ...at(pSource, ["release", "max_cadence"]) };
  }
  return cadence;
}

export function at(source: YamlSource | undefined, path: PathSegment[]): { location?: SourceLocation } {
  return source ? { location: source.locate(path) } : {};
}

/** Strips the optional leading "@" of a GitHub login. */
function normaliseLogin(login: string | undefined): string | undefined {
  return login?.replace(/^@/, "");
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
