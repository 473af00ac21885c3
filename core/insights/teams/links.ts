/**
 * Links to the evidence of team figures: repositories, pull requests, releases, teams, manifests.
 * A repository named without an owner (a checkout's directory, offline) links nowhere: its name
 * stands as the evidence.
 */

export interface Links {
  /** The web address of the GitHub server, without a trailing slash. */
  web: string;
}

export const GITHUB_WEB: Links = { web: "https://github.com" };

const owned = (repo: string) => /^[^/\s]+\/[^/\s]+$/.test(repo);
const path = (repo: string) =>
  repo
    .split("/")
    .map((p) => encodeURIComponent(p))
    .join("/");

export function repoLink(links: Links, repo: string): string {
  return owned(repo) ? `${links.web}/${path(repo)}` : repo;
}

export function pullLink(links: Links, repo: string, number: number): string {
  return owned(repo) ? `${links.web}/${path(repo)}/pull/${number}` : `${repo}#${number}`;
}

export function releaseLink(links: Links, repo: string, tag: string): string {
  return owned(repo)
    ? `${links.web}/${path(repo)}/releases/tag/${encodeURIComponent(tag)}`
    : `${repo}@${tag}`;
}

/** A repository's manifest on its default branch (`.github/pom.yml`). */
export function manifestLink(links: Links, repo: string): string {
  return owned(repo) ? `${links.web}/${path(repo)}/blob/HEAD/.github/pom.yml` : `${repo}/.github/pom.yml`;
}

/** A team's page: `org/slug` → /orgs/org/teams/slug. */
export function teamLink(links: Links, team: string): string {
  const [org, slug] = team.split("/");
  return org && slug
    ? `${links.web}/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(slug)}`
    : team;
}
