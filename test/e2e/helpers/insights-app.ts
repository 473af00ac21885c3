/**
 * The app with its insights on: the real server (`node dist/app/server.js`) sweeping a synthetic
 * organization on the loopback fake GitHub every two seconds, keeping its reports under a
 * throwaway POM_DATA_DIR and serving the dashboard at /pom behind a token. The org policy asks
 * for the pinned report issue.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, ensureBuilt, startApp, waitFor } from "../../../testkit/app-process.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { orgSeed } from "../../core/insights/report/org-seed.js";
import { appKeys } from "../../helpers/app-keys.js";

export const DASHBOARD_TOKEN = "e2e-dashboard-token-0123456789";
export const POLICY = "version: 1\nreport: issue\n";

export interface InsightsApp {
  fake: FakeGitHub;
  app: AppProcess;
  dataDir: string;
  env: Record<string, string>;
  /** The "organization report kept" log lines so far. */
  kept(): { repos?: number; issue?: { action: string; number: number } }[];
  close(): Promise<void>;
}

/** Starts the fake with `count` repositories (plus acme/.github with the policy) and the app. */
export async function startInsightsApp(count: number, cron = "*/2 * * * * *"): Promise<InsightsApp> {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  const seed = orgSeed(count, new Date());
  const fake = await startFakeGitHub({
    ...seed,
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, account: "acme" }],
    repos: [
      ...(seed.repos ?? []),
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
    ],
  });
  await build;
  const dataDir = mkdtempSync(join(tmpdir(), "pom-data-"));
  const env = {
    NODE_ENV: "test",
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: "e2e-insights-secret",
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    POM_GITHUB_THROTTLE: "off",
    POM_SWEEP_CRON: cron,
    POM_REDELIVERY_CRON: "off",
    POM_DASHBOARD_TOKEN: DASHBOARD_TOKEN,
    POM_DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  };
  let app: AppProcess;
  try {
    app = await startApp("insights", env);
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    fake,
    app,
    dataDir,
    env,
    kept: () =>
      app
        .logs()
        .filter((l) => l.msg === "organization report kept")
        .map((l) => l as unknown as { repos?: number; issue?: { action: string; number: number } }),
    close: async () => {
      await app.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `n` sweeps have kept the report. */
export function reportsKept(insights: InsightsApp, n: number): Promise<unknown> {
  return waitFor(`${n} organization reports`, () => insights.kept().length >= n, 30_000, 50);
}
