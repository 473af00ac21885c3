/**
 * A synthetic organization for the insights tests against the fake GitHub: `count` repositories
 * whose release rhythm, ownership and pull requests are chosen so that the report's figures can
 * be worked out by hand (see the expectations beside each choice).
 */
import type { FakeSeed, SeedRepo } from "../../../../testkit/fake-github/server.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Days between releases by `i % 3`: 45, 13 and 5 deployment days in 90: high, high, medium. */
export const RHYTHM = [2, 7, 20] as const;

/** Every tenth repository (i % 10 === 9) has no manifest: the org has no policy, so it is not governed. */
export const governed = (i: number) => i % 10 !== 9;

export const repoName = (i: number) => `svc-${String(i).padStart(2, "0")}`;

function manifest(i: number): string {
  return `version: 1
product:
  name: Service ${i}
team:
  name: Team ${i % 3}
  github: acme/team-${i % 3}
  product_manager: pm${i % 3}
  designer: ux${i % 3}
  tech_lead: tl${i % 3}
release:
  cadence: 14d
  source: releases
outcomes:
  - id: CHK-12
    title: Cut checkout abandonment
    metric: abandonment
    target: "55%"
  - id: OKR-3
    title: Grow activation
    metric: activation
    target: "40%"
  - id: OLD-1
    title: A goal already reached
    status: achieved
exemptions:
  authors: ["dependabot[bot]"]
`;
}

/**
 * Each governed repository has six pull requests merged in the window, merged 3, 10, 17, 24, 31
 * and 38 days (and 6 hours) before `now`: #1 names CHK-12 in its title, #2 has the label
 * outcome:OKR-3, #3 closes an issue that names CHK-12, #4 is dependabot's (exempt), #5 names
 * nothing and #6 names the achieved OLD-1 (both untraced). One more was merged 120 days back
 * (outside the window) and one is still open. Releases are published at `now` − (1 + k·rhythm) days.
 */
function repo(i: number, now: Date): SeedRepo {
  const name = repoName(i);
  const at = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * HOUR).toISOString();
  const rhythm = RHYTHM[i % 3] as number;
  const releases = [];
  for (let days = 1; days <= 130; days += rhythm)
    releases.push({ tag: `v1.${releases.length}.0`, publishedAt: at(days) });
  const merged = [3, 10, 17, 24, 31, 38];
  return {
    owner: "acme",
    name,
    files: governed(i)
      ? { ".github/pom.yml": manifest(i), ".github/CODEOWNERS": `* @acme/team-${i % 3}\n` }
      : { "README.md": "hi\n" },
    commits: [{ message: "Initial commit", date: at(200) }],
    releases: governed(i) ? releases : [],
    issues: [
      { number: 100, title: "Checkout drops carts", body: "## Problem\nCarts vanish.\n\nServes CHK-12." },
    ],
    pulls: [
      {
        number: 1,
        title: "CHK-12: one-page checkout",
        mergedAt: at(merged[0] as number, 6),
        state: "closed",
      },
      {
        number: 2,
        title: "Faster signup",
        labels: ["outcome:OKR-3"],
        mergedAt: at(merged[1] as number, 6),
        state: "closed",
      },
      {
        number: 3,
        title: "Keep carts",
        body: "Fixes #100",
        closingIssues: [100],
        mergedAt: at(merged[2] as number, 6),
        state: "closed",
      },
      {
        number: 4,
        title: "Bump yaml",
        author: "dependabot[bot]",
        mergedAt: at(merged[3] as number, 6),
        state: "closed",
      },
      { number: 5, title: "Refactor the cart", mergedAt: at(merged[4] as number, 6), state: "closed" },
      { number: 6, title: "More of OLD-1", mergedAt: at(merged[5] as number, 6), state: "closed" },
      { number: 7, title: "CHK-12 long ago", mergedAt: at(120, 6), state: "closed" },
      { number: 8, title: "CHK-12 still open" },
    ],
  };
}

/**
 * The organization: `count` repositories and three teams. team-0 and team-1 can push to their
 * repositories; team-2 only reads its own, so ownership.team fails for i % 3 === 2.
 */
export function orgSeed(count: number, now: Date): FakeSeed {
  const teams = [0, 1, 2].map((t) => ({
    org: "acme",
    slug: `team-${t}`,
    members: [`pm${t}`, `ux${t}`, `tl${t}`, `dev${t}`],
    repos: Object.fromEntries(
      Array.from({ length: count }, (_, i) => i)
        .filter((i) => i % 3 === t)
        .map((i) => [`acme/${repoName(i)}`, t === 2 ? ("pull" as const) : ("push" as const)]),
    ),
  }));
  return { repos: Array.from({ length: count }, (_, i) => repo(i, now)), teams };
}
