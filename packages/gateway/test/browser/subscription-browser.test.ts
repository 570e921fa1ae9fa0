/**
 * A subscription in headless Chromium: the buyer agrees on the page
 * `subscriptions/create` answered and lands on the merchant's page; two
 * months on the dashboard's Clock page (`+1mo`) make the second and third
 * periods' payments, which the dashboard's payments list shows with the
 * first. A refusal on the page, and the page at 360 px. No page may request
 * anything off loopback (browser.ts fails such requests) or log an error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestGateway, uniqueId, type TestGateway } from '../harness.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

describe.runIf(browserAvailable())('a subscription in a browser', () => {
  let t: TestGateway;
  let browser: TestBrowser;
  let merchant: Server;
  let merchantUrl = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false });
    // The merchant's page after the buyer's answer (subscriptionRedirectUrl).
    merchant = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Merchant</title><p id="merchant-result">Back at the shop</p>');
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    merchant?.closeAllConnections();
    await new Promise<void>((resolve) => (merchant ? merchant.close(() => resolve()) : resolve()));
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

  async function create(): Promise<{ subscriptionId: string; normalUrl: string; subscriptionRequestId: string }> {
    const subscriptionRequestId = uniqueId('sub');
    const answer = await t.call('subscriptions/create', {
      subscriptionRequestId, subscriptionDescription: 'Coffee beans every month', subscriptionRedirectUrl: `${merchantUrl}/subscribed`,
      subscriptionStartTime: new Date(t.gateway.clock.now()).toISOString(), periodRule: { periodType: 'MONTH', periodCount: 1 },
      paymentMethod: { paymentMethodType: 'GCASH' }, subscriptionNotificationUrl: 'https://merchant.example/notify', paymentNotificationUrl: 'https://merchant.example/notify',
      orderInfo: { orderAmount: { currency: 'USD', value: '1000' } }, paymentAmount: { currency: 'USD', value: '1000' }, settlementStrategy: { settlementCurrency: 'USD' },
      env: { terminalType: 'WEB' },
    });
    expect(answer.body.result.resultCode).toBe('SUCCESS');
    const normalUrl = answer.body.normalUrl as string;
    return { subscriptionId: normalUrl.split('/').pop()!, normalUrl, subscriptionRequestId };
  }

  /** The dashboard's payments of the test client, newest first: [paymentRequestId, amount, product, status]. */
  async function dashboardPayments(page: Page): Promise<string[][]> {
    await page.goto(`${t.baseUrl}/dashboard/payments?clientId=${t.client.client.clientId}`);
    const rows: string[][] = [];
    for (const row of await page.locator('#payments-table tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
      rows.push([cells[3]!, cells[4]!, cells[6]!, cells[7]!.split(' ')[0]!]);
    }
    return rows;
  }

  it('the buyer agrees on the page, the clock moves two months on the dashboard, and the dashboard lists the three periods\' payments', async () => {
    const { subscriptionId, normalUrl, subscriptionRequestId } = await create();
    const page = await openPage();
    await page.goto(normalUrl);
    expect(await page.textContent('#amount')).toBe('10.00 USD every month');
    expect(await page.textContent('#status')).toBe('WAITING FOR YOUR AUTHORISATION');
    expect(await page.textContent('#method')).toBe('GCash');
    await Promise.all([page.waitForURL(`${merchantUrl}/subscribed`), page.click('#agree')]);
    expect(await page.textContent('#merchant-result')).toBe('Back at the shop');
    // Decided: the page shows the status and no buttons.
    await page.goto(normalUrl);
    expect(await page.textContent('#status')).toBe('ACTIVE');
    expect(await page.$('#agree')).toBeNull();

    const paid = ['10.00 USD', 'AGREEMENT_PAYMENT', 'SUCCESS'];
    expect(await dashboardPayments(page)).toEqual([[`${subscriptionId}-1-1`, ...paid]]);

    for (const month of [1, 2]) {
      await page.goto(`${t.baseUrl}/dashboard/clock`);
      await Promise.all([page.waitForURL(`${t.baseUrl}/dashboard/clock`), page.click('#advance-1mo')]);
      expect(await page.textContent('#notice'), `month ${month}`).toContain('sandbox time is now');
    }
    expect(await dashboardPayments(page)).toEqual([
      [`${subscriptionId}-3-1`, ...paid],
      [`${subscriptionId}-2-1`, ...paid],
      [`${subscriptionId}-1-1`, ...paid],
    ]);

    // A period's payment is a payment: its page names the subscription's request as the order.
    await page.click(`#payments-table tbody tr:first-child a`);
    expect(await page.textContent('#payment-summary')).toContain(subscriptionRequestId);
    const inquiry = await t.call('subscriptions/inquireSubscription', { subscriptionId });
    expect(inquiry.body.subscription).toMatchObject({ status: 'ACTIVE', currentPhaseNo: 3 });
    expect(pageErrors).toEqual([]);
  });

  it('a refusal on the page ends the subscription without a payment; the page fits a 360 px phone', async () => {
    const { subscriptionId, normalUrl } = await create();
    const page = await openPage(360, 740);
    await page.goto(normalUrl);
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
    expect(widths.client).toBe(360);
    expect(widths.scroll).toBeLessThanOrEqual(360);
    await Promise.all([page.waitForURL(`${merchantUrl}/subscribed`), page.click('#refuse')]);
    await page.goto(normalUrl);
    expect(await page.textContent('#status')).toBe('TERMINATED');
    expect((await dashboardPayments(page)).filter((row) => row[0]!.startsWith(subscriptionId))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
