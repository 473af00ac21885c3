/**
 * End to end: the real server (`node dist/app/server.js`, configured by its environment) against
 * a fake GitHub Enterprise on loopback, fed real, signed webhook payloads. Assertions are about
 * what GitHub would have received and what it holds afterwards.
 *
 * Two processes run: "app" (app 1) takes every delivery with sweeps off, so that each scenario
 * owns the requests it causes; "sweeper" (app 2, installed on acme/service only) runs the
 * scheduled sweep every two seconds and is stopped once the tracking issue is checked.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, ensureBuilt, startApp, waitFor } from "../../testkit/app-process.js";
import {
  CHECKOUT,
  e2eSeed,
  ISSUE_NO_OUTCOME,
  PR_COMPLIANT,
  PR_NONCOMPLIANT,
  SANDBOX,
  SERVICE,
} from "../../testkit/e2e-seed.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import {
  deliver,
  exampleOf,
  examplesOf,
  openPullRequest,
  type Payload,
  retarget,
  sign,
} from "../../testkit/webhooks.js";
import { appKeys } from "../helpers/app-keys.js";

const SECRET = "e2e-webhook-secret";
const SUBSCRIBED = [
  "pull_request",
  "issues",
  "release",
  "push",
  "installation",
  "installation_repositories",
  "check_run",
  "check_suite",
];
// The contract, spelled out rather than imported: these strings are what users and old comments see.
const CHECK_NAME = "POM governance";
const NEEDS_OUTCOME = "pom: needs outcome";
const FEEDBACK_MARKER = "<!-- pom-governance:issue-feedback -->";
const TRACKING_LABEL = "pom-governance";
const TRACKING_MARKER = "<!-- pom-governance:tracking -->";
const CRASH = /unhandledRejection|uncaughtException|UnhandledPromiseRejection/;

const now = Date.now();
let fake: FakeGitHub;
let app: AppProcess;
let sweeper: AppProcess;

/** The last log lines of a process, one short line each (Probot's per-request HTTP lines left out). */
function tail(p: AppProcess | undefined, lines = 25): string {
  if (!p) return "";
  const skip = new Set(["level", "time", "pid", "hostname", "name", "msg", "req", "res"]);
  return p
    .logs()
    .filter((l) => l.name !== "http")
    .slice(-lines)
    .map((l) => {
      const extra = Object.fromEntries(Object.entries(l).filter(([k]) => !skip.has(k)));
      return `${l.level} ${l.msg} ${JSON.stringify(extra).slice(0, 400)}`;
    })
    .join("\n");
}

/** Both processes' recent logs and the fake's problems, for failure messages. */
function diagnostics(): string {
  return [
    `--- app log (tail) ---\n${tail(app)}`,
    `--- sweeper log (tail) ---\n${tail(sweeper)}`,
    `--- fake GitHub problems ---\n${fake?.problems.join("\n")}`,
  ].join("\n");
}

/** Error-level log lines, except the one Probot writes for a delivery with a bad signature. */
function errorsIn(p: AppProcess): string[] {
  return p
    .logs()
    .filter((l) => l.level >= 50 && !/signature does not match/.test(l.msg))
    .map((l) => `${l.msg} ${JSON.stringify(l.err ?? "").slice(0, 400)}`);
}

function checkRunsOn(repo: string, sha: string) {
  return fake.state.repo(repo).checkRuns.filter((r) => r.head_sha === sha && r.name === CHECK_NAME);
}

function trackingIssues(repo: string) {
  return fake.state
    .repo(repo)
    .issues.filter((i) => i.labels.includes(TRACKING_LABEL) && i.body?.includes(TRACKING_MARKER));
}

function pullRequestPayload(pr: { number: number; title: string; headSha: string }, body: string): Payload {
  return openPullRequest(exampleOf("pull_request", "opened"), CHECKOUT, { ...pr, sha: pr.headSha, body });
}

beforeAll(async () => {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  fake = await startFakeGitHub(e2eSeed({ now, publicKey, examples: SUBSCRIBED.flatMap(examplesOf) }));
  await build;
  const env = (appId: number, cron: string) => ({
    NODE_ENV: "test",
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    POM_GITHUB_THROTTLE: "off",
    POM_SWEEP_CRON: cron,
    POM_REDELIVERY_CRON: "off",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  });
  // Both start at once; whichever started is stopped in afterAll even if the other did not.
  const [first, second] = await Promise.allSettled([
    startApp("app", env(1, "off")),
    startApp("sweeper", env(2, "*/2 * * * * *")),
  ]);
  if (first.status === "fulfilled") app = first.value;
  if (second.status === "fulfilled") sweeper = second.value;
  for (const result of [first, second]) if (result.status === "rejected") throw result.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all([app?.stop(), sweeper?.stop()]);
  await fake?.close();
});

describe("pom-governance end to end, against a fake GitHub Enterprise", () => {
  it("gives a pull request that names an active outcome one successful check run on its head commit", async () => {
    const payload = pullRequestPayload(
      PR_COMPLIANT,
      "Moves the address form onto the payment page. Fixes #9",
    );
    const delivery = await deliver(app.url, "pull_request", payload, { secret: SECRET });
    expect(delivery.status, diagnostics()).toBe(200);

    const runs = checkRunsOn("acme/checkout", PR_COMPLIANT.headSha);
    expect(runs, diagnostics()).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(runs[0]?.external_id).toMatch(/^pr:7:[0-9a-f]{16}$/);
  });

  it("fails the check run of a pull request without an outcome, naming outcome.pull_request", async () => {
    // "Fixes #99" names nothing: GitHub answers that alias NOT_FOUND beside the rest of the data.
    const payload = pullRequestPayload(PR_NONCOMPLIANT, "Tidies the form code. Fixes #99");
    const delivery = await deliver(app.url, "pull_request", payload, { secret: SECRET });
    expect(delivery.status, diagnostics()).toBe(200);

    const runs = checkRunsOn("acme/checkout", PR_NONCOMPLIANT.headSha);
    expect(runs, diagnostics()).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("failure");
    // A fail, not an "unknown": the missing #99 must not cost the rest of the GraphQL answer.
    expect(runs[0]?.output.summary).toMatch(/`outcome\.pull_request` \| [^|]*fail/);
  });

  it("labels an issue without an outcome and comments once, also when the delivery comes again", async () => {
    const payload = retarget(exampleOf("issues", "opened"), CHECKOUT);
    Object.assign(payload.issue, {
      ...ISSUE_NO_OUTCOME,
      labels: [],
      state: "open",
      user: { ...payload.issue.user, login: "erin", type: "User" },
    });
    const first = await deliver(app.url, "issues", payload, { secret: SECRET });
    expect(first.status, diagnostics()).toBe(200);

    const issue = fake.state.issue("acme/checkout", ISSUE_NO_OUTCOME.number);
    const marked = () =>
      fake.state
        .commentsOn("acme/checkout", ISSUE_NO_OUTCOME.number)
        .filter((c) => c.body.includes(FEEDBACK_MARKER));
    expect(issue.labels, diagnostics()).toEqual([NEEDS_OUTCOME]);
    expect(marked()).toHaveLength(1);
    expect(marked()[0]?.body).toContain("outcome.issue");

    const again = await deliver(app.url, "issues", payload, { secret: SECRET, id: first.id });
    expect(again.status, diagnostics()).toBe(200);
    expect(issue.labels).toEqual([NEEDS_OUTCOME]);
    expect(marked()).toHaveLength(1);
  });

  it("checks the repository on a push to the default branch that changes pom.yml", async () => {
    const head = fake.state.headSha(fake.state.repo("acme/checkout"));
    const payload = retarget(exampleOf("push"), CHECKOUT);
    const commit = {
      ...payload.commits?.[0],
      id: head,
      added: [],
      removed: [],
      modified: [".github/pom.yml"],
    };
    Object.assign(payload, {
      ref: "refs/heads/main",
      after: head,
      deleted: false,
      commits: [commit],
      head_commit: commit,
    });
    const delivery = await deliver(app.url, "push", payload, { secret: SECRET });
    expect(delivery.status, diagnostics()).toBe(200);

    const runs = checkRunsOn("acme/checkout", head);
    expect(runs, diagnostics()).toHaveLength(1);
    expect(runs[0]).toMatchObject({ conclusion: "success", external_id: "repo" });
    expect(trackingIssues("acme/checkout")).toEqual([]);
  });

  it("opens exactly one tracking issue over repeated sweeps when only release.cadence fails", async () => {
    const sweeps = () => sweeper.logs().filter((l) => l.msg === "sweep finished");
    await waitFor("two sweeps to finish", () => sweeps().length >= 2, 15_000);
    expect(
      sweeps()
        .slice(0, 2)
        .map((l) => [l.governed, l.failed, l.tracking]),
      diagnostics(),
    ).toEqual([
      [1, 0, { opened: 1 }],
      [1, 0, { unchanged: 1 }],
    ]);

    const issues = trackingIssues("acme/service");
    expect(issues, diagnostics()).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: "open", labels: [TRACKING_LABEL] });
    expect(issues[0]?.body).toContain("release.cadence");
    expect(issues[0]?.body).not.toMatch(/ownership\.|outcome\.declared|release\.unreleased|manifest\./);
    const writes = fake.requests.filter(
      (r) => r.path.includes("/repos/acme/service/issues") && r.method !== "GET",
    );
    expect(writes.map((r) => r.operation)).toEqual(["POST /repos/{owner}/{repo}/issues"]);

    await sweeper.stop();
    expect(sweeper.output()).not.toMatch(CRASH);
    expect(errorsIn(sweeper)).toEqual([]);
  });

  it("closes the tracking issue when a new release is published", async () => {
    // No sweep may close it instead (the sweep test stops the sweeper; this makes sure).
    await sweeper.stop();
    const service = "acme/service";
    const hour = new Date(now - 3_600_000).toISOString();
    fake.state.addPull(service, {
      number: 4,
      title: "Cache the hot path for SVC-1",
      state: "closed",
      mergedAt: hour,
    });
    const sha = fake.state.addCommit(service, {
      message: "Merge pull request #4 from acme/cache",
      date: hour,
    });
    const release = fake.state.publishRelease(service, {
      tag: "v1.1.0",
      body: "Serves SVC-1: the hot path is cached (#4)",
      publishedAt: new Date().toISOString(),
    });
    const payload = retarget(exampleOf("release", "published"), SERVICE);
    Object.assign(payload.release, {
      id: release.id,
      tag_name: release.tag_name,
      name: release.name,
      body: release.body,
      draft: false,
      prerelease: false,
      created_at: release.created_at,
      published_at: release.published_at,
      target_commitish: "main",
    });
    const delivery = await deliver(app.url, "release", payload, { secret: SECRET });
    expect(delivery.status, diagnostics()).toBe(200);

    const runs = checkRunsOn(service, sha);
    expect(runs, diagnostics()).toHaveLength(1);
    // The release itself came 40 days after v1.0.0: its own release.cadence finding fails.
    expect(runs[0]).toMatchObject({ external_id: "release:v1.1.0", conclusion: "failure" });
    const [issue] = trackingIssues(service);
    expect(issue?.state, `the tracking issue should be closed\n${diagnostics()}`).toBe("closed");
    expect(issue?.state_reason).toBe("completed");
  });

  it("refuses a delivery with a bad signature without calling GitHub", async () => {
    const before = fake.requests.length;
    const payload = retarget(exampleOf("issues", "opened"), CHECKOUT);
    const body = JSON.stringify(payload);
    const delivery = await deliver(app.url, "issues", payload, {
      secret: SECRET,
      signature: sign("not-the-secret", body),
    });
    expect([400, 401]).toContain(delivery.status);
    // Nothing should follow; give a stray request a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.requests.slice(before)).toEqual([]);
  });

  it("takes every example payload of the events it subscribes to without a 5xx or a crash", async () => {
    const target = { ...SANDBOX, id: fake.state.repo("acme/sandbox").id };
    const answers: { event: string; action: string; status: number; text: string }[] = [];
    for (const event of SUBSCRIBED) {
      for (const example of examplesOf(event)) {
        const delivery = await deliver(app.url, event, retarget(example, target), { secret: SECRET });
        answers.push({ event, action: example.action ?? "", status: delivery.status, text: delivery.text });
      }
    }
    expect(answers.length).toBeGreaterThan(100);
    // No 5xx, and no 4xx either: a handler's failure would surface as its GitHub error's status.
    expect(
      answers.filter((a) => a.status !== 200),
      diagnostics(),
    ).toEqual([]);
    expect(app.alive()).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.output()).not.toMatch(CRASH);
    // Some handlers log a failure and carry on (a newly installed repository): those count too.
    expect(errorsIn(app)).toEqual([]);
  });

  it("sent GitHub nothing its API would reject", () => {
    expect(fake.problems).toEqual([]);
  });
});
