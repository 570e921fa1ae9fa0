/**
 * Wallet answers through real HTTP on SQLite and PostgreSQL:
 * - `pspCustomerInfo` (products/payments/wallet-customer.ts) on pay,
 *   inquiryPayment and notifyPayment of a wallet payment once paid (the
 *   client's buyer's test wallet account for cashier payments, the user who
 *   agreed for Auto Debit), and on applyToken;
 * - `schemeUrl` / `applinkUrl` / `appIdentifier` (products/payments/app-links.ts)
 *   on pay and authorizations/consult by terminal, leading to the same page
 *   as `normalUrl`.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, validate, validateResponse } from '@amsgate/protocol';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { agreementPay, cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { csrfTokenOf } from './checkout-form.js';

const postgresOk = await postgresAvailable();

/** The documented cashier derivation, written out again. */
function cashierCustomer(wallet: string, clientId: string, referenceBuyerId?: string): { pspName: string; pspCustomerId: string; displayCustomerId: string } {
  const hex = createHash('sha256').update(`wallet-customer\n${wallet}\n${clientId}\n${referenceBuyerId ?? ''}`, 'utf8').digest('hex');
  const digits = (BigInt(`0x${hex.slice(0, 32)}`) % 10n ** 16n).toString().padStart(16, '0');
  return { pspName: wallet, pspCustomerId: `2188${digits.slice(0, 12)}`, displayCustomerId: `buyer_****${digits.slice(12)}` };
}

/** The Auto Debit wallet user id of a login (auto-debit/secrets.ts `walletUserId`), written out again. */
function walletUserId(wallet: string, loginId: string): string {
  const hex = createHash('sha256').update(`${wallet}\n${loginId}`, 'utf8').digest('hex');
  return `2188${(BigInt(`0x${hex.slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, '0')}`;
}

function withBuyer(referenceBuyerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = cashierPay(overrides);
  return { ...base, order: { ...(base.order as Record<string, unknown>), buyer: { referenceBuyerId } } };
}

describe.each(DIALECTS)('wallet answers on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    let clientId: string;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
      clientId = t.client.client.clientId;
    });
    afterAll(async () => t?.close());

    async function notificationBodies(resourceId: string): Promise<Record<string, unknown>[]> {
      const notifications = await t.gateway.notifications.repository.list({ resourceId });
      return notifications.map((notification) => JSON.parse(notification.body) as Record<string, unknown>);
    }

    /** pay → complete → the repeated pay's answer (SUCCESS) and the inquiry. */
    async function paidWith(body: Record<string, unknown>, options = {}) {
      const pending = await t.call('payments/pay', body, options);
      const paymentId = pending.body.paymentId as string;
      expect(pending.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(pending.body).not.toHaveProperty('pspCustomerInfo');
      expect((await t.call('payments/inquiryPayment', { paymentId }, options)).body).not.toHaveProperty('pspCustomerInfo');
      expect((await t.complete(paymentId)).status).toBe(200);
      const repeat = await t.call('payments/pay', body, options);
      const inquiry = await t.call('payments/inquiryPayment', { paymentId }, options);
      return { paymentId, repeat: repeat.body, inquiry: inquiry.body };
    }

    it('a cashier wallet payment, once paid, names the buyer\'s wallet account on pay, inquiryPayment and notifyPayment', async () => {
      const body = withBuyer('buyer-42');
      const { paymentId, repeat, inquiry } = await paidWith(body);
      const expected = cashierCustomer('ALIPAY_CN', clientId, 'buyer-42');
      expect(expected.pspCustomerId).toMatch(/^2188\d{12}$/);
      expect(expected.displayCustomerId).toMatch(/^buyer_\*{4}\d{4}$/);
      expect(repeat.result.resultCode).toBe('SUCCESS');
      expect(repeat.pspCustomerInfo).toEqual(expected);
      expect(validateResponse('payments/pay', repeat)).toEqual({ ok: true, value: repeat });
      expect(inquiry.pspCustomerInfo).toEqual(expected);
      expect(validateResponse('payments/inquiryPayment', inquiry)).toEqual({ ok: true, value: inquiry });
      const [notified] = await notificationBodies(paymentId);
      expect(notified).toMatchObject({ notifyType: 'PAYMENT_RESULT', pspCustomerInfo: expected });
      expect(validate(NOTIFICATIONS.notifyPayment.schema, notified)).toEqual({ ok: true, value: notified });
    });

    it('the same account for the same client, wallet and buyer; another for another buyer, wallet or client', async () => {
      const same = (await paidWith(withBuyer('buyer-7'))).inquiry.pspCustomerInfo;
      expect((await paidWith(withBuyer('buyer-7'))).inquiry.pspCustomerInfo).toEqual(same);
      expect(same).toEqual(cashierCustomer('ALIPAY_CN', clientId, 'buyer-7'));
      const otherBuyer = (await paidWith(withBuyer('buyer-8'))).inquiry.pspCustomerInfo;
      expect(otherBuyer).toEqual(cashierCustomer('ALIPAY_CN', clientId, 'buyer-8'));
      const otherWallet = (await paidWith(withBuyer('buyer-7', { paymentMethod: { paymentMethodType: 'GCASH' } }))).inquiry.pspCustomerInfo;
      expect(otherWallet).toEqual(cashierCustomer('GCASH', clientId, 'buyer-7'));
      const asOther = { clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string };
      const otherClient = (await paidWith(withBuyer('buyer-7'), asOther)).inquiry.pspCustomerInfo;
      expect(otherClient).toEqual(cashierCustomer('ALIPAY_CN', other.client.clientId, 'buyer-7'));
      const ids = [same, otherBuyer, otherWallet, otherClient].map((info) => (info as { pspCustomerId: string }).pspCustomerId);
      expect(new Set(ids).size).toBe(4);
      // No buyer named: the client's default test buyer.
      expect((await paidWith(cashierPay())).inquiry.pspCustomerInfo).toEqual(cashierCustomer('ALIPAY_CN', clientId));
    });

    it('no pspCustomerInfo for a card payment, nor for a wallet payment that failed', async () => {
      const card = await paidWith(cashierPay({ paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } }));
      expect(card.inquiry.paymentStatus).toBe('SUCCESS');
      expect(card.inquiry).not.toHaveProperty('pspCustomerInfo');
      expect(card.repeat).not.toHaveProperty('pspCustomerInfo');
      const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(paymentId, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).not.toHaveProperty('pspCustomerInfo');
    });

    it('Auto Debit: applyToken, the agreement pay, its inquiry and notifyPayment name the user who agreed', async () => {
      const consultBody = { customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('state'), terminalType: 'WEB' };
      const consult = await t.call('authorizations/consult', consultBody);
      const consultId = (consult.body.authUrl as string).split('/').pop() as string;
      const agreed = await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/agree`, { method: 'POST', body: JSON.stringify({ userLoginId: 'maria.santos@example.com' }) });
      const authCode = ((await agreed.json()) as { authCode: string }).authCode;
      const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode });
      const expected = { pspName: 'GCASH', pspCustomerId: walletUserId('GCASH', 'maria.santos@example.com'), displayCustomerId: 'mar***@example.com' };
      expect(applied.body.pspCustomerInfo).toEqual(expected);
      expect(validateResponse('authorizations/applyToken', applied.body)).toEqual({ ok: true, value: applied.body });
      // The same user notifyAuthorization named.
      const [authNotice] = await notificationBodies(consultId);
      expect(authNotice).toMatchObject({ authorizationNotifyType: 'AUTHCODE_CREATED', userId: expected.pspCustomerId, userLoginId: expected.displayCustomerId });

      const refreshed = await t.call('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH', refreshToken: applied.body.refreshToken });
      expect(refreshed.body.pspCustomerInfo).toEqual(expected);

      const pay = await t.call('payments/pay', agreementPay(applied.body.accessToken as string));
      expect(pay.body.result.resultCode).toBe('SUCCESS');
      expect(pay.body.pspCustomerInfo).toEqual(expected);
      const paymentId = pay.body.paymentId as string;
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.pspCustomerInfo).toEqual(expected);
      const [notified] = await notificationBodies(paymentId);
      expect(notified).toMatchObject({ notifyType: 'PAYMENT_RESULT', pspCustomerInfo: expected });
    });

    describe('app links by terminal', () => {
      async function pendingPay(overrides: Record<string, unknown>) {
        const pay = await t.call('payments/pay', cashierPay(overrides));
        expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
        expect(validateResponse('payments/pay', pay.body)).toEqual({ ok: true, value: pay.body });
        return pay.body;
      }

      it('WEB: normalUrl only', async () => {
        const body = await pendingPay({ env: { terminalType: 'WEB' } });
        expect(body.normalUrl).toBe(`${t.baseUrl}/checkout/${body.paymentId as string}`);
        for (const field of ['schemeUrl', 'applinkUrl', 'appIdentifier']) expect(body).not.toHaveProperty(field);
      });

      it.each([
        ['WAP', { terminalType: 'WAP', osType: 'ANDROID' }],
        ['APP', { terminalType: 'APP', osType: 'IOS' }],
      ])('%s: schemeUrl, applinkUrl and appIdentifier beside normalUrl, all leading to the checkout page', async (_terminal, env) => {
        const body = await pendingPay({ env });
        const normalUrl = `${t.baseUrl}/checkout/${body.paymentId as string}`;
        expect(body.normalUrl).toBe(normalUrl);
        expect(body.schemeUrl).toBe(`amsgate://open?url=${encodeURIComponent(normalUrl)}`);
        expect(body.applinkUrl).toBe(`${normalUrl}?link=applink`);
        expect(body.appIdentifier).toBe('test.amsgate.wallet');
        // What an app handling the scheme opens, and the App Link without the app: the buyer's page with its form.
        const schemeTarget = new URL(body.schemeUrl as string).searchParams.get('url');
        expect(schemeTarget).toBe(normalUrl);
        for (const url of [schemeTarget!, body.applinkUrl as string]) {
          const page = await fetch(url);
          expect(page.status).toBe(200);
          expect(page.headers.get('content-type')).toContain('text/html');
          expect(csrfTokenOf(await page.text())).toEqual(expect.any(String));
        }
      });

      it('a repeated pay answers the links of the terminal it names; a card payment on a phone gets normalUrl only', async () => {
        const request = cashierPay({ env: { terminalType: 'WAP', osType: 'ANDROID' } });
        const first = await t.call('payments/pay', request);
        const repeat = await t.call('payments/pay', request);
        expect(repeat.body.schemeUrl).toBe(first.body.schemeUrl);
        expect(repeat.body.applinkUrl).toBe(first.body.applinkUrl);
        const card = await pendingPay({ env: { terminalType: 'APP', osType: 'ANDROID' }, paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } });
        expect(card.normalUrl).toEqual(expect.any(String));
        for (const field of ['schemeUrl', 'applinkUrl', 'appIdentifier']) expect(card).not.toHaveProperty(field);
      });

      it('authorizations/consult: the same rule for the authorisation page', async () => {
        const consultBody = (terminalType: string) => ({
          customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('state'), terminalType,
          ...(terminalType === 'WEB' ? {} : { osType: 'ANDROID' }),
        });
        const web = await t.call('authorizations/consult', consultBody('WEB'));
        for (const field of ['schemeUrl', 'applinkUrl', 'appIdentifier']) expect(web.body).not.toHaveProperty(field);
        const app = await t.call('authorizations/consult', consultBody('APP'));
        const authUrl = app.body.authUrl as string;
        expect(app.body).toMatchObject({
          normalUrl: authUrl,
          schemeUrl: `amsgate://open?url=${encodeURIComponent(authUrl)}`,
          applinkUrl: `${authUrl}?link=applink`,
          appIdentifier: 'test.amsgate.wallet',
        });
        expect(validateResponse('authorizations/consult', app.body)).toEqual({ ok: true, value: app.body });
        expect((await fetch(app.body.applinkUrl as string)).status).toBe(200);
      });
    });
  });
});
