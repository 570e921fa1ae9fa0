/**
 * The dashboard's API reference in headless Chromium: Swagger UI, served by
 * the gateway, renders /openapi.json under the page's CSP with no console
 * error, no CSP violation and no request to any other host; Try it out is
 * and Authorize are not offered (the endpoints want signed requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../harness.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

describe.runIf(browserAvailable())('dashboard API reference in a browser', () => {
  let t: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation from /openapi.json offline, under the CSP, without Try it out', async () => {
    const { page } = await browser.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requested.push(request.url()));
    // Caught violations too (an eval a library tries and survives would log nothing otherwise).
    await page.addInitScript(`window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));`);

    await page.goto(`${t.baseUrl}/dashboard`);
    await page.click('nav a[href="/dashboard/api"]');
    const pay = page.locator('#swagger-ui .opblock-summary-path[data-path="/ams/api/v1/payments/pay"]');
    await pay.waitFor({ timeout: 20_000 });
    expect(await page.locator('#swagger-ui .opblock.opblock-post').count()).toBeGreaterThan(10);
    expect(await page.textContent('#swagger-ui .info .title')).toBeTruthy();

    // Open the operation: its parameters and example are shown, but nothing to send it with.
    await pay.click();
    await page.locator('#swagger-ui .opblock.is-open').first().waitFor();
    expect(await page.locator('#swagger-ui .try-out__btn').count()).toBe(0);
    expect(await page.locator('#swagger-ui .execute').count()).toBe(0);
    expect(await page.locator('#swagger-ui .authorize').count()).toBe(0);

    expect(await page.evaluate('window.__violations')).toEqual([]);
    expect(errors).toEqual([]);
    const origin = new URL(t.baseUrl).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requested).toContain(`${origin}/openapi.json`);
  }, 60_000);
});
