/**
 * Auto Debit through real HTTP on SQLite and PostgreSQL: authorizations/consult,
 * the authorisation page and the sandbox control API, applyToken (code and
 * refresh), revoke, and payments/pay with AGREEMENT_PAYMENT (settled at once,
 * then inquiry, refund and cancel through the payment services), with
 * notifyAuthorization / notifyPayment in the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger } from './ledger.js';
import { agreementPay, cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';

const postgresOk = await postgresAvailable();
const DAY = 86_400_000;

function consultBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerBelongsTo: 'GCASH',
    authRedirectUrl: 'https://merchant.example/auth/return?from=amsgate',
    scopes: ['AGREEMENT_PAY'],
    authState: uniqueId('state'),
    terminalType: 'WEB',
    ...overrides,
  };
}

describe.each(DIALECTS)('auto debit on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let clock: SandboxClock;
    let other: CreatedClient;
    beforeAll(async () => {
      clock = new SandboxClock();
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
    });
    afterAll(async () => t?.close());

    const asOther = () => ({ clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string });

    async function consult(overrides: Record<string, unknown> = {}, options = {}): Promise<{ consultId: string; authUrl: string; authState: string }> {
      const body = consultBody(overrides);
      const response = await t.call('authorizations/consult', body, options);
      expect(response.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      const authUrl = response.body.authUrl as string;
      return { consultId: authUrl.split('/').pop() as string, authUrl, authState: body.authState as string };
    }

    async function control(consultId: string, decision: 'agree' | 'decline', body: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/${decision}`, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    async function authCode(overrides: Record<string, unknown> = {}, options = {}): Promise<{ code: string; consultId: string }> {
      const { consultId } = await consult(overrides, options);
      const agreed = await control(consultId, 'agree');
      expect(agreed.status).toBe(200);
      return { code: agreed.body.authCode as string, consultId };
    }

    async function tokens(overrides: Record<string, unknown> = {}, options = {}) {
      const { code, consultId } = await authCode(overrides, options);
      const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: overrides.customerBelongsTo ?? 'GCASH', authCode: code }, options);
      expect(applied.body.result.resultCode).toBe('SUCCESS');
      return { consultId, accessToken: applied.body.accessToken as string, refreshToken: applied.body.refreshToken as string, body: applied.body };
    }

    async function expectLedgerSound(): Promise<void> {
      expect((await checkLedger(t.gateway.database, { derivedBalances: true })).violations).toEqual([]);
    }

    it('consult → agree → applyToken → pay S → inquiry, refund → revoke → pay INVALID_ACCESS_TOKEN', async () => {
      const notifyUrl = 'https://merchant.example/auth-notify';
      const { consultId, authUrl, authState } = await consult({ authNotifyUrl: notifyUrl, scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'] });
      expect(authUrl).toBe(`${t.baseUrl}/authorize/${consultId}`);

      const agreed = await control(consultId, 'agree', { userLoginId: 'jane.doe@example.com' });
      expect(agreed.body).toMatchObject({ status: 'AGREED', authState });
      const code = agreed.body.authCode as string;
      expect(agreed.body.redirectUrl).toBe(`https://merchant.example/auth/return?from=amsgate&authCode=${encodeURIComponent(code)}&authState=${encodeURIComponent(authState)}`);

      const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: code });
      expect(applied.signatureValid).toBe(true);
      expect(applied.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, userLoginId: 'jan***@example.com' });
      const accessToken = applied.body.accessToken as string;
      expect(accessToken.length).toBeLessThanOrEqual(128);
      expect(Date.parse(applied.body.accessTokenExpiryTime as string) - clock.now()).toBeGreaterThan(29 * DAY);
      expect(applied.body.refreshToken).toEqual(expect.any(String));
      expect(Date.parse(applied.body.refreshTokenExpiryTime as string)).toBeGreaterThan(Date.parse(applied.body.accessTokenExpiryTime as string));

      const body = agreementPay(accessToken);
      const paid = await t.call('payments/pay', body);
      expect(paid.signatureValid).toBe(true);
      expect(paid.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentRequestId: body.paymentRequestId, paymentAmount: { currency: 'USD', value: '1000' } });
      const paymentId = paid.body.paymentId as string;
      expect(paid.body.paymentTime).toEqual(expect.any(String));
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ paid: 1000n, merchant: 1000n });
      await expectLedgerSound();

      const inquiry = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentId, paymentMethodType: 'GCASH' });

      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '400' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ refunded: 400n, merchant: 600n });
      await expectLedgerSound();

      const paymentNotes = await t.gateway.notifications.list({ resourceId: paymentId });
      expect(paymentNotes.map((n) => n.notifyType)).toEqual(['PAYMENT_RESULT']);

      const revoked = await t.call('authorizations/revoke', { accessToken });
      expect(revoked.signatureValid).toBe(true);
      expect(revoked.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
      // Idempotent: revoking again answers the same.
      expect((await t.call('authorizations/revoke', { accessToken })).body).toEqual(revoked.body);

      const refused = await t.call('payments/pay', agreementPay(accessToken));
      expect(refused.body.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
      expect(refused.body.paymentId).toBeUndefined();
      // The refresh token died with the grant.
      const refreshed = await t.call('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH', refreshToken: applied.body.refreshToken });
      expect(refreshed.body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');

      // notifyAuthorization: AUTHCODE_CREATED at the agreement, TOKEN_CANCELED once at the revoke, to the consult's authNotifyUrl.
      const authNotes = await t.gateway.notifications.list({ resourceId: consultId });
      expect(authNotes).toHaveLength(2);
      const bodies = authNotes.map((n) => JSON.parse(n.body) as Record<string, unknown>);
      expect(authNotes.every((n) => n.notifyType === 'AUTHORIZATION' && n.url === notifyUrl && n.status === 'PENDING')).toBe(true);
      expect(bodies).toEqual(expect.arrayContaining([
        expect.objectContaining({ authorizationNotifyType: 'AUTHCODE_CREATED', authCode: code, authState, userLoginId: 'jan***@example.com', userId: expect.stringMatching(/^2188\d{12}$/) }),
        expect.objectContaining({ authorizationNotifyType: 'TOKEN_CANCELED', accessToken, authState, result: expect.objectContaining({ resultCode: 'SUCCESS' }) }),
      ]));
    });

    it('without authNotifyUrl the notification uses the client\'s AUTHORIZATION default, else is kept as NO_URL', async () => {
      const { consultId } = await authCode();
      const [note] = await t.gateway.notifications.list({ resourceId: consultId });
      expect(note).toMatchObject({ notifyType: 'AUTHORIZATION', status: 'NO_URL', url: null });

      await t.gateway.notifications.setDefaultUrl(t.client.client.clientId, 'AUTHORIZATION', 'https://merchant.example/default-auth');
      const second = await authCode();
      const [withDefault] = await t.gateway.notifications.list({ resourceId: second.consultId });
      expect(withDefault).toMatchObject({ status: 'PENDING', url: 'https://merchant.example/default-auth' });
    });

    it('the authorisation page shows the request; Agree redirects with authCode and authState, which applyToken accepts', async () => {
      const { consultId, authUrl, authState } = await consult({ scopes: ['AGREEMENT_PAY', 'BASE_USER_INFO'] });
      const page = await fetch(authUrl);
      expect(page.status).toBe(200);
      // A buyer page like the checkout: not frameable (a hidden Agree button), not cached, only nonce'd inline style.
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'nonce-[^']+'; .*frame-ancestors 'none'$/);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('AGREEMENT_PAY, BASE_USER_INFO');
      expect(html).toContain('GCASH');
      expect(html).toContain(t.client.client.clientId);
      expect(html).toContain('id="agree"');

      // A post without the page's form token, or from another site, changes nothing.
      const forged = await fetch(authUrl, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ action: 'agree', userLoginId: '+639171234567' }).toString(),
      });
      expect(forged.status).toBe(403);
      const crossSite = await submitCheckout(authUrl, { action: 'agree' }, { 'sec-fetch-site': 'cross-site' });
      expect(crossSite.status).toBe(403);
      expect(await (await fetch(authUrl)).text()).toContain('id="agree"');

      const submitted = await submitCheckout(authUrl, { action: 'agree', userLoginId: '+639171234567' });
      expect(submitted.status).toBe(303);
      const location = new URL(submitted.headers.get('location') as string);
      expect(`${location.origin}${location.pathname}`).toBe('https://merchant.example/auth/return');
      expect(location.searchParams.get('from')).toBe('amsgate');
      expect(location.searchParams.get('authState')).toBe(authState);
      const code = location.searchParams.get('authCode') as string;
      expect(code).toMatch(/^ac_/);

      const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: code });
      expect(applied.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, userLoginId: '+63******4567' });

      // Decided: the page no longer offers the buttons, and a second answer is refused.
      expect(await (await fetch(authUrl)).text()).not.toContain('id="agree"');
      const again = await control(consultId, 'agree');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ result: { resultCode: 'OAUTH_FAILED' } });
    });

    it('Decline redirects with authState and no code; unknown pages are 404', async () => {
      const { authUrl, authState, consultId } = await consult();
      const declined = await submitCheckout(authUrl, { action: 'decline' });
      expect(declined.status).toBe(303);
      const location = new URL(declined.headers.get('location') as string);
      expect(location.searchParams.get('authState')).toBe(authState);
      expect(location.searchParams.has('authCode')).toBe(false);
      expect(await t.gateway.notifications.list({ resourceId: consultId })).toEqual([]);
      expect((await fetch(`${t.baseUrl}/authorize/ACN-NOPE`)).status).toBe(404);
      expect((await control('ACN-NOPE', 'agree')).status).toBe(404);
    });

    it('auth codes are single-use, expire, belong to the consulting client and wallet', async () => {
      const { code } = await authCode();
      const apply = (authCodeValue: string, options = {}, customerBelongsTo = 'GCASH') =>
        t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo, authCode: authCodeValue }, options);

      // Another client, or another wallet: refused, and the code stays usable.
      expect((await apply(code, asOther())).body.result).toMatchObject({ resultCode: 'OAUTH_FAILED', resultStatus: 'F', resultMessage: 'authCode is not valid' });
      expect((await apply(code, {}, 'DANA')).body.result.resultCode).toBe('OAUTH_FAILED');
      expect((await apply(code)).body.result.resultCode).toBe('SUCCESS');
      const reused = await apply(code);
      expect(reused.body.result).toMatchObject({ resultCode: 'OAUTH_FAILED', resultMessage: 'authCode has already been used' });
      expect(reused.body.accessToken).toBeUndefined();
      expect((await apply('ac_unknown')).body.result.resultCode).toBe('OAUTH_FAILED');

      const late = await authCode();
      clock.advance(10 * 60_000 + 1);
      expect((await apply(late.code)).body.result).toMatchObject({ resultCode: 'OAUTH_FAILED', resultMessage: expect.stringContaining('expired') });

      // An authorisation page left open too long cannot be agreed.
      const stale = await consult();
      clock.advance(30 * 60_000 + 1);
      expect(await (await fetch(stale.authUrl)).text()).toContain('EXPIRED');
      expect((await control(stale.consultId, 'agree')).status).toBe(409);
    });

    it('an expired access token → INVALID_ACCESS_TOKEN; the refresh token gets a new one, the old stays valid until its expiry', async () => {
      const first = await tokens();
      clock.advance(10 * DAY);
      const refreshed = await t.call('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH', refreshToken: first.refreshToken });
      expect(refreshed.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, refreshToken: first.refreshToken, refreshTokenExpiryTime: first.body.refreshTokenExpiryTime });
      const second = refreshed.body.accessToken as string;
      expect(second).not.toBe(first.accessToken);
      expect((await t.call('payments/pay', agreementPay(first.accessToken))).body.result.resultCode).toBe('SUCCESS');

      clock.advance(21 * DAY);
      expect((await t.call('payments/pay', agreementPay(first.accessToken))).body.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
      expect((await t.call('payments/pay', agreementPay(second))).body.result.resultCode).toBe('SUCCESS');

      expect((await t.call('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH', refreshToken: 'rt_unknown' })).body.result.resultCode)
        .toBe('INVALID_ACCESS_TOKEN');
      expect((await t.call('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH', refreshToken: first.refreshToken }, asOther())).body.result.resultCode)
        .toBe('INVALID_ACCESS_TOKEN');
      // Revoking the old (expired) token ends the whole grant: the newer token too.
      expect((await t.call('authorizations/revoke', { accessToken: first.accessToken })).body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('payments/pay', agreementPay(second))).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
      await expectLedgerSound();
    });

    it('authorizations/query: ACTIVE with the expiry times while usable, INACTIVE once expired or revoked; unknown and foreign tokens INVALID_ACCESS_TOKEN', async () => {
      const first = await tokens();
      const active = await t.call('authorizations/query', { accessToken: first.accessToken });
      expect(active.signatureValid).toBe(true);
      expect(active.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        accessToken: first.accessToken,
        accessTokenExpiryTime: first.body.accessTokenExpiryTime,
        refreshTokenExpiryTime: first.body.refreshTokenExpiryTime,
        tokenStatusType: 'ACTIVE',
      });
      // Never the refresh token: only its digest is kept.
      expect(JSON.stringify(active.body)).not.toContain(first.refreshToken);

      const unknown = await t.call('authorizations/query', { accessToken: 'at_unknown' });
      expect(unknown.body).toEqual({ result: { resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F', resultMessage: 'accessToken is not valid' } });
      expect((await t.call('authorizations/query', { accessToken: first.accessToken }, asOther())).body).toEqual(unknown.body);
      expect((await t.call('authorizations/query', {})).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('accessToken') });

      clock.advance(31 * DAY);
      expect((await t.call('authorizations/query', { accessToken: first.accessToken })).body).toMatchObject({ result: { resultCode: 'SUCCESS' }, tokenStatusType: 'INACTIVE' });

      const second = await tokens();
      expect((await t.call('authorizations/revoke', { accessToken: second.accessToken })).body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('authorizations/query', { accessToken: second.accessToken })).body).toMatchObject({ result: { resultCode: 'SUCCESS' }, tokenStatusType: 'INACTIVE' });
    });

    it('another client\'s token: pay and revoke answer INVALID_ACCESS_TOKEN, exactly as for an unknown token', async () => {
      const { accessToken } = await tokens();
      const foreignPay = await t.call('payments/pay', agreementPay(accessToken), asOther());
      const unknownPay = await t.call('payments/pay', agreementPay('at_unknown'), asOther());
      expect(foreignPay.body).toEqual(unknownPay.body);
      expect(foreignPay.body.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
      const foreignRevoke = await t.call('authorizations/revoke', { accessToken }, asOther());
      expect(foreignRevoke.body).toEqual((await t.call('authorizations/revoke', { accessToken: 'at_unknown' }, asOther())).body);
      expect(foreignRevoke.body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
      // Still the owner's: another wallet type is refused, the right one pays.
      expect((await t.call('payments/pay', agreementPay(accessToken, { paymentMethod: { paymentMethodType: 'DANA', paymentMethodId: accessToken } }))).body.result.resultCode)
        .toBe('INVALID_ACCESS_TOKEN');
      expect((await t.call('payments/pay', agreementPay(accessToken))).body.result.resultCode).toBe('SUCCESS');
    });

    it('a token without the AGREEMENT_PAY scope cannot pay', async () => {
      const { accessToken, body } = await tokens({ scopes: ['BASE_USER_INFO'] });
      expect(body.userLoginId).toBeUndefined();
      expect((await t.call('payments/pay', agreementPay(accessToken))).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
    });

    it('pay is idempotent on paymentRequestId (shared with cashier pay): repeats answer the recorded result', async () => {
      const { accessToken } = await tokens();
      const body = agreementPay(accessToken);
      const first = await t.call('payments/pay', body);
      const repeat = await t.call('payments/pay', body);
      expect(repeat.body).toEqual(first.body);
      const journalRows = await t.gateway.database.db.selectFrom('journal_entries').select('journal_id').where('payment_id', '=', first.body.paymentId as string).execute();
      expect(new Set(journalRows.map((r) => r.journal_id)).size).toBe(1);

      const other = await t.call('payments/pay', { ...body, paymentAmount: { currency: 'USD', value: '999' } });
      expect(other.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(other.body.result.resultMessage).toContain('paymentAmount.value');
      const cashier = await t.call('payments/pay', cashierPay({ paymentRequestId: body.paymentRequestId }));
      expect(cashier.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');

      // After a revoke the recorded answer still comes back for the same request.
      await t.call('authorizations/revoke', { accessToken });
      expect((await t.call('payments/pay', body)).body).toEqual(first.body);
      // A refused pay records nothing: its paymentRequestId stays free.
      const refusedId = uniqueId('adpay');
      expect((await t.call('payments/pay', agreementPay(accessToken, { paymentRequestId: refusedId }))).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
      const fresh = await tokens();
      expect((await t.call('payments/pay', agreementPay(fresh.accessToken, { paymentRequestId: refusedId }))).body.result.resultCode).toBe('SUCCESS');
    });

    it('sandbox trigger: an amount ending in 9951 fails with USER_BALANCE_NOT_ENOUGH (recorded, notified, no money moved)', async () => {
      const { accessToken } = await tokens();
      const body = agreementPay(accessToken, { paymentAmount: { currency: 'USD', value: '19951' } });
      const failed = await t.call('payments/pay', body);
      expect(failed.body.result).toMatchObject({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' });
      const paymentId = failed.body.paymentId as string;
      expect((await t.call('payments/pay', body)).body).toEqual(failed.body);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      const [note] = await t.gateway.notifications.list({ resourceId: paymentId });
      expect(JSON.parse(note!.body)).toMatchObject({ notifyType: 'PAYMENT_RESULT', result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' } });
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toBeUndefined();
    });

    it('cancel reverses an Auto Debit payment within the window', async () => {
      const { accessToken } = await tokens();
      const paymentId = (await t.call('payments/pay', agreementPay(accessToken))).body.paymentId as string;
      const cancelled = await t.call('payments/cancel', { paymentId });
      expect(cancelled.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, paymentId });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('CANCELLED');
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ merchant: 0n });
      await expectLedgerSound();
    });

    it('codes and tokens are stored only as digests', async () => {
      const { accessToken, refreshToken } = await tokens();
      const body = agreementPay(accessToken);
      await t.call('payments/pay', body);
      const db = t.gateway.database.db;
      const dump = JSON.stringify([
        await db.selectFrom('payments').select(['request_json', 'payment_method_id']).where('payment_request_id', '=', body.paymentRequestId as string).execute(),
        await db.selectFrom('idempotency_keys').select('fingerprint').where('request_id', '=', body.paymentRequestId as string).execute(),
        await db.selectFrom('agreement_grants').selectAll().execute(),
        await db.selectFrom('agreement_access_tokens').selectAll().execute(),
      ], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      expect(dump).not.toContain(accessToken);
      expect(dump).not.toContain(refreshToken);
      expect(dump).toContain('sha256:');
    });
  });
});
