/**
 * What the reliability tests share: a fake GitHub with one governed repository per scenario (so
 * that faults can be aimed at one scenario's requests), the app server as users run it with short
 * GitHub timeouts, and payload builders for the deliveries the scenarios send.
 *
 * Every repository copies acme/checkout of the end-to-end seed: team acme/payments (whose trio
 * are members) has push access, CODEOWNERS names it, v3.1.0 came out two days ago, and outcome
 * CHK-12 is active. Judged as a repository it complies with every rule: a check run on it is
 * `success` unless a fault keeps a fact from being read.
 */
import { type AppProcess, startApp } from "../../testkit/app-process.js";
import { CHECKOUT_MANIFEST } from "../../testkit/e2e-seed.js";
import type { FakeGitHub, FakeSeed, SeedRepo } from "../../testkit/fake-github/server.js";
import { shaOf } from "../../testkit/fake-github/server.js";
import type { SeedTeam } from "../../testkit/fake-github/state.js";
import { exampleOf, openPullRequest, type Payload, retarget } from "../../testkit/webhooks.js";

export const SECRET = "reliability-webhook-secret";
export const OWNER = "acme";
export const CHECK_NAME = "POM governance";
export const NEEDS_OUTCOME = "pom: needs outcome";
export const FEEDBACK_MARKER = "<!-- pom-governance:issue-feedback -->";
export const TRACKING_LABEL = "pom-governance";
export const TRACKING_MARKER = "<!-- pom-governance:tracking -->";
export const CRASH = /unhandledRejection|uncaughtException|UnhandledPromiseRejection|FATAL ERROR/;

/**
 * GitHub timeouts and retries short enough for tests: 1 s per attempt (long enough for a loopback
 * answer on a busy machine), 3 attempts, 4 s of waits.
 */
export const TIMEOUT_MS = 1_000;
export const FAST_GITHUB = {
  POM_GITHUB_TIMEOUT_MS: String(TIMEOUT_MS),
  POM_GITHUB_ATTEMPTS: "3",
  POM_GITHUB_MAX_WAIT_MS: "4000",
};

const DAY = 86_400_000;

/** The issue and pull requests every repository has. */
export const ISSUE = { number: 9, title: "The pay button is hard to find" };
export const PR = { number: 7, title: "CHK-12: one-page address form" };

/**
 * Makes the fake answer its first REST and GraphQL requests (which load GitHub's API description
 * and build the GraphQL schema) before any timed request depends on them, then forgets them.
 */
export async function warmUp(fake: FakeGitHub, name: string): Promise<void> {
  const token = `ghs_warmup${Date.now()}`;
  fake.state.tokens.set(token, 1);
  const headers = { authorization: `token ${token}`, "content-type": "application/json" };
  await fetch(`${fake.url}/api/v3/repos/${OWNER}/${name}`, { headers }).then((r) => r.text());
  const query = `query { repository(owner: "${OWNER}", name: "${name}") { id } }`;
  await fetch(`${fake.url}/api/graphql`, { method: "POST", headers, body: JSON.stringify({ query }) }).then(
    (r) => r.text(),
  );
  fake.state.tokens.delete(token);
  fake.reset();
}

/** A repository like acme/checkout, compliant with every repository rule. */
export function governedRepo(name: string, now: number, extra: Partial<SeedRepo> = {}): SeedRepo {
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const first = shaOf(`${name} initial`);
  return {
    owner: OWNER,
    name,
    defaultBranch: "main",
    files: { ".github/pom.yml": CHECKOUT_MANIFEST, ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [
      { sha: first, message: "Initial commit", date: ago(30 * DAY) },
      { sha: shaOf(`${name} head`), message: "Release 3.1.0", date: ago(2 * DAY + 3_600_000) },
    ],
    releases: [
      { tag: "v3.0.0", target: first, publishedAt: ago(12 * DAY), body: "First cut" },
      { tag: "v3.1.0", publishedAt: ago(2 * DAY), body: "A one-page address form, for CHK-12" },
    ],
    pulls: [
      {
        number: PR.number,
        title: PR.title,
        body: "Moves the address form onto the payment page.",
        headSha: shaOf(`${name} pr ${PR.number}`),
        files: ["src/address.ts"],
      },
    ],
    issues: [{ number: ISSUE.number, title: ISSUE.title, body: "## Problem\nPeople scroll past it." }],
    ...extra,
  };
}

/** The key pair of both apps, made once per test file. */
export { appKeys } from "../helpers/app-keys.js";

/**
 * A seed of governed repositories `names`; app 1 (installation 1) sees all of them, app 2
 * (installation 2) only those in `swept`.
 */
export function reliabilitySeed(options: {
  now: number;
  publicKey: string;
  names: string[];
  swept?: string[];
  repos?: SeedRepo[];
  teams?: SeedTeam[];
}): FakeSeed {
  const repos = [...options.names.map((n) => governedRepo(n, options.now)), ...(options.repos ?? [])];
  return {
    apps: [
      { id: 1, publicKey: options.publicKey },
      { id: 2, publicKey: options.publicKey },
    ],
    installations: [
      { id: 1, appId: 1, account: OWNER },
      { id: 2, appId: 2, account: OWNER, repositories: (options.swept ?? []).map((n) => `${OWNER}/${n}`) },
    ],
    repos,
    teams: [
      {
        org: OWNER,
        slug: "payments",
        members: ["alice", "bob", "carol", "dave"],
        repos: Object.fromEntries(repos.map((r) => [`${r.owner}/${r.name}`, "push" as const])),
      },
      ...(options.teams ?? []),
    ],
  };
}

/** Starts the app server (app `appId`) against `fake` with short GitHub timeouts; sweeps off unless `cron`. */
export function startReliabilityApp(
  name: string,
  fake: FakeGitHub,
  privateKey: string,
  options: { appId?: number; cron?: string; env?: Record<string, string> } = {},
): Promise<AppProcess> {
  return startApp(name, {
    NODE_ENV: "test",
    APP_ID: String(options.appId ?? 1),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    POM_GITHUB_THROTTLE: "off",
    POM_SWEEP_CRON: options.cron ?? "off",
    POM_REDELIVERY_CRON: "off",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    ...FAST_GITHUB,
    ...options.env,
  });
}

const target = (name: string) => ({ owner: OWNER, name, defaultBranch: "main" });

/** A push to the default branch of `name` that changes `modified` (CODEOWNERS), `after` its head: the app checks the repository. */
export function pushPayload(fake: FakeGitHub, name: string, modified = [".github/CODEOWNERS"]): Payload {
  const head = fake.state.headSha(fake.state.repo(`${OWNER}/${name}`));
  const payload = retarget(exampleOf("push"), target(name));
  // CODEOWNERS by default: the repository is judged again, its open pull requests are not (as a
  // pom.yml change would have them judged too).
  const commit = { ...payload.commits?.[0], id: head, added: [], removed: [], modified };
  Object.assign(payload, {
    ref: "refs/heads/main",
    after: head,
    deleted: false,
    commits: [commit],
    head_commit: commit,
  });
  return payload;
}

/** An open pull request of `name`: #7 at `sha`, with `title` (and body), last updated at `updatedAt`. */
export function pullRequestPayload(
  name: string,
  pr: { sha: string; title?: string; body?: string; updatedAt?: string; action?: string },
): Payload {
  const payload = openPullRequest(exampleOf("pull_request", "opened"), target(name), {
    number: PR.number,
    title: pr.title ?? PR.title,
    sha: pr.sha,
    body: pr.body ?? "Moves the address form onto the payment page.",
  });
  payload.action = pr.action ?? "opened";
  if (pr.updatedAt) payload.pull_request.updated_at = pr.updatedAt;
  return payload;
}

/** An `issues` delivery for issue #9 of `name` with `title`, `labels` and `updatedAt`. */
export function issuePayload(
  name: string,
  issue: { action?: string; title?: string; labels?: string[]; updatedAt?: string },
): Payload {
  const payload = retarget(exampleOf("issues", "opened"), target(name));
  payload.action = issue.action ?? "opened";
  Object.assign(payload.issue, {
    number: ISSUE.number,
    title: issue.title ?? ISSUE.title,
    body: "## Problem\nPeople scroll past it.",
    labels: (issue.labels ?? []).map((label, i) => ({ id: i + 1, name: label, color: "ededed" })),
    state: "open",
    user: { ...payload.issue.user, login: "erin", type: "User" },
    ...(issue.updatedAt ? { updated_at: issue.updatedAt } : {}),
  });
  return payload;
}

/** The check runs named "POM governance" on `sha` of `name`, oldest first. */
export function checkRunsOn(fake: FakeGitHub, name: string, sha: string) {
  return fake.state
    .repo(`${OWNER}/${name}`)
    .checkRuns.filter((r) => r.head_sha === sha && r.name === CHECK_NAME);
}

/** The requests about repository `name` so far, as `status METHOD operation [fault]` lines. */
export function requestsAbout(fake: FakeGitHub, name: string): string[] {
  const needle = `/repos/${OWNER}/${name}/`;
  return fake.requests
    .filter((r) => r.path.includes(needle) || r.path.endsWith(`/repos/${OWNER}/${name}`))
    .map((r) => `${r.status} ${r.operation ?? `${r.method} ${r.path}`}${r.fault ? ` [${r.fault}]` : ""}`);
}

/** Error-level log lines of a process (Probot's own line for a bad signature aside). */
export function errorsIn(p: AppProcess): string[] {
  return p
    .logs()
    .filter((l) => l.level >= 50 && !/signature does not match/.test(l.msg))
    .map((l) => `${l.msg} ${JSON.stringify(l.err ?? "").slice(0, 300)}`);
}

/** The last log lines of a process, short, for failure messages. */
export function tail(p: AppProcess | undefined, lines = 30): string {
  if (!p) return "";
  const skip = new Set(["level", "time", "pid", "hostname", "name", "msg", "req", "res"]);
  return p
    .logs()
    .filter((l) => l.name !== "http")
    .slice(-lines)
    .map((l) => {
      const extra = Object.fromEntries(Object.entries(l).filter(([k]) => !skip.has(k)));
      return `${l.level} ${l.msg} ${JSON.stringify(extra).slice(0, 300)}`;
    })
    .join("\n");
}
