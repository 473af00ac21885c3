/**
 * What the redelivery job costs, counted at the fake GitHub: an app's delivery log of `deliveries`
 * attempts spread over GitHub's three days (1 % failed in passing: a 5xx or no answer; 0.5 %
 * refused with a 4xx), a first run (no mark yet: the whole window is read) and a second one after
 * fifty more deliveries, two of them failed (from the mark). The app's own code
 * (github/flows/redeliver.ts) runs in this process, as the app's JWT, through Probot's `auth()`.
 *
 * Budget: ⌈attempts read / 100⌉ list calls plus one call per failed GUID.
 */
import { Probot, ProbotOctokit } from "probot";
import { MemoryRedeliveryMemory } from "../app/redelivery-memory.js";
import { redeliverFailed } from "../github/flows/redeliver.js";
import type { GitHubClient } from "../github/transport/client.js";
import { startFakeGitHub } from "../testkit/fake-github/server.js";
import type { Context } from "./config.js";

export interface RedeliveryRunFigures {
  name: string;
  attemptsRead: number;
  /** GUIDs found failed that no earlier run asked for. */
  failedGuids: number;
  listCalls: number;
  /** ⌈attempts read / 100⌉. */
  expectedListCalls: number;
  requests: number;
  ms: number;
}

export interface RedeliveryResult {
  deliveries: number;
  runs: RedeliveryRunFigures[];
  problems: string[];
}

const DAY = 86_400_000;

export async function measureRedelivery(context: Context): Promise<RedeliveryResult> {
  const deliveries = context.quick ? 1_000 : 10_000;
  context.log(`redelivery job over a log of ${deliveries} deliveries`);
  const fake = await startFakeGitHub({ apps: [{ id: 1, publicKey: context.publicKey }] });
  try {
    const log = fake.state.deliveries;
    const payload = { action: "opened", installation: { id: 1 }, repository: { id: 1 } };
    const now = Date.now();
    // Spread over the window, the oldest an hour inside it; every 100th failed, every 200th refused.
    const statusOf = (i: number) =>
      (i % 100 === 50 ? [502, 0, 503][i % 3] : i % 200 === 7 ? 400 : 200) ?? 200;
    for (let i = 0; i < deliveries; i++) {
      const deliveredAt = new Date(now - (3 * DAY - 3_600_000) * (1 - i / deliveries)).toISOString();
      log.record({ event: "pull_request", payload, statusCode: statusOf(i), deliveredAt });
    }
    // The app is up again: each redelivery is answered 200.
    log.onRedeliver = async () => 200;
    const probot = new Probot({
      appId: 1,
      privateKey: context.privateKey,
      baseUrl: `${fake.url}/api/v3`,
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        retry: { enabled: false },
        throttle: { ...(options.throttle as object), enabled: false },
      })),
      logLevel: "warn",
    });
    const memory = new MemoryRedeliveryMemory();
    const runs: RedeliveryRunFigures[] = [];
    const measure = async (name: string) => {
      fake.reset();
      const started = performance.now();
      const client = (await probot.auth()) as unknown as GitHubClient;
      const report = await redeliverFailed(client, memory, { now: new Date() });
      const count = (operation: string) => fake.requests.filter((r) => r.operation === operation).length;
      runs.push({
        name,
        attemptsRead: report.attempts,
        failedGuids: report.failed - report.already,
        listCalls: count("GET /app/hook/deliveries"),
        expectedListCalls: Math.ceil(report.attempts / 100),
        requests: count("POST /app/hook/deliveries/{delivery_id}/attempts"),
        ms: Math.round(performance.now() - started),
      });
      return [...fake.problems];
    };
    const problems = await measure("first run (no mark: three days)");
    await log.settled();
    for (let i = 0; i < 50; i++)
      log.record({ event: "pull_request", payload, statusCode: i % 25 === 3 ? 502 : 200 });
    problems.push(...(await measure("second run (from the mark)")));
    return { deliveries, runs, problems };
  } finally {
    await fake.close();
  }
}

/** The budget's row (report.ts: Budget). */
export function redeliveryBudget(r: RedeliveryResult): {
  budget: string;
  measured: string;
  status: "met" | "not met";
} {
  const within = r.runs.every(
    (run) => run.listCalls <= run.expectedListCalls && run.requests === run.failedGuids,
  );
  return {
    budget: "the redelivery job costs ⌈deliveries/100⌉ list calls plus one call per failed GUID",
    measured: r.runs
      .map(
        (run) =>
          `${run.name}: ${run.listCalls} list calls for ${run.attemptsRead} attempts, ${run.requests} requests for ${run.failedGuids} failed GUIDs`,
      )
      .join("; "),
    status: within ? "met" : "not met",
  };
}

export function renderRedelivery(r: RedeliveryResult): string {
  const rows = r.runs.map(
    (run) =>
      `| ${run.name} | ${run.attemptsRead} | ${run.listCalls} (⌈/100⌉ = ${run.expectedListCalls}) | ${run.failedGuids} | ${run.requests} | ${run.ms} |`,
  );
  return [
    `## Redelivery job (a log of ${r.deliveries} deliveries over three days)`,
    "",
    "| run | attempts read | list calls | failed GUIDs | redeliveries asked | ms |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
