/**
 * A real browser for the dashboard's tests: Debian's chromium driven by playwright-core (never a
 * downloaded browser), one per test file, a fresh context per test. The page is opened the way a
 * user opens it: the address `dskit ui` printed, token and all.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { REPO_ROOT } from "../support/components.mjs";
import type { TestDashboard } from "../support/dashboard.mjs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where test runs leave their screenshots (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, "test-artifacts");
/** Per test: CI machines start chromium slowly; no test waits this long unless something hangs. */
export const BROWSER_TEST_TIMEOUT_MS = 60_000;

/** Starts headless chromium; a missing executable fails the run with what to install. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The dashboard's browser tests need Chromium at ${CHROMIUM_PATH}, and it is not there. ` +
        "Install it with `apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Without the background-networking flags, chromium on a machine with no network stalls on its own requests.
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface OpenDashboard {
  context: BrowserContext;
  page: Page;
  /** What the page logged as errors, and requests that failed: a test may assert none. */
  problems: string[];
}

/** A fresh context and page on the dashboard's printed address (which sets the cookie and drops the token). */
export async function openDashboard(browser: Browser, dashboard: TestDashboard, hash = "#/"): Promise<OpenDashboard> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(dashboard.url);
  if (hash !== "#/") await page.goto(`${dashboard.origin}/${hash}`);
  return { context, page, problems };
}

/** The path of a screenshot in test-artifacts/, creating the folder. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
