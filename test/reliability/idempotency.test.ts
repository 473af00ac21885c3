/**
 * Idempotency and ordering, end to end: the app server fed every delivery of a scenario three
 * times, concurrent deliveries for one issue or pull request, deliveries out of order, writes
 * whose answer was lost, and a sweeper whose sweeps take longer than its schedule. GitHub must end
 * up holding one label, one comment, one tracking issue, and on the newest head commit a check run
 * that reflects the newest state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, ensureBuilt, waitFor } from "../../testkit/app-process.js";
import { CHECKOUT_MANIFEST } from "../../testkit/e2e-seed.js";
import {
  type FakeGitHub,
  type FaultRequest,
  shaOf,
  startFakeGitHub,
} from "../../testkit/fake-github/server.js";
import { type Delivery, deliver, type Payload } from "../../testkit/webhooks.js";
import {
  appKeys,
  CRASH,
  checkRunsOn,
  FEEDBACK_MARKER,
  governedRepo,
  ISSUE,
  issuePayload,
  NEEDS_OUTCOME,
  OWNER,
  PR,
  pullRequestPayload,
  pushPayload,
  reliabilitySeed,
  SECRET,
  startReliabilityApp,
  TRACKING_LABEL,
  TRACKING_MARKER,
  tail,
  warmUp,
} from "./helpers.js";

const DAY = 86_400_000;
/** Compliant repositories, one per scenario. */
const COMPLIANT = ["story", "crowd", "ordered", "racing", "lostcheck", "lostcomment", "relabel", "relapse"];
/** Repositories whose only release is 40 days old: release.cadence fails, a tracking issue is due. */
const OVERDUE = ["late", "lostissue", "swept"];
const OUTCOME_TITLE = `CHK-12: ${ISSUE.title}`;

let fake: FakeGitHub;
let app: AppProcess;
let sweeper: AppProcess;

function diagnostics(): string {
  return [
    `--- app log (tail) ---\n${tail(app)}`,
    `--- sweeper log (tail) ---\n${tail(sweeper)}`,
    `--- fake problems ---\n${fake.problems.join("\n")}`,
  ].join("\n");
}

const at = (minutes: number) => new Date(Date.parse("2026-06-15T12:00:00Z") + minutes * 60_000).toISOString();

function send(event: string, payload: Payload, id?: string): Promise<Delivery> {
  return deliver(app.url, event, payload, { secret: SECRET, ...(id ? { id } : {}) });
}

/** Sends `payload` three times as the same delivery (GitHub's redelivery keeps its id), one after the other. */
async function thrice(event: string, payload: Payload): Promise<Delivery[]> {
  const first = await send(event, payload);
  return [first, await send(event, payload, first.id), await send(event, payload, first.id)];
}

function feedbackComments(name: string) {
  return fake.state
    .commentsOn(`${OWNER}/${name}`, ISSUE.number)
    .filter((c) => c.body.includes(FEEDBACK_MARKER));
}

function labelsOf(name: string): string[] {
  return fake.state.issue(`${OWNER}/${name}`, ISSUE.number).labels;
}

function trackingIssues(name: string) {
  return fake.state
    .repo(`${OWNER}/${name}`)
    .issues.filter((i) => i.labels.includes(TRACKING_LABEL) && i.body?.includes(TRACKING_MARKER));
}

function writesTo(name: string, operation: string) {
  return fake.requests.filter(
    (r) => r.operation === operation && r.path.includes(`/repos/${OWNER}/${name}/`),
  );
}

beforeAll(async () => {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  const now = Date.now();
  const overdue = OVERDUE.map((name) =>
    governedRepo(name, now, {
      releases: [{ tag: "v1.0.0", publishedAt: new Date(now - 40 * DAY).toISOString(), body: "First" }],
    }),
  );
  fake = await startFakeGitHub(
    reliabilitySeed({ now, publicKey, names: COMPLIANT, repos: overdue, swept: ["swept"] }),
  );
  await warmUp(fake, "story");
  await build;
  const [first, second] = await Promise.allSettled([
    startReliabilityApp("app", fake, privateKey),
    // Sweeps every second, each slowed down below to take longer than that.
    startReliabilityApp("sweeper", fake, privateKey, { appId: 2, cron: "* * * * * *" }),
  ]);
  if (first.status === "fulfilled") app = first.value;
  if (second.status === "fulfilled") sweeper = second.value;
  for (const result of [first, second]) if (result.status === "rejected") throw result.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all([app?.stop(), sweeper?.stop()]);
  await fake?.close();
});

describe.concurrent("every delivery three times", () => {
  it("labels and comments an issue once, clears both once it names an outcome, and ignores the older delivery after", async () => {
    const opened = issuePayload("story", { action: "opened", updatedAt: at(0) });
    const answers = await thrice("issues", opened);
    expect(
      answers.map((a) => a.status),
      diagnostics(),
    ).toEqual([200, 200, 200]);
    expect(labelsOf("story")).toEqual([NEEDS_OUTCOME]);
    expect(feedbackComments("story")).toHaveLength(1);
    expect(writesTo("story", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments")).toHaveLength(1);

    // The author names the outcome; GitHub's payload shows the label the app added.
    fake.state.issue(`${OWNER}/story`, ISSUE.number).title = OUTCOME_TITLE;
    const edited = issuePayload("story", {
      action: "edited",
      title: OUTCOME_TITLE,
      labels: [NEEDS_OUTCOME],
      updatedAt: at(5),
    });
    expect(
      (await thrice("issues", edited)).map((a) => a.status),
      diagnostics(),
    ).toEqual([200, 200, 200]);
    expect(labelsOf("story")).toEqual([]);
    expect(feedbackComments("story")).toEqual([]);

    // The first delivery comes once more, late: it must not bring the label and comment back.
    expect((await send("issues", opened)).status).toBe(200);
    expect(labelsOf("story")).toEqual([]);
    expect(feedbackComments("story")).toEqual([]);
  });

  it("opens one tracking issue for a push delivered three times at once, and writes nothing more after", async () => {
    const payload = pushPayload(fake, "late");
    // The tracking issues are listed slowly, so that the three judgements all get to that step
    // before any of them has opened one.
    fake.inject({ match: "GET /repos/{owner}/{repo}/issues", repo: `${OWNER}/late`, times: 3, delayMs: 300 });
    const first = await Promise.all([send("push", payload), send("push", payload), send("push", payload)]);
    expect(
      first.map((a) => a.status),
      diagnostics(),
    ).toEqual([200, 200, 200]);
    expect(trackingIssues("late")).toHaveLength(1);
    // One check run per subject and commit: the judgements after the first find it current.
    expect(checkRunsOn(fake, "late", payload.after).map((r) => r.conclusion)).toEqual(["failure"]);
    expect(writesTo("late", "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);

    const again = await thrice("push", payload);
    expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(trackingIssues("late")).toHaveLength(1);
    expect(writesTo("late", "POST /repos/{owner}/{repo}/issues")).toHaveLength(1);
    expect(writesTo("late", "PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([]);
    expect(writesTo("late", "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);
    expect(writesTo("late", "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toEqual([]);
  });

  it("gives a pull request one check run, writes nothing for unchanged inputs, and edits it once when a label changes the verdict", async () => {
    const sha = shaOf(`relabel pr ${PR.number}`);
    const runs = () => checkRunsOn(fake, "relabel", sha);
    const checkWrites = () => [
      ...writesTo("relabel", "POST /repos/{owner}/{repo}/check-runs"),
      ...writesTo("relabel", "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ];
    const opened = pullRequestPayload("relabel", {
      sha,
      title: "Refactor the address form",
      updatedAt: at(0),
    });
    expect((await thrice("pull_request", opened)).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(
      runs().map((r) => r.conclusion),
      diagnostics(),
    ).toEqual(["failure"]);
    expect(checkWrites()).toHaveLength(1);

    // Another delivery (a new id) of a pull request whose inputs did not change: nothing written.
    const edited = pullRequestPayload("relabel", {
      sha,
      title: "Refactor the address form",
      action: "edited",
      updatedAt: at(1),
    });
    expect((await send("pull_request", edited)).status).toBe(200);
    expect(checkWrites(), diagnostics()).toHaveLength(1);

    // A label names the outcome: the same run shows the new verdict, after one write.
    const labeled = pullRequestPayload("relabel", {
      sha,
      title: "Refactor the address form",
      action: "labeled",
      updatedAt: at(2),
    });
    labeled.pull_request.labels = [{ id: 1, name: "outcome:CHK-12", color: "ededed" }];
    labeled.label = { id: 1, name: "outcome:CHK-12", color: "ededed" };
    expect((await send("pull_request", labeled)).status).toBe(200);
    expect(
      runs().map((r) => r.conclusion),
      diagnostics(),
    ).toEqual(["success"]);
    expect(checkWrites().map((r) => r.operation)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
  });
});

describe.concurrent("concurrent and out-of-order deliveries for one subject", () => {
  it("gives an issue one label and one comment when opened, labeled and edited arrive together, each three times", async () => {
    const payloads: [string, Payload][] = [
      ["opened", issuePayload("crowd", { action: "opened", updatedAt: at(0) })],
      ["labeled", issuePayload("crowd", { action: "labeled", labels: ["bug"], updatedAt: at(1) })],
      ["edited", issuePayload("crowd", { action: "edited", labels: ["bug"], updatedAt: at(2) })],
    ];
    for (const [action, payload] of payloads) if (action === "labeled") payload.label = { name: "bug" };
    const answers = await Promise.all(
      payloads.flatMap(([, p]) => [send("issues", p), send("issues", p), send("issues", p)]),
    );
    expect(
      answers.map((a) => a.status),
      diagnostics(),
    ).toEqual(Array(9).fill(200));
    expect(labelsOf("crowd").filter((l) => l === NEEDS_OUTCOME)).toHaveLength(1);
    expect(feedbackComments("crowd"), diagnostics()).toHaveLength(1);
  });

  it("leaves the newest verdict on the head commit when an older delivery of the pull request comes last", async () => {
    const sha = shaOf("ordered pr 7 head");
    fake.state.addPullHead("acme/ordered", 7, sha);
    const without = pullRequestPayload("ordered", {
      sha,
      title: "Refactor the address form",
      updatedAt: at(0),
    });
    const named = pullRequestPayload("ordered", {
      sha,
      title: "CHK-12: refactor the address form",
      action: "edited",
      updatedAt: at(3),
    });
    expect((await send("pull_request", without)).status).toBe(200);
    expect(checkRunsOn(fake, "ordered", sha).map((r) => r.conclusion)).toEqual(["failure"]);
    expect((await send("pull_request", named)).status).toBe(200);
    // GitHub redelivers the first one, late: skipped, the check run (edited in place) still says success.
    expect((await send("pull_request", without)).status).toBe(200);
    expect(
      checkRunsOn(fake, "ordered", sha).map((r) => r.conclusion),
      diagnostics(),
    ).toEqual(["success"]);
  });

  it("judges the newest head commit by the newest state when pushes to a pull request race", async () => {
    const old = shaOf("racing pr 7 old");
    const head = shaOf("racing pr 7 head");
    for (const sha of [old, head]) fake.state.addPullHead("acme/racing", 7, sha);
    const before = pullRequestPayload("racing", {
      sha: old,
      title: "Refactor the address form",
      action: "synchronize",
      updatedAt: at(0),
    });
    const after = pullRequestPayload("racing", {
      sha: head,
      title: "CHK-12: refactor the address form",
      action: "synchronize",
      updatedAt: at(1),
    });
    // The newer ones go out first: whatever order they arrive in, nothing older may win.
    const answers = await Promise.all(
      [after, before, after, before, after, before].map((p) => send("pull_request", p)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    const newest = checkRunsOn(fake, "racing", head);
    expect(newest.length).toBeGreaterThan(0);
    expect(
      newest.map((r) => r.conclusion),
      diagnostics(),
    ).toEqual(newest.map(() => "success"));
  });
});

describe.concurrent("writes whose answer was lost", () => {
  it("sends a check run again when GitHub created it but answered 502: the check is there, with at most one more run of its name, and a redelivery adds none", async () => {
    const fault = fake.inject({
      match: "POST /repos/{owner}/{repo}/check-runs",
      repo: `${OWNER}/lostcheck`,
      status: 502,
      afterProcessing: true,
    });
    const sha = shaOf("lostcheck pr 7");
    const payload = pullRequestPayload("lostcheck", { sha });
    const delivery = await send("pull_request", payload);
    expect(fault.hits).toBe(1);
    // Creating a check run is the one creation sent again after a 5xx: a second run of one name
    // on one commit is harmless (GitHub shows the newest), a commit left without its check is not.
    expect(delivery.status, diagnostics()).toBe(200);
    expect(checkRunsOn(fake, "lostcheck", sha).map((r) => r.conclusion)).toEqual(["success", "success"]);
    expect(writesTo("lostcheck", "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(2);
    // GitHub redelivers it: handled already, nothing is written.
    expect((await send("pull_request", payload, delivery.id)).status).toBe(200);
    expect(writesTo("lostcheck", "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(2);
  });

  it("writes one sticky comment when the connection was cut after GitHub stored it, also after redelivery", async () => {
    const fault = fake.inject({
      match: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      repo: `${OWNER}/lostcomment`,
      reset: true,
      afterProcessing: true,
    });
    const payload = issuePayload("lostcomment", { action: "opened", updatedAt: at(0) });
    const first = await send("issues", payload);
    expect(fault.hits).toBe(1);
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(feedbackComments("lostcomment")).toHaveLength(1);
    // GitHub redelivers it (its payload does not show the label added before the comment).
    const again = await send("issues", payload, first.id);
    expect(again.status, diagnostics()).toBe(200);
    expect(feedbackComments("lostcomment")).toHaveLength(1);
    expect(labelsOf("lostcomment")).toEqual([NEEDS_OUTCOME]);
  });

  it("keeps one tracking issue when its creation was answered 502, also after redelivery", async () => {
    const fault = fake.inject({
      match: "POST /repos/{owner}/{repo}/issues",
      repo: `${OWNER}/lostissue`,
      status: 502,
      afterProcessing: true,
    });
    const payload = pushPayload(fake, "lostissue");
    const first = await send("push", payload);
    expect(fault.hits).toBe(1);
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(trackingIssues("lostissue")).toHaveLength(1);
    expect((await send("push", payload, first.id)).status, diagnostics()).toBe(200);
    expect(trackingIssues("lostissue")).toHaveLength(1);
    expect(writesTo("lostissue", "POST /repos/{owner}/{repo}/issues")).toHaveLength(1);
  });
});

describe("a problem that comes and goes", () => {
  /** Pushes a new pom.yml with `cadence` to relapse's default branch and delivers the push. */
  async function pushCadence(cadence: string): Promise<Delivery> {
    const repo = fake.state.repo(`${OWNER}/relapse`);
    repo.files.set(".github/pom.yml", CHECKOUT_MANIFEST.replace("cadence: 14d", `cadence: ${cadence}`));
    fake.state.addCommit(`${OWNER}/relapse`, { message: `Cadence ${cadence}` });
    return send("push", pushPayload(fake, "relapse"));
  }

  it("keeps one tracking issue: opened, closed with a note once fixed, and the same one reopened when the problem comes back", async () => {
    // Compliant: nothing to track.
    expect((await pushCadence("14d")).status, diagnostics()).toBe(200);
    expect(trackingIssues("relapse")).toEqual([]);

    // The latest release (two days ago) is too old for a daily cadence: an issue is opened.
    expect((await pushCadence("1d")).status, diagnostics()).toBe(200);
    const [opened] = trackingIssues("relapse");
    expect(opened, diagnostics()).toMatchObject({ state: "open", labels: [TRACKING_LABEL] });
    expect(opened?.body).toContain("release.cadence");

    // Compliant again: a note says why, then the issue is closed as completed.
    expect((await pushCadence("14d")).status, diagnostics()).toBe(200);
    expect(trackingIssues("relapse")).toMatchObject([{ number: opened?.number, state: "closed" }]);
    expect(trackingIssues("relapse")[0]?.state_reason).toBe("completed");
    const notes = fake.state.commentsOn(`${OWNER}/relapse`, opened?.number ?? 0);
    expect(notes.map((c) => c.author)).toEqual(["pom-governance[bot]"]);
    expect(notes[0]?.body).toMatch(/resolved/);

    // The problem comes back: the same issue is reopened and edited, no second one is opened.
    expect((await pushCadence("1d")).status, diagnostics()).toBe(200);
    const issues = trackingIssues("relapse");
    expect(issues, diagnostics()).toHaveLength(1);
    expect(issues[0]).toMatchObject({ number: opened?.number, state: "open", state_reason: "reopened" });
    expect(issues[0]?.body).toContain("release.cadence");
    expect(writesTo("relapse", "POST /repos/{owner}/{repo}/issues")).toHaveLength(1);
    expect(fake.state.repo(`${OWNER}/relapse`).issues.filter((i) => !i.pull)).toHaveLength(2);
  });
});

describe("sweeps that take longer than their schedule", () => {
  it("never overlap: one tracking issue, written once, over several sweeps", async () => {
    // Every request of the sweeper (installation 2) is answered late (but within the timeout), so
    // that a sweep outlasts the one-second schedule whatever requests it makes.
    const sweeperToken = (r: FaultRequest) =>
      fake.state.tokens.get(String(r.headers.authorization ?? "").replace(/^token /i, "")) === 2;
    const slow = [fake.inject({ match: sweeperToken, times: Infinity, delayMs: 600 })];
    const finished = () => sweeper.logs().filter((l) => l.msg === "sweep finished");
    const before = finished().length;
    await waitFor("two more sweeps to finish", () => finished().length >= before + 2, 20_000);
    await sweeper.stop();
    for (const fault of slow) fault.remove();
    expect(trackingIssues("swept"), diagnostics()).toHaveLength(1);
    expect(writesTo("swept", "POST /repos/{owner}/{repo}/issues")).toHaveLength(1);
    expect(writesTo("swept", "PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([]);
    // The scenario did what it set out to: sweeps ended more than a schedule's second apart.
    const times = finished().map((l) => Number(l.time));
    expect(Math.max(...times.slice(1).map((t, i) => t - (times[i] ?? t)))).toBeGreaterThan(1_000);
    expect(sweeper.output()).not.toMatch(CRASH);
  });
});

describe("afterwards", () => {
  it("the app is up, never crashed, and GitHub received nothing its API would reject", async () => {
    expect(app.alive()).toBe(true);
    expect(app.output()).not.toMatch(CRASH);
    expect(fake.problems).toEqual([]);
  });
});
