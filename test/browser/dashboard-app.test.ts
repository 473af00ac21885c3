/**
 * The dashboard as the app serves it, opened in headless Chromium: the sign-in form takes the
 * token, then the page lists every repository of the sweep's report, filters, sorts and draws its
 * charts with a clean console, and asks for nothing but the app's own pages. Skipped, with the
 * reason, without Chromium.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DASHBOARD_TOKEN,
  type InsightsApp,
  reportsKept,
  startInsightsApp,
} from "../e2e/helpers/insights-app.js";
import { artifact, browserMissing, launch } from "./browser.js";

const missing = browserMissing();
if (missing) console.warn(`skipping the served dashboard browser tests: ${missing}`);

describe.skipIf(missing !== undefined)("the dashboard served by the app, in headless Chromium", () => {
  let insights: InsightsApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    insights = await startInsightsApp(30);
    await reportsKept(insights, 1);
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    page = await context.newPage();
    page.on("console", (m) => {
      // The sign-in page answers 401 by design; Chromium logs that as a failed resource load.
      if (m.type() === "error" && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    const origin = new URL(insights.app.url).origin;
    await page.route("**/*", (route) => {
      const asked = route.request().url();
      requests.push(`${route.request().method()} ${asked}`);
      return new URL(asked).origin === origin ? route.continue() : route.abort();
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await insights?.close();
  });

  it("asks for the token, refuses a wrong one, and signs in with the right one", async () => {
    await page.goto(`${insights.app.url}/pom`);
    await page.fill("#token", "not-the-token");
    await page.click("#sign-in");
    await expect.poll(() => page.locator("[role=alert]").textContent()).toBe("That token is not right.");
    await page.fill("#token", DASHBOARD_TOKEN);
    await page.click("#sign-in");
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
    expect(page.url()).toBe(`${insights.app.url}/pom`);
  });

  it("lists every repository of the report, and filters and sorts them", async () => {
    expect(await page.locator("#repos tbody tr").count()).toBe(31);
    expect(await page.locator("#count").textContent()).toBe("31 of 31 repositories");
    await page.fill("#filter", "svc-2");
    expect(await page.locator("#repos tbody tr").count()).toBe(10);
    await page.fill("#filter", "");
    await page.click("th[data-key=repo] button");
    await page.click("th[data-key=repo] button");
    const names = await page.locator("#repos tbody td[data-key=repo]").allTextContents();
    expect(names).toEqual([...names].sort().reverse());
  });

  it("shows the Teams page behind the same sign-in: one row per team, linking to its repositories", async () => {
    // The seed's three teams, team-0 to team-2, own every third repository each.
    const teams = await page
      .locator("#teams-table tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-team")));
    expect(teams).toEqual(["acme/team-0", "acme/team-1", "acme/team-2"]);
    const links = await page.locator("#teams-table tr[data-team='acme/team-0'] td[data-key=repos] a").count();
    expect(links).toBeGreaterThan(5);
    expect(await page.locator("#team-levels").textContent()).toContain("3 teams");
  });

  it("draws the matrix, the timelines and the trends, with a clean console and no request elsewhere", async () => {
    expect(await page.locator("#matrix td.status.fail").count()).toBeGreaterThan(0);
    expect(await page.locator("#timelines svg rect.release").count()).toBeGreaterThan(30);
    expect(await page.locator("#trends svg.trend").count()).toBe(5);
    expect(errors).toEqual([]);
    const origin = new URL(insights.app.url).origin;
    expect(requests.filter((r) => !r.split(" ")[1]?.startsWith(origin))).toEqual([]);
    expect(requests).toContain(`POST ${origin}/pom/login`);
    await page.screenshot({ path: artifact("dashboard-app.png"), fullPage: true });
  });
});
