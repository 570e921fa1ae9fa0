/**
 * The dashboard's key generation in headless Chromium: open the client,
 * click "Generate key pair", read the private key off the page and sign an
 * AMS request with it. The clients pages fit a 360 px phone. No page may
 * request anything off loopback (browser.ts fails such requests) or log an
 * error (which would include a CSP violation of the copy-button script).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cashierPay, startTestGateway, type TestGateway } from '../harness.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

describe.runIf(browserAvailable())('dashboard keys in a browser', () => {
  let t: TestGateway;
  let browser: TestBrowser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openPage(width = 1200, height = 900): Promise<Page> {
    const { page } = await browser.newPage({ width, height });
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  const widthsOf = (page: Page) =>
    page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })') as Promise<{ scroll: number; client: number }>;

  it('generates a key pair whose private key, read off the page, signs a request that succeeds', async () => {
    const page = await openPage();
    await page.goto(`${t.baseUrl}/dashboard`);
    await page.click('a[href="/dashboard/clients"]');
    await page.click(`a[href="/dashboard/clients/${t.client.client.clientId}"]`);
    await page.click('#generate-key');
    await page.waitForSelector('#private-key-pkcs8');
    const privateKey = await page.inputValue('#private-key-pkcs8');
    const keyVersion = Number(await page.textContent('#key-version'));
    expect(keyVersion).toBe(2);
    expect(await page.textContent('#notice')).toContain('key version 2');

    const paid = await t.call('payments/pay', cashierPay(), { privateKey, keyVersion });
    expect(paid.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
    expect(paid.signatureValid).toBe(true);
    const inquiry = await t.call('payments/inquiryPayment', { paymentId: paid.body.paymentId }, { privateKey: await page.inputValue('#private-key-pkcs1'), keyVersion });
    expect(inquiry.body.result.resultCode).toBe('SUCCESS');

    // The copy button runs under the page's CSP (an error would be collected above).
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('button[data-copy="private-key-pkcs8"]');
    await page.locator('button[data-copy="private-key-pkcs8"]', { hasText: 'Copied' }).waitFor();

    // Gone once the page is left.
    await page.goto(`${t.baseUrl}/dashboard/clients/${t.client.client.clientId}`);
    expect(await page.$('#private-key-pkcs8')).toBeNull();
    expect(await page.content()).not.toContain(privateKey.slice(700, 760));
    expect(pageErrors).toEqual([]);
  });

  it('renders the clients, scenarios and clock pages at 360 px without horizontal page scroll', async () => {
    const page = await openPage(360, 740);
    for (const path of ['/dashboard/clients', `/dashboard/clients/${t.client.client.clientId}`, '/dashboard/scenarios', '/dashboard/clock']) {
      await page.goto(`${t.baseUrl}${path}`);
      const widths = await widthsOf(page);
      expect(widths.client, path).toBe(360);
      expect(widths.scroll, path).toBeLessThanOrEqual(360);
    }
    // And the page showing a new private key.
    await page.goto(`${t.baseUrl}/dashboard/clients/${t.client.client.clientId}`);
    await page.click('#generate-key');
    await page.waitForSelector('#private-key-pkcs1');
    expect((await widthsOf(page)).scroll).toBeLessThanOrEqual(360);
    expect(pageErrors).toEqual([]);
  });
});
