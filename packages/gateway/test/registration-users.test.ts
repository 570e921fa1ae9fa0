/**
 * Merchant registration (merchants/registration, inquiryRegistrationStatus,
 * inquiryRegistrationInfo) and users (initAuthentication,
 * verifyAuthentication, inquiryUserInfo) through signed HTTP on SQLite and
 * PostgreSQL: the review ending on the gateway clock or by the control API,
 * its one notifyRegistrationStatus, re-registration after a rejection,
 * racing registrations of one merchant, the OTP flow with its attempt limit
 * and expiry, and every refusal, another client's data included.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, notificationKindOf, validate } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { DIALECTS, postgresAvailable, uniqueId, type TestGateway, gatewayWithOtherClient } from './harness.js';

const postgresOk = await postgresAvailable();
const NOTIFY_URL = 'https://isv.example/notify/registration';

function registrationBody(overrides: Record<string, unknown> = {}, merchant: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    registrationRequestId: uniqueId('reg'),
    registrationNotifyURL: NOTIFY_URL,
    passThroughInfo: '{"batch":"7"}',
    productCodes: ['CASHIER_PAYMENT'],
    merchantInfo: {
      referenceMerchantId: uniqueId('sub'),
      merchantDisplayName: 'Sub Merchant Store',
      merchantMCC: '5411',
      logo: { logoName: 'Sub', logoUrl: 'https://sub.example/logo.png' },
      websites: [{ url: 'https://sub.example', name: 'shop' }],
      merchantAddress: { region: 'SG', city: 'Singapore', address1: '1 Example Road' },
      registrationDetail: { legalName: 'Sub Merchant Pte. Ltd.', registrationType: 'ENTERPRISE_REGISTRATION_NO', registrationNo: '201912345K', contactInfo: [{ contactNo: '+6590000000', contactType: 'MOBILE_PHONE' }] },
      ...merchant,
    },
    ...overrides,
  };
}

describe.each(DIALECTS)('merchant registration and users on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));
    const asOther = fixture.asOther;

    const post = fixture.post;
    const advance = async (by: string) => expect((await post('/sandbox/clock/advance', { by })).status).toBe(200);
    const status = async (body: Record<string, unknown>, options = {}) => (await t.call('merchants/inquiryRegistrationStatus', body, options)).body;
    const info = async (body: Record<string, unknown>, options = {}) => (await t.call('merchants/inquiryRegistrationInfo', body, options)).body;
    const notes = async (registrationRequestId: string) =>
      (await t.gateway.notifications.repository.list({ resourceId: registrationRequestId })).map((n) => ({ notifyType: n.notifyType, url: n.url, body: JSON.parse(n.body) as Record<string, unknown> }));

    async function register(overrides: Record<string, unknown> = {}, merchant: Record<string, unknown> = {}) {
      const body = registrationBody(overrides, merchant);
      const answer = await t.call('merchants/registration', body);
      expect(answer.signatureValid).toBe(true);
      return { body, answer: answer.body, requestId: body.registrationRequestId as string, merchantId: (body.merchantInfo as { referenceMerchantId: string }).referenceMerchantId };
    }

    describe('merchants/registration', () => {
      it('accepts, stays PENDING under review, and after the delay on the gateway clock completes once: notified, inquiries answer it', async () => {
        const r = await register();
        expect(r.answer).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, passThroughInfo: '{"batch":"7"}' });

        const pending = await status({ registrationRequestId: r.requestId });
        expect(pending).toEqual({
          result: expect.objectContaining({ resultCode: 'SUCCESS' }) as unknown,
          registrationResult: { registrationStatus: 'PENDING' },
          pspRegistrationResultList: [
            { pspName: 'ALIPAY_CN', registrationResult: { registrationStatus: 'PENDING' } },
            { pspName: 'ALIPAY_HK', registrationResult: { registrationStatus: 'PENDING' } },
          ],
        });
        // No successful registration yet: only the acceptance is answered.
        expect(await info({ referenceMerchantId: r.merchantId })).toEqual({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) as unknown });
        expect(await notes(r.requestId)).toEqual([]);

        // A repeat answers the same; other key fields are inconsistent, naming them.
        expect((await t.call('merchants/registration', r.body)).body).toEqual(r.answer);
        const inconsistent = await t.call('merchants/registration', { ...r.body, productCodes: ['CASHIER_PAYMENT', 'AGREEMENT_PAYMENT'] });
        expect(inconsistent.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
        expect(inconsistent.body.result.resultMessage).toContain('productCodes');
        // The merchant is under review: another registration request for it is refused.
        const again = await t.call('merchants/registration', { ...r.body, registrationRequestId: uniqueId('reg') });
        expect(again.body.result).toMatchObject({ resultCode: 'REPEAT_REGISTRATION', resultStatus: 'F' });
        expect(again.body.result.resultMessage).toContain(r.merchantId);

        await advance('119s');
        expect((await status({ registrationRequestId: r.requestId })).registrationResult).toEqual({ registrationStatus: 'PENDING' });
        await advance('1s');
        const completed = await status({ referenceMerchantId: r.merchantId });
        expect(completed.registrationResult).toEqual({ registrationStatus: 'COMPLETED' });
        expect(completed.pspRegistrationResultList).toEqual([
          { pspName: 'ALIPAY_CN', registrationResult: { registrationStatus: 'APPROVED' } },
          { pspName: 'ALIPAY_HK', registrationResult: { registrationStatus: 'APPROVED' } },
        ]);
        expect(await info({ referenceMerchantId: r.merchantId })).toEqual({
          result: expect.objectContaining({ resultCode: 'SUCCESS' }) as unknown,
          merchantInfo: r.body.merchantInfo,
          productCodes: ['CASHIER_PAYMENT'],
        });

        await advance('1h');
        expect(await notes(r.requestId)).toEqual([{
          notifyType: 'REGISTRATION_STATUS',
          url: NOTIFY_URL,
          body: {
            notifyType: 'REGISTRATION_STATUS',
            referenceMerchantId: r.merchantId,
            registrationRequestId: r.requestId,
            registrationResult: { registrationStatus: 'COMPLETED' },
            pspRegistrationResultList: completed.pspRegistrationResultList,
          },
        }]);
        // The body is the registry's notifyRegistrationStatus, told apart by its notifyType.
        const [sent] = await notes(r.requestId);
        expect(notificationKindOf(sent!.body)).toBe('notifyRegistrationStatus');
        expect(validate(NOTIFICATIONS.notifyRegistrationStatus.schema, sent!.body).ok).toBe(true);
        // Registered: a new request for the merchant is still refused.
        expect((await t.call('merchants/registration', { ...r.body, registrationRequestId: uniqueId('reg') })).body.result.resultCode).toBe('REPEAT_REGISTRATION');
      });

      it('an inquiry finds a review past its end and finishes it, without the sweeper', async () => {
        const r = await register();
        clock.advance(120_000);
        expect((await status({ registrationRequestId: r.requestId })).registrationResult).toEqual({ registrationStatus: 'COMPLETED' });
        expect(await notes(r.requestId)).toHaveLength(1);
        // The sweeper then has nothing left to do for it: still one notification.
        await t.gateway.runDueWork();
        expect(await notes(r.requestId)).toHaveLength(1);
      });

      it('rejected by the control API: REJECTED with the reasons, notified; the merchant may then register again', async () => {
        const r = await register();
        const rejected = await post(`/sandbox/registrations/${r.requestId}/reject`, { rejectReasons: 'The website does not match the legal name' });
        expect(rejected.status).toBe(200);
        expect(rejected.json).toMatchObject({ registrationStatus: 'REJECTED', referenceMerchantId: r.merchantId });
        const answer = await status({ registrationRequestId: r.requestId });
        expect(answer.registrationResult).toEqual({ registrationStatus: 'REJECTED', rejectReasons: 'The website does not match the legal name' });
        expect(answer.pspRegistrationResultList).toEqual([
          { pspName: 'ALIPAY_CN', registrationResult: { registrationStatus: 'REJECTED', rejectReasons: 'The website does not match the legal name' } },
          { pspName: 'ALIPAY_HK', registrationResult: { registrationStatus: 'REJECTED', rejectReasons: 'The website does not match the legal name' } },
        ]);
        expect((await notes(r.requestId)).map((n) => n.body.registrationResult)).toEqual([{ registrationStatus: 'REJECTED', rejectReasons: 'The website does not match the legal name' }]);
        // Decided: the delay ends nothing more, a second decision is refused.
        await advance('10m');
        expect(await notes(r.requestId)).toHaveLength(1);
        expect((await post(`/sandbox/registrations/${r.requestId}/approve`)).status).toBe(409);
        expect(await info({ referenceMerchantId: r.merchantId })).toEqual({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) as unknown });

        // Re-registration with corrected information: the merchant's latest registration is the one inquired by its id.
        const second = await register({}, { referenceMerchantId: r.merchantId, merchantDisplayName: 'Sub Merchant (corrected)' });
        expect(second.answer.result.resultCode).toBe('SUCCESS');
        expect((await status({ referenceMerchantId: r.merchantId })).registrationResult).toEqual({ registrationStatus: 'PENDING' });
        expect((await status({ registrationRequestId: r.requestId })).registrationResult).toMatchObject({ registrationStatus: 'REJECTED' });
        const approved = await post(`/sandbox/registrations/${second.requestId}/approve`, { clientId: t.client.client.clientId, rejectedPsps: { ALIPAY_HK: 'Category not served' } });
        expect(approved.status).toBe(200);
        expect((await status({ referenceMerchantId: r.merchantId })).pspRegistrationResultList).toEqual([
          { pspName: 'ALIPAY_CN', registrationResult: { registrationStatus: 'APPROVED' } },
          { pspName: 'ALIPAY_HK', registrationResult: { registrationStatus: 'REJECTED', rejectReasons: 'Category not served' } },
        ]);
        expect((await info({ referenceMerchantId: r.merchantId })).merchantInfo).toMatchObject({ merchantDisplayName: 'Sub Merchant (corrected)' });
      });

      it('an in-store registration needs storeInfo; its store is inquired with the merchant', async () => {
        const missing = await t.call('merchants/registration', registrationBody({ productCodes: ['IN_STORE_PAYMENT'] }));
        expect(missing.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        expect(missing.body.result.resultMessage).toMatch(/^storeInfo/);

        const storeInfo = { referenceStoreId: 'STORE-1', storeName: 'Orchard', storeMCC: '5411', storeAddress: { region: 'SG', city: 'Singapore' } };
        const r = await register({ productCodes: ['IN_STORE_PAYMENT'], storeInfo });
        expect(r.answer.result.resultCode).toBe('SUCCESS');
        expect((await status({ referenceMerchantId: r.merchantId, referenceStoreId: 'STORE-2' })).result.resultCode).toBe('RECORD_NOT_FOUND');
        await post(`/sandbox/registrations/${r.requestId}/approve`);
        expect(await info({ referenceMerchantId: r.merchantId, referenceStoreId: 'STORE-1' })).toMatchObject({ storeInfo, productCodes: ['IN_STORE_PAYMENT'] });
        expect((await info({ referenceMerchantId: r.merchantId, referenceStoreId: 'STORE-2' })).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await notes(r.requestId))[0]?.body).toMatchObject({ referenceStoreId: 'STORE-1' });
      });

      it('refuses bad fields naming them, unknown and another client\'s registrations, and bad control calls', async () => {
        const cases: Array<[Record<string, unknown>, RegExp]> = [
          [registrationBody({ productCodes: [] }), /^productCodes/],
          [registrationBody({ productCodes: ['PAYOUT'] }), /^productCodes/],
          [registrationBody({}, { websites: [{ url: 'not a url' }] }), /^merchantInfo\.websites/],
          [registrationBody({}, { referenceMerchantId: 'x'.repeat(65) }), /^merchantInfo\.referenceMerchantId/],
          [registrationBody({ registrationNotifyURL: 'ftp://isv.example' }), /^registrationNotifyURL/],
        ];
        for (const [body, message] of cases) {
          const answer = await t.call('merchants/registration', body);
          expect(answer.body.result, JSON.stringify(body)).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
          expect(answer.body.result.resultMessage).toMatch(message);
        }
        const neither = await status({});
        expect(neither.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
        expect(neither.result.resultMessage).toMatch(/^registrationRequestId/);
        expect((await status({ registrationRequestId: 'nope' })).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await info({ referenceMerchantId: 'nope' })).result.resultCode).toBe('RECORD_NOT_FOUND');

        const r = await register();
        expect((await status({ registrationRequestId: r.requestId }, asOther())).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await status({ referenceMerchantId: r.merchantId }, asOther())).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await info({ referenceMerchantId: r.merchantId }, asOther())).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await status({ registrationRequestId: r.requestId, referenceMerchantId: 'another' })).result.resultCode).toBe('RECORD_NOT_FOUND');
        // Another client registers its own merchant under the same reference id: both live side by side.
        const theirs = await t.call('merchants/registration', registrationBody({ registrationRequestId: r.requestId }, { referenceMerchantId: r.merchantId }), asOther());
        expect(theirs.body.result.resultCode).toBe('SUCCESS');

        expect((await post(`/sandbox/registrations/${r.requestId}/approve`)).status).toBe(409); // two clients used the id: name one
        expect((await post('/sandbox/registrations/nope/approve')).status).toBe(404);
        expect((await post(`/sandbox/registrations/${r.requestId}/maybe`, { clientId: t.client.client.clientId })).status).toBe(404);
        expect((await post(`/sandbox/registrations/${r.requestId}/approve`, { clientId: t.client.client.clientId, rejectedPsps: { NOPE: 'x' } })).status).toBe(409);
        expect((await post(`/sandbox/registrations/${r.requestId}/reject`, { clientId: t.client.client.clientId, rejectReasons: '' })).status).toBe(400);
        expect((await status({ registrationRequestId: r.requestId })).registrationResult).toEqual({ registrationStatus: 'PENDING' });
      });

      it('two registration requests for one merchant at once: exactly one is accepted', async () => {
        const merchantId = uniqueId('race');
        const answers = await Promise.all(Array.from({ length: 6 }, () => t.call('merchants/registration', registrationBody({}, { referenceMerchantId: merchantId }))));
        const codes = answers.map((a) => a.body.result.resultCode).sort();
        expect(codes.filter((c) => c === 'SUCCESS')).toHaveLength(1);
        expect(codes.filter((c) => c === 'REPEAT_REGISTRATION')).toHaveLength(5);
        const rows = await t.gateway.database.db.selectFrom('merchant_registrations').select('status').where('reference_merchant_id', '=', merchantId).execute();
        expect(rows).toEqual([{ status: 'PENDING' }]);
      });
    });

    describe('users', () => {
      async function accessToken(scopes: string[] = ['AGREEMENT_PAY']): Promise<string> {
        const consult = await t.call('authorizations/consult', {
          customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth/return', scopes, authState: uniqueId('state'), terminalType: 'WEB',
        });
        const consultId = (consult.body.authUrl as string).split('/').pop() as string;
        const agreed = await post(`/sandbox/authorizations/${consultId}/agree`, { userLoginId: 'buyer@example.com' });
        expect(agreed.status).toBe(200);
        const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: agreed.json.authCode });
        expect(applied.body.result.resultCode).toBe('SUCCESS');
        return applied.body.accessToken as string;
      }
      const init = (token: string, overrides: Record<string, unknown> = {}, options = {}) =>
        t.call('users/initAuthentication', {
          authenticationType: 'OTP', authenticationRequestId: uniqueId('auth'), authenticationChannelType: 'SMS', userIdentityType: 'WALLET_TOKEN', userIdentityValue: token, ...overrides,
        }, options);
      const verify = async (authenticationRequestId: string, authenticationValue: string, options = {}) =>
        (await t.call('users/verifyAuthentication', { authenticationType: 'OTP', authenticationRequestId, authenticationValue }, options)).body;

      it('OTP 123456 passes (again on a repeat); a wrong one is VERIFY_UNMATCHED; the third wrong one locks it', async () => {
        const token = await accessToken();
        const started = await init(token);
        const id = (started.body.authenticationRequestId as string);
        expect(started.body).toEqual({ result: expect.objectContaining({ resultCode: 'SUCCESS', resultStatus: 'S' }) as unknown, authenticationRequestId: id });
        // The OTP is kept only as a salted digest.
        const row = await t.gateway.database.db.selectFrom('user_authentications').selectAll().where('authentication_request_id', '=', id).executeTakeFirstOrThrow();
        expect(row.otp_hash).not.toContain('123456');
        expect(row.otp_hash).toMatch(/^[0-9a-f]{32}\$[0-9a-f]{64}$/);

        expect(await verify(id, '000000')).toEqual({ result: { resultCode: 'VERIFY_UNMATCHED', resultStatus: 'F', resultMessage: 'The one-time password is wrong; 2 attempts left' }, isPassed: false });
        expect(await verify(id, '123456')).toEqual({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) as unknown, isPassed: true });
        expect(await verify(id, '123456')).toMatchObject({ isPassed: true });
        expect(await verify(id, '654321')).toMatchObject({ result: { resultCode: 'VERIFY_UNMATCHED' }, isPassed: false });

        const locked = (await init(token)).body.authenticationRequestId as string;
        expect((await verify(locked, '1')).result.resultCode).toBe('VERIFY_UNMATCHED');
        expect((await verify(locked, '2')).result.resultMessage).toContain('1 attempt left');
        expect(await verify(locked, '3')).toMatchObject({ result: { resultCode: 'VERIFY_TIMES_EXCEED_LIMIT', resultStatus: 'F' }, isPassed: false });
        expect(await verify(locked, '123456')).toMatchObject({ result: { resultCode: 'VERIFY_TIMES_EXCEED_LIMIT' }, isPassed: false });
      });

      it('wrong OTPs sent at once are each counted: never more than the limit, and the right one after them does not pass', async () => {
        const id = (await init(await accessToken())).body.authenticationRequestId as string;
        const answers = await Promise.all(['1', '2', '3', '4', '5'].map((otp) => verify(id, otp)));
        const codes = answers.map((a) => a.result.resultCode);
        expect(codes.every((c) => ['VERIFY_UNMATCHED', 'VERIFY_TIMES_EXCEED_LIMIT', 'UNKNOWN_EXCEPTION'].includes(c))).toBe(true);
        const row = await t.gateway.database.db.selectFrom('user_authentications').select(['failed_attempts', 'locked_at', 'passed_at']).where('authentication_request_id', '=', id).executeTakeFirstOrThrow();
        expect(Number(row.failed_attempts)).toBeLessThanOrEqual(3);
        expect(row.passed_at).toBeNull();
        if (row.locked_at !== null) expect(await verify(id, '123456')).toMatchObject({ isPassed: false });
      });

      it('the OTP expires after 5 minutes on the gateway clock', async () => {
        const id = (await init(await accessToken())).body.authenticationRequestId as string;
        await advance('5m');
        expect(await verify(id, '123456')).toMatchObject({ result: { resultCode: 'EXPIRED_CODE', resultStatus: 'F' }, isPassed: false });
      });

      it('initAuthentication is keyed by authenticationRequestId; a bad, revoked or another client\'s token is INVALID_ACCESS_TOKEN, nothing recorded', async () => {
        const token = await accessToken();
        const id = uniqueId('auth');
        const first = await init(token, { authenticationRequestId: id });
        expect((await init(token, { authenticationRequestId: id })).body).toEqual(first.body);
        const inconsistent = await init(token, { authenticationRequestId: id, authenticationChannelType: 'EMAIL' });
        expect(inconsistent.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT' });
        expect(inconsistent.body.result.resultMessage).toContain('authenticationChannelType');
        // The key store never holds the token.
        const keys = await t.gateway.database.db.selectFrom('idempotency_keys').select('fingerprint').where('request_id', '=', id).execute();
        expect(keys.map((k) => k.fingerprint).join()).not.toContain(token);

        const unknown = await init('at_unknown');
        expect(unknown.body.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
        expect(unknown.body.result.resultMessage).toMatch(/^userIdentityValue/);
        expect((await init(token, {}, asOther())).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
        expect((await init(token, { userIdentityType: 'PHONE' })).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^userIdentityType/) as unknown });

        const revoked = await accessToken();
        expect((await t.call('authorizations/revoke', { accessToken: revoked })).body.result.resultCode).toBe('SUCCESS');
        const refused = await init(revoked, { authenticationRequestId: uniqueId('auth') });
        expect(refused.body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
        // Refused with nothing recorded: the same id may be used again, with a good token.
        expect((await init(token, { authenticationRequestId: refused.body.authenticationRequestId ?? uniqueId('auth') })).body.result.resultCode).toBe('SUCCESS');

        expect((await verify('nope', '123456')).result.resultCode).toBe('RECORD_NOT_FOUND');
        expect((await verify(id, '123456', asOther())).result.resultCode).toBe('RECORD_NOT_FOUND');
      });

      it('inquiryUserInfo answers the token\'s user; the login id only with its scope; refusals', async () => {
        const token = await accessToken(['AGREEMENT_PAY']);
        const answer = await t.call('users/inquiryUserInfo', { accessToken: token });
        expect(answer.signatureValid).toBe(true);
        expect(answer.body).toEqual({
          result: expect.objectContaining({ resultCode: 'SUCCESS', resultStatus: 'S' }) as unknown,
          userId: expect.stringMatching(/^2188\d{12}$/) as unknown,
          userLoginId: 'buy***@example.com',
        });
        const baseOnly = await t.call('users/inquiryUserInfo', { accessToken: await accessToken(['BASE_USER_INFO']) });
        expect(baseOnly.body.userId).toBe(answer.body.userId);
        expect(baseOnly.body).not.toHaveProperty('userLoginId');

        expect((await t.call('users/inquiryUserInfo', { accessToken: token }, asOther())).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
        expect((await t.call('users/inquiryUserInfo', { accessToken: 'at_nope' })).body.result.resultCode).toBe('INVALID_ACCESS_TOKEN');
        const missing = await t.call('users/inquiryUserInfo', {});
        expect(missing.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^accessToken/) as unknown });
        await advance('31d');
        expect((await t.call('users/inquiryUserInfo', { accessToken: token })).body.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultMessage: 'accessToken: the access token has expired' });
      });
    });
  });
});
