/**
 * outcome.stale: each active outcome (the manifest's and the org policy's) must be named by work
 * within the org policy's limits.outcome.stale (default 60 days); where what was read does not
 * reach back that far and names nothing, it is unknown, never a pass.
 */
import { describe, expect, it } from "vitest";
import { known, type OutcomeActivity, type TracedWork, unavailable } from "../../core/engine/facts.js";
import { check, DAY, findingsOf, manifest, NOW, policy, verdictOf } from "../helpers/engine.js";

const ON = { rules: { "outcome.stale": "warn" } };
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

const work = (ref: string, days: number, text: string, labels?: string[]): TracedWork => ({
  ref,
  at: daysAgo(days),
  texts: [text],
  ...(labels ? { labels } : {}),
});

/** What was read: `items`, reaching back `reach` days. */
const activity = (
  items: TracedWork[],
  reach = 60,
): { outcomeActivity: ReturnType<typeof known<OutcomeActivity>> } => ({
  outcomeActivity: known({
    work: items,
    since: daysAgo(reach),
    readFrom: "merged pull requests, issues and releases",
  }),
});

describe("outcome.stale", () => {
  it("is off by default: not judged, and nothing is asked for", () => {
    const evaluation = check({ subject: "repo" });
    expect(findingsOf(evaluation, "outcome.stale")).toEqual([]);
    expect(evaluation.needs).not.toContain("outcomeActivity");
  });

  it("passes when a merged pull request named the outcome within 60 days", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("pull request #4", 59, "CHK-12: one-page form")]),
    });
    expect(finding).toMatchObject({ status: "pass", level: "warn" });
    expect(finding.evidence).toContain("CHK-12: last named by pull request #4 on 2026-04-17");
  });

  it("fails naming the outcome and the days since its last traced work, pointing at it", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("issue #9", 75, "Serves chk-12.")], 400),
    });
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe(
      "CHK-12 has had no traced work in the last 60 days (the newest found: issue #9, 75 days ago)",
    );
    expect(finding.location?.file).toBe(".github/pom.yml");
    expect(finding.evidence).toContain("limit: 60d (from default)");
  });

  it("fails when nothing names the outcome and the reading covers the limit", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("pull request #5", 3, "Tidy the form")]),
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("CHK-12 has had no traced work in the last 60 days");
  });

  it("is unknown, not a pass, when nothing names it and the reading reaches back less than the limit", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("pull request #5", 3, "Tidy the form")], 20),
    });
    expect(finding.status).toBe("unknown");
    expect(finding.message).toBe(
      "nothing read names CHK-12 within 60 days, and what was read reaches back only to 2026-05-26",
    );
  });

  it("passes on recent work even when the reading is short, and counts an outcome:<id> label", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("issue #2", 1, "Form copy", ["outcome:CHK-12"])], 5),
    });
    expect(finding.status).toBe("pass");
  });

  it("takes the limit from the org policy's limits.outcome.stale", () => {
    const facts = activity([work("release v1.2.0", 20, "Outcomes: CHK-12")], 400);
    const twoWeeks = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(),
      policy: policy({ ...ON, limits: { "outcome.stale": "2w" } }),
      facts,
    });
    expect(twoWeeks.status).toBe("fail");
    expect(twoWeeks.message).toBe(
      "CHK-12 has had no traced work in the last 14 days (the newest found: release v1.2.0, 20 days ago)",
    );
    expect(twoWeeks.evidence).toContain("limit: 14d (from policy)");
    const default60 = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(),
      policy: policy(ON),
      facts,
    });
    expect(default60.status).toBe("pass");
  });

  it("ignores achieved and dropped outcomes, and judges the org policy's active ones too", () => {
    // The base manifest has CHK-12 active, OKR-3 achieved and CHK-7 dropped; nothing names the last two.
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(),
      policy: policy({ ...ON, outcomes: [{ id: "OKR-9", title: "Org goal" }] }),
      facts: activity([work("pull request #4", 2, "CHK-12")], 90),
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toBe("OKR-9 has had no traced work in the last 60 days");
    expect(finding.evidence).toContain("OKR-9 (from policy)");
  });

  it("an outcome last named before the limit is unknown, not stale, while the reading does not cover the limit", () => {
    const evaluation = check({
      subject: "repo",
      manifest: manifest({ ...ON, outcomes: [{ id: "CHK-12" }, { id: "CHK-13" }] }),
      facts: activity([work("pull request #1", 70, "CHK-12")], 30),
    });
    const findings = findingsOf(evaluation, "outcome.stale");
    // CHK-12 was named 70 days ago, but the 30 days read leave 30 unread where it may have been
    // named again; CHK-13 has nothing in the 30 days read.
    expect(findings.map((f) => f.status)).toEqual(["unknown"]);
    expect(findings[0]?.message).toContain("CHK-12, CHK-13");
  });

  it("does not count work dated after the judgement's clock", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: activity([work("pull request #8", -3, "CHK-12")], 400),
    });
    expect(finding.status).toBe("fail");
  });

  it("is unknown with the reason when the work could not be read", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest(ON),
      facts: { outcomeActivity: unavailable("the recent pull requests: 502", "issues: read") },
    });
    expect(finding.status).toBe("unknown");
    expect(finding.fix).toContain("issues: read");
  });

  it("passes with no active outcome to judge (outcome.declared reports that)", () => {
    const finding = verdictOf("outcome.stale", {
      subject: "repo",
      manifest: manifest({ ...ON, outcomes: [{ id: "CHK-1", status: "achieved" }] }),
      facts: activity([], 400),
    });
    expect(finding.status).toBe("pass");
  });

  it("is not judged on a pull request, an issue or a release", () => {
    for (const subject of ["pull_request", "issue", "release"] as const) {
      expect(findingsOf(check({ subject, manifest: manifest(ON) }), "outcome.stale")).toEqual([]);
    }
  });
});
