/**
 * The pinned organization report issue against the loopback fake GitHub: opened and pinned once,
 * left alone while the figures stay the same, edited when they change, reopened (and pinned
 * again) when someone closed it, within GitHub's size limit, and never an issue a person wrote.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildReport, type OrgReport } from "../../../core/insights/report/build.js";
import {
  REPORT_ISSUE_TITLE,
  REPORT_LABEL,
  REPORT_MARKER,
  reportIssueContent,
  syncReportIssue,
} from "../../../github/publish/report-issue.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { REPORT_NOW, syntheticRepos } from "../../core/insights/report/fixtures.js";
import { installationClient } from "../../helpers/fake-client.js";

const TOKEN = "ghs_report_issue";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let fake: FakeGitHub;
let client: GitHubClient;

const report = (count: number, now = REPORT_NOW): OrgReport =>
  buildReport({ repos: syntheticRepos(count, REPORT_NOW), now, org: "acme" });

const reportIssues = () =>
  fake.state.repo("acme/.github").issues.filter((i) => i.labels.includes(REPORT_LABEL));

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: ".github",
        files: { ".github/pom-policy.yml": "version: 1\nreport: issue\n" },
        issues: [
          // A person quoting the marker: never taken for the app's issue.
          {
            title: "About the report",
            body: `${REPORT_MARKER}\nquoted`,
            labels: [REPORT_LABEL],
            author: "mallory",
          },
          // And a closed one: never reopened as the app's, however old.
          {
            title: "Old report",
            body: `${REPORT_MARKER}\nmine`,
            labels: [REPORT_LABEL],
            author: "mallory",
            state: "closed",
          },
        ],
      },
    ],
  });
  client = installationClient(fake, TOKEN);
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => fake.reset());

describe("syncReportIssue", () => {
  let number: number;

  it("opens the issue, labelled and pinned, without a timestamp in its body", async () => {
    const result = await syncReportIssue(client, report(12));
    expect(result.action).toBe("opened");
    expect(result.pinProblem).toBeUndefined();
    number = result.number;
    const issue = fake.state.repo("acme/.github").issues.find((i) => i.number === number);
    expect(issue?.title).toBe(REPORT_ISSUE_TITLE);
    expect(issue?.pinned).toBe(true);
    expect(issue?.body).toContain(REPORT_MARKER);
    expect(issue?.body).toContain("| acme/svc-00 |");
    expect(issue?.body).not.toContain(REPORT_NOW.toISOString());
    expect(fake.problems).toEqual([]);
    // The person's issue is untouched.
    expect(reportIssues().find((i) => i.author === "mallory")?.body).toBe(`${REPORT_MARKER}\nquoted`);
  });

  it("writes nothing when the figures are the same, days later", async () => {
    expect((await syncReportIssue(client, report(12, new Date(REPORT_NOW.getTime() + HOUR)))).action).toBe(
      "unchanged",
    );
    // An organization where nothing happens: three days on, the issue says the same thing.
    const quiet = (days: number) => {
      const now = new Date(REPORT_NOW.getTime() + days * DAY);
      const repos = syntheticRepos(4).map((r) => ({
        ...r,
        releases: [],
        merged: [],
        checkedAt: now.toISOString(),
      }));
      return buildReport({ repos, now, org: "acme" });
    };
    expect((await syncReportIssue(client, quiet(0))).action).toBe("updated");
    fake.reset();
    const result = await syncReportIssue(client, quiet(3));
    expect(result).toEqual({ action: "unchanged", number });
    expect(fake.counts().writes).toBe(0);
  });

  it("edits the same issue when the figures change", async () => {
    const result = await syncReportIssue(client, report(13));
    expect(result).toEqual({ action: "updated", number });
    expect(fake.counts().writes).toBe(1);
    expect(reportIssues().find((i) => i.number === number)?.body).toContain("| acme/svc-12 |");
  });

  it("reopens and pins again an issue someone closed", async () => {
    const issue = fake.state.repo("acme/.github").issues.find((i) => i.number === number);
    if (!issue) throw new Error("no issue");
    issue.state = "closed";
    issue.pinned = false;
    const result = await syncReportIssue(client, report(13));
    expect(result).toEqual({ action: "reopened", number });
    expect(issue.state).toBe("open");
    expect(issue.pinned).toBe(true);
    expect(reportIssues().filter((i) => i.author !== "mallory")).toHaveLength(1);
    expect(reportIssues().find((i) => i.title === "Old report")).toMatchObject({
      state: "closed",
      body: `${REPORT_MARKER}\nmine`,
    });
  });

  it("keeps the issue up to date when it cannot be pinned, and says why", async () => {
    const repo = fake.state.repo("acme/.github");
    const ours = repo.issues.find((i) => i.number === number);
    if (!ours) throw new Error("no issue");
    ours.state = "closed";
    ours.pinned = false;
    for (const title of ["One", "Two", "Three"]) {
      fake.state.addIssue("acme/.github", { title, author: "alice" }).pinned = true;
    }
    const result = await syncReportIssue(client, report(14));
    expect(result.action).toBe("reopened");
    expect(result.pinProblem).toMatch(/more than 3 issues/);
    expect(ours.body).toContain("| acme/svc-13 |");
  });

  it("stays within GitHub's limit for an issue body with 2,000 repositories", () => {
    const { body } = reportIssueContent(report(2_000));
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("more repositories are not shown here");
  });
});
