/**
 * The checkout pages in headless Chromium: a buyer pays a cashier payment
 * and lands on the merchant's page while notifyPayment arrives; card test
 * cards pay or decline; the pages fit a 360 px phone; the order code's
 * countdown runs under the pages' CSP. No page may request anything off
 * loopback (browser.ts fails such requests) or log an error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cashierPay, startTestGateway, uniqueId, type TestGateway } from '../harness.js';
import { Receiver } from '../receiver.js';
import { browserAvailable, launchBrowser, type TestBrowser } from './browser.js';

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(browserAvailable())('checkout pages in a browser', () => {
  let t: TestGateway;
  let browser: TestBrowser;
  const receiver = new Receiver();
  let merchant: Server;
  let merchantUrl = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('sqlite');
    await receiver.start();
    // The merchant's result page (paymentRedirectUrl).
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
    await receiver.stop();
    await t?.close();
  });

  async function openPage(width = 1200, height = 900): Promise<Page> {
    const { page } = await browser.newPage({ width, height });
    page.on('console', (message) => {
      // A form re-shown with field errors answers 422, which Chromium reports as a failed load.
      if (message.type() === 'error' && !message.text().includes('status of 422')) pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function newPayment(overrides: Record<string, unknown> = {}): Promise<{ paymentId: string; checkoutUrl: string; returnUrl: string }> {
    const returnUrl = `${merchantUrl}/return?order=${uniqueId('o')}`;
    const pay = await t.call('payments/pay', cashierPay({ paymentRedirectUrl: returnUrl, paymentNotifyUrl: `${receiver.url}/antom/notify`, ...overrides }));
    expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    return { paymentId: pay.body.paymentId as string, checkoutUrl: pay.body.normalUrl as string, returnUrl };
  }

  async function notificationFor(paymentId: string): Promise<{ paymentId: string; result: { resultCode: string; resultStatus: string } }> {
    const find = () => receiver.received.map((r) => JSON.parse(r.body) as { paymentId: string; result: { resultCode: string; resultStatus: string } }).find((body) => body.paymentId === paymentId);
    await until(`the notification of ${paymentId}`, () => find() !== undefined);
    return find()!;
  }

  const inquiry = async (paymentId: string) => (await t.call('payments/inquiryPayment', { paymentId })).body;

  /** The document's scroll and visible widths (a string: the tests compile without DOM types). */
  const widthsOf = (page: Page) => page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })') as Promise<{ scroll: number; client: number }>;

  it('a buyer pays a cashier payment: the browser lands on paymentRedirectUrl and notifyPayment arrives with SUCCESS', async () => {
    const { paymentId, checkoutUrl, returnUrl } = await newPayment();
    const page = await openPage();
    await page.goto(checkoutUrl);
    expect(await page.locator('#pay').textContent()).toBe('Pay 10.00 USD');
    await page.click('#pay');
    await page.waitForURL(returnUrl);
    expect(await page.locator('#merchant-result').textContent()).toBe('Back at the shop');
    const notification = await notificationFor(paymentId);
    expect(notification.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'SUCCESS' });
    // Back on the checkout link: the status, no buttons.
    await page.goto(checkoutUrl);
    expect(await page.locator('#status').textContent()).toBe('SUCCESS');
    expect(await page.locator('#pay').count()).toBe(0);
  });

  it('a buyer declines with a chosen code', async () => {
    const { paymentId, checkoutUrl, returnUrl } = await newPayment();
    const page = await openPage();
    await page.goto(checkoutUrl);
    await page.selectOption('#decline-code', 'RISK_REJECT');
    await page.click('#decline');
    await page.waitForURL(returnUrl);
    expect((await notificationFor(paymentId)).result).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
  });

  describe('card', () => {
    const cardPayment = () => newPayment({ paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } });
    async function payByCard(page: Page, checkoutUrl: string, number: string, expiry = '12/30', cvc = '123'): Promise<void> {
      await page.goto(checkoutUrl);
      await page.fill('#card-number', number);
      await page.fill('#card-expiry', expiry);
      await page.fill('#card-cvc', cvc);
      await page.fill('#card-holder', 'Test Buyer');
      await page.click('#card-submit');
    }

    it('a success test card pays: SUCCESS by inquiry and notification', async () => {
      const { paymentId, checkoutUrl, returnUrl } = await cardPayment();
      const page = await openPage();
      await payByCard(page, checkoutUrl, '4054 6957 2310 0768');
      await page.waitForURL(returnUrl);
      // The card typed on the page is the payment's card: brand, masked number and expiry, never the number.
      expect(await inquiry(paymentId)).toMatchObject({
        paymentStatus: 'SUCCESS',
        paymentResultInfo: { cardBrand: 'VISA', cardNo: '405469******0768', lastFour: '0768', expiryMonth: '12', expiryYear: '2030', funding: 'CREDIT' },
      });
      expect((await notificationFor(paymentId)).result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    });

    it('a failure test card is declined: FAIL DO_NOT_HONOR by inquiry and notification', async () => {
      const { paymentId, checkoutUrl, returnUrl } = await cardPayment();
      const page = await openPage();
      await payByCard(page, checkoutUrl, '5162770472561357');
      await page.waitForURL(returnUrl);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'DO_NOT_HONOR' });
      expect((await notificationFor(paymentId)).result).toMatchObject({ resultCode: 'DO_NOT_HONOR', resultStatus: 'F' });
    });

    it('expiry month 13 shows the field error on the form; nothing changes', async () => {
      const { paymentId, checkoutUrl } = await cardPayment();
      const page = await openPage();
      await payByCard(page, checkoutUrl, '4054695723100768', '13/30');
      expect(await page.locator('#card-expiry-error').textContent()).toContain('Invalid expiry month');
      expect(await page.inputValue('#card-cvc')).toBe('');
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });
  });

  it('the order code page shows the QR and runs its countdown under the CSP; the test wallet pays', async () => {
    const pay = await t.call('payments/pay', {
      productCode: 'IN_STORE_PAYMENT',
      paymentRequestId: uniqueId('oc'),
      paymentAmount: { currency: 'USD', value: '1200' },
      order: { referenceOrderId: uniqueId('order'), orderDescription: 'Coffee', orderAmount: { currency: 'USD', value: '1200' } },
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET' },
      paymentFactor: { inStorePaymentScenario: 'OrderCode' },
      paymentNotifyUrl: `${receiver.url}/antom/notify`,
    });
    const paymentId = pay.body.paymentId as string;
    const codeValue = (pay.body.orderCodeForm as { codeDetails: Array<{ codeValue: string }> }).codeDetails[0]!.codeValue;
    const page = await openPage(360, 740);
    await page.goto(codeValue);
    const box = await page.locator('#qr svg').boundingBox();
    expect(box!.width).toBeGreaterThan(150);
    expect((await widthsOf(page)).scroll).toBeLessThanOrEqual(360);
    const first = await page.locator('#countdown').textContent();
    await until('the countdown to tick', async () => (await page.locator('#countdown').textContent()) !== first, 3_000);
    await page.click('#scan-with-test-wallet');
    await page.click('#pay');
    expect(await page.locator('#status').textContent()).toBe('SUCCESS');
    expect((await notificationFor(paymentId)).result).toMatchObject({ resultCode: 'SUCCESS' });
  });

  it('at 360 px wide the wallet, card and order-code pages have no horizontal scroll', async () => {
    const longReference = 'R'.repeat(64);
    const wallet = await newPayment({ order: { referenceOrderId: longReference, orderDescription: 'A rather long order description for a small screen', orderAmount: { currency: 'USD', value: '1000' } } });
    const card = await newPayment({ paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true } });
    const page = await openPage(360, 740);
    for (const url of [wallet.checkoutUrl, `${t.baseUrl}/checkout/${wallet.paymentId}/wallet`, card.checkoutUrl]) {
      await page.goto(url);
      const widths = await widthsOf(page);
      expect(widths.client).toBe(360);
      expect(widths.scroll, url).toBeLessThanOrEqual(widths.client);
    }
  });

  it('no page logged an error (CSP violations included)', () => {
    expect(pageErrors).toEqual([]);
  });
  describe('vaulting', () => {
    it('walks a card from a vaulting session with 3-D Secure to a token, a one-click payment and its refund', async () => {
      const redirectUrl = `${merchantUrl}/vaulted?customer=${uniqueId('c')}`;
      const vaultingRequestId = uniqueId('vault');
      const session = await t.call('vaults/createVaultingSession', {
        paymentMethodType: 'CARD', vaultingRequestId, vaultingNotificationUrl: `${receiver.url}/antom/vaulting`, redirectUrl, is3DSAuthentication: true,
      });
      expect(session.body.result.resultCode).toBe('SUCCESS');

      const page = await openPage(360, 740);
      await page.goto(session.body.normalUrl as string);
      await page.fill('#cardNumber', '5162 7741 1497 4622');
      await page.fill('#cardExpiry', '11/31');
      await page.fill('#cardCvc', '321');
      await page.fill('#cardHolder', 'Grace Hopper');
      await page.click('#save');
      // The issuer's challenge, then back to the merchant.
      await page.click('#authenticate');
      await page.waitForURL(redirectUrl);
      expect(await page.locator('#merchant-result').textContent()).toBe('Back at the shop');

      const find = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>).find((body) => body.vaultingRequestId === vaultingRequestId);
      await until('the vaulting notification', () => find() !== undefined);
      const notified = find() as { vaultingStatus: string; paymentMethodDetail: { card: { cardToken: string; brand: string; maskedCardNo: string } } };
      expect(notified.vaultingStatus).toBe('SUCCESS');
      expect(notified.paymentMethodDetail.card).toMatchObject({ brand: 'MASTERCARD', maskedCardNo: '516277******4622' });
      const token = notified.paymentMethodDetail.card.cardToken;
      expect((await t.call('vaults/inquireVaulting', { vaultingRequestId })).body).toMatchObject({ vaultingStatus: 'SUCCESS', paymentMethodDetail: { card: { cardToken: token } } });

      // One click: no page, the stored card pays at once.
      const paid = await t.call('payments/pay', cashierPay({
        paymentMethod: { paymentMethodType: 'CARD', paymentMethodId: token, paymentMethodMetaData: { isCardOnFile: true } },
        paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' },
        paymentNotifyUrl: `${receiver.url}/antom/notify`,
      }));
      expect(paid.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect(paid.body.paymentResultInfo).toMatchObject({ cardToken: token, cardBrand: 'MASTERCARD', lastFour: '4622', expiryMonth: '11', expiryYear: '2031' });
      const paymentId = paid.body.paymentId as string;
      expect((await notificationFor(paymentId)).result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });

      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '1000' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('payments/inquiryRefund', { refundId: refund.body.refundId })).body).toMatchObject({ refundStatus: 'SUCCESS' });
    });
  });
});
