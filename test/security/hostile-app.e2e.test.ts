/**
 * Hostile content through every output of the real app server: a repository whose manifest,
 * CODEOWNERS, commit messages, release tag, issues, labels and pull requests (titles, bodies, and a
 * proposed manifest) are full of HTML, Markdown, mentions, references, math, control characters
 * and 70 KB texts. Every request body the app sends to the fake GitHub (check runs and their
 * annotations, issue comments, tracking issues, labels) must be inert and within GitHub's limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AppUnderTest,
  issueOpened,
  pullRequestOpened,
  pushToDefaultBranch,
  startAppUnderTest,
  writesIn,
} from "./app-under-test.js";
import {
  hostileSeed,
  ISSUE,
  PR_BROKEN,
  PR_PROPOSED,
  problemsOf,
  REPO,
  releasePublished,
  TAG,
  TARGET,
} from "./hostile-repo.js";

let world: AppUnderTest;

beforeAll(async () => {
  world = await startAppUnderTest(hostileSeed(Date.now()));
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("hostile content through the app", () => {
  it("publishes every report inert and within GitHub's limits", async () => {
    const { fake } = world;
    const head = fake.state.headSha(fake.state.repo(REPO));
    const release = fake.state.repo(REPO).releases.find((r) => r.tag_name === TAG);
    if (!release) throw new Error("the seed has no hostile release");
    const deliveries = [
      await world.send(
        "pull_request",
        pullRequestOpened(TARGET, { ...PR_PROPOSED, labels: ["outcome:<script>"] }),
      ),
      await world.send("pull_request", pullRequestOpened(TARGET, PR_BROKEN)),
      await world.send("issues", issueOpened(TARGET, ISSUE)),
      await world.send("push", pushToDefaultBranch(TARGET, head, [".github/pom.yml", ".github/CODEOWNERS"])),
      await world.send("release", releasePublished(release)),
    ];
    const why = world.app.output().slice(-4_000);
    expect(
      deliveries.map((d) => d.status),
      why,
    ).toEqual([200, 200, 200, 200, 200]);

    const writes = writesIn(fake.requests);
    const kinds = writes.map((r) => r.operation);
    // Every kind of report was written: check runs (with annotations), a comment, a tracking issue.
    expect(kinds.filter((k) => k === "POST /repos/{owner}/{repo}/check-runs").length, why).toBe(4);
    expect(kinds, why).toContain("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(kinds, why).toContain("POST /repos/{owner}/{repo}/issues");
    expect(writes.flatMap(problemsOf)).toEqual([]);
    expect(fake.problems).toEqual([]);
  });

  it("shows the hostile text escaped, not dropped: the reports still say what they found", () => {
    const runs = world.fake.state.repo(REPO).checkRuns;
    const summaries = runs.map((r) => r.output.summary ?? "").join("\n");
    // The proposed manifest's hostile key, the CODEOWNERS owners and the release tag, all escaped.
    expect(summaries).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(summaries).toContain("@\u200bevil-user");
    expect(summaries).toContain(
      "v1&lt;img/src=x/onerror=alert(1)&gt;@\u200balice#\u200b12\\`\\$x\\$\\`GH-\u200b4",
    );
    const annotations = runs.flatMap((r) => r.output.annotations as { message: string }[]);
    expect(annotations.some((a) => a.message.includes("unknown key"))).toBe(true);
    expect(annotations.some((a) => a.message.endsWith("…"))).toBe(true);
    const tracking = world.fake.state.repo(REPO).issues.find((i) => i.labels.includes("pom-governance"));
    // The unreleased change is named by its (cut, escaped) 70 KB headline.
    expect(tracking?.body).toContain("release.unreleased");
    expect(tracking?.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const comments = world.fake.state.commentsOn(REPO, ISSUE.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("outcome.issue");
    expect(comments[0]?.body).toContain("problem.issue");
  });
});
