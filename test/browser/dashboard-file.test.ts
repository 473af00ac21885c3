/**
 * The dashboard file as `pom report --format html` writes it, opened in headless Chromium: the
 * table lists the repositories, sorting and filtering work, the charts render, the console stays
 * clean and the page asks for nothing but itself. Skipped, with the reason, without Chromium.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../cli/pom.js";
import { REPORT_NOW, syntheticMonorepo, syntheticRepos } from "../core/insights/report/fixtures.js";
import { artifact, browserMissing, launch, type OpenedPage, openDashboard } from "./browser.js";

const HOSTILE_TEAM = `acme/<img src=x onerror="window.pwned=1">`;
const HOSTILE_NAME = "<script>window.pwned=2</script>";

const missing = browserMissing();
if (missing) console.warn(`skipping the dashboard browser tests: ${missing}`);

describe.skipIf(missing !== undefined)("the dashboard file in headless Chromium", () => {
  let browser: Browser;
  let opened: OpenedPage;
  let url: string;
  let dir: string;
  let results: string;

  /** `pom report` on the results in `from`, as a dashboard file; returns its file URL. */
  const dashboardOf = (from: string, name: string, ...extra: string[]) => {
    const out = join(dir, name);
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin/pom.js"),
        "report",
        "--from",
        from,
        "--format",
        "html",
        "--output",
        out,
        "--now",
        REPORT_NOW.toISOString(),
        "--org",
        "acme",
        ...extra,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return pathToFileURL(out).href;
  };
  const dashboard = (name: string, ...extra: string[]) => dashboardOf(results, name, ...extra);

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "pom-dashboard-"));
    results = join(dir, "results");
    mkdirSync(results);
    // One `pom check --format json` result per repository, as a CI job would collect them.
    const repos = syntheticRepos(24);
    // A hostile team: its slug and name would run script if they became markup.
    Object.assign(repos[0] as object, { team: HOSTILE_TEAM, teamName: HOSTILE_NAME });
    for (const repo of repos) {
      const verdict = { conclusion: repo.conclusion, findings: repo.findings, insights: repo };
      writeFileSync(join(results, `${repo.repo.replace("/", "_")}.json`), JSON.stringify(verdict));
    }
    url = dashboard("report.html");
    browser = await launch();
    opened = await openDashboard(browser, url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lists every repository in the table, with no console error", async () => {
    const { page, errors } = opened;
    expect(await page.locator("#repos tbody tr").count()).toBe(24);
    expect(await page.locator("#count").textContent()).toBe("24 of 24 repositories");
    expect(await page.locator("[data-testid=kpi-repos] .value").textContent()).toBe("24");
    expect(errors).toEqual([]);
  });

  it("shows the Teams page, with hostile team names as text, never as markup", async () => {
    const { page, errors } = opened;
    const rows = page.locator("#teams-table tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    const hostile = page.locator("#teams-table tbody tr", { hasText: "onerror" });
    expect(await hostile.count()).toBe(1);
    expect(await hostile.locator("td[data-key=team]").textContent()).toBe(
      `${HOSTILE_TEAM.toLowerCase()} (${HOSTILE_NAME})`,
    );
    expect(await page.locator("#teams img, #teams script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator("#team-levels").textContent()).toMatch(/^\d+ teams — L0 \d+, L1 \d+/);
    expect(errors).toEqual([]);
  });

  it("filters by text and by conclusion, in the table, the matrix and the timelines", async () => {
    const { page } = opened;
    await page.fill("#filter", "svc-1");
    const shown = await page
      .locator("#repos tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-repo")));
    expect(shown.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `acme/svc-1${i}`));
    expect(await page.locator("#matrix tbody tr").count()).toBe(10);
    expect(await page.locator("#timelines .timeline-row").count()).toBe(10);
    await page.fill("#filter", "");
    await page.selectOption("#conclusion", "success");
    const conclusions = await page.locator("#repos tbody td[data-key=conclusion]").allTextContents();
    expect(conclusions.length).toBeGreaterThan(0);
    expect(new Set(conclusions)).toEqual(new Set(["success"]));
    await page.selectOption("#conclusion", "all");
    expect(await page.locator("#repos tbody tr").count()).toBe(24);
  });

  it("sorts by a column, and reverses on a second click", async () => {
    const { page } = opened;
    await page.click("th[data-key=since] button");
    const read = async () =>
      (await page.locator("#repos tbody td[data-key=since]").allTextContents())
        .filter((t) => t !== "–")
        .map(Number);
    const ascending = await read();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await page.getAttribute("th[data-key=since]", "aria-sort")).toBe("ascending");
    await page.click("th[data-key=since] button");
    const descending = await read();
    expect(descending).toEqual([...ascending].sort((a, b) => b - a));
    expect(await page.getAttribute("th[data-key=since]", "aria-sort")).toBe("descending");
    await page.click("th[data-key=repo] button");
    const names = await page.locator("#repos tbody td[data-key=repo]").allTextContents();
    expect(names).toEqual([...names].sort());
  });

  it("draws the matrix, the release timelines and the trend charts", async () => {
    const { page } = opened;
    expect(await page.locator("#matrix td.status.fail").count()).toBeGreaterThan(0);
    expect(await page.locator("#matrix td.status.pass").count()).toBeGreaterThan(0);
    expect(await page.locator("#timelines svg rect.release").count()).toBeGreaterThan(24);
    expect(await page.locator("#timelines svg rect.overdue").count()).toBeGreaterThan(0);
    expect(await page.locator("#trends svg.trend").count()).toBe(5);
    expect(await page.locator("#trends svg.trend circle.point").count()).toBeGreaterThan(0);
    const box = await page.locator("#timelines svg").first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);
  });

  it("asks for nothing but the file itself, and leaves a screenshot", async () => {
    const { page, requests } = opened;
    expect(requests).toEqual([url]);
    await page.screenshot({ path: artifact("dashboard-file.png"), fullPage: true });
  });

  it("shows a repository with products as one row per product, in the table, matrix, timelines and teams", async () => {
    const from = join(dir, "products");
    mkdirSync(from);
    const shop = syntheticMonorepo();
    writeFileSync(join(from, "shop.json"), JSON.stringify({ conclusion: shop.conclusion, insights: shop }));
    const { page, errors } = await openDashboard(browser, dashboardOf(from, "products.html"));
    const rows = page.locator("#repos tbody tr");
    expect(await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute("data-repo")))).toEqual([
      "acme/shop / Search",
      "acme/shop / Checkout",
    ]);
    const search = page.locator("#repos tbody tr[data-repo='acme/shop / Search']");
    expect(await search.locator("td[data-key=team]").textContent()).toBe("acme/discovery");
    expect(await page.locator("#matrix tbody th").allTextContents()).toEqual([
      "acme/shop / Checkout",
      "acme/shop / Search",
    ]);
    // Each product's timeline holds its own tags only: Checkout's 12 (every 7 days from 1 day ago),
    // Search's 2 (40 and 70 days ago; its third, 100 days ago, is before the 90-day window).
    const ticks = (label: string) =>
      page.locator(`#timelines .timeline-row[data-repo='${label}'] svg rect.release`).count();
    expect(await ticks("acme/shop / Checkout")).toBe(12);
    expect(await ticks("acme/shop / Search")).toBe(2);
    const team = (slug: string) =>
      page.locator("#teams-table tbody tr", { hasText: slug }).locator("td[data-key=repos]").textContent();
    expect(await team("acme/payments")).toBe("acme/shop / Checkout");
    expect(await team("acme/discovery")).toBe("acme/shop / Search");
    expect(errors).toEqual([]);
  });

  it("draws trend lines from an earlier report's history (--history)", async () => {
    // Sixty days in which traceability and ownership climbed: what a platform team wants to see.
    const DAY = 86_400_000;
    const history = Array.from({ length: 60 }, (_, k) => ({
      at: new Date(REPORT_NOW.getTime() - (60 - k) * DAY).toISOString(),
      metrics: {
        "traceability.tracedShare": 0.2 + (0.28 * k) / 59,
        "ownership.completeShare": 0.3 + (0.2 * k) / 59 - (k % 7 === 3 ? 0.03 : 0),
        "release.cadenceCoverage.mean": 0.6 + 0.2 * Math.sin(k / 9),
        "release.deploymentDaysPerWeek.median": 0.6 + (0.4 * k) / 59,
        "leadTime.medianHours.median": 110 - k + (k % 5) * 4,
      },
    }));
    const earlier = join(dir, "earlier.json");
    writeFileSync(earlier, JSON.stringify({ kind: "pom-governance-report", version: 1, history }));
    const trended = dashboard("trends.html", "--history", earlier);
    const { page, errors } = await openDashboard(browser, trended);
    for (const chart of await page.locator("#trends svg.trend").all()) {
      expect(await chart.locator("circle.point").count()).toBe(61);
      expect(await chart.locator("path.line").count()).toBe(1);
    }
    expect(errors).toEqual([]);
    const shot = artifact("dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    // The README's picture: `POM_UPDATE_SCREENSHOT=1 npx vitest run test/browser` refreshes it.
    if (process.env.POM_UPDATE_SCREENSHOT === "1")
      copyFileSync(shot, join(ROOT, "docs/images/dashboard.png"));
  });
});
