/**
 * Redelivery with two replicas sharing one Redis: the job runs every second on each replica's
 * schedule, and the fake GitHub's delivery log holds failed deliveries (5xx, no answer), refused
 * ones (4xx) and enough successes for several pages. Counted at the fake and in the replicas' logs:
 * each tick is run by one replica at most, every failed GUID is asked for exactly once (also when
 * its redelivery fails again), a refused one never, and the log is read at ⌈attempts / 100⌉ pages
 * a run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, startApp, waitFor } from "../../testkit/app-process.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";
import { hookDeliveries } from "../../testkit/hook-deliveries.js";
import { orgName, repoName } from "../../testkit/scale-seed.js";
import { exampleOf, retarget } from "../../testkit/webhooks.js";
import { REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";
import { replicaEnv, startScaleFake, tearDown } from "./harness.js";

const SECRET = "scale-webhook-secret";

if (!REDIS_URL) console.warn(`skipping the several-replica redelivery tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("two replicas redelivering through one Redis", () => {
  const prefix = testPrefix("redelivery");
  let fake: FakeGitHub;
  let replicas: AppProcess[] = [];
  const failed: string[] = [];
  const refused: string[] = [];
  /** GUIDs whose redelivery fails too. */
  const failingAgain = new Set<string>();

  beforeAll(async () => {
    let privateKey: string;
    ({ fake, privateKey } = await startScaleFake(1, 2));
    // A push to a branch that is not the default: handled, and nothing to judge.
    const payload = retarget(exampleOf("push"), {
      owner: orgName(0),
      name: repoName(0),
      defaultBranch: "main",
    });
    Object.assign(payload, { ref: "refs/heads/feature", deleted: false });
    const log = fake.state.deliveries;
    for (let i = 0; i < 150; i++) log.record({ event: "push", payload, statusCode: 200 });
    for (const code of [502, 0, 503, 500, 0, 504])
      failed.push(log.record({ event: "push", payload, statusCode: code }).guid);
    for (const code of [400, 404])
      refused.push(log.record({ event: "push", payload, statusCode: code }).guid);
    for (const guid of failed.slice(0, 2)) failingAgain.add(guid);
    const env = replicaEnv(fake, privateKey, prefix, {
      WEBHOOK_SECRET: SECRET,
      POM_SWEEP_CRON: "off",
      POM_REDELIVERY_CRON: "* * * * * *",
    });
    replicas = await Promise.all(["a", "b"].map((name) => startApp(`replica-${name}`, env)));
    let turn = 0;
    hookDeliveries(fake, () => (replicas[turn++ % replicas.length] as AppProcess).url, { secret: SECRET });
    const send = log.onRedeliver;
    log.onRedeliver = async (delivery) =>
      failingAgain.has(delivery.guid) ? 502 : ((await send?.(delivery)) ?? 0);
  }, 120_000);

  afterAll(() => tearDown(replicas, fake, prefix));

  const runs = () =>
    replicas.flatMap((r) =>
      r
        .logs()
        .filter((l) => l.msg === "redelivery run")
        .map((l) => Object.assign({ replica: r.name }, l)),
    );

  it("runs each tick on one replica, and asks for each failed GUID once, a refused one never", async () => {
    await waitFor(
      "every failed GUID to be asked for",
      () => failed.every((guid) => fake.state.deliveries.requested.some((r) => r.guid === guid)),
      30_000,
    );
    // A few more ticks: the redeliveries (two of them failed again) are in the log by then.
    const after = runs().length;
    await waitFor("four more runs", () => runs().length >= after + 4, 20_000);
    await fake.state.deliveries.settled();

    const asked = fake.state.deliveries.requested.map((r) => r.guid);
    expect(asked.sort()).toEqual([...failed].sort());
    for (const guid of refused) expect(asked).not.toContain(guid);

    const all = runs();
    const ticks = all.map((r) => String(r.tick));
    expect(new Set(ticks).size, JSON.stringify(all.slice(-6))).toBe(ticks.length);
    expect(all.reduce((n, r) => n + Number(r.requested ?? 0), 0)).toBe(failed.length);
    // The list calls are what the runs say they read: ⌈attempts / 100⌉ a run.
    for (const run of all) expect(run.pages).toBe(Math.max(1, Math.ceil(Number(run.attempts) / 100)));
    const lists = fake.requests.filter((r) => r.operation === "GET /app/hook/deliveries");
    expect(lists).toHaveLength(all.reduce((n, r) => n + Number(r.pages), 0));
    expect(fake.problems).toEqual([]);
  }, 90_000);
});
