/**
 * Headless Chromium for the dashboard tests: the system browser (Debian's `chromium` package)
 * driven by playwright-core. Every request the page makes is recorded, and anything that would
 * leave the page's own origin is refused, so a test can prove the page asks for nothing.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = process.env.POM_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/**
 * Why the browser tests cannot run here, or undefined when they can. Where they must run
 * (POM_REQUIRE_BROWSER=1, as in CI), a missing browser is an error, not a reason to skip.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `Chromium not found at ${CHROMIUM}: install Debian's chromium package (as .ci/run does) or set POM_CHROMIUM`;
  if (process.env.POM_REQUIRE_BROWSER === "1") throw new Error(why);
  return why;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium phones home at start; the sandbox needs
    // user namespaces that containers running as root often lack.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
}

/** Opens `url` and waits until the dashboard says it is ready; requests elsewhere are aborted. */
export async function openDashboard(
  browser: Browser,
  url: string,
  headers?: Record<string, string>,
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: 1300, height: 900 },
    ...(headers ? { extraHTTPHeaders: headers } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const origin = new URL(url).origin;
  await page.route("**/*", (route) => {
    const asked = route.request().url();
    requests.push(asked);
    const same = url.startsWith("file:") ? asked === url : new URL(asked).origin === origin;
    return same ? route.continue() : route.abort();
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
  return { page, errors, requests };
}

/** Where screenshots go (test-artifacts/, kept out of git). */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
