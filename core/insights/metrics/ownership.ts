/**
 * Ownership coverage of one repository, read from its repository findings: is there a valid
 * manifest, does the team exist with write access, are the three roles filled by team members,
 * does CODEOWNERS agree. `unknown` is never counted as covered. Definitions: docs/metrics.md.
 */
import type { Finding, Status } from "../../engine/types.js";
import { ruleStatus } from "./status.js";

export const OWNERSHIP_RULES = [
  "manifest.valid",
  "ownership.team",
  "ownership.roles",
  "ownership.codeowners",
] as const;

export type OwnershipRule = (typeof OWNERSHIP_RULES)[number];

export type ManifestState = "valid" | "invalid" | "absent" | "unknown";

export interface OwnershipInput {
  /** The repository's findings (a `repo` evaluation). */
  findings: readonly Finding[];
  /** Whether the repository has a manifest, when the caller knows; otherwise read from the findings. */
  hasManifest?: boolean;
}

export interface OwnershipCoverage {
  manifest: ManifestState;
  /** Each rule's status (the worst of its findings); null when it was not evaluated. */
  rules: Record<OwnershipRule, Status | null>;
  /** How many of the four rules pass. */
  passed: number;
  /** All four pass. */
  complete: boolean;
}

/**
 * The ownership coverage of one repository.
 *
 * @example ownershipCoverage({ findings, hasManifest: true }).complete // false
 */
export function ownershipCoverage(input: OwnershipInput): OwnershipCoverage {
  const rules = Object.fromEntries(OWNERSHIP_RULES.map((r) => [r, ruleStatus(input.findings, r)])) as Record<
    OwnershipRule,
    Status | null
  >;
  const passed = OWNERSHIP_RULES.filter((r) => rules[r] === "pass").length;
  return {
    manifest: manifestState(input, rules["manifest.valid"]),
    rules,
    passed,
    complete: passed === OWNERSHIP_RULES.length,
  };
}

function manifestState(input: OwnershipInput, valid: Status | null): ManifestState {
  if (input.hasManifest === false) return "absent";
  if (valid === "pass") return "valid";
  if (valid === "fail") return "invalid";
  if (valid !== null) return "unknown";
  const present = ruleStatus(input.findings, "manifest.present");
  if (input.hasManifest === undefined && (present === "fail" || present === "waived")) return "absent";
  return "unknown";
}
