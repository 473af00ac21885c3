/**
 * Verdicts that survive failed writes, end to end: the app server against the loopback fake GitHub,
 * which logs every delivery with its answer (GitHub's "Recent deliveries") and sends a redelivery
 * again when the app asks for one. The redelivery job runs every second here.
 *
 * - Every creation of a check run answered 502: the delivery is answered 5xx, GitHub logs a failed
 *   delivery, and the job asks for it once; the redelivery produces the check.
 * - Retries that outlast the webhook middleware's 9 s acknowledgement: GitHub logs a success (202),
 *   so there is nothing to redeliver; the failed work is kept and judged again on the schedule.
 * - A malformed delivery (400) stays refused: never asked for again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, ensureBuilt, waitFor } from "../../testkit/app-process.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { type HookDeliveries, hookDeliveries } from "../../testkit/hook-deliveries.js";
import {
  appKeys,
  CRASH,
  checkRunsOn,
  OWNER,
  pullRequestPayload,
  pushPayload,
  reliabilitySeed,
  requestsAbout,
  SECRET,
  startReliabilityApp,
  tail,
  warmUp,
} from "./helpers.js";

const CHECK_RUNS = "POST /repos/{owner}/{repo}/check-runs";

let fake: FakeGitHub;
let app: AppProcess;
let github: HookDeliveries;

function diagnostics(name: string): string {
  return [
    `--- requests about ${name} ---\n${requestsAbout(fake, name).join("\n")}`,
    `--- delivery log ---\n${fake.state.deliveries.all.map((d) => `${d.id} ${d.guid} ${d.event} ${d.status_code}${d.redelivery ? " (redelivery)" : ""}`).join("\n")}`,
    `--- app log (tail) ---\n${tail(app, 40)}`,
    `--- fake problems ---\n${fake.problems.join("\n")}`,
  ].join("\n");
}

const asked = (guid: string) => fake.state.deliveries.requested.filter((r) => r.guid === guid);

beforeAll(async () => {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  fake = await startFakeGitHub(
    reliabilitySeed({ now: Date.now(), publicKey, names: ["down", "outlasted", "refused"] }),
  );
  await warmUp(fake, "down");
  await build;
  app = await startReliabilityApp("app", fake, privateKey, {
    env: {
      POM_REDELIVERY_CRON: "* * * * * *",
      // Long enough for three slow attempts to outlast the 9 s acknowledgement.
      POM_GITHUB_TIMEOUT_MS: "5000",
    },
  });
  github = hookDeliveries(fake, () => app.url, { secret: SECRET });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("writes that fail are redelivered or judged again, never lost", () => {
  it("answers 5xx when the check run cannot be created, and the job's redelivery produces it, asked for once", async () => {
    const fault = fake.inject({ match: CHECK_RUNS, repo: `${OWNER}/down`, status: 502, times: Infinity });
    const sha = shaOf("down pr 7");
    const first = await github.send("pull_request", pullRequestPayload("down", { sha }));
    fault.remove();
    expect(first.status, diagnostics("down")).toBeGreaterThanOrEqual(500);
    expect(checkRunsOn(fake, "down", sha)).toEqual([]);
    expect(fault.hits).toBe(3);

    const runs = await waitFor(
      "the redelivery to create the check run",
      () => {
        const found = checkRunsOn(fake, "down", sha);
        return found.length > 0 ? found : undefined;
      },
      20_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${diagnostics("down")}`);
    });
    expect(runs.map((r) => r.conclusion)).toEqual(["success"]);
    await fake.state.deliveries.settled();
    const attempts = fake.state.deliveries.all.filter((d) => d.guid === first.id);
    expect(attempts.map((d) => [d.status_code, d.redelivery])).toEqual([
      [first.status, false],
      [200, true],
    ]);
    // Later runs find the GUID delivered: it is not asked for again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(asked(first.id)).toHaveLength(1);
  }, 60_000);

  it("keeps work that failed after the delivery was acknowledged (202), and judges it again on the schedule", async () => {
    // Each attempt answered 502 after 3.5 s: three attempts and their back-off take over 9 s.
    const fault = fake.inject({
      match: CHECK_RUNS,
      repo: `${OWNER}/outlasted`,
      status: 502,
      delayMs: 3_500,
      times: Infinity,
    });
    const payload = pushPayload(fake, "outlasted");
    const delivery = await github.send("push", payload);
    expect(delivery.status, delivery.text).toBe(202);
    const kept = await waitFor(
      "the failed work to be kept",
      () => app.logs().find((l) => l.id === delivery.id && /acknowledged before its work failed/.test(l.msg)),
      20_000,
    );
    fault.remove();
    expect(kept.subject).toBe(`repo @${String(payload.after).slice(0, 7)}`);

    const runs = await waitFor(
      "the kept work to create the check run",
      () => {
        const found = checkRunsOn(fake, "outlasted", payload.after);
        return found.length > 0 ? found : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${diagnostics("outlasted")}`);
    });
    expect(runs.map((r) => r.conclusion)).toEqual(["success"]);
    await waitFor("the job to say so", () =>
      app.logs().some((l) => l.msg === "failed work judged again" && l.delivery === delivery.id),
    );
    // GitHub logged a success: nothing to redeliver.
    expect(asked(delivery.id)).toEqual([]);
  }, 60_000);

  it("never asks again for a delivery refused as malformed (4xx)", async () => {
    const payload = pullRequestPayload("refused", { sha: shaOf("refused pr 7") });
    delete payload.pull_request.head;
    const refused = await github.send("pull_request", payload);
    expect(refused.status).toBe(400);
    const runs = () => app.logs().filter((l) => l.msg === "redelivery run").length;
    const before = runs();
    await waitFor("two more runs of the job", () => runs() >= before + 2, 10_000);
    expect(asked(refused.id)).toEqual([]);
  }, 30_000);

  it("the app is up, never crashed, and GitHub received nothing its API would reject", () => {
    expect(app.alive()).toBe(true);
    expect(app.output()).not.toMatch(CRASH);
    expect(fake.problems).toEqual([]);
  });
});
