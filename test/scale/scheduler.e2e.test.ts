/**
 * The sweep's schedule with several replicas: every replica upserts the same BullMQ job
 * scheduler, so each cron tick makes one run, planned once, whichever replica takes it, and each
 * repository is judged once per run.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, type LogLine, startApp, waitFor } from "../../testkit/app-process.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";
import { replicaEnv, startScaleFake, tearDown } from "./harness.js";

if (!REDIS_URL) console.warn(`skipping the scheduler tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("the sweep schedule shared by three replicas", () => {
  const prefix = testPrefix("schedule");
  let fake: FakeGitHub;
  let replicas: AppProcess[] = [];

  beforeAll(async () => {
    let privateKey: string;
    ({ fake, privateKey } = await startScaleFake(2, 30));
    const env = replicaEnv(fake, privateKey, prefix, {
      WEBHOOK_SECRET: "schedule-webhook-secret",
      POM_GITHUB_THROTTLE: "off",
      POM_SWEEP_CRON: "*/3 * * * * *",
      POM_BATCH_WAIT_MS: "50",
    });
    replicas = await Promise.all(["a", "b", "c"].map((name) => startApp(`scheduled-${name}`, env)));
  }, 60_000);

  afterAll(() => tearDown(replicas, fake, prefix));

  it("plans each tick's run once, on one replica, and judges each repository once per run", async () => {
    const logs = (msg: string): LogLine[] =>
      replicas.flatMap((r) =>
        r
          .logs()
          .filter((l) => l.msg === msg)
          .map((l) => ({ ...l, by: r.name })),
      );
    /** The runs whose two reports are both kept. */
    const complete = () => {
      const byRun = new Map<string, string[]>();
      for (const l of logs("organization report kept"))
        byRun.set(String(l.runId), [...(byRun.get(String(l.runId)) ?? []), String(l.org)]);
      return [...byRun.entries()].filter(([, orgs]) => orgs.length >= 2);
    };
    await waitFor("three runs to be reported", () => complete().length >= 3, 30_000, 100);
    const planned = logs("sweep run planned");
    const runs = planned.map((l) => String(l.runId));
    // One plan per run (the scheduler made one job per tick, not one per replica).
    expect(new Set(runs).size).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const l of planned) expect(l).toMatchObject({ installations: 2, repositories: 60 });
    // Each run kept each account's report once (a run still going may lack one), every
    // repository in it.
    for (const [runId, orgs] of complete()) expect(orgs.sort(), runId).toEqual(["org00", "org01"]);
    const reports = logs("organization report kept");
    for (const runId of new Set(reports.map((l) => String(l.runId)))) {
      const orgs = reports.filter((l) => l.runId === runId).map((l) => String(l.org));
      expect(new Set(orgs).size, runId).toBe(orgs.length);
    }
    expect(reports.every((l) => l.repos === 30)).toBe(true);
    // Runs are told apart by their scheduled time.
    expect(runs.every((r) => /^run\d+$/.test(r))).toBe(true);
    expect(fake.problems).toEqual([]);
  }, 60_000);
});
