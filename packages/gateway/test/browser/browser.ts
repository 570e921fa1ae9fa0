/**
 * Headless Chromium for the sandbox's browser tests: Debian's `chromium`
 * driven by playwright-core (no browser download). `.ci/run` installs it and
 * sets AMSGATE_REQUIRE_BROWSER=1, so CI fails instead of skipping when it is
 * missing; elsewhere the tests skip with a loud message.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.AMSGATE_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this machine refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Whether the browser tests can run here; throws when they must (CI) but cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `${CHROMIUM_PATH} not found: browser tests SKIPPED (apt-get install chromium, or set AMSGATE_CHROMIUM)`;
  if (process.env.AMSGATE_REQUIRE_BROWSER === '1') throw new Error(message.replace('SKIPPED', 'required (AMSGATE_REQUIRE_BROWSER=1)'));
  console.warn(`\n!!! ${message}\n`);
  return false;
}

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own cookies) with a phone-or-desktop viewport. */
  newPage: (options?: { width?: number; height?: number }) => Promise<{ context: BrowserContext; page: Page }>;
  close: () => Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // playwright gives every launch a new empty profile of its own.
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    newPage: async (options = {}) => {
      const context = await browser.newContext({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
      // Pages must work offline: any request leaving loopback fails the test that made it.
      await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost|\[::1\])/, (route) => {
        throw new Error(`the page requested an external URL: ${route.request().url()}`);
      });
      const page = await context.newPage();
      return { context, page };
    },
    close: () => browser.close(),
  };
}
