/**
 * The request log, signature debugger and notification Resend in headless
 * Chromium: a request signed over /ams/api/… but sent to /ams/sandbox/api/…
 * found in the log and diagnosed; a notification whose receiver first
 * answers 500 resent with the page's button; the log following new requests
 * without a reload (its polling script runs under the page's CSP). No page
 * may log an error (a CSP violation would be one).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { cashierPay, startTestGateway, type TestGateway } from '../harness.js';
import { ACK, Receiver } from '../receiver.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

describe.runIf(browserAvailable())('request log, signature debugger and Resend in a browser', () => {
  let t: TestGateway;
  let browser: TestBrowser;
  let receiver: Receiver;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyTimeoutMs: 3000 });
    receiver = await new Receiver().start();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
    await t?.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function openPage(): Promise<Page> {
    const { page } = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  it('finds a request signed over the production path but sent to the sandbox path, and the debugger names the cause', async () => {
    const clientId = t.client.client.clientId;
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const signature = signHeader({ uri: '/ams/api/v1/payments/pay', clientId, time, body }, importPrivateKey(t.client.merchantPrivateKey as string), 1);
    const answer = await t.call('payments/pay', null, { path: '/ams/sandbox/api/v1/payments/pay', rawBody: body, time, unsigned: true, headers: { signature } });
    expect(answer.body.result.resultCode).toBe('INVALID_SIGNATURE');

    const page = await openPage();
    await page.goto(`${t.baseUrl}/dashboard`);
    await page.click('nav a[href="/dashboard/requests"]');
    await page.check('#r-failures');
    await page.click('#apply-filters');
    const row = page.locator('#requests-table tbody tr', { hasText: '/ams/sandbox/api/v1/payments/pay' }).first();
    await expect.poll(() => row.textContent()).toContain('INVALID_SIGNATURE');
    await row.locator('a').click();
    await page.waitForSelector('#signature-debugger');
    const cause = await page.textContent('#likely-cause');
    expect(cause).toContain('Wrong URI or sandbox path');
    expect(cause).toContain('The client signed POST /ams/api/v1/payments/pay but sent the request to /ams/sandbox/api/v1/payments/pay.');
    const expected = await page.innerText('#expected-content');
    expect(expected.split('\n')[0]).toBe('POST /ams/sandbox/api/v1/payments/pay\\n');
    expect(expected).toContain(`${clientId}.${time}.${body.slice(0, 20)}`);
    expect(await page.textContent('#expected-sha256')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resends a notification the receiver first refused with a 500: a new attempt appears and the receiver gets it', async () => {
    let paymentId = '';
    receiver.answer = (request) => (request.body.includes(paymentId) && receiver.received.filter((r) => r.body.includes(paymentId)).length === 1
      ? { status: 500, body: 'try later' }
      : { status: 200, body: ACK });
    paymentId = (await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/notify` }))).body.paymentId as string;
    expect((await fetch(`${t.baseUrl}/sandbox/payments/${paymentId}/complete`, { method: 'POST', body: '{}' })).status).toBe(200);
    // The dispatcher's first attempt (the next one is minutes away on Antom's schedule).
    await expect.poll(async () => (await t.gateway.notifications.list({ resourceId: paymentId }))[0]?.attempts ?? 0, { timeout: 10_000 }).toBe(1);
    const [notification] = await t.gateway.notifications.list({ resourceId: paymentId });

    const page = await openPage();
    await page.goto(`${t.baseUrl}/dashboard/payments/${paymentId}`);
    expect(await page.locator('#timeline tr', { hasText: 'Delivery attempt 1' }).textContent()).toContain('HTTP 500');
    await page.click(`#timeline a[href="/dashboard/notifications/${notification!.notificationId}"]`);
    await page.waitForSelector('#attempts');
    expect(await page.locator('#attempts tbody tr').count()).toBe(1);
    await Promise.all([page.waitForURL(/notice=/), page.click('.resend')]);
    expect(await page.textContent('#notice')).toContain('attempt 2 delivered (HTTP 200)');
    const attempts = page.locator('#attempts tbody tr');
    expect(await attempts.count()).toBe(2);
    expect(await attempts.nth(1).textContent()).toContain('DELIVERED');
    expect(receiver.received.filter((r) => r.body.includes(paymentId))).toHaveLength(2);
  });

  it('shows a new request in the live log without a reload', async () => {
    const page = await openPage();
    await page.goto(`${t.baseUrl}/dashboard/requests`);
    await page.waitForSelector('#live-controls:not([hidden])');
    await page.evaluate('window.__notReloaded = true');
    await t.call('payments/inquiryPayment', { paymentRequestId: `followed-${Date.now()}` });
    const { requests } = (await (await fetch(`${t.baseUrl}/sandbox/requests?limit=1`)).json()) as { requests: Array<{ id: string }> };
    const row = page.locator(`#requests-table tbody tr[data-request-id="${requests[0]!.id}"]`);
    await row.waitFor({ timeout: 6000 });
    expect(await row.textContent()).toContain('ORDER_NOT_EXIST');
    expect(await page.evaluate('window.__notReloaded')).toBe(true);
    expect(await page.textContent('#live-status')).toMatch(/^updated /);
  });
});
