/**
 * End to end, the app's insights: the real server sweeps 50 synthetic repositories on the
 * loopback fake GitHub, keeps the organization report in POM_DATA_DIR, keeps exactly one pinned
 * report issue in acme/.github (edited only when its content changes), serves the dashboard at
 * /pom only to holders of the token, and still serves it after a restart, before any sweep.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, startApp } from "../../testkit/app-process.js";
import { DASHBOARD_TOKEN, type InsightsApp, reportsKept, startInsightsApp } from "./helpers/insights-app.js";

const REPORT_MARKER = "<!-- pom-governance:report -->";
let insights: InsightsApp;
let restarted: AppProcess | undefined;

beforeAll(async () => {
  insights = await startInsightsApp(50);
  await reportsKept(insights, 2);
}, 90_000);

afterAll(async () => {
  await restarted?.stop();
  await insights?.close();
});

const reportIssues = () =>
  insights.fake.state
    .repo("acme/.github")
    .issues.filter((i) => i.title === "POM governance report" && i.body?.includes(REPORT_MARKER));

describe("the app's organization report", () => {
  it("is kept in POM_DATA_DIR after each sweep, with every governed repository", () => {
    const file = join(insights.dataDir, "reports", "acme.json");
    expect(existsSync(file)).toBe(true);
    const report = JSON.parse(readFileSync(file, "utf8")) as { org: string; repos: { repo: string }[] };
    expect(report.org).toBe("acme");
    // With an org policy every repository is governed: the 50 and acme/.github itself.
    expect(report.repos).toHaveLength(51);
    expect(insights.kept().every((k) => k.repos === 51)).toBe(true);
  });

  it("keeps one pinned report issue in acme/.github, opened once and left alone while nothing changes", () => {
    const issues = reportIssues();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.pinned).toBe(true);
    expect(issues[0]?.labels).toContain("pom-governance-report");
    expect(issues[0]?.body).toContain("| acme/svc-00 |");
    const actions = insights.kept().map((k) => k.issue?.action);
    expect(actions[0]).toBe("opened");
    expect(actions.slice(1).every((a) => a === "unchanged")).toBe(true);
    expect(insights.fake.problems).toEqual([]);
  });

  it("serves the dashboard at /pom to the token's holders only", async () => {
    const denied = await fetch(`${insights.app.url}/pom`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).not.toContain("svc-00");
    const page = await fetch(`${insights.app.url}/pom`, {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("acme/svc-00");
    const json = await fetch(`${insights.app.url}/pom/acme.json`, {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(((await json.json()) as { repos: unknown[] }).repos).toHaveLength(51);
  });

  it("never writes the dashboard token or a session cookie to its logs", async () => {
    const signIn = await fetch(`${insights.app.url}/pom/login`, {
      method: "POST",
      body: new URLSearchParams({ token: DASHBOARD_TOKEN }),
      redirect: "manual",
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^pom_dashboard=/);
    expect((await fetch(`${insights.app.url}/pom`, { headers: { cookie } })).status).toBe(200);
    // Probot's HTTP logger logs each request's headers: these must be censored.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const output = insights.app.output();
    expect(output).toContain("/pom/login");
    expect(output).toContain("[REDACTED]");
    expect(output).not.toContain(DASHBOARD_TOKEN);
    expect(output).not.toContain(cookie.split("=")[1]);
  });

  it("serves the kept report after a restart, before any sweep", async () => {
    await insights.app.stop();
    restarted = await startApp("restarted", { ...insights.env, POM_SWEEP_CRON: "off" });
    const res = await fetch(`${restarted.url}/pom/acme.json`, {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { repos: unknown[]; history: unknown[] };
    expect(report.repos).toHaveLength(51);
    expect(report.history).toHaveLength(1);
  });

  it("does not start with a dashboard token that could be guessed", async () => {
    await expect(startApp("weak-token", { ...insights.env, POM_DASHBOARD_TOKEN: "short" })).rejects.toThrow(
      /POM_DASHBOARD_TOKEN must be at least 16 characters/,
    );
  });
});
