/**
 * Verdicts that stay true, against the real server and the loopback fake GitHub: a pull request's
 * check follows its linked issue, the default branch's manifest and the org policy, though GitHub
 * sends the pull request no event for any of them; a merge queue's group gets the check too; and
 * a pull request whose head lost its check (the app was down) gets one from the next sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { shaOf } from "../../testkit/fake-github/server.js";
import type { FakeSeed } from "../../testkit/fake-github/state.js";
import { exampleOf, retarget } from "../../testkit/webhooks.js";
import {
  type AppUnderTest,
  issueOpened,
  pullRequestOpened,
  pushToDefaultBranch,
  startAppUnderTest,
  writesIn,
} from "../security/app-under-test.js";

const ONE = { owner: "acme", name: "one", defaultBranch: "main" };
const TWO = { owner: "acme", name: "two", defaultBranch: "main" };
const DOTGITHUB = { owner: "acme", name: ".github", defaultBranch: "main" };

const manifest = (patch: Record<string, unknown> = {}) =>
  stringify({
    version: 1,
    product: { name: "One" },
    team: { name: "Core", github: "acme/core" },
    release: { cadence: "14d" },
    outcomes: [
      { id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "active" },
      { id: "CHK-13", title: "Faster pages", metric: "m", target: "1", status: "active" },
    ],
    ...patch,
  });
const POLICY = stringify({ version: 1 });
const STRICT_POLICY = stringify({
  version: 1,
  rules: { "outcome.pull_request": "error" },
  locked: ["outcome.pull_request"],
});

const sha = (name: string) => shaOf(`rejudge ${name}`);
const GROUP_GREEN = sha("group green");
const GROUP_RED = sha("group red");
const DAY = 86_400_000;

function seed(publicKey: string): FakeSeed {
  const at = new Date(Date.now() - DAY).toISOString();
  const commits = [{ message: "Initial commit", date: at }];
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      { ...DOTGITHUB, files: { ".github/pom-policy.yml": POLICY }, commits },
      {
        ...ONE,
        files: { ".github/pom.yml": manifest(), ".github/CODEOWNERS": "* @acme/core\n" },
        commits,
        releases: [{ tag: "v1.0.0", publishedAt: at }],
        issues: [{ number: 7, title: "Checkout is slow", body: "## Problem\nIt is slow." }],
        pulls: [
          {
            number: 8,
            title: "Speed up checkout",
            body: "Fixes #7",
            headSha: sha("8"),
            closingIssues: [7],
            files: ["src/a.ts"],
          },
          { number: 9, title: "CHK-12: one-page form", body: "", headSha: sha("9"), files: ["src/b.ts"] },
          { number: 10, title: "Tidy up", body: "", headSha: sha("10"), files: ["src/c.ts"] },
          { number: 11, title: "CHK-13: lazy images", body: "", headSha: sha("11"), files: ["src/d.ts"] },
        ],
      },
      {
        ...TWO,
        files: { ".github/pom.yml": manifest({ rules: { "outcome.pull_request": "warn" } }) },
        commits,
        releases: [{ tag: "v1.0.0", publishedAt: at }],
        pulls: [
          { number: 3, title: "Rename things", body: "", headSha: sha("two 3"), files: ["src/x.ts"] },
          // Opened while the app was down: no event, no check.
          { number: 4, title: "CHK-13: preload fonts", body: "", headSha: sha("two 4"), files: ["src/e.ts"] },
        ],
      },
    ],
    teams: [
      { org: "acme", slug: "core", members: ["erin"], repos: { "acme/one": "push", "acme/two": "push" } },
    ],
  };
}

let world: AppUnderTest;
const runsOn = (repo: string, head: string) =>
  world.fake.state.repo(repo).checkRuns.filter((r) => r.head_sha === head && r.name === "POM governance");
const checkWrites = (repo: string) =>
  writesIn(world.fake.requests).filter((r) => r.path.includes(`/repos/${repo}/check-runs`));
const why = () => world.app.output().slice(-4_000);

async function openPull(target: typeof ONE, number: number, title: string, body: string) {
  const delivery = await world.send(
    "pull_request",
    pullRequestOpened(target, {
      number,
      title,
      body,
      sha: sha(`${target.name === "one" ? "" : "two "}${number}`),
    }),
  );
  expect(delivery.status, why()).toBe(200);
}

beforeAll(async () => {
  world = await startAppUnderTest(seed, { POM_SWEEP_CRON: "off" });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("a pull request's check follows what its verdict depends on", () => {
  it("turns green when the issue it closes is edited to name an active outcome, with no pull request event", async () => {
    await openPull(ONE, 8, "Speed up checkout", "Fixes #7");
    expect(
      runsOn("acme/one", sha("8")).map((r) => r.conclusion),
      why(),
    ).toEqual(["failure"]);

    world.fake.state.issue("acme/one", 7).title = "CHK-12: checkout is slow";
    const edited = issueOpened(ONE, {
      number: 7,
      title: "CHK-12: checkout is slow",
      body: "## Problem\nIt is slow.",
    });
    edited.action = "edited";
    expect((await world.send("issues", edited)).status, why()).toBe(200);
    expect(
      runsOn("acme/one", sha("8")).map((r) => r.conclusion),
      why(),
    ).toEqual(["success"]);

    // Edited again, changing nothing a verdict reads: nothing is written.
    const before = checkWrites("acme/one").length;
    const again = structuredClone(edited);
    (again.issue as { body: string }).body = "## Problem\nIt is slow.";
    expect((await world.send("issues", again)).status).toBe(200);
    expect(checkWrites("acme/one").length, why()).toBe(before);
  });

  it("turns red when the outcome it serves is marked achieved on the default branch", async () => {
    await openPull(ONE, 9, "CHK-12: one-page form", "");
    expect(
      runsOn("acme/one", sha("9")).map((r) => r.conclusion),
      why(),
    ).toEqual(["success"]);

    const achieved = manifest({
      outcomes: [
        { id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "achieved" },
        { id: "CHK-13", title: "Faster pages", metric: "m", target: "1", status: "active" },
      ],
    });
    world.fake.state.repo("acme/one").files.set(".github/pom.yml", achieved);
    const head = world.fake.state.addCommit("acme/one", { message: "CHK-12 achieved" });
    const push = pushToDefaultBranch(ONE, head, [".github/pom.yml"]);
    expect((await world.send("push", push)).status, why()).toBe(200);

    const [run] = runsOn("acme/one", sha("9"));
    expect(run?.conclusion, why()).toBe("failure");
    expect(run?.output.summary).toMatch(/CHK-12 \(achieved\)/);
    expect(runsOn("acme/one", sha("9"))).toHaveLength(1);
  });
});

describe("merge queues", () => {
  it("give a group of compliant pull requests a successful check on its head, and a group with one that names no outcome a failure", async () => {
    world.fake.state.repo("acme/one").mergeQueue = [
      { number: 11, headSha: GROUP_GREEN },
      { number: 10, headSha: GROUP_RED },
    ];
    const group = (head: string, number: number) => {
      const payload = retarget(exampleOf("merge_group", "checks_requested"), ONE);
      Object.assign(payload.merge_group, {
        head_sha: head,
        head_ref: `refs/heads/gh-readonly-queue/main/pr-${number}-${head}`,
        base_ref: "refs/heads/main",
      });
      return payload;
    };
    expect((await world.send("merge_group", group(GROUP_GREEN, 11))).status, why()).toBe(200);
    expect((await world.send("merge_group", group(GROUP_RED, 10))).status, why()).toBe(200);
    expect(
      runsOn("acme/one", GROUP_GREEN).map((r) => r.conclusion),
      why(),
    ).toEqual(["success"]);
    const [red] = runsOn("acme/one", GROUP_RED);
    expect(red?.conclusion).toBe("failure");
    // (GitHub would link "#10": the summary escapes it with a zero-width space.)
    expect(red?.output.summary).toMatch(/#\u200b?10: /u);
  });
});

describe("a changed org policy", () => {
  it("sweeps the installation: pull requests whose verdict changes are written, the others not; a lost check is created", async () => {
    await openPull(TWO, 3, "Rename things", "");
    expect(
      runsOn("acme/two", sha("two 3")).map((r) => r.conclusion),
      why(),
    ).toEqual(["neutral"]);
    expect(runsOn("acme/two", sha("two 4"))).toEqual([]);
    const oneWrites = checkWrites("acme/one").length;

    world.fake.state.repo("acme/.github").files.set(".github/pom-policy.yml", STRICT_POLICY);
    const head = world.fake.state.addCommit("acme/.github", { message: "Outcomes are required" });
    const push = pushToDefaultBranch(DOTGITHUB, head, [".github/pom-policy.yml"]);
    expect((await world.send("push", push)).status, why()).toBe(200);
    await waitFor(() => world.app.output().includes("installation swept after its org policy changed"));

    // acme/two's level rose from warn to error: its pull request now fails.
    expect(
      runsOn("acme/two", sha("two 3")).map((r) => r.conclusion),
      why(),
    ).toEqual(["failure"]);
    // Its pull request without a check got one.
    expect(
      runsOn("acme/two", sha("two 4")).map((r) => r.conclusion),
      why(),
    ).toEqual(["success"]);
    // acme/one already judged outcome.pull_request at error: nothing of it was written again.
    expect(checkWrites("acme/one").slice(oneWrites), why()).toEqual([]);
    expect(world.fake.problems).toEqual([]);
  });
});

async function waitFor(done: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting\n${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
