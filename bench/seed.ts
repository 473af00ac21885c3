/**
 * What the benchmarks run against: synthetic organizations on the fake GitHub.
 *
 * - `eventSeed`: the org `acme` with an org policy and `repos` governed repositories, each with a
 *   manifest, CODEOWNERS, two timely releases, a merged pull request, and a pool of pull requests
 *   and issues that the event scenarios use up one by one (so that a measured delivery is never
 *   answered from the work of the delivery before it, unless the scenario says so).
 * - `sweepSeed`: `repos` repositories spread over three organizations, one installation each;
 *   every tenth repository's latest release is 40 days old, so the sweep has tracking issues to
 *   open, and the rest comply.
 */
import type { FakeSeed, SeedRepo } from "../testkit/fake-github/server.js";
import { shaOf } from "../testkit/fake-github/server.js";
import type { SeedIssue, SeedPull } from "../testkit/fake-github/state.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const ORG = "acme";
export const TEAM = "payments";
export const OUTCOME = "CHK-12";
export const FEEDBACK_MARKER = "<!-- pom-governance:issue-feedback -->";
export const NEEDS_OUTCOME = "pom: needs outcome";

export function manifest(product: string, org = ORG): string {
  return `version: 1
product:
  name: ${product}
team:
  name: Payments
  github: ${org}/${TEAM}
  product_manager: alice
  designer: bob
  tech_lead: carol
release:
  cadence: 14d
  source: releases
outcomes:
  - id: ${OUTCOME}
    title: Cut checkout abandonment from 68% to 55%
    metric: checkout_abandonment_rate
    target: "55%"
    status: active
  - id: CHK-9
    title: Support wallets in every market
    metric: wallet_share_of_payments
    target: "30%"
    status: achieved
`;
}

export const POLICY = `version: 1
rules:
  release.cadence: error
  outcome.pull_request: error
locked: [release.cadence, outcome.pull_request]
release:
  max_cadence: 30d
`;

/** How many pull requests and issues of each kind a repository of `eventSeed` holds. */
export const POOL = 40;

/**
 * Numbering inside one repository of `eventSeed` (issues and pull requests share it, as on GitHub):
 * pull requests 1..POOL name the outcome in their title, POOL+1..2·POOL do not (their body says
 * `Fixes #<an issue that names it>`); then issues that name the outcome, issues that do not, and
 * issues that do not and already carry our label and sticky comment.
 */
export const NUMBERS = {
  pullWithOutcome: (i: number) => 1 + (i % POOL),
  pullWithout: (i: number) => 1 + POOL + (i % POOL),
  issueWithOutcome: (i: number) => 1 + 2 * POOL + (i % POOL),
  issueWithout: (i: number) => 1 + 3 * POOL + (i % POOL),
  issueFlagged: (i: number) => 1 + 4 * POOL + (i % POOL),
};

export const repoName = (i: number) => `svc-${String(i).padStart(3, "0")}`;

function governedRepo(owner: string, name: string, now: number, options: { late?: boolean } = {}): SeedRepo {
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const first = shaOf(`${owner}/${name} v1.0.0`);
  const released = options.late ? 40 * DAY : 2 * DAY;
  return {
    owner,
    name,
    files: { ".github/pom.yml": manifest(name, owner), ".github/CODEOWNERS": `* @${owner}/${TEAM}\n` },
    commits: [
      { sha: first, message: "Initial commit", date: ago(released + 12 * DAY) },
      { message: `Merge pull request #1 from ${owner}/address-form`, date: ago(released + HOUR) },
      { sha: shaOf(`${owner}/${name} head`), message: "Release", date: ago(released) },
    ],
    releases: [
      { tag: "v1.0.0", target: first, publishedAt: ago(released + 10 * DAY), body: "First cut" },
      { tag: "v1.1.0", publishedAt: ago(released), body: `A one-page address form, for ${OUTCOME}` },
    ],
  };
}

function pools(): { pulls: SeedPull[]; issues: SeedIssue[] } {
  const problem = "## Problem\nPeople scroll past the pay button on small screens.";
  const pulls: SeedPull[] = [];
  const issues: SeedIssue[] = [];
  for (let i = 0; i < POOL; i++) {
    const named = NUMBERS.issueWithOutcome(i);
    pulls.push({
      number: NUMBERS.pullWithOutcome(i),
      title: `${OUTCOME}: change ${i}`,
      body: "Moves the address form onto the payment page.",
      files: ["src/address.ts"],
    });
    pulls.push({
      number: NUMBERS.pullWithout(i),
      title: `Change ${i}`,
      body: `Tidies the form code. Fixes #${named}`,
      files: ["src/address.ts"],
      closingIssues: [named],
    });
  }
  for (let i = 0; i < POOL; i++) {
    issues.push({ number: NUMBERS.issueWithOutcome(i), title: `${OUTCOME}: pay button ${i}`, body: problem });
  }
  for (let i = 0; i < POOL; i++) {
    issues.push({ number: NUMBERS.issueWithout(i), title: `Pay button ${i}`, body: problem });
  }
  for (let i = 0; i < POOL; i++) {
    issues.push({
      number: NUMBERS.issueFlagged(i),
      title: `Pay button, flagged ${i}`,
      body: problem,
      labels: [NEEDS_OUTCOME],
      comments: [{ body: `${FEEDBACK_MARKER}\nan older wording`, author: "pom-governance[bot]" }],
    });
  }
  return { pulls, issues };
}

/** The org `acme` with an org policy and `repos` governed repositories (see the file comment). */
export function eventSeed(repos: number, now: number, publicKey: string): FakeSeed {
  const { pulls, issues } = pools();
  const names = Array.from({ length: repos }, (_, i) => repoName(i));
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: ORG }],
    repos: [
      { owner: ORG, name: ".github", files: { ".github/pom-policy.yml": POLICY } },
      ...names.map((name) => ({ ...governedRepo(ORG, name, now), pulls, issues })),
    ],
    teams: [
      {
        org: ORG,
        slug: TEAM,
        members: ["alice", "bob", "carol", "dave"],
        repos: Object.fromEntries(names.map((n) => [`${ORG}/${n}`, "push" as const])),
      },
    ],
  };
}

export const SWEEP_ORGS = ["north", "south", "east"];

/** `repos` repositories over three organizations, one installation each (see the file comment). */
export function sweepSeed(repos: number, now: number, publicKey: string): FakeSeed {
  const byOrg = SWEEP_ORGS.map((org, o) => {
    const names = Array.from({ length: repos }, (_, i) => i)
      .filter((i) => i % SWEEP_ORGS.length === o)
      .map((i) => ({ name: repoName(i), late: i % 10 === 9 }));
    return { org, names };
  });
  return {
    apps: [{ id: 1, publicKey }],
    installations: SWEEP_ORGS.map((account, i) => ({ id: i + 1, appId: 1, account })),
    repos: byOrg.flatMap(({ org, names }) =>
      names.map(({ name, late }) => governedRepo(org, name, now, { late })),
    ),
    teams: byOrg.map(({ org, names }) => ({
      org,
      slug: TEAM,
      members: ["alice", "bob", "carol", "dave"],
      repos: Object.fromEntries(names.map(({ name }) => [`${org}/${name}`, "push" as const])),
    })),
  };
}
