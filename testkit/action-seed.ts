/**
 * What the action's end-to-end test runs against: the org `acme` on the fake GitHub, one
 * repository per scenario that changes state (so that runs can go in parallel), and real
 * webhook payloads (@octokit/webhooks-examples, read as JSON) moved onto those repositories the
 * way the runner writes them to GITHUB_EVENT_PATH (no `installation`: Actions payloads have none).
 *
 * - acme/checkout complies with every rule: team acme/payments (the trio are members) can push,
 *   CODEOWNERS names it, v3.1.0 came 10 days after v3.0.0 and 2 days ago, and its notes name
 *   CHK-12, which the released pull request #7 served.
 * - acme/service complies with everything but release.cadence: its only release is 40 days old.
 * - acme/late had its only release 40 days ago and has just published v1.1.0; an open tracking
 *   issue from the overdue period is waiting to be closed.
 * - acme/orphan names acme/payments, which has no access to it, and has no CODEOWNERS.
 * - acme/broken has a manifest with 13 unknown keys (13 located manifest.valid errors).
 * - acme/bare has no manifest (and acme has no org policy).
 */

import type { FakeGitHub, FakeSeed, SeedRepo } from "./fake-github/server.js";
import { shaOf } from "./fake-github/server.js";
import { exampleOf, examplesOf, openPullRequest, type Payload, retarget } from "./webhooks.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const OWNER = "acme";
export const TRACKING_LABEL = "pom-governance";
export const TRACKING_MARKER = "<!-- pom-governance:tracking -->";
export const FEEDBACK_MARKER = "<!-- pom-governance:issue-feedback -->";
export const NEEDS_OUTCOME = "pom: needs outcome";
export const CHECK_NAME = "POM governance";

/** The checkout manifest of the end-to-end seed: acme/payments, cadence 14d, CHK-12 active. */
import { CHECKOUT_MANIFEST } from "./e2e-seed.js";
import { MONOREPO_MANIFEST } from "./monorepo.js";

export { CHECKOUT_MANIFEST };

/** A manifest owned by acme/platform (dana, eli, fay), cadence 14d, releases tagged v*. */
export function platformManifest(product: string): string {
  return `version: 1
product:
  name: ${product}
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
}

/** The line (1-based) of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  return index + 1;
}

export const BROKEN_MANIFEST = `${CHECKOUT_MANIFEST}${Array.from({ length: 13 }, (_, i) => `extra_${i + 1}: ${i + 1}\n`).join("")}`;

/** Pull requests and issues of acme/checkout the scenarios use. */
export const PR_WITH_OUTCOME = {
  number: 7,
  title: "CHK-12: one-page address form",
  sha: shaOf("checkout pr 7"),
};
export const PR_WITHOUT_OUTCOME = {
  number: 8,
  title: "Refactor the address form",
  sha: shaOf("checkout pr 8"),
};
export const ISSUE_WITH_OUTCOME = { number: 9, title: "CHK-12: the pay button is hard to find" };
export const ISSUE_WITHOUT_OUTCOME = { number: 10, title: "The pay button is hard to find" };

export function actionSeed(now: number): FakeSeed {
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const checkoutV3 = shaOf("checkout initial");
  const checkout: SeedRepo = {
    owner: OWNER,
    name: "checkout",
    files: { ".github/pom.yml": CHECKOUT_MANIFEST, ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [
      { sha: checkoutV3, message: "Initial commit", date: ago(30 * DAY) },
      { message: "Merge pull request #7 from acme/address-form", date: ago(3 * DAY) },
      { sha: shaOf("checkout head"), message: "Release 3.1.0", date: ago(2 * DAY + HOUR) },
    ],
    releases: [
      { tag: "v3.0.0", target: checkoutV3, publishedAt: ago(12 * DAY), body: "First cut" },
      { tag: "v3.1.0", publishedAt: ago(2 * DAY), body: "A one-page address form, for CHK-12" },
    ],
    pulls: [
      {
        ...PR_WITH_OUTCOME,
        headSha: PR_WITH_OUTCOME.sha,
        body: "Moves the address form onto the payment page.",
        files: ["src/address.ts"],
        mergedAt: ago(3 * DAY),
        state: "closed",
      },
      {
        ...PR_WITHOUT_OUTCOME,
        headSha: PR_WITHOUT_OUTCOME.sha,
        body: "Tidies the form code.",
        files: ["src/address.ts"],
      },
    ],
    issues: [
      { ...ISSUE_WITH_OUTCOME, body: "## Problem\nPeople scroll past the pay button." },
      { ...ISSUE_WITHOUT_OUTCOME, body: "## Problem\nPeople scroll past the pay button." },
    ],
  };
  const platformRepo = (name: string, extra: Partial<SeedRepo>): SeedRepo => ({
    owner: OWNER,
    name,
    files: { ".github/pom.yml": platformManifest(name), ".github/CODEOWNERS": "* @acme/platform\n" },
    ...extra,
  });
  const serviceV1 = shaOf("service v1.0.0");
  const lateV1 = shaOf("late v1.0.0");
  return {
    repos: [
      checkout,
      platformRepo("service", {
        commits: [
          { message: "Initial commit", date: ago(60 * DAY) },
          { sha: serviceV1, message: "Add a health endpoint (#3)", date: ago(41 * DAY) },
        ],
        releases: [{ tag: "v1.0.0", target: serviceV1, publishedAt: ago(40 * DAY), body: "First release" }],
      }),
      platformRepo("late", {
        commits: [
          { sha: lateV1, message: "Initial commit", date: ago(41 * DAY) },
          { sha: shaOf("late head"), message: "Speed up the cache", date: ago(HOUR) },
        ],
        releases: [
          { tag: "v1.0.0", target: lateV1, publishedAt: ago(40 * DAY), body: "First release" },
          { tag: "v1.1.0", publishedAt: ago(60_000), body: "Faster cache, for SVC-1" },
        ],
        issues: [
          {
            title: "POM governance: 1 problem in this repository",
            body: `${TRACKING_MARKER}\n<!-- pom-governance:hash:0123456789abcdef -->\nrelease.cadence fails`,
            labels: [TRACKING_LABEL],
            author: "github-actions[bot]",
          },
        ],
      }),
      {
        owner: OWNER,
        name: "orphan",
        files: { ".github/pom.yml": CHECKOUT_MANIFEST },
        commits: [{ sha: shaOf("orphan head"), message: "Initial commit", date: ago(3 * DAY) }],
        releases: [{ tag: "v0.1.0", publishedAt: ago(3 * DAY) }],
      },
      {
        owner: OWNER,
        name: "broken",
        files: { ".github/pom.yml": BROKEN_MANIFEST },
        commits: [{ sha: shaOf("broken head"), message: "Initial commit", date: ago(3 * DAY) }],
      },
      { owner: OWNER, name: "bare", commits: [{ message: "Initial commit", date: ago(3 * DAY) }] },
      // Two products: Checkout released 3 days ago (14d cadence), Search 12 days ago (7d: overdue).
      {
        owner: OWNER,
        name: "shop",
        files: {
          ".github/pom.yml": MONOREPO_MANIFEST.replaceAll("source: tags", "source: releases"),
          ".github/CODEOWNERS":
            "* @acme/platform\nservices/checkout/ @acme/payments\nweb/checkout/ @acme/payments\nservices/search/ @acme/discovery\n",
        },
        commits: [{ message: "Initial commit", date: ago(30 * DAY) }],
        releases: [
          { tag: "checkout-v1.0.0", publishedAt: ago(3 * DAY) },
          { tag: "search-v1.0.0", publishedAt: ago(12 * DAY) },
        ],
      },
    ],
    teams: [
      {
        org: OWNER,
        slug: "payments",
        members: ["alice", "bob", "carol", "dave"],
        repos: { "acme/checkout": "push", "acme/shop": "push" },
      },
      {
        org: OWNER,
        slug: "discovery",
        members: ["dana", "erin", "frank"],
        repos: { "acme/shop": "push" },
      },
      {
        org: OWNER,
        slug: "platform",
        members: ["dana", "eli", "fay"],
        repos: { "acme/service": "maintain", "acme/late": "push" },
      },
    ],
    installations: [{ id: 1, account: OWNER }],
  };
}

/**
 * Makes installation `id` behave like Actions' GITHUB_TOKEN for `repository`: it sees that one
 * repository (REST and GraphQL) and no team of the org (every team route answers 404, as GitHub
 * answers a token without members:read). The fake scopes team routes by the installation's
 * account, so the installation gets an account of its own and a repository grant beside it.
 */
export function addActionsTokenInstallation(fake: FakeGitHub, id: number, repository: string): void {
  const { state } = fake;
  state.installations.set(id, {
    id,
    appId: 1,
    account: "github-actions",
    repositories: new Set(),
    permissions: {},
  });
  const canSee = state.canSee.bind(state);
  state.canSee = (installationId, repo) =>
    installationId === id
      ? repo.fullName.toLowerCase() === repository.toLowerCase()
      : canSee(installationId, repo);
}

function toActions(payload: Payload): Payload {
  delete payload.installation;
  return payload;
}

const target = (name: string) => ({ owner: OWNER, name, defaultBranch: "main" });

/** A real `pull_request.opened` payload for a pull request of acme/checkout. */
export function pullRequestEvent(pr: { number: number; title: string; sha: string }, body: string): Payload {
  return toActions(openPullRequest(exampleOf("pull_request", "opened"), target("checkout"), { ...pr, body }));
}

/**
 * A real `merge_group.checks_requested` payload for a group of acme/checkout whose last pull
 * request is `number`, on the head commit `head` (the fake's merge queue must list the group).
 */
export function mergeGroupEvent(number: number, head: string): Payload {
  const payload = retarget(exampleOf("merge_group", "checks_requested"), target("checkout"));
  Object.assign(payload.merge_group, {
    head_sha: head,
    head_ref: `refs/heads/gh-readonly-queue/main/pr-${number}-${head}`,
    base_ref: "refs/heads/main",
  });
  return toActions(payload);
}

/** A real `issues.opened` payload for an issue of acme/checkout. */
export function issueEvent(issue: { number: number; title: string }, body: string): Payload {
  const payload = retarget(exampleOf("issues", "opened"), target("checkout"));
  Object.assign(payload.issue, {
    number: issue.number,
    title: issue.title,
    body,
    labels: [],
    state: "open",
    user: { ...payload.issue.user, login: "erin", type: "User" },
  });
  return toActions(payload);
}

/** A real `release.published` payload for a release the fake holds. */
export function releaseEvent(fake: FakeGitHub, repo: string, tag: string): Payload {
  const release = fake.state.repo(`${OWNER}/${repo}`).releases.find((r) => r.tag_name === tag);
  if (!release) throw new Error(`no release ${tag} in ${repo}`);
  const payload = retarget(exampleOf("release", "published"), target(repo));
  Object.assign(payload.release, {
    id: release.id,
    tag_name: tag,
    name: release.name,
    body: release.body,
    draft: false,
    prerelease: false,
    target_commitish: "main",
    created_at: release.created_at,
    published_at: release.published_at,
  });
  return toActions(payload);
}

/** A real `push` payload (a branch push) moved to the default branch, `after` the repository's head. */
export function pushEvent(fake: FakeGitHub, repo: string): Payload {
  const example = examplesOf("push").find((p) => p.ref === "refs/heads/master");
  if (!example) throw new Error("no branch push among the push examples");
  const payload = retarget(example, target(repo));
  const head = fake.state.headSha(fake.state.repo(`${OWNER}/${repo}`));
  Object.assign(payload, { ref: "refs/heads/main", after: head });
  if (payload.head_commit) payload.head_commit = { ...payload.head_commit, id: head };
  return toActions(payload);
}

/** What the runner writes for `schedule`: the cron line, nothing about a repository. */
export function scheduleEvent(): Payload {
  return { schedule: "17 6 * * *" };
}

/** A real `workflow_dispatch` payload moved onto `repo`. */
export function workflowDispatchEvent(repo: string): Payload {
  return toActions(retarget(exampleOf("workflow_dispatch"), target(repo)));
}
