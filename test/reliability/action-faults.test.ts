/**
 * The committed action bundle (`node action/dist/index.cjs`, as the runner runs it) while GitHub
 * misbehaves: each run has a repository and a token of its own, and the fake aims its faults at
 * that repository's requests. A run ends with the right verdict after retries, or with a job
 * summary and outputs that name the fact that could not be read (`unknown`, conclusion not
 * `success`), or with a failed step that says what went wrong; never with a crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, findingOf, installationToken, runAction } from "../../testkit/action-runner.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import {
  appKeys,
  CHECK_NAME,
  CRASH,
  FAST_GITHUB,
  OWNER,
  pushPayload,
  reliabilitySeed,
  TIMEOUT_MS,
  warmUp,
} from "./helpers.js";

const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";
const TEAM_REPO = "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}";
const NAMES = [
  "burst",
  "limits",
  "graphqllimit",
  "slow",
  "down",
  "expired",
  "expiredread",
  "noowners",
  "lostcheck",
];

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub(
    reliabilitySeed({ now: Date.now(), publicKey: appKeys().publicKey, names: NAMES }),
  );
  await warmUp(fake, "burst");
}, 60_000);

afterAll(async () => {
  try {
    expect(fake.problems).toEqual([]);
  } finally {
    await fake?.close();
  }
});

/** The action on a push to `name`'s default branch (repository rules), with short GitHub timeouts. */
function checkRepository(name: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    fake,
    repository: `${OWNER}/${name}`,
    event: "push",
    payload: pushPayload(fake, name),
    inputs: { token: installationToken(fake, 1), ...inputs },
    env: FAST_GITHUB,
  });
}

function expectNoCrash(run: ActionRun): void {
  expect(run.code === 0 || run.code === 1, run.describe()).toBe(true);
  expect(run.stderr, run.describe()).not.toMatch(CRASH);
  expect(run.stderr, run.describe()).not.toMatch(/\n\s+at /);
}

describe.concurrent("the action while GitHub fails in passing", () => {
  it("rides out 5xx bursts to the right verdict and one check run", async () => {
    const faults = [
      fake.inject({ match: CONTENTS, repo: `${OWNER}/burst`, times: 2, status: 502 }),
      fake.inject({ match: TEAM_REPO, repo: `${OWNER}/burst`, status: 500 }),
      fake.inject({ match: "POST /graphql", repo: `${OWNER}/burst`, status: 503 }),
    ];
    const run = await checkRepository("burst", { "check-run": "true" });
    expectNoCrash(run);
    expect(faults.map((f) => f.hits)).toEqual([2, 1, 1]);
    expect(run.code, run.describe()).toBe(0);
    expect(run.outputs.conclusion).toBe("success");
    const runs = fake.state.repo(`${OWNER}/burst`).checkRuns.filter((r) => r.name === CHECK_NAME);
    expect(runs.map((r) => r.conclusion)).toEqual(["success"]);
  });

  it("waits out a 429 and a secondary rate limit as told by retry-after", async () => {
    const faults = [
      fake.inject({ match: CONTENTS, repo: `${OWNER}/limits`, status: 429, headers: { "retry-after": "1" } }),
      fake.inject({
        match: TEAM_REPO,
        repo: `${OWNER}/limits`,
        status: 403,
        headers: { "retry-after": "1" },
        body: { message: "You have exceeded a secondary rate limit." },
      }),
    ];
    const run = await checkRepository("limits");
    expectNoCrash(run);
    expect(faults.map((f) => f.hits)).toEqual([1, 1]);
    expect(run.outputs.conclusion, run.describe()).toBe("success");
  });

  it("retries a GraphQL answer of RATE_LIMITED once the limit resets", async () => {
    const fault = fake.inject({
      match: "POST /graphql",
      repo: `${OWNER}/graphqllimit`,
      status: 200,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000)) },
      body: { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] },
    });
    const run = await checkRepository("graphqllimit");
    expectNoCrash(run);
    expect(fault.hits).toBe(1);
    expect(run.outputs.conclusion, run.describe()).toBe("success");
    expect(findingOf(run, "release.unreleased").status).toBe("pass");
  });
});

describe.concurrent("the action when GitHub does not recover in time", () => {
  it("names a fact whose answers come after the timeout in its summary, and fails the step", async () => {
    const fault = fake.inject({
      match: TEAM_REPO,
      repo: `${OWNER}/slow`,
      times: Infinity,
      delayMs: 2.5 * TIMEOUT_MS,
    });
    const run = await checkRepository("slow");
    fault.remove();
    expectNoCrash(run);
    expect(fault.hits).toBe(3);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    const team = findingOf(run, "ownership.team");
    expect(team.status).toBe("unknown");
    expect(team.message).toContain(`no answer from GitHub within ${TIMEOUT_MS} ms`);
    expect(run.summary).toMatch(/`ownership\.team` \| [^|]*unknown/);
  });

  it("fails with the reason when the manifest cannot be read (503 throughout)", async () => {
    const fault = fake.inject({ match: CONTENTS, repo: `${OWNER}/down`, times: Infinity, status: 503 });
    const run = await checkRepository("down");
    fault.remove();
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    const manifest = findingOf(run, "manifest.valid");
    expect(manifest.status).toBe("unknown");
    expect(manifest.message).toContain("GitHub answered 503");
  });

  it("names an expired token (401) in its summary, without retrying it", async () => {
    const fault = fake.inject({
      match: CONTENTS,
      repo: `${OWNER}/expiredread`,
      times: Infinity,
      status: 401,
    });
    const run = await checkRepository("expiredread");
    fault.remove();
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    expect(findingOf(run, "manifest.valid").message).toContain("GitHub refused the credentials (401)");
    expect(fault.hits).toBe(1);
  });

  it("fails the step with GitHub's word when the token is refused everywhere (401)", async () => {
    const fault = fake.inject({
      match: "*",
      repo: `${OWNER}/expired`,
      times: Infinity,
      status: 401,
      body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
    });
    const run = await checkRepository("expired");
    fault.remove();
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.errors.map((e) => e.message).join("\n"), run.describe()).toMatch(
      /POM governance could not run: GitHub refused the credentials \(401\)/,
    );
    // Each request once: a refused token is not tried again.
    expect(new Set(run.requests.map((r) => `${r.method} ${r.path}`)).size).toBe(run.requests.length);
  });

  it("takes 404s for CODEOWNERS as a repository without one: a warning, the step passes", async () => {
    const fault = fake.inject({
      match: (r) => r.operation === CONTENTS && r.path.includes("CODEOWNERS"),
      repo: `${OWNER}/noowners`,
      times: Infinity,
      status: 404,
    });
    const run = await checkRepository("noowners");
    fault.remove();
    expectNoCrash(run);
    expect(run.code, run.describe()).toBe(0);
    expect(run.outputs.conclusion).toBe("neutral");
    expect(findingOf(run, "ownership.codeowners").status).toBe("fail");
  });

  it("sends the check run again when its answer was lost: the commit has its check, with at most one more run of its name", async () => {
    const fault = fake.inject({
      match: "POST /repos/{owner}/{repo}/check-runs",
      repo: `${OWNER}/lostcheck`,
      reset: true,
      afterProcessing: true,
    });
    const run = await checkRepository("lostcheck", { "check-run": "true" });
    expectNoCrash(run);
    expect(fault.hits).toBe(1);
    // A check run created twice is harmless (GitHub shows the newest); one never created blocks
    // a pull request that requires it: its creation is sent again.
    expect(run.code, run.describe()).toBe(0);
    const runs = fake.state.repo(`${OWNER}/lostcheck`).checkRuns.filter((r) => r.name === CHECK_NAME);
    expect(runs.map((r) => r.conclusion)).toEqual(["success", "success"]);
    expect(run.summary, run.describe()).toMatch(/^## POM governance \(repo\): /m);
    expect(run.outputs.conclusion, run.describe()).toBe("success");
  });
});
