/**
 * The event mix: real webhook payloads (@octokit/webhooks-examples) moved onto the repositories
 * of `eventSeed`, one builder per scenario. Delivery `i` of a scenario gets the `i`-th subject of
 * its pool, and a fresh head commit where GitHub would send one (opened, synchronize), so every
 * measured delivery costs what that kind of event costs on the warm path.
 */

import { type FakeState, shaOf } from "../testkit/fake-github/server.js";
import { exampleOf, examplesOf, openPullRequest, type Payload, retarget } from "../testkit/webhooks.js";
import { NEEDS_OUTCOME, NUMBERS, ORG, OUTCOME, POOL, repoName } from "./seed.js";

export interface Scenario {
  id: string;
  /** What it stands for, for the table. */
  label: string;
  event: string;
  /** Share of a realistic day's deliveries (relative weights; see docs/performance.md). */
  weight: number;
  /** Whether the payload itself names the outcome (the budget's warm path for pull requests). */
  namesOutcome?: boolean;
  /** The payload of delivery `i` into repository `repo` (an index into the seeded repositories). */
  payload(repo: number, i: number): Payload;
}

const target = (repo: number) => ({ owner: ORG, name: repoName(repo), defaultBranch: "main" });
const HEAD = (repo: number) => shaOf(`${ORG}/${repoName(repo)} head`);

let examples: { pr: Payload; issue: Payload; release: Payload; push: Payload } | undefined;

function example(kind: "pr" | "issue" | "release" | "push"): Payload {
  examples ??= {
    pr: exampleOf("pull_request", "opened"),
    issue: exampleOf("issues", "opened"),
    release: exampleOf("release", "published"),
    push: examplesOf("push").find((p) => p.ref === "refs/heads/master") ?? exampleOf("push"),
  };
  return examples[kind];
}

function pullRequest(
  action: string,
  repo: number,
  pr: { number: number; title: string; body: string; sha: string },
): Payload {
  const payload = openPullRequest(example("pr"), target(repo), pr);
  payload.action = action;
  if (action === "edited") payload.changes = { title: { from: "an earlier title" } };
  if (action === "synchronize") Object.assign(payload, { before: shaOf(`before ${pr.sha}`), after: pr.sha });
  return payload;
}

function issue(
  action: string,
  repo: number,
  item: { number: number; title: string; labels?: string[] },
): Payload {
  const payload = retarget(example("issue"), target(repo));
  payload.action = action;
  Object.assign(payload.issue, {
    number: item.number,
    title: item.title,
    body: "## Problem\nPeople scroll past the pay button on small screens.",
    labels: (item.labels ?? []).map((name, id) => ({ id, name, color: "ededed", default: false })),
    state: "open",
    user: { ...payload.issue.user, login: "erin", type: "User" },
  });
  if (action === "edited") payload.changes = { title: { from: "an earlier title" } };
  return payload;
}

function push(repo: number, files: string[]): Payload {
  const payload = retarget(example("push"), target(repo));
  const head = HEAD(repo);
  const commit = { ...payload.commits?.[0], id: head, added: [], removed: [], modified: files };
  Object.assign(payload, {
    ref: "refs/heads/main",
    before: shaOf(`before ${head}`),
    after: head,
    deleted: false,
    commits: [commit],
    head_commit: commit,
  });
  return payload;
}

function release(repo: number): Payload {
  const payload = retarget(example("release"), target(repo));
  const now = Date.now();
  Object.assign(payload.release, {
    tag_name: "v1.1.0",
    name: "v1.1.0",
    body: `A one-page address form, for ${OUTCOME}`,
    draft: false,
    prerelease: false,
    target_commitish: "main",
    created_at: new Date(now - 2 * 86_400_000).toISOString(),
    published_at: new Date(now - 2 * 86_400_000).toISOString(),
  });
  return payload;
}

/** The subject the "same head" scenarios keep re-delivering: the last of each pool. */
const POOL_LAST = POOL - 1;

const fresh = (what: string, repo: number, i: number) => shaOf(`${what} ${repo} ${i} ${process.pid}`);
const withOutcome = (i: number) => ({
  number: NUMBERS.pullWithOutcome(i),
  title: `${OUTCOME}: change ${i}`,
  body: "Moves the address form onto the payment page.",
});
const without = (i: number) => ({
  number: NUMBERS.pullWithout(i),
  title: `Change ${i}`,
  body: `Tidies the form code. Fixes #${NUMBERS.issueWithOutcome(i)}`,
});

/** The scenarios, in table order. Weights add up to 100. */
export const SCENARIOS: Scenario[] = [
  {
    id: "pr.opened+outcome",
    label: "pull_request.opened, outcome in title",
    event: "pull_request",
    weight: 4,
    namesOutcome: true,
    payload: (repo, i) => pullRequest("opened", repo, { ...withOutcome(i), sha: fresh("opened+", repo, i) }),
  },
  {
    id: "pr.opened-outcome",
    label: "pull_request.opened, outcome via closing issue",
    event: "pull_request",
    weight: 4,
    payload: (repo, i) => pullRequest("opened", repo, { ...without(i), sha: fresh("opened-", repo, i) }),
  },
  {
    id: "pr.edited+outcome",
    label: "pull_request.edited, outcome in title (same head)",
    event: "pull_request",
    weight: 4,
    namesOutcome: true,
    // The head commit an earlier delivery of this scenario (the warm-up) already saw.
    payload: (repo) =>
      pullRequest("edited", repo, { ...withOutcome(POOL_LAST), sha: fresh("edited+", repo, 0) }),
  },
  {
    id: "pr.edited-outcome",
    label: "pull_request.edited, outcome via closing issue (same head)",
    event: "pull_request",
    weight: 3,
    payload: (repo) => pullRequest("edited", repo, { ...without(POOL_LAST), sha: fresh("edited-", repo, 0) }),
  },
  {
    id: "pr.synchronize+outcome",
    label: "pull_request.synchronize, outcome in title",
    event: "pull_request",
    weight: 15,
    namesOutcome: true,
    payload: (repo, i) =>
      pullRequest("synchronize", repo, { ...withOutcome(i), sha: fresh("sync+", repo, i) }),
  },
  {
    id: "pr.synchronize-outcome",
    label: "pull_request.synchronize, outcome via closing issue",
    event: "pull_request",
    weight: 15,
    payload: (repo, i) => pullRequest("synchronize", repo, { ...without(i), sha: fresh("sync-", repo, i) }),
  },
  {
    id: "issues.opened+outcome",
    label: "issues.opened, outcome named",
    event: "issues",
    weight: 5,
    payload: (repo, i) =>
      issue("opened", repo, { number: NUMBERS.issueWithOutcome(i), title: `${OUTCOME}: pay button ${i}` }),
  },
  {
    id: "issues.opened-outcome",
    label: "issues.opened, no outcome (label + comment)",
    event: "issues",
    weight: 5,
    payload: (repo, i) =>
      issue("opened", repo, { number: NUMBERS.issueWithout(i), title: `Pay button ${i}` }),
  },
  {
    id: "issues.edited-outcome",
    label: "issues.edited, still no outcome (already flagged)",
    event: "issues",
    weight: 6,
    payload: (repo) =>
      issue("edited", repo, {
        number: NUMBERS.issueFlagged(POOL_LAST),
        title: `Pay button, flagged ${POOL_LAST}`,
        labels: [NEEDS_OUTCOME],
      }),
  },
  {
    id: "issues.edited+outcome",
    label: "issues.edited, outcome now named (unflag)",
    event: "issues",
    weight: 2,
    payload: (repo, i) =>
      issue("edited", repo, {
        number: NUMBERS.issueFlagged(i),
        title: `${OUTCOME}: pay button, flagged ${i}`,
        labels: [NEEDS_OUTCOME],
      }),
  },
  {
    id: "release.published",
    label: "release.published",
    event: "release",
    weight: 2,
    payload: (repo) => release(repo),
  },
  {
    id: "push.code",
    label: "push to default branch, code only",
    event: "push",
    weight: 36,
    payload: (repo) => push(repo, ["src/address.ts"]),
  },
  {
    id: "push.manifest",
    label: "push to default branch, changes pom.yml",
    event: "push",
    weight: 1,
    payload: (repo) => push(repo, [".github/pom.yml"]),
  },
];

/**
 * A deterministic weighted sequence of scenarios (a small LCG, so runs are comparable): `count`
 * picks, each `{ scenario, repo, i }` with `i` counting that scenario's deliveries so far.
 */
export function mixSequence(
  count: number,
  repos: number,
  seed = 7,
): { scenario: Scenario; repo: number; i: number }[] {
  const total = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const seen = new Map<string, number>();
  const out: { scenario: Scenario; repo: number; i: number }[] = [];
  for (let n = 0; n < count; n++) {
    const pick = random() * total;
    let below = 0;
    const scenario =
      SCENARIOS.find((s) => {
        below += s.weight;
        return pick < below;
      }) ?? (SCENARIOS.at(-1) as Scenario);
    const i = seen.get(scenario.id) ?? 0;
    seen.set(scenario.id, i + 1);
    out.push({ scenario, repo: Math.floor(random() * repos), i });
  }
  return out;
}

/**
 * Tells the fake about the head commit a pull request delivery names, as GitHub knows the commits
 * it sends webhooks for: reads at that commit then find the repository's files.
 */
export function learnHead(state: FakeState, payload: Record<string, unknown>): void {
  const pr = payload.pull_request as { number?: number; head?: { sha?: string } } | undefined;
  const repo = payload.repository as { full_name?: string } | undefined;
  if (!pr?.head?.sha || !repo?.full_name) return;
  const pull = state
    .findRepo(...(repo.full_name.split("/") as [string, string]))
    ?.issues.find((i) => i.number === pr.number && i.pull)?.pull;
  if (pull) pull.headSha = pr.head.sha;
}
