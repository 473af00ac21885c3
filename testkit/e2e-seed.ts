/**
 * The fake GitHub the end-to-end test runs against: the org `acme` with
 * - acme/checkout: a governed repository that complies with every repository rule (PRs, issues, pushes);
 * - acme/service: complies with everything but release.cadence (its latest release is 40 days old);
 * - acme/sandbox: where every example payload is delivered, with the issue, pull request and tag they name.
 * Two GitHub Apps share the org: app 1 (installation 1, every repository) handles webhooks, and
 * app 2 (installation 2, acme/service only) runs the scheduled sweeps.
 */
import type { KeyObject } from "node:crypto";
import type { FakeSeed, SeedRepo } from "./fake-github/server.js";
import { shaOf } from "./fake-github/server.js";
import type { Payload } from "./webhooks.js";

const DAY = 86_400_000;
const ago = (now: number, ms: number) => new Date(now - ms).toISOString();

export const CHECKOUT = { owner: "acme", name: "checkout", defaultBranch: "main" };
export const SERVICE = { owner: "acme", name: "service", defaultBranch: "main" };
export const SANDBOX = { owner: "acme", name: "sandbox", defaultBranch: "master" };

export const CHECKOUT_MANIFEST = `version: 1
product:
  name: Checkout
team:
  name: Payments
  github: acme/payments
  product_manager: alice
  designer: bob
  tech_lead: carol
release:
  cadence: 14d
  source: releases
outcomes:
  - id: CHK-12
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

export const SERVICE_MANIFEST = `version: 1
product:
  name: Public API
team:
  name: Platform
  github: acme/platform
  product_manager: dana
  designer: eli
  tech_lead: fay
release:
  cadence: 14d
  source: releases
  tag_pattern: "v*"
outcomes:
  - id: SVC-1
    title: Halve the p95 latency of the public API
    metric: p95_latency_ms
    target: "150"
    status: active
`;

const SANDBOX_MANIFEST = `version: 1
product:
  name: Sandbox
team:
  name: Discovery
  github: acme/discovery
outcomes:
  - id: OKR-3
    title: Half of searches end in a click on the first page
    metric: first_page_click_rate
    target: 0.5
`;

/** Pull requests and issues of acme/checkout the scenarios use. */
export const PR_COMPLIANT = {
  number: 7,
  title: "CHK-12: one-page address form",
  headSha: shaOf("checkout pr 7"),
};
export const PR_NONCOMPLIANT = {
  number: 8,
  title: "Refactor the address form",
  headSha: shaOf("checkout pr 8"),
};
export const ISSUE_NO_OUTCOME = {
  number: 9,
  title: "The pay button is hard to find",
  body: "## Problem\nPeople scroll past the pay button on small screens.",
};

function checkout(now: number): SeedRepo {
  const commits = [
    { message: "Initial commit", date: ago(now, 30 * DAY) },
    { message: "Merge pull request #5 from acme/wallets", date: ago(now, 3 * DAY) },
  ];
  const head = shaOf("checkout head");
  return {
    ...CHECKOUT,
    files: {
      ".github/pom.yml": CHECKOUT_MANIFEST,
      ".github/CODEOWNERS": "* @acme/payments\n",
    },
    commits: [...commits, { sha: head, message: "Release 3.1.0", date: ago(now, 2 * DAY) }],
    releases: [{ tag: "v3.1.0", publishedAt: ago(now, 2 * DAY), body: "Wallets for CHK-12" }],
    pulls: [
      {
        ...PR_COMPLIANT,
        body: "Moves the address form onto the payment page. Fixes #9",
        files: ["src/address.ts"],
        closingIssues: [ISSUE_NO_OUTCOME.number],
      },
      { ...PR_NONCOMPLIANT, body: "Tidies the form code. Fixes #99", files: ["src/address.ts"] },
    ],
    issues: [ISSUE_NO_OUTCOME],
  };
}

export const SERVICE_OLD_RELEASE_DAYS = 40;

function service(now: number): SeedRepo {
  const released = shaOf("service v1.0.0");
  return {
    ...SERVICE,
    files: {
      ".github/pom.yml": SERVICE_MANIFEST,
      ".github/CODEOWNERS": "# owners\n* @acme/platform\n",
    },
    commits: [
      { message: "Initial commit", date: ago(now, 60 * DAY) },
      { sha: released, message: "Add a health endpoint (#3)", date: ago(now, 41 * DAY) },
    ],
    tags: { "v1.0.0": released },
    releases: [
      { tag: "v1.0.0", publishedAt: ago(now, SERVICE_OLD_RELEASE_DAYS * DAY), body: "First release" },
    ],
  };
}

/** acme/sandbox with what the example payloads refer to: their issues, pull requests and release tags. */
function sandbox(now: number, examples: Payload[]): SeedRepo {
  const pulls = new Map<number, Payload>();
  const issues = new Map<number, Payload>();
  const tags = new Set<string>();
  for (const p of examples) {
    if (p.pull_request?.number) pulls.set(p.pull_request.number, p.pull_request);
    for (const pr of p.check_suite?.pull_requests ?? []) if (!pulls.has(pr.number)) pulls.set(pr.number, pr);
    if (p.issue?.number) issues.set(p.issue.number, p.issue);
    if (p.release?.tag_name) tags.add(p.release.tag_name);
  }
  for (const n of pulls.keys()) issues.delete(n);
  const head = shaOf("sandbox head");
  return {
    ...SANDBOX,
    files: { ".github/pom.yml": SANDBOX_MANIFEST },
    commits: [{ sha: head, message: "Initial commit", date: ago(now, 10 * DAY) }],
    tags: Object.fromEntries([...tags].map((t) => [t, head])),
    releases: [...tags].map((tag) => ({ tag, publishedAt: ago(now, 10 * DAY) })),
    pulls: [...pulls.values()].map((pr) => ({
      number: pr.number,
      title: pr.title ?? `Pull request ${pr.number}`,
      body: pr.body ?? null,
      headSha: pr.head?.sha ?? shaOf(`sandbox pr ${pr.number}`),
      headRef: pr.head?.ref ?? "changes",
      files: ["README.md"],
    })),
    issues: [...issues.values()].map((i) => ({ number: i.number, title: i.title, body: i.body ?? null })),
  };
}

export function e2eSeed(options: {
  now: number;
  publicKey: KeyObject | string;
  examples: Payload[];
}): FakeSeed {
  const { now, publicKey, examples } = options;
  return {
    apps: [
      { id: 1, publicKey },
      { id: 2, publicKey },
    ],
    installations: [
      { id: 1, appId: 1, account: "acme" },
      { id: 2, appId: 2, account: "acme", repositories: ["acme/service"] },
    ],
    repos: [checkout(now), service(now), sandbox(now, examples)],
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["alice", "bob", "carol", "dave"],
        repos: { "acme/checkout": "push" },
      },
      {
        org: "acme",
        slug: "platform",
        members: ["dana", "eli", "fay"],
        repos: { "acme/service": "maintain" },
      },
    ],
  };
}
