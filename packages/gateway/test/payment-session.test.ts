/** payments/createPaymentSession: a cashier payment behind a session link, or an Auto Debit authorisation (AGREEMENT_PAYMENT), through real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { SandboxClock } from '../src/index.js';
import { agreementPay, cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('payment sessions on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    const sessionRequest = (overrides: Record<string, unknown> = {}): Record<string, unknown> & { paymentRequestId: string } => {
      const { paymentMethod: _m, env: _e, ...rest } = cashierPay();
      return { ...rest, ...overrides } as Record<string, unknown> & { paymentRequestId: string };
    };

    it('retrievePaymentSession answers the recorded order, by paymentSessionId or paymentRequestId, at the SDKs\' doubled-slash path too', async () => {
      const body = sessionRequest();
      const created = await t.call('payments/createPaymentSession', body);
      const expected = { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, order: body.order };

      const byRequestId = await t.call('payments/retrievePaymentSession', { paymentRequestId: body.paymentRequestId });
      expect(byRequestId.signatureValid).toBe(true);
      expect(byRequestId.body).toEqual(expected);
      // The session id wins over a request id when both are given.
      const bySessionId = await t.call('payments/retrievePaymentSession', { paymentSessionId: created.body.paymentSessionId, paymentRequestId: 'not-this-one' });
      expect(bySessionId.body).toEqual(expected);

      // All four official SDKs send (and sign over) this path; the answer is signed over it too.
      for (const path of ['/ams/api//v1/payments/retrievePaymentSession', '/ams/sandbox/api//v1/payments/retrievePaymentSession']) {
        const sdkStyle = await t.call('payments/retrievePaymentSession', { paymentRequestId: body.paymentRequestId }, { path });
        expect(sdkStyle.signatureValid, path).toBe(true);
        expect(sdkStyle.body, path).toEqual(expected);
      }
      // The signature covers the path as requested: one made over the single-slash path does not verify at the doubled one.
      const time = String(Date.now());
      const rawBody = JSON.stringify({ paymentRequestId: body.paymentRequestId });
      const clientId = t.client.client.clientId;
      const overSingleSlash = signHeader(
        { uri: '/ams/api/v1/payments/retrievePaymentSession', clientId, time, body: Buffer.from(rawBody) },
        importPrivateKey(t.client.merchantPrivateKey!),
        1,
      );
      const mismatched = await t.call('payments/retrievePaymentSession', null, {
        path: '/ams/api//v1/payments/retrievePaymentSession', time, rawBody, unsigned: true, headers: { signature: overSingleSlash },
      });
      expect(mismatched.body.result.resultCode).toBe('INVALID_SIGNATURE');
    });

    it('retrievePaymentSession: unknown or another client\'s session ORDER_NOT_EXIST; neither id PARAM_ILLEGAL; other doubled slashes a signed NO_INTERFACE_DEF', async () => {
      const body = sessionRequest();
      const created = await t.call('payments/createPaymentSession', body);
      const other = await t.gateway.clients.create({ sandbox: true });
      const asOther = { clientId: other.client.clientId, privateKey: other.merchantPrivateKey!, keyVersion: other.keyVersion };
      for (const request of [{ paymentRequestId: 'no-such-request' }, { paymentSessionId: 'SES-not-a-session' }, { paymentSessionId: `SES${'0'.repeat(26)}` }]) {
        const r = await t.call('payments/retrievePaymentSession', request);
        expect(r.body.result, JSON.stringify(request)).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });
        expect(r.signatureValid).toBe(true);
      }
      for (const request of [{ paymentRequestId: body.paymentRequestId }, { paymentSessionId: created.body.paymentSessionId }]) {
        expect((await t.call('payments/retrievePaymentSession', request, asOther)).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      }
      const neither = await t.call('payments/retrievePaymentSession', {});
      expect(neither.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('paymentSessionId') });

      // Only the doubled slash the SDKs send is served; others are not this endpoint.
      for (const path of ['/ams//api/v1/payments/retrievePaymentSession', '/ams/api/v1//payments/retrievePaymentSession']) {
        const r = await t.call('payments/retrievePaymentSession', { paymentRequestId: body.paymentRequestId }, { path });
        expect(r.status, path).toBe(200);
        expect(r.body.result, path).toMatchObject({ resultCode: 'NO_INTERFACE_DEF', resultStatus: 'F' });
        expect(r.signatureValid, path).toBe(true);
      }
    });

    it('answers a session id, data, expiry and a checkout link that completes the payment', async () => {
      const body = sessionRequest();
      const r = await t.call('payments/createPaymentSession', body);
      expect(r.signatureValid).toBe(true);
      expect(r.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect(r.body.paymentSessionId).toMatch(/^SES[0-9A-Z]{26}$/);
      expect(typeof r.body.paymentSessionData).toBe('string');
      expect(Date.parse(r.body.paymentSessionExpiryTime as string) - clock.now()).toBeGreaterThan(59 * 60_000);
      const link = r.body.normalUrl as string;
      expect(link).toBe(`${t.baseUrl}/checkout/session/${r.body.paymentSessionData as string}`);

      const page = await (await fetch(link)).text();
      expect(page).toContain('10.00 USD');
      const paid = await submitCheckout(link, { action: 'pay' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe(body.paymentRedirectUrl);
      const inquiry = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1000' } });
      // The same paymentRequestId again: the payment's state, as pay answers it.
      expect((await t.call('payments/createPaymentSession', body)).body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect((await t.call('payments/pay', { ...cashierPay(), paymentRequestId: body.paymentRequestId, paymentMethod: { paymentMethodType: 'GCASH' } })).body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
    });

    it('refuses an expiry beyond 1 hour or in the past, naming the field', async () => {
      const tooLate = new Date(clock.now() + 2 * 3_600_000).toISOString().replace('Z', '+00:00');
      expect((await t.call('payments/createPaymentSession', sessionRequest({ paymentSessionExpiryTime: tooLate }))).body.result).toMatchObject({
        resultCode: 'PARAM_ILLEGAL', resultMessage: 'paymentSessionExpiryTime: must be within 1 hour of the request',
      });
      expect((await t.call('payments/createPaymentSession', sessionRequest({ paymentSessionExpiryTime: '2020-01-01T00:00:00+0800' }))).body.result.resultMessage).toBe(
        'paymentSessionExpiryTime: must be in the future',
      );
    });

    it('a retry answers the session the first request created, the same data and link, even once its expiry time has passed', async () => {
      const withExpiry = sessionRequest({ paymentSessionExpiryTime: new Date(clock.now() + 10 * 60_000).toISOString().replace('Z', '+00:00'), paymentExpiryTime: new Date(clock.now() + 50 * 60_000).toISOString().replace('Z', '+00:00') });
      const withDefault = sessionRequest();
      const firsts = [await t.call('payments/createPaymentSession', withExpiry), await t.call('payments/createPaymentSession', withDefault)];
      clock.advance(5 * 60_000);
      expect((await t.call('payments/createPaymentSession', withExpiry)).body).toEqual(firsts[0]!.body);
      expect((await t.call('payments/createPaymentSession', withDefault)).body).toEqual(firsts[1]!.body);
      // The session expiry is not a key field: a retry that changes or drops it still gets the session created.
      const { paymentSessionExpiryTime: _dropped, ...withoutExpiry } = withExpiry;
      expect((await t.call('payments/createPaymentSession', withoutExpiry)).body).toEqual(firsts[0]!.body);
      const other = new Date(clock.now() + 30 * 60_000).toISOString().replace('Z', '+00:00');
      expect((await t.call('payments/createPaymentSession', { ...withDefault, paymentSessionExpiryTime: other })).body).toEqual(firsts[1]!.body);
      // Past the session's expiry (the payment's is later): still the same answer, not "must be in the future".
      clock.advance(6 * 60_000);
      const late = await t.call('payments/createPaymentSession', withExpiry);
      expect(late.body).toEqual(firsts[0]!.body);
      expect((await fetch(late.body.normalUrl as string)).status).toBe(410);
    });

    it('echoes metadata: the session\'s payment carries it to inquiryPayment and notifyPayment', async () => {
      const body = sessionRequest({ metadata: '{"basket":7}' });
      const r = await t.call('payments/createPaymentSession', body);
      expect(r.body.result.resultCode).toBe('SUCCESS');
      expect((await submitCheckout(r.body.normalUrl as string, { action: 'pay' })).status).toBe(303);
      const inquiry = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', metadata: '{"basket":7}' });
      const [notice] = await t.gateway.notifications.list({ resourceId: inquiry.body.paymentId as string });
      expect(JSON.parse(notice!.body)).toMatchObject({ notifyType: 'PAYMENT_RESULT', metadata: '{"basket":7}' });
    });

    // AGREEMENT_PAYMENT (docs: "createPaymentSession (Tokenized Payment)"): the buyer authorises Auto Debit on the
    // session's page; the auth code comes back on paymentRedirectUrl (and notifyAuthorization AUTHCODE_CREATED), and
    // applyToken turns it into the access token Auto Debit pays with. Keyed by agreementInfo.authState.
    const agreementSession = (overrides: Record<string, unknown> = {}): Record<string, unknown> & { agreementInfo: { authState: string } } => ({
      productCode: 'AGREEMENT_PAYMENT',
      agreementInfo: { authState: uniqueId('state'), userLoginId: 'buyer@example.com' },
      paymentMethod: { paymentMethodType: 'GCASH' },
      paymentRedirectUrl: 'https://merchant.example/authorised?from=session',
      ...overrides,
    }) as Record<string, unknown> & { agreementInfo: { authState: string } };

    it('AGREEMENT_PAYMENT: a session whose page authorises Auto Debit; the auth code becomes an access token that pays', async () => {
      const body = agreementSession({ scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'] });
      const r = await t.call('payments/createPaymentSession', body);
      expect(r.signatureValid).toBe(true);
      expect(r.body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
      expect(r.body.paymentSessionId).toMatch(/^SESA[0-9A-Z]{26}$/);
      const consultId = (r.body.paymentSessionData as string).split('.')[0]!;
      expect(consultId).toMatch(/^ACN[0-9A-Z]{26}$/);
      expect(r.body.normalUrl).toBe(`${t.baseUrl}/authorize/${consultId}`);
      const expiresIn = Date.parse(r.body.paymentSessionExpiryTime as string) - clock.now();
      expect(expiresIn).toBeGreaterThan(30 * 60_000 - 5_000);
      expect(expiresIn).toBeLessThanOrEqual(30 * 60_000);
      expect((await t.call('payments/createPaymentSession', body)).body).toEqual(r.body);

      const page = await (await fetch(r.body.normalUrl as string)).text();
      expect(page).toContain('GCASH');
      expect(page).toContain('AGREEMENT_PAY, USER_LOGIN_ID');
      const agreed = await submitCheckout(r.body.normalUrl as string, { action: 'agree' });
      expect(agreed.status).toBe(303);
      const back = new URL(agreed.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe('https://merchant.example/authorised');
      expect(back.searchParams.get('from')).toBe('session');
      expect(back.searchParams.get('authState')).toBe(body.agreementInfo.authState);
      const authCode = back.searchParams.get('authCode')!;
      expect(authCode).toMatch(/^ac_/);

      const [notice] = await t.gateway.notifications.list({ resourceId: consultId });
      expect(notice!.notifyType).toBe('AUTHORIZATION');
      expect(JSON.parse(notice!.body)).toMatchObject({
        authorizationNotifyType: 'AUTHCODE_CREATED', result: { resultCode: 'SUCCESS', resultStatus: 'S' }, authState: body.agreementInfo.authState, authCode,
      });

      const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode });
      expect(applied.body.result.resultCode).toBe('SUCCESS');
      expect(applied.body.userLoginId).toBe('san***@amsgate.test');
      const pay = await t.call('payments/pay', agreementPay(applied.body.accessToken as string));
      expect(pay.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentAmount: { currency: 'USD', value: '1000' } });
      // The session's page is decided: its link shows the outcome, and the same session is still answered for its authState.
      expect(await (await fetch(r.body.normalUrl as string)).text()).toContain('AGREED');
      expect((await t.call('payments/createPaymentSession', body)).body).toEqual(r.body);
    });

    it('AGREEMENT_PAYMENT: scopes default to AGREEMENT_PAY; declining returns the state without a code; refusals name the field', async () => {
      const r = await t.call('payments/createPaymentSession', agreementSession({ paymentMethod: { paymentMethodType: 'ALIPAY_HK' } }));
      const page = await (await fetch(r.body.normalUrl as string)).text();
      expect(page).toContain('ALIPAY_HK');
      expect(page).toMatch(/id="scopes">AGREEMENT_PAY</);
      const declined = await submitCheckout(r.body.normalUrl as string, { action: 'decline' });
      const back = new URL(declined.headers.get('location')!);
      expect(back.searchParams.get('authCode')).toBeNull();
      expect(back.searchParams.get('authState')).not.toBeNull();

      const body = agreementSession();
      expect((await t.call('payments/createPaymentSession', body)).body.result.resultCode).toBe('SUCCESS');
      const otherWallet = await t.call('payments/createPaymentSession', { ...body, paymentMethod: { paymentMethodType: 'DANA' } });
      expect(otherWallet.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(otherWallet.body.result.resultMessage).toBe(`agreementInfo.authState ${body.agreementInfo.authState} was used with different paymentMethod.paymentMethodType`);
      // The authState key space is its own: a cashier session's paymentRequestId equal to it is another request.
      const cashier = await t.call('payments/createPaymentSession', sessionRequest({ paymentRequestId: body.agreementInfo.authState }));
      expect(cashier.body.result.resultCode).toBe('SUCCESS');

      for (const [request, field] of [
        [{ ...agreementSession(), agreementInfo: undefined }, 'agreementInfo'],
        [agreementSession({ agreementInfo: { userLoginId: 'x' } }), 'agreementInfo.authState'],
        [agreementSession({ paymentMethod: {} }), 'paymentMethod.paymentMethodType'],
        [agreementSession({ scopes: ['PAY_EVERYTHING'] }), 'scopes'],
        [agreementSession({ paymentRedirectUrl: undefined }), 'paymentRedirectUrl'],
      ] as const) {
        const refused = await t.call('payments/createPaymentSession', request);
        expect(refused.body.result, field).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        expect(refused.body.result.resultMessage, field).toContain(field);
      }
      // retrievePaymentSession is for one-time payment sessions: an Auto Debit session is not one.
      expect((await t.call('payments/retrievePaymentSession', { paymentSessionId: r.body.paymentSessionId })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('a session link stops working when the session expires, and the payment closes', async () => {
      const r = await t.call('payments/createPaymentSession', sessionRequest({ paymentRequestId: uniqueId('ses') }));
      clock.advance(61 * 60_000);
      expect((await fetch(r.body.normalUrl as string)).status).toBe(410);
      await t.gateway.payments.closeExpired();
      const paymentId = (r.body.paymentSessionData as string).split('.')[0]!;
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      expect((await fetch(`${t.baseUrl}/checkout/session/not-a-session`)).status).toBe(404);
    });
  });
});
