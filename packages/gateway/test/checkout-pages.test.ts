/**
 * The buyer-facing checkout pages over HTTP (SQLite): one page per payment
 * family (wallet, card, order code), escaping, each action's state change
 * and redirect, CSRF refusals, the card test data, final payments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_CODES } from '@amsgate/protocol';
import { renderSVG } from 'uqr';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { WALLET_DECLINE_CODES } from '../src/sandbox/pages/checkout/buyer-actions.js';
import { TEST_CARDS } from '../src/products/cards/test-cards.js';
import { cashierPay, inStorePay, startTestGateway, type TestGateway } from './harness.js';
import { csrfTokenOf, FORM_CONTENT_TYPE, submitCheckout } from './checkout-form.js';

const MERCHANT_RETURN = 'https://merchant.example/return';

describe('checkout pages', () => {
  let t: TestGateway;
  const clock = new SandboxClock();
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { clock, notifyDispatch: false });
  });
  afterAll(async () => t?.close());

  async function newPayment(overrides: Record<string, unknown> = {}): Promise<string> {
    const pay = await t.call('payments/pay', cashierPay(overrides));
    expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    return pay.body.paymentId as string;
  }
  const pageUrl = (paymentId: string, suffix = '') => `${t.baseUrl}/checkout/${paymentId}${suffix}`;
  async function page(url: string): Promise<{ status: number; html: string; headers: Headers }> {
    const response = await fetch(url);
    return { status: response.status, html: await response.text(), headers: response.headers };
  }
  async function inquiry(paymentId: string): Promise<Record<string, unknown>> {
    return (await t.call('payments/inquiryPayment', { paymentId })).body;
  }
  async function notificationsOf(paymentId: string): Promise<Array<{ result: { resultCode: string; resultMessage: string } }>> {
    const rows = await t.gateway.notifications.list({ resourceId: paymentId });
    return rows.map((row) => JSON.parse(row.body) as { result: { resultCode: string; resultMessage: string } });
  }
  const card = (outcome: string) => TEST_CARDS.find((c) => c.outcome === outcome)!.number;

  describe('wallet page', () => {
    it('shows the wallet, merchant, order, reference and amount, with Pay, Decline (catalogue codes) and Cancel', async () => {
      const paymentId = await newPayment({ paymentMethod: { paymentMethodType: 'GCASH' }, paymentAmount: { currency: 'JPY', value: '1500' }, order: { referenceOrderId: 'ref-42', orderDescription: 'Green tea', orderAmount: { currency: 'JPY', value: '1500' } } });
      const { status, html, headers } = await page(pageUrl(paymentId));
      expect(status).toBe(200);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain('id="wallet-name">GCash<');
      expect(html).toContain('test merchant');
      expect(html).toContain(t.client.client.clientId);
      expect(html).toContain('id="order-description">Green tea<');
      expect(html).toContain('id="reference-order-id">ref-42<');
      expect(html).toContain('1500 JPY');
      for (const id of ['pay', 'decline', 'decline-code', 'cancel']) expect(html).toContain(`id="${id}"`);
      const offered = [...html.matchAll(/<option value="([A-Z_]+)"/g)].map((m) => m[1]);
      expect(offered).toEqual([...WALLET_DECLINE_CODES]);
      for (const code of offered) expect(RESULT_CODES[code as keyof typeof RESULT_CODES].status).toBe('F');
      // Offline: no external resources, inline CSS only.
      expect(html).not.toMatch(/<(link|img|iframe)\b/);
      expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    });

    it('escapes every value (a referenceOrderId with <script>)', async () => {
      const paymentId = await newPayment({ order: { referenceOrderId: '<script>alert(1)</script>', orderDescription: 'Tea "&" <b>set</b>', orderAmount: { currency: 'USD', value: '1000' } } });
      const { html } = await page(pageUrl(paymentId));
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).not.toContain('<b>set</b>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('Tea &quot;&amp;&quot; &lt;b&gt;set&lt;/b&gt;');
    });

    it('Pay: SUCCESS, then 303 to paymentRedirectUrl as given; the page then shows the status and no buttons', async () => {
      const paymentId = await newPayment();
      const response = await submitCheckout(pageUrl(paymentId), { action: 'pay' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(MERCHANT_RETURN);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      expect(await notificationsOf(paymentId)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) })]);

      const { status, html } = await page(pageUrl(paymentId));
      expect(status).toBe(200);
      expect(html).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(html).not.toContain('id="pay"');
      expect(html).not.toContain('id="decline"');
      expect(html).not.toContain('id="cancel"');
      expect(csrfTokenOf(html)).toBeUndefined();
      expect(html).toContain(`href="${MERCHANT_RETURN}"`);
    });

    it('Decline: FAIL with the chosen code', async () => {
      const paymentId = await newPayment();
      const response = await submitCheckout(pageUrl(paymentId), { action: 'decline', declineCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(MERCHANT_RETURN);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      const { html } = await page(pageUrl(paymentId));
      expect(html).toMatch(/id="status"[^>]*>FAIL</);
      expect(html).toContain('USER_BALANCE_NOT_ENOUGH');
    });

    it('Decline with a code outside the menu changes nothing (400)', async () => {
      const paymentId = await newPayment();
      const response = await submitCheckout(pageUrl(paymentId), { action: 'decline', declineCode: 'SUCCESS' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Unknown decline code');
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });

    it('Cancel: nothing changes (pending until expiry, no notification), the buyer goes back to the merchant; the link still works', async () => {
      const paymentId = await newPayment({ paymentExpiryTime: new Date(clock.now() + 5 * 60_000).toISOString() });
      const response = await submitCheckout(pageUrl(paymentId), { action: 'cancel' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(MERCHANT_RETURN);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
      expect(await notificationsOf(paymentId)).toEqual([]);
      expect((await page(pageUrl(paymentId))).html).toContain('id="pay"');
      clock.advance(5 * 60_000);
      const closed = await page(pageUrl(paymentId));
      expect(closed.html).toMatch(/id="status"[^>]*>FAIL</);
      expect(closed.html).toContain('ORDER_IS_CLOSED');
      expect(closed.html).not.toContain('id="pay"');
    });

    it('without a web paymentRedirectUrl: a result page instead of a redirect (Cancel: pending, with a way back)', async () => {
      const paid = await newPayment({ paymentRedirectUrl: 'myapp://checkout/done' });
      const response = await submitCheckout(pageUrl(paid), { action: 'pay' });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(html).toContain('Payment completed.');
      expect(html).not.toContain('myapp://');

      const left = await newPayment({ paymentRedirectUrl: 'myapp://checkout/done' });
      const cancelled = await submitCheckout(pageUrl(left), { action: 'cancel' });
      expect(cancelled.status).toBe(200);
      const cancelHtml = await cancelled.text();
      expect(cancelHtml).toMatch(/id="status"[^>]*>PROCESSING</);
      expect(cancelHtml).toContain(`id="back" href="/checkout/${left}"`);
      expect(cancelHtml).not.toContain('id="pay"');
    });

    it('a second action on a final payment changes nothing (409)', async () => {
      const paymentId = await newPayment();
      const url = pageUrl(paymentId);
      const html = await (await fetch(url)).text();
      const csrf = csrfTokenOf(html)!;
      const post = (action: string) => fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': FORM_CONTENT_TYPE }, body: new URLSearchParams({ csrf, action, declineCode: 'RISK_REJECT' }).toString() });
      expect((await post('pay')).status).toBe(303);
      const again = await post('decline');
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('Nothing was changed');
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'SUCCESS' });
    });
  });

  describe('CSRF', () => {
    const post = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': FORM_CONTENT_TYPE, ...headers }, body: new URLSearchParams(body).toString() });

    it('refuses a post without the page token, or with another payment\'s token', async () => {
      const paymentId = await newPayment();
      const other = await newPayment();
      const otherToken = csrfTokenOf((await page(pageUrl(other))).html)!;
      const missing = await post(pageUrl(paymentId), { action: 'pay' });
      expect(missing.status).toBe(403);
      expect(await missing.text()).toContain('reload the page');
      expect((await post(pageUrl(paymentId), { action: 'pay', csrf: otherToken })).status).toBe(403);
      expect((await post(pageUrl(paymentId), { action: 'pay', csrf: `${otherToken}x` })).status).toBe(403);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });

    it('refuses a cross-site Sec-Fetch-Site or a foreign Origin even with the right token; accepts its own origin', async () => {
      const paymentId = await newPayment();
      const url = pageUrl(paymentId);
      const csrf = csrfTokenOf((await page(url)).html)!;
      expect((await post(url, { action: 'pay', csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await post(url, { action: 'pay', csrf }, { origin: 'https://evil.example' })).status).toBe(403);
      expect((await post(url, { action: 'pay', csrf }, { origin: 'null' })).status).toBe(403);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
      const own = await post(url, { action: 'pay', csrf }, { origin: new URL(t.baseUrl).origin, 'sec-fetch-site': 'same-origin' });
      expect(own.status).toBe(303);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'SUCCESS' });
    });
  });

  describe('card page', () => {
    // Antom card payments carry paymentFactor (an authorisation captured automatically here).
    const cardPayment = () => newPayment({ paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } });
    const cardFields = (number: string, overrides: Record<string, string> = {}) => ({ action: 'pay', cardNumber: number, cardExpiry: '12/30', cardCvc: '123', cardHolder: 'Test Buyer', ...overrides });

    it('renders the card form and the published test cards', async () => {
      const { html } = await page(pageUrl(await cardPayment()));
      for (const id of ['card-number', 'card-expiry', 'card-cvc', 'card-holder', 'card-submit', 'cancel']) expect(html).toContain(`id="${id}"`);
      expect(html).not.toContain('id="pay"');
      for (const testCard of TEST_CARDS) expect(html).toContain(testCard.number.replace(/(\d{4})(?=\d)/g, '$1 '));
    });

    it('a success card pays (SUCCESS, redirect); the 3DS exemption card pays without a challenge', async () => {
      const paid = await cardPayment();
      const response = await submitCheckout(pageUrl(paid), cardFields(card('success')));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(MERCHANT_RETURN);
      expect(await inquiry(paid)).toMatchObject({ paymentStatus: 'SUCCESS' });
      const exempt = await cardPayment();
      expect((await submitCheckout(pageUrl(exempt), cardFields('4035 5010 0000 0008'))).status).toBe(303);
      expect(await inquiry(exempt)).toMatchObject({ paymentStatus: 'SUCCESS' });
      // Final: status, no form.
      const { html } = await page(pageUrl(paid));
      expect(html).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(html).not.toContain('id="card-submit"');
    });

    it('a failure card fails with DO_NOT_HONOR, naming only brand and last four', async () => {
      const paymentId = await cardPayment();
      const number = card('failure');
      const response = await submitCheckout(pageUrl(paymentId), cardFields(number));
      expect(response.status).toBe(303);
      const result = await inquiry(paymentId);
      expect(result).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'DO_NOT_HONOR' });
      expect(RESULT_CODES.DO_NOT_HONOR.status).toBe('F');
      const [notification] = await notificationsOf(paymentId);
      expect(notification?.result).toMatchObject({ resultCode: 'DO_NOT_HONOR', resultMessage: `The issuing bank declined the card (Visa ending ${number.slice(-4)})` });
      expect(JSON.stringify(result)).not.toContain(number);
    });

    it('expiry month 13: the form again with an invalid-expiry-month error, nothing changed, the CVC not echoed', async () => {
      const paymentId = await cardPayment();
      const response = await submitCheckout(pageUrl(paymentId), cardFields(card('success'), { cardExpiry: '13/30', cardCvc: '737' }));
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toMatch(/class="field-error" id="card-expiry-error">Invalid expiry month/);
      expect(html).not.toContain('737');
      expect(html).toContain('value="13/30"');
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });

    it('a 2-digit CVC: invalid CVC', async () => {
      const paymentId = await cardPayment();
      const response = await submitCheckout(pageUrl(paymentId), cardFields(card('success'), { cardCvc: '99' }));
      expect(response.status).toBe(422);
      expect(await response.text()).toMatch(/class="field-error" id="card-cvc-error">Invalid CVC/);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });

    it('a card that is not a published test card, or fails Luhn: only the test cards work (the number is not echoed)', async () => {
      const paymentId = await cardPayment();
      for (const number of ['4111 1111 1111 1111', '4054695723100769', 'not a number']) {
        const response = await submitCheckout(pageUrl(paymentId), cardFields(number));
        expect(response.status).toBe(422);
        const html = await response.text();
        expect(html).toMatch(/class="field-error" id="card-number-error">Only the published sandbox test cards work/);
        expect(html).not.toContain(number);
        expect(html).toContain('<details id="test-cards" open>');
      }
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
    });
  });

  describe('order code page', () => {
    const orderCodePay = (): Record<string, unknown> => inStorePay({}, 'OrderCode', null);

    it('the code value opens a page with the QR (inline SVG of the code value), amount, expiry and a test-wallet link; the wallet pays', async () => {
      const pay = await t.call('payments/pay', orderCodePay());
      expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      const paymentId = pay.body.paymentId as string;
      const form = pay.body.orderCodeForm as { expireTime: string; codeDetails: Array<{ codeValue: string }> };
      const codeValue = form.codeDetails[0]!.codeValue;

      const { status, html } = await page(codeValue);
      expect(status).toBe(200);
      expect(html).toMatch(/<div id="qr"[^>]*><svg /);
      expect(html).toContain(renderSVG(codeValue, { ecc: 'M', border: 2 }));
      expect(html).toContain('12.00 USD');
      const shownExpiry = /id="expires-at" datetime="([^"]+)"/.exec(html)?.[1];
      expect(Math.abs(Date.parse(shownExpiry!) - Date.parse(form.expireTime))).toBeLessThan(1000);
      expect(html).toMatch(/id="countdown" data-remaining-ms="\d+">\d+:\d\d left</);
      expect(html).toContain(`id="scan-with-test-wallet" href="/checkout/${paymentId}/wallet"`);
      expect(html).not.toContain('id="pay"');

      const wallet = await page(pageUrl(paymentId, '/wallet'));
      expect(wallet.html).toContain('amsgate test wallet');
      expect(wallet.html).toContain('id="pay"');
      const paid = await submitCheckout(pageUrl(paymentId, '/wallet'), { action: 'pay' });
      expect(paid.status).toBe(200); // no paymentRedirectUrl: the result page
      expect(await paid.text()).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'SUCCESS' });

      const final = await page(codeValue);
      expect(final.html).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(final.html).not.toContain('<svg');
    });
  });

  describe('links', () => {
    it('an unknown payment or session answers 404', async () => {
      expect((await page(pageUrl('PAY-NOPE'))).status).toBe(404);
      expect((await page(pageUrl('PAY-NOPE', '/wallet'))).status).toBe(404);
      expect((await fetch(pageUrl('PAY-NOPE'), { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE }, body: 'action=pay' })).status).toBe(404);
      expect((await page(`${t.baseUrl}/checkout/session/not-a-session`)).status).toBe(404);
    });

    it('a payment session link shows the page and takes the same actions', async () => {
      const { paymentMethod: _m, env: _e, ...request } = cashierPay();
      const session = await t.call('payments/createPaymentSession', request);
      const link = session.body.normalUrl as string;
      expect((await page(link)).html).toContain('id="pay"');
      const response = await submitCheckout(link, { action: 'pay' });
      expect(response.status).toBe(303);
      expect(await inquiry((session.body.paymentSessionData as string).split('.')[0]!)).toMatchObject({ paymentStatus: 'SUCCESS' });
    });
  });
});
