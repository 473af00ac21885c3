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

/**
 * Who owns what in a manifest: the single form's team at "/", or each product's team by its name.
 *
 * @example owners(manifest) // Map { "Checkout" => "acme/payments", "Search" => "acme/discovery" }
 */
export function owners(manifest: Manifest): Map<string, string> {
  if (manifest.products)
    return new Map(manifest.products.map((p) => [p.name, (p.team?.github ?? "").toLowerCase()]));
  return new Map([["/", (manifest.team?.github ?? "").toLowerCase()]]);
}

const sameOwners = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/**
 * What a pull request's changed governance files amount to: `paths` (as changed), the manifest as
 * it proposes it (when it changes the manifest) against the default branch's. With products, a
 * change of any product's team (or a product added or removed) is a change of owner.
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
  const before = current?.ok ? owners(current.value) : undefined;
  const after = proposed?.ok ? owners(proposed.value) : undefined;
  const named = after
    ? [...after.values()].find((t) => t !== "" && ![...(before?.values() ?? [])].includes(t))
    : undefined;
  const first = after ? [...after.values()].find((t) => t !== "") : undefined;
  return {
    paths: [...paths],
    // An invalid or deleted proposal names no team: as much a change of owner as naming another.
    teamChanges:
      changesManifest && !(after !== undefined && before !== undefined && sameOwners(before, after)),
    ...(changesManifest && (named ?? first) ? { proposedTeam: (named ?? first) as string } : {}),
    policyChanges: paths.includes(POLICY_PATH),
  };
}

/**
 * The teams of the products whose declaration `proposed` changes (added, removed or edited), or of
 * every product when it changes none (a change of the rules or waivers concerns them all).
 *
 * @example changedProductTeams(current, proposed) // ["acme/discovery"]
 */
export function changedProductTeams(current: Manifest, proposed: Manifest | undefined): string[] {
  const all = [...new Set(owners(current).values())].filter(Boolean);
  if (!proposed?.products || !current.products) return all;
  const before = new Map(current.products.map((p) => [p.name, JSON.stringify(p)]));
  const after = new Map(proposed.products.map((p) => [p.name, JSON.stringify(p)]));
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (n) => before.get(n) !== after.get(n),
  );
  const teams = current.products
    .filter((p) => changed.includes(p.name))
    .map((p) => p.team.github.toLowerCase());
  return teams.length > 0 ? [...new Set(teams)] : all;
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
