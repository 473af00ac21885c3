/**
 * A sweep's snapshot of the owning teams for the durability history: each team a judged manifest
 * names in this account, with its direct members as the sweep's team batches read them (no read
 * of its own) and the trio the manifests name.
 */
import { type TeamState, TRIO_ROLES, type Trio } from "../../core/insights/teams/history.js";
import type { Manifest } from "../../core/manifest/manifest.js";
import type { OwnerTeams } from "../read/repo-batch.js";

const login = (name: string | undefined) => (name ? name.replace(/^@/, "") : undefined);

/**
 * The owning teams of `org`, from the manifests of the repositories judged (each product's team of
 * a manifest with products; in name order: the first manifest naming a trio for a team gives it) and the teams the sweep read. A team the
 * org does not have is left out, and one the sweep did not list (over 100 teams, listed only as
 * far as the repositories needed) is named in `unlisted`, to be kept as it was; undefined when the
 * sweep could not read the teams at all (no snapshot then: an empty one would read as everyone
 * leaving).
 *
 * @example owningTeams("acme", [{ repo: "acme/checkout", manifest }], teams)
 */
export function owningTeams(
  org: string,
  manifests: readonly { repo: string; manifest: Manifest }[],
  teams: OwnerTeams | undefined,
): { teams: TeamState[]; unlisted: string[] } | undefined {
  if (!teams?.ok) return undefined;
  const unlisted = new Set<string>();
  const out = new Map<string, TeamState>();
  const sorted = [...manifests].sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  // A manifest with products names a team per product.
  const declared = sorted.flatMap(({ manifest }) =>
    manifest.products ? manifest.products.map((p) => p.team) : manifest.team ? [manifest.team] : [],
  );
  for (const team of declared) {
    const [owner = "", slug = ""] = team.github.toLowerCase().split("/");
    if (owner !== org.toLowerCase()) continue;
    const entry = teams.teams.get(slug);
    const key = `${owner}/${slug}`;
    if (!entry && !teams.complete) unlisted.add(key);
    if (!entry?.direct) continue;
    const trio: Trio = {};
    for (const role of TRIO_ROLES) {
      const who = login(team[role]);
      if (who) trio[role] = who;
    }
    const held = out.get(key);
    if (held && Object.keys(held.trio).length > 0) continue;
    out.set(key, { team: key, ...(entry.id ? { id: entry.id } : {}), members: [...entry.direct], trio });
  }
  return { teams: [...out.values()], unlisted: [...unlisted].filter((k) => !out.has(k)) };
}
