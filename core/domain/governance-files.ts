/**
 * The governance files: the manifest, CODEOWNERS and, in the org's `.github` repository, the org
 * policy. A pull request that changes one changes the gate itself (rule `manifest.protected`);
 * what its proposal changes of ownership and of the waivers decides who must approve it.
 */
import type { GovernanceChanges } from "../engine/facts.js";
import { type Loaded, MANIFEST_PATHS, type Manifest, POLICY_PATH } from "../manifest/manifest.js";
import { waiverKey } from "../manifest/waiver-policy.js";
import { CODEOWNERS_PATHS } from "./codeowners.js";

/** The repository that holds an organization's policy. */
export const POLICY_REPOSITORY = ".github";

/**
 * The governance files of repository `repo`, in the order GitHub and the app look for them.
 *
 * @example governancePaths(".github") // [".github/pom.yml", "pom.yml", ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".github/pom-policy.yml"]
 */
export function governancePaths(repo: string, manifestPaths: readonly string[] = MANIFEST_PATHS): string[] {
  return [
    ...manifestPaths,
    ...CODEOWNERS_PATHS,
    ...(repo.toLowerCase() === POLICY_REPOSITORY ? [POLICY_PATH] : []),
  ];
}

const sameTeam = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/**
 * What a pull request's changed governance files amount to: `paths` (as changed), the manifest as
 * it proposes it (when it changes the manifest) against the default branch's.
 *
 * @example governanceChangesOf([".github/pom.yml"], current, proposed).teamChanges // true when team.github differs
 */
export function governanceChangesOf(
  paths: readonly string[],
  current: Loaded<Manifest> | null,
  proposed: Loaded<Manifest> | undefined,
  manifestPaths: readonly string[] = MANIFEST_PATHS,
): GovernanceChanges {
  const changesManifest = proposed !== undefined || paths.some((p) => manifestPaths.includes(p));
  const before = current?.ok ? current.value.team.github : undefined;
  const after = proposed?.ok ? proposed.value.team?.github : undefined;
  return {
    paths: [...paths],
    // An invalid or deleted proposal names no team: as much a change of owner as naming another.
    teamChanges: changesManifest && !(after !== undefined && sameTeam(before, after)),
    ...(changesManifest && after ? { proposedTeam: after } : {}),
    policyChanges: paths.includes(POLICY_PATH),
  };
}

/**
 * The waivers `proposed` adds or extends (a rule and dates `current` does not have), by index.
 *
 * @example addedWaivers(current, proposed) // [{ index: 0, rule: "release.cadence", until: "2027-01-31", … }]
 */
export function addedWaivers(
  current: Loaded<Manifest> | null,
  proposed: Loaded<Manifest> | undefined,
): { index: number; rule: string; until: string }[] {
  if (!proposed?.ok) return [];
  const before = new Set((current?.ok ? (current.value.waivers ?? []) : []).map(waiverKey));
  return (proposed.value.waivers ?? []).flatMap((w, index) =>
    before.has(waiverKey(w)) ? [] : [{ index, rule: w.rule, until: w.until }],
  );
}

/**
 * The repository path of a manifest from the name a loader gave it (the CLI shows paths relative
 * to where it runs): the manifest path it ends with, else the name itself.
 *
 * @example manifestRepoPath("checkout/.github/pom.yml") // ".github/pom.yml"
 */
export function manifestRepoPath(file: string): string {
  return MANIFEST_PATHS.find((p) => file === p || file.endsWith(`/${p}`)) ?? file;
}
