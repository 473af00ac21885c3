/**
 * The tracking issue: opened once, edited when what fails changes, closed with a note when the
 * repository complies, and the same issue reopened when a problem comes back.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding, RuleId, Status, Verdict } from "../../../core/engine/types.js";
import {
  syncTrackingIssue,
  TRACKING_CLOSING_NOTE,
  TRACKING_LABEL,
  TRACKING_MARKER,
  trackingContent,
} from "../../../github/publish/tracking-issue.js";
import { bodyOf, FakeGitHub, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const ISSUES = "/repos/acme/checkout/issues";
const TRACKING = `${ISSUES}?labels=pom-governance&state=all&sort=created&direction=desc&per_page=100`;

function finding(rule: RuleId, status: Status, message = `${rule} says so`): Finding {
  return {
    rule,
    status,
    level: rule === "release.cadence" ? "error" : "warn",
    message,
    fix: "do it",
    evidence: [],
  };
}
function verdictOf(...findings: Finding[]): Verdict {
  return { conclusion: findings.some((f) => f.status === "fail") ? "failure" : "success", findings };
}
const stale = (days: number) =>
  verdictOf(
    finding("release.cadence", "fail", `the latest release v1 is ${days}d old; the cadence is 14d`),
    finding("ownership.team", "pass"),
  );
const tracking = (number: number, verdict: Verdict) => ({
  number,
  state: "open",
  state_reason: null,
  title: trackingContent(verdict).title,
  body: trackingContent(verdict).body,
  labels: [{ name: TRACKING_LABEL }],
  user: { login: "pom-governance[bot]", type: "Bot" },
});
/** A tracking issue closed because `reason`: "completed" when its problems were fixed. */
const closed = (number: number, verdict: Verdict, reason = "completed") => ({
  ...tracking(number, verdict),
  state: "closed",
  state_reason: reason,
});

const COMPLIANT = verdictOf(finding("release.cadence", "pass"));
const UNDECIDED = verdictOf(finding("ownership.roles", "unknown"));

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

describe("syncTrackingIssue", () => {
  it("opens one tracking issue labelled pom-governance when the repository fails a rule", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [] });
    gh.on("POST", ISSUES, { status: 201, body: { number: 4 } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("opened");

    const created = bodyOf<{ title: string; body: string; labels: string[] }>(gh.requests("POST", ISSUES)[0]);
    expect(created.labels).toEqual([TRACKING_LABEL]);
    expect(TRACKING_LABEL).toBe("pom-governance");
    expect(created.title).toBe("POM governance: 1 problem in this repository");
    expect(created.body.startsWith(TRACKING_MARKER)).toBe(true);
    expect(created.body).toMatch(/<!-- pom-governance:hash:[0-9a-f]{16} -->/);
    expect(created.body).toContain("`release.cadence`");
    expect(created.body).not.toContain("`ownership.team`");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("leaves the issue unchanged when the same rules fail again, even though the ages in the messages moved", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [tracking(4, stale(20))] });

    expect(await syncTrackingIssue(newClient(), repo, stale(21))).toBe("unchanged");

    expect(trackingContent(stale(21)).hash).toBe(trackingContent(stale(20)).hash);
    expect(gh.sent.map((r) => r.method)).toEqual(["GET"]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("edits the issue when a different rule fails", async () => {
    const now = verdictOf(finding("release.cadence", "fail"), finding("ownership.codeowners", "fail"));
    gh.on("GET", TRACKING, { status: 200, body: [tracking(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4 } });

    expect(await syncTrackingIssue(newClient(), repo, now)).toBe("updated");

    expect(gh.requests("PATCH")[0]?.body).toEqual({
      title: "POM governance: 2 problems in this repository",
      body: trackingContent(now).body,
      state: "open",
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("posts a note saying the problems are resolved, then closes the issue as completed, once the repository complies", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [tracking(4, stale(20))] });
    gh.on("POST", `${ISSUES}/4/comments`, { status: 201, body: { id: 70 } });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4, state: "closed" } });

    expect(await syncTrackingIssue(newClient(), repo, COMPLIANT)).toBe("closed");

    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${ISSUES}`,
      `POST ${ISSUES}/4/comments`,
      `PATCH ${ISSUES}/4`,
    ]);
    expect(gh.requests("POST")[0]?.body).toEqual({ body: TRACKING_CLOSING_NOTE });
    expect(TRACKING_CLOSING_NOTE).toMatch(/resolved/);
    expect(gh.requests("PATCH")[0]?.body).toEqual({ state: "closed", state_reason: "completed" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reopens the same issue, edited to the new problems, when a problem comes back: no second issue", async () => {
    const now = verdictOf(finding("release.cadence", "fail"), finding("ownership.codeowners", "fail"));
    gh.on("GET", TRACKING, { status: 200, body: [closed(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4, state: "open" } });

    expect(await syncTrackingIssue(newClient(), repo, now)).toBe("reopened");

    expect(gh.requests("POST")).toEqual([]);
    expect(gh.requests("PATCH")[0]?.body).toEqual({
      title: "POM governance: 2 problems in this repository",
      body: trackingContent(now).body,
      state: "open",
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reopens a closed issue even when the same rules fail as when it was closed", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [closed(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4, state: "open" } });

    expect(await syncTrackingIssue(newClient(), repo, stale(45))).toBe("reopened");

    expect(gh.requests("PATCH")[0]?.body).toMatchObject({ state: "open" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reopens the newest issue closed as completed, never a duplicate closed as not planned", async () => {
    gh.on("GET", TRACKING, {
      status: 200,
      // Newest first, as GitHub lists them: #8 was a duplicate of #6; #4 an older recurrence.
      body: [closed(8, stale(20), "not_planned"), closed(6, stale(20)), closed(4, stale(20))],
    });
    gh.on("PATCH", `${ISSUES}/6`, { status: 200, body: { number: 6, state: "open" } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("reopened");

    expect(gh.requests("PATCH").map((r) => r.path)).toEqual([`${ISSUES}/6`]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it.each([
    ["a complying repository that has no tracking issue", COMPLIANT, []],
    ["a complying repository whose tracking issue is closed already", COMPLIANT, [closed(4, stale(20))]],
    ["undecided rules alone: no issue is opened for them", UNDECIDED, []],
    ["undecided rules alone: a closed issue is not reopened for them", UNDECIDED, [closed(4, stale(20))]],
  ])("writes nothing for %s", async (_, verdict, issues) => {
    gh.on("GET", TRACKING, { status: 200, body: issues });

    expect(await syncTrackingIssue(newClient(), repo, verdict)).toBe("none");

    expect(gh.sent.map((r) => r.method)).toEqual(["GET"]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("keeps an open issue open when the only problems left could not be decided", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [tracking(4, stale(20))] });

    const undecided = verdictOf(finding("release.cadence", "pass"), finding("ownership.roles", "unknown"));
    expect(await syncTrackingIssue(newClient(), repo, undecided)).toBe("none");

    expect(gh.requests("PATCH")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("closes an extra open tracking issue as not planned and keeps the oldest one", async () => {
    gh.on("GET", TRACKING, { status: 200, body: [tracking(8, stale(20)), tracking(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/8`, { status: 200, body: { number: 8 } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("unchanged");

    expect(gh.requests("PATCH").map((r) => [r.path, r.body])).toEqual([
      [`${ISSUES}/8`, { state: "closed", state_reason: "not_planned" }],
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("ignores pull requests and other people's issues that carry the label, open or closed", async () => {
    gh.on("GET", TRACKING, {
      status: 200,
      body: [
        { number: 1, title: "Adopt POM", body: "Let us label things pom-governance", labels: [] },
        { number: 2, title: "PR", body: TRACKING_MARKER, pull_request: { url: "x" } },
        { number: 5, title: "Old idea", body: "pom-governance:tracking", state: "closed", labels: [] },
      ],
    });
    gh.on("POST", ISSUES, { status: 201, body: { number: 3 } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("opened");

    expect(gh.requests("PATCH")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("syncTrackingIssue with a list read beforehand (the sweep's batch)", () => {
  it("writes nothing and reads nothing more when the list shows the issue as it should be", async () => {
    const listed = [{ number: 4, state: "open", state_reason: null, body: trackingContent(stale(20)).body }];

    expect(await syncTrackingIssue(newClient(), repo, stale(21), listed)).toBe("unchanged");

    expect(gh.sent).toEqual([]);
  });

  it("reads the issues again before opening one, and reopens the one a concurrent judgement closed meanwhile", async () => {
    // The batch read no tracking issue; since then one was opened and closed again.
    gh.on("GET", TRACKING, { status: 200, body: [closed(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4, state: "open" } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20), [])).toBe("reopened");

    expect(gh.requests("POST")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reads the issues again before closing one, so that an issue closed meanwhile gets no second note", async () => {
    // The batch saw #4 open; a release judged the repository since and closed it with its note.
    const listed = [{ number: 4, state: "open", state_reason: null, body: trackingContent(stale(20)).body }];
    gh.on("GET", TRACKING, { status: 200, body: [closed(4, stale(20))] });

    expect(await syncTrackingIssue(newClient(), repo, COMPLIANT, listed)).toBe("none");

    expect(gh.sent.map((r) => r.method)).toEqual(["GET"]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("the tracking issue of a repository behind an org campaign", () => {
  const campaign = {
    id: "codeowners-2027",
    title: "Every repo names its owning team in CODEOWNERS",
    rules: ["ownership.codeowners" as RuleId],
    deadline: "2027-02-01",
    schedule: { initial: "warn" as const, steps: [{ from: "2027-02-01", level: "error" as const }] },
  };

  it("names the campaign and its deadline while a rule of it fails, and is edited when it joins", () => {
    const failing = verdictOf(finding("ownership.codeowners", "fail"), finding("release.cadence", "fail"));
    const content = trackingContent({ ...failing, config: { campaigns: [campaign] } });
    expect(content.body).toContain(
      "- **Every repo names its owning team in CODEOWNERS** (campaign `codeowners-2027`, deadline 2027-02-01): `ownership.codeowners` still fails here",
    );
    expect(content.hash).not.toBe(trackingContent(failing).hash);
    const other = verdictOf(finding("release.cadence", "fail"));
    expect(trackingContent({ ...other, config: { campaigns: [campaign] } }).body).not.toContain("campaign");
  });
});
