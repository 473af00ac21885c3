/** The tracking issue: opened once, edited when what fails changes, closed when compliant. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding, RuleId, Status, Verdict } from "../../../core/engine/types.js";
import {
  syncTrackingIssue,
  TRACKING_LABEL,
  TRACKING_MARKER,
  trackingContent,
} from "../../../github/publish/tracking-issue.js";
import { bodyOf, FakeGitHub, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const ISSUES = "/repos/acme/checkout/issues";
const OPEN_TRACKING = `${ISSUES}?labels=pom-governance&state=open&per_page=100`;

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
  title: trackingContent(verdict).title,
  body: trackingContent(verdict).body,
  labels: [{ name: TRACKING_LABEL }],
});

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
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [] });
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
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [tracking(4, stale(20))] });

    expect(await syncTrackingIssue(newClient(), repo, stale(21))).toBe("unchanged");

    expect(trackingContent(stale(21)).hash).toBe(trackingContent(stale(20)).hash);
    expect(gh.sent.map((r) => r.method)).toEqual(["GET"]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("edits the issue when a different rule fails", async () => {
    const now = verdictOf(finding("release.cadence", "fail"), finding("ownership.codeowners", "fail"));
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [tracking(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4 } });

    expect(await syncTrackingIssue(newClient(), repo, now)).toBe("updated");

    expect(gh.requests("PATCH")[0]?.body).toEqual({
      title: "POM governance: 2 problems in this repository",
      body: trackingContent(now).body,
      state: "open",
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("closes the issue as completed once the repository complies", async () => {
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [tracking(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/4`, { status: 200, body: { number: 4, state: "closed" } });

    expect(await syncTrackingIssue(newClient(), repo, verdictOf(finding("release.cadence", "pass")))).toBe(
      "closed",
    );

    expect(gh.requests("PATCH")[0]?.body).toEqual({ state: "closed", state_reason: "completed" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("does nothing for a complying repository that has no tracking issue", async () => {
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [] });

    expect(await syncTrackingIssue(newClient(), repo, verdictOf(finding("release.cadence", "pass")))).toBe(
      "none",
    );
    expect(gh.scope.isDone()).toBe(true);
  });

  it("keeps an open issue open when the only problems left could not be decided", async () => {
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [tracking(4, stale(20))] });

    const undecided = verdictOf(finding("release.cadence", "pass"), finding("ownership.roles", "unknown"));
    expect(await syncTrackingIssue(newClient(), repo, undecided)).toBe("none");

    expect(gh.requests("PATCH")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("never opens an issue for undecided rules alone", async () => {
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [] });

    expect(await syncTrackingIssue(newClient(), repo, verdictOf(finding("ownership.roles", "unknown")))).toBe(
      "none",
    );

    expect(gh.requests("POST")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("closes an extra open tracking issue as not planned and keeps the oldest one", async () => {
    gh.on("GET", OPEN_TRACKING, { status: 200, body: [tracking(8, stale(20)), tracking(4, stale(20))] });
    gh.on("PATCH", `${ISSUES}/8`, { status: 200, body: { number: 8 } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("unchanged");

    expect(gh.requests("PATCH").map((r) => [r.path, r.body])).toEqual([
      [`${ISSUES}/8`, { state: "closed", state_reason: "not_planned" }],
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("ignores pull requests and other people's issues that carry the label", async () => {
    gh.on("GET", OPEN_TRACKING, {
      status: 200,
      body: [
        { number: 1, title: "Adopt POM", body: "Let us label things pom-governance", labels: [] },
        { number: 2, title: "PR", body: TRACKING_MARKER, pull_request: { url: "x" } },
      ],
    });
    gh.on("POST", ISSUES, { status: 201, body: { number: 3 } });

    expect(await syncTrackingIssue(newClient(), repo, stale(20))).toBe("opened");

    expect(gh.requests("PATCH")).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });
});
