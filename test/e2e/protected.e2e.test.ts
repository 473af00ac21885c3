/**
 * manifest.protected through the real server and the loopback fake GitHub: a pull request that
 * hands the repository to another team waits on the governance team; a real `pull_request_review`
 * delivery (submitted, then dismissed) judges it again, and a comment-only review judges nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { shaOf } from "../../testkit/fake-github/server.js";
import type { FakeSeed } from "../../testkit/fake-github/state.js";
import { exampleOf, type Payload, retarget } from "../../testkit/webhooks.js";
import {
  type AppUnderTest,
  pullRequestOpened,
  startAppUnderTest,
  writesIn,
} from "../security/app-under-test.js";

const ONE = { owner: "acme", name: "one", defaultBranch: "main" };
const DOTGITHUB = { owner: "acme", name: ".github", defaultBranch: "main" };
const DAY = 86_400_000;

const manifest = (github: string) =>
  stringify({
    version: 1,
    product: { name: "One" },
    team: { name: "Core", github },
    release: { cadence: "14d" },
    outcomes: [{ id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "active" }],
  });
const POLICY = stringify({
  version: 1,
  governance_team: "acme/platform",
  rules: { "manifest.protected": "error" },
});
const HEAD = shaOf("protected e2e 5");
const PR = { number: 5, title: "CHK-12: hand over to growth", body: "", sha: HEAD };

function seed(publicKey: string): FakeSeed {
  const at = new Date(Date.now() - DAY).toISOString();
  const commits = [{ message: "Initial commit", date: at }];
  const files = { ".github/pom.yml": manifest("acme/core"), ".github/CODEOWNERS": "* @acme/core\n" };
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      { ...DOTGITHUB, files: { ".github/pom-policy.yml": POLICY }, commits },
      {
        ...ONE,
        files,
        filesAt: { [HEAD]: { ...files, ".github/pom.yml": manifest("acme/growth") } },
        commits,
        releases: [{ tag: "v1.0.0", publishedAt: at }],
        pulls: [{ number: 5, title: PR.title, body: "", headSha: HEAD, files: [".github/pom.yml"] }],
      },
    ],
    teams: [
      { org: "acme", slug: "core", members: ["erin"], repos: { "acme/one": "push" } },
      { org: "acme", slug: "platform", members: ["gwen"] },
    ],
  };
}

let world: AppUnderTest;
const why = () => world.app.output().slice(-4_000);
const latestRun = () =>
  world.fake.state
    .repo("acme/one")
    .checkRuns.filter((r) => r.head_sha === HEAD && r.name === "POM governance")
    .at(-1);

/** A real `pull_request_review` delivery of `action`, moved onto pull request 5 of acme/one. */
function review(action: "submitted" | "dismissed", login: string, state: string): Payload {
  const payload = retarget(exampleOf("pull_request_review", action), ONE);
  payload.pull_request = pullRequestOpened(ONE, PR).pull_request;
  payload.pull_request.updated_at = new Date().toISOString();
  payload.review = { ...payload.review, state, commit_id: HEAD, user: { ...payload.review.user, login } };
  return payload;
}

beforeAll(async () => {
  world = await startAppUnderTest(seed, { POM_SWEEP_CRON: "off" });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("manifest.protected in the app", () => {
  it("fails a hand-over without the governance team's approval, naming who must approve", async () => {
    const delivery = await world.send("pull_request", pullRequestOpened(ONE, PR));
    expect(delivery.status, why()).toBe(200);
    const run = latestRun();
    expect(run?.conclusion, why()).toBe("failure");
    expect(run?.output.summary).toMatch(/manifest\.protected/);
    // Logins and teams are escaped so that the summary mentions no one (a zero-width space after @).
    expect(run?.output.summary).toMatch(/ask a member of @\u200bacme\/platform to approve/);
  });

  it("a comment-only review judges nothing", async () => {
    world.fake.reset();
    const delivery = await world.send("pull_request_review", review("submitted", "gwen", "commented"));
    expect(delivery.status, why()).toBe(200);
    expect(world.fake.requests.filter((r) => r.operation === "POST /graphql")).toEqual([]);
    expect(writesIn(world.fake.requests)).toEqual([]);
  });

  it("an approving review from the governance team, delivered as pull_request_review, turns the check green", async () => {
    const approval = world.fake.state.addReview("acme/one", 5, { login: "gwen", state: "APPROVED" });
    const delivery = await world.send("pull_request_review", review("submitted", "gwen", "approved"));
    expect(delivery.status, why()).toBe(200);
    expect(latestRun()?.conclusion, why()).toBe("success");

    // Dismissed: the approval no longer stands, and the check goes back to failure.
    world.fake.state.dismissReview("acme/one", 5, approval.id);
    const dismissed = await world.send("pull_request_review", review("dismissed", "gwen", "dismissed"));
    expect(dismissed.status, why()).toBe(200);
    expect(latestRun()?.conclusion, why()).toBe("failure");
  });
});
