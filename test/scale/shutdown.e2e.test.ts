/**
 * A replica told to stop (SIGTERM) while GitHub hangs: it waits for the jobs in its hands only
 * POM_SHUTDOWN_TIMEOUT_MS, then exits, and another replica takes those jobs back once their
 * locks expire and finishes the run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, startApp, waitFor } from "../../testkit/app-process.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";
import { replicaEnv, startScaleFake, tearDown } from "./harness.js";

const TOKEN = "shutdown-dashboard-token-0123456789";

if (!REDIS_URL) console.warn(`skipping the shutdown tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("stopping a replica whose jobs hang", () => {
  const prefix = testPrefix("shutdown");
  let fake: FakeGitHub;
  let env: Record<string, string>;
  const started: AppProcess[] = [];

  beforeAll(async () => {
    let privateKey: string;
    ({ fake, privateKey } = await startScaleFake(1, 20));
    env = replicaEnv(fake, privateKey, prefix, {
      WEBHOOK_SECRET: "shutdown-webhook-secret",
      POM_GITHUB_THROTTLE: "off",
      POM_GITHUB_TIMEOUT_MS: "60000",
      POM_SWEEP_CRON: "off",
      POM_DASHBOARD_TOKEN: TOKEN,
      POM_SHUTDOWN_TIMEOUT_MS: "1000",
      POM_JOB_LOCK_MS: "3000",
      POM_JOB_STALLED_CHECK_MS: "1000",
      POM_BATCH_WAIT_MS: "50",
    });
  }, 60_000);

  afterAll(() => tearDown(started, fake, prefix));

  it("exits soon after its deadline, and another replica finishes the run", async () => {
    const first = await startApp("stopping", env);
    started.push(first);
    // Every GraphQL query hangs: the batch in its hands cannot finish.
    const hang = fake.inject({ match: "POST /graphql", delayMs: 20_000, times: Number.POSITIVE_INFINITY });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const res = await fetch(`${first.url}/pom/sweep/run`, { method: "POST", headers: auth });
    const { runId } = (await res.json()) as { runId: string };
    await waitFor(
      "a batch to start",
      () => first.logs().some((l) => l.msg === "sweep batch started"),
      20_000,
      20,
    );

    const stopping = Date.now();
    first.child.kill("SIGTERM");
    await waitFor("the replica to exit", () => !first.alive(), 15_000, 50);
    expect(Date.now() - stopping).toBeLessThan(6_000);
    expect(first.exitCode()).toBe(0);
    expect(first.logs().some((l) => /left to the other replicas/.test(l.msg))).toBe(true);

    hang.remove();
    const second = await startApp("taking-over", env);
    started.push(second);
    const report = await waitFor(
      "the run's report",
      async () => {
        const status = (await (await fetch(`${second.url}/pom/sweep.json`, { headers: auth })).json()) as {
          lastReports: { runId: string; repos: number; failed: number }[];
        };
        return status.lastReports.find((r) => r.runId === runId);
      },
      40_000,
      200,
    );
    expect(report).toMatchObject({ repos: 20, failed: 0 });
    expect(second.logs().some((l) => /stalled/.test(l.msg))).toBe(true);
  }, 90_000);
});
