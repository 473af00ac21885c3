/**
 * The app server (`node dist/app/server.js`) while GitHub misbehaves: the loopback fake injects
 * 5xx bursts, secondary and primary rate limits, 429s, cut connections, answers slower than the
 * request timeout, 404s and 401s into one scenario's requests at a time. Each delivery must end in
 * the right verdict after retries, or in a check run that names the fact that could not be read
 * (`unknown`, never `success`); never in a crash, a hung delivery or a silent pass. Meanwhile the
 * server keeps serving other deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, ensureBuilt, waitFor } from "../../testkit/app-process.js";
import { CHECKOUT_MANIFEST } from "../../testkit/e2e-seed.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { deliver } from "../../testkit/webhooks.js";
import {
  appKeys,
  CRASH,
  checkRunsOn,
  governedRepo,
  OWNER,
  pullRequestPayload,
  pushPayload,
  reliabilitySeed,
  requestsAbout,
  SECRET,
  startReliabilityApp,
  TIMEOUT_MS,
  tail,
  warmUp,
} from "./helpers.js";

const SCENARIOS = [
  "burst",
  "secondary",
  "toomany",
  "spent",
  "cut",
  "slow",
  "busy",
  "down",
  "noowners",
  "expired",
  "expiredread",
  "retried",
];
const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";
const TEAM_REPO = "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}";
const CHECK_RUNS = "POST /repos/{owner}/{repo}/check-runs";

let fake: FakeGitHub;
let app: AppProcess;

function diagnostics(name?: string): string {
  return [
    ...(name ? [`--- requests about ${name} ---\n${requestsAbout(fake, name).join("\n")}`] : []),
    `--- app log (tail) ---\n${tail(app)}`,
    `--- fake problems ---\n${fake.problems.join("\n")}`,
  ].join("\n");
}

/** Pushes a CODEOWNERS change to `name` and returns the delivery and the check runs on its head. */
async function checkRepository(name: string) {
  const payload = pushPayload(fake, name);
  const delivery = await deliver(app.url, "push", payload, { secret: SECRET });
  return { delivery, runs: checkRunsOn(fake, name, payload.after as string) };
}

/** The markdown row of `rule` in a check run summary. */
function rowOf(summary: string | null | undefined, rule: string): string {
  return (summary ?? "").split("\n").find((l) => l.includes(`\`${rule}\``)) ?? `(no row for ${rule})`;
}

beforeAll(async () => {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  const now = Date.now();
  // acme/noteam is owned by acme/platform, so that a fault on that team's route hits it alone.
  const noteam = governedRepo("noteam", now);
  noteam.files = {
    ...noteam.files,
    ".github/pom.yml": CHECKOUT_MANIFEST.replace("acme/payments", "acme/platform"),
  };
  const platform = {
    org: OWNER,
    slug: "platform",
    members: ["alice", "bob", "carol"],
    repos: { "acme/noteam": "push" as const },
  };
  fake = await startFakeGitHub(
    reliabilitySeed({ now, publicKey, names: SCENARIOS, repos: [noteam], teams: [platform] }),
  );
  await warmUp(fake, "busy");
  await build;
  app = await startReliabilityApp("app", fake, privateKey);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("the app's first delivery", () => {
  it("rides out 5xx bursts (token, contents, team, GraphQL) to the right verdict", async () => {
    const faults = [
      fake.inject({ match: "POST /app/installations/{installation_id}/access_tokens", status: 502 }),
      fake.inject({ match: CONTENTS, repo: `${OWNER}/burst`, status: 500 }),
      fake.inject({ match: CONTENTS, repo: `${OWNER}/burst`, status: 502 }),
      fake.inject({ match: TEAM_REPO, repo: `${OWNER}/burst`, status: 503 }),
      fake.inject({ match: "POST /graphql", repo: `${OWNER}/burst`, status: 504 }),
    ];
    const { delivery, runs } = await checkRepository("burst");
    expect(delivery.status, diagnostics("burst")).toBe(200);
    expect(faults.map((f) => f.hits)).toEqual([1, 1, 1, 1, 1]);
    expect(runs, diagnostics("burst")).toHaveLength(1);
    expect(runs[0]?.conclusion, diagnostics("burst")).toBe("success");
    const tokens = fake.requests.filter((r) => r.operation?.startsWith("POST /app/installations"));
    expect(tokens.map((r) => r.status)).toEqual([502, 201]);
  });
});

// Each scenario has a repository of its own and aims its faults at it, so they run side by side.
describe.concurrent("the app while GitHub fails in passing", () => {
  it("waits out a secondary rate limit for as long as retry-after says, then carries on", async () => {
    const fault = fake.inject({
      match: TEAM_REPO,
      repo: `${OWNER}/secondary`,
      status: 403,
      headers: { "retry-after": "1" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    const { delivery, runs } = await checkRepository("secondary");
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("secondary"),
    ).toEqual(["success"]);
    const attempts = fake.requests.filter((r) => r.operation === TEAM_REPO && r.path.includes("/secondary"));
    expect(attempts.map((r) => r.status)).toEqual([403, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("sends a check run again after a 429 (GitHub did not act on it), and only one is created", async () => {
    const fault = fake.inject({
      match: CHECK_RUNS,
      repo: `${OWNER}/toomany`,
      status: 429,
      headers: { "retry-after": "1" },
    });
    const { delivery, runs } = await checkRepository("toomany");
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("toomany"),
    ).toEqual(["success"]);
    expect(requestsAbout(fake, "toomany").filter((l) => l.includes(CHECK_RUNS))).toEqual([
      `429 ${CHECK_RUNS} [429]`,
      `201 ${CHECK_RUNS}`,
    ]);
  });

  it("creates a pull request's check run after two 502s on its creation: the head commit is not left without it", async () => {
    const fault = fake.inject({ match: CHECK_RUNS, repo: `${OWNER}/retried`, status: 502, times: 2 });
    const sha = shaOf("retried pr 7");
    const delivery = await deliver(app.url, "pull_request", pullRequestPayload("retried", { sha }), {
      secret: SECRET,
    });
    expect(delivery.status, diagnostics("retried")).toBe(200);
    expect(fault.hits).toBe(2);
    expect(checkRunsOn(fake, "retried", sha).map((r) => r.conclusion)).toEqual(["success"]);
    expect(requestsAbout(fake, "retried").filter((l) => l.includes(CHECK_RUNS))).toEqual([
      `502 ${CHECK_RUNS} [502]`,
      `502 ${CHECK_RUNS} [502]`,
      `201 ${CHECK_RUNS}`,
    ]);
  });

  it("waits for x-ratelimit-reset when the rate limit is spent", async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    const fault = fake.inject({
      match: CONTENTS,
      repo: `${OWNER}/spent`,
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      body: { message: "API rate limit exceeded for installation ID 1." },
    });
    const { delivery, runs } = await checkRepository("spent");
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("spent"),
    ).toEqual(["success"]);
  });

  it("reconnects after connections cut without an answer", async () => {
    const faults = [
      fake.inject({ match: CONTENTS, repo: `${OWNER}/cut`, times: 2, reset: true }),
      fake.inject({ match: "POST /graphql", repo: `${OWNER}/cut`, reset: true }),
    ];
    const { delivery, runs } = await checkRepository("cut");
    expect(delivery.status).toBe(200);
    expect(faults.map((f) => f.hits)).toEqual([2, 1]);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("cut"),
    ).toEqual(["success"]);
  });
});

describe.concurrent("the app when GitHub does not recover in time", () => {
  it("names a fact whose answers come after the timeout, and serves other deliveries meanwhile", async () => {
    const fault = fake.inject({
      match: TEAM_REPO,
      repo: `${OWNER}/slow`,
      times: Infinity,
      delayMs: 2.5 * TIMEOUT_MS,
    });
    const finished: string[] = [];
    const slow = checkRepository("slow").then((result) => {
      finished.push("slow");
      return result;
    });
    // The slow check is under way (its team read is waiting) when a pull request comes in.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sha = shaOf("busy pr 7");
    const busy = deliver(app.url, "pull_request", pullRequestPayload("busy", { sha }), {
      secret: SECRET,
    }).then((d) => {
      finished.push("busy");
      return d;
    });
    const [{ delivery, runs }, busyDelivery] = await Promise.all([slow, busy]);
    fault.remove();
    expect(finished).toEqual(["busy", "slow"]);
    expect(busyDelivery.status).toBe(200);
    expect(checkRunsOn(fake, "busy", sha).map((r) => r.conclusion)).toEqual(["success"]);

    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(3);
    expect(runs, diagnostics("slow")).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("failure");
    const row = rowOf(runs[0]?.output.summary, "ownership.team");
    expect(row).toMatch(/unknown/);
    expect(row).toContain(`no answer from GitHub within ${TIMEOUT_MS} ms`);
  });

  it("fails the check with the reason when the manifest cannot be read (503 throughout)", async () => {
    const fault = fake.inject({ match: CONTENTS, repo: `${OWNER}/down`, times: Infinity, status: 503 });
    const { delivery, runs } = await checkRepository("down");
    fault.remove();
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(3);
    expect(runs, diagnostics("down")).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("failure");
    const row = rowOf(runs[0]?.output.summary, "manifest.valid");
    expect(row).toMatch(/unknown/);
    expect(row).toContain("GitHub answered 503");
  });

  it("takes a 404 for the team as a team that does not exist", async () => {
    const fault = fake.inject({
      match: (r) => r.operation === "GET /orgs/{org}/teams/{team_slug}" && r.path.endsWith("/teams/platform"),
      times: Infinity,
      status: 404,
    });
    const { delivery, runs } = await checkRepository("noteam");
    fault.remove();
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("noteam"),
    ).toEqual(["failure"]);
    expect(rowOf(runs[0]?.output.summary, "ownership.team")).toMatch(/fail/);
  });

  it("takes 404s for CODEOWNERS as a repository without one", async () => {
    const fault = fake.inject({
      match: (r) => r.operation === CONTENTS && r.path.includes("CODEOWNERS"),
      repo: `${OWNER}/noowners`,
      times: Infinity,
      status: 404,
    });
    const { delivery, runs } = await checkRepository("noowners");
    fault.remove();
    expect(delivery.status).toBe(200);
    expect(fault.hits).toBeGreaterThan(0);
    expect(
      runs.map((r) => r.conclusion),
      diagnostics("noowners"),
    ).toEqual(["neutral"]);
    expect(rowOf(runs[0]?.output.summary, "ownership.codeowners")).toMatch(/fail/);
  });

  it("reports an expired installation token (401): named in the check, or logged when nothing can be written", async () => {
    const reads = fake.inject({
      match: CONTENTS,
      repo: `${OWNER}/expiredread`,
      times: Infinity,
      status: 401,
    });
    const everything = fake.inject({
      match: (r) => String(r.headers.authorization ?? "").startsWith("token "),
      repo: `${OWNER}/expired`,
      times: Infinity,
      status: 401,
      body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
    });
    const [readOnly, all] = await Promise.all([checkRepository("expiredread"), checkRepository("expired")]);
    reads.remove();
    everything.remove();

    // Reads refused, the check run written: it fails and says why.
    expect(readOnly.runs, diagnostics("expiredread")).toHaveLength(1);
    expect(readOnly.runs[0]?.conclusion).toBe("failure");
    expect(rowOf(readOnly.runs[0]?.output.summary, "manifest.valid")).toContain(
      "GitHub refused the credentials (401)",
    );

    // Nothing can be written: no check run, a failed delivery GitHub shows, a logged error.
    expect(all.runs).toEqual([]);
    expect(all.delivery.status).toBeGreaterThanOrEqual(400);
    const failed = await waitFor("the failure to be logged", () =>
      app.logs().find((l) => l.msg === "governing failed" && String(l.subject).startsWith("push")),
    );
    expect(failed.reason).toBe("GitHub refused the credentials (401): the token is missing or expired");
    expect(app.alive()).toBe(true);
  });
});

describe("after every fault", () => {
  it("is still up, never crashed, and sent GitHub nothing its API would reject", async () => {
    expect(app.alive()).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.output()).not.toMatch(CRASH);
    expect(fake.problems).toEqual([]);
  });
});
