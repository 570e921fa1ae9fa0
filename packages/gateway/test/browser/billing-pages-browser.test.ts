/**
 * The hosted invoice page in headless Chromium: the amounts a customer
 * reads, at desktop width and on a 360 px phone, with no console error, no
 * CSP violation and no request off loopback (browser.ts fails those).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestGateway, uniqueId, type TestGateway } from '../harness.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

describe.runIf(browserAvailable())('the hosted invoice in a browser', () => {
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
    await page.addInitScript(`window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));`);
    return page;
  }

  async function ok(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await t.call(path, body);
    expect(answer.body.result.resultCode, `${path}: ${answer.body.result.resultMessage}`).toBe('SUCCESS');
    return answer.body;
  }

  async function hostedInvoice(): Promise<string> {
    const customerId = (await ok('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('c')}@example.com`, firstName: 'Ada', lastName: 'Lovelace' })).customerId;
    const couponId = (await ok('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'PERCENT', percentOff: '10', durationType: 'ONCE' })).couponId;
    const invoiceId = (await ok('billing/invoice/create', {
      invoiceRequestId: uniqueId('inv').replaceAll('-', '_'), customerId, currency: 'USD', discounts: [{ couponId }],
      items: [{ description: 'Consulting, senior (per hour)', unitAmount: { currency: 'USD', value: '12500' }, quantity: 3 }, { description: 'Travel', unitAmount: { currency: 'USD', value: '4999' }, quantity: 1 }],
    })).invoiceId;
    return (await ok('billing/invoice/finalize', { invoiceId })).hostedInvoiceUrl as string;
  }

  it('shows the total a customer owes, with each line, under the page\'s CSP', async () => {
    const url = await hostedInvoice();
    const page = await openPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    // 3 × 125.00 + 49.99 = 424.99; 10% off = 42.50 (half up); no tax registered.
    expect(await page.textContent('#total')).toBe('382.49 USD');
    expect(await page.textContent('#amount-due')).toBe('382.49 USD');
    expect(await page.textContent('#discount')).toBe('42.50 USD');
    expect(await page.textContent('#status')).toBe('OPEN');
    expect(await page.locator('#lines tbody tr').count()).toBe(2);
    expect(await page.locator('#lines tbody tr:first-child td').allTextContents()).toEqual(['Consulting, senior (per hour)', '3', '125.00 USD', '375.00 USD']);
    // The page's nonce'd style applied: the shell's background colour, not the browser default.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 245, 247)');
    expect(await page.evaluate('window.__violations')).toEqual([]);
  });

  it('fits a 360 px phone, and a refused link shows the 404 page, both without a CSP violation', async () => {
    const url = await hostedInvoice();
    const page = await openPage(360, 740);
    await page.goto(url);
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
    expect(widths.client).toBe(360);
    expect(widths.scroll).toBeLessThanOrEqual(360);
    const refused = await page.goto(url.replace(/token=.*/, 'token=wrong'));
    expect(refused?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Link not valid');
    expect(await page.evaluate('window.__violations')).toEqual([]);
  });

  it('no page logged an error (CSP violations included) but Chromium\'s note of the refused link\'s own 404', () => {
    expect(pageErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});
