/**
 * Vaulting end to end through signed HTTP: sessions and their page, direct
 * vaulting, 3-D Secure challenges, inquiries, the notifyVaulting body, the
 * token endpoints, nonces, and paying with a stored card (one-click and
 * merchant-initiated), refunded and captured like any card payment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { submitCheckout } from './checkout-form.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const VISA_OK = '4054695723100768';
const MASTERCARD_OK = '5162774114974622';
const VISA_DECLINED = '4054692760174822';
const EXEMPT = '4035501000000008';

const card = (cardNo: string, overrides: Record<string, unknown> = {}) => ({
  cardNo, expiryMonth: '12', expiryYear: '2035', cvv: '123', cardholderName: { firstName: 'Ada', lastName: 'Lovelace' }, ...overrides,
});

const sessionRequest = (overrides: Record<string, unknown> = {}) => ({
  paymentMethodType: 'CARD',
  vaultingRequestId: uniqueId('vault'),
  vaultingNotificationUrl: 'https://merchant.example/notify/vaulting',
  redirectUrl: 'https://merchant.example/vaulted',
  ...overrides,
});

const directRequest = (cardNo: string, overrides: Record<string, unknown> = {}, cardOverrides: Record<string, unknown> = {}) => ({
  vaultingRequestId: uniqueId('vault'),
  vaultingNotificationUrl: 'https://merchant.example/notify/vaulting',
  redirectUrl: 'https://merchant.example/vaulted',
  paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: card(cardNo, cardOverrides) },
  env: { terminalType: 'WEB' },
  ...overrides,
});

const pageFields = (cardNo: string) => ({ action: 'save', cardNumber: cardNo, cardExpiry: '12/35', cardCvc: '123', cardHolder: 'Ada Lovelace' });

describe.each(DIALECTS)('vaulting on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
    });
    afterAll(async () => t?.close());
    const asOther = () => ({ clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string });

    const notificationsOf = async (resourceId: string) =>
      (await t.gateway.notifications.repository.list({ resourceId })).map((n) => ({ type: n.notifyType, body: JSON.parse(n.body) as Record<string, unknown> }));

    async function vaultDirect(cardNo = VISA_OK): Promise<string> {
      const answer = await t.call('vaults/vaultPaymentMethod', directRequest(cardNo));
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      return (answer.body.paymentMethodDetail as { card: { cardToken: string } }).card.cardToken;
    }

    describe('sessions and the vaulting page', () => {
      it('answers the session, takes a card on the page, sends the buyer back and notifies the token', async () => {
        const request = sessionRequest();
        const created = await t.call('vaults/createVaultingSession', request);
        expect(created.signatureValid).toBe(true);
        expect(created.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
        const sessionId = created.body.vaultingSessionId as string;
        expect(created.body.normalUrl).toBe(`${t.baseUrl}/vault/${sessionId}`);
        expect(JSON.parse(Buffer.from(created.body.vaultingSessionData as string, 'base64').toString())).toMatchObject({ vaultingSessionId: sessionId, normalUrl: created.body.normalUrl });
        const lifetime = Date.parse(created.body.vaultingSessionExpiryTime as string) - clock.now();
        expect(lifetime).toBeGreaterThan(30 * 60_000 - 5_000);
        expect(lifetime).toBeLessThanOrEqual(30 * 60_000);

        // A repeat answers the same session; the same id with another notify URL is refused.
        expect((await t.call('vaults/createVaultingSession', request)).body.vaultingSessionId).toBe(sessionId);
        const changed = await t.call('vaults/createVaultingSession', { ...request, vaultingNotificationUrl: 'https://merchant.example/other' });
        expect(changed.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');

        const pending = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId });
        expect(pending.body).toMatchObject({ vaultingStatus: 'PROCESSING', normalUrl: created.body.normalUrl });
        expect('paymentMethodDetail' in pending.body).toBe(false);

        const submitted = await submitCheckout(created.body.normalUrl as string, pageFields(VISA_OK));
        expect(submitted.status).toBe(303);
        expect(submitted.headers.get('location')).toBe('https://merchant.example/vaulted');

        const done = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId });
        expect(done.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, vaultingStatus: 'SUCCESS', vaultingResultCode: 'SUCCESS' });
        const stored = (done.body.paymentMethodDetail as { card: Record<string, unknown> }).card;
        expect(stored).toMatchObject({ brand: 'VISA', maskedCardNo: '405469******0768', bin: '405469', lastFour: '0768', expiryMonth: '12', expiryYear: '2035', funding: 'CREDIT', issuingCountry: 'US' });
        expect(stored.cardToken).toMatch(/^CTK[0-9A-Z]{26}$/);
        expect(JSON.stringify(done.body)).not.toContain(VISA_OK);

        const [notification] = await notificationsOf(sessionId);
        expect(notification?.type).toBe('VAULTING_RESULT');
        expect(notification?.body).toMatchObject({
          notifyType: 'VAULTING_RESULT', result: { resultCode: 'SUCCESS', resultStatus: 'S' }, vaultingRequestId: request.vaultingRequestId, vaultingStatus: 'SUCCESS',
          paymentMethodDetail: { paymentMethodType: 'CARD', card: { cardToken: stored.cardToken, brand: 'VISA' } },
        });
        expect(JSON.stringify(notification?.body)).not.toContain(VISA_OK);
      });

      it('asks for a 3-D Secure challenge when the session says so: passed stores the card, failed fails it', async () => {
        for (const [action, status, code] of [['authenticate', 'SUCCESS', 'SUCCESS'], ['fail-authentication', 'FAIL', 'VERIFICATION_FAIL']] as const) {
          const request = sessionRequest({ is3DSAuthentication: true });
          const url = (await t.call('vaults/createVaultingSession', request)).body.normalUrl as string;
          const afterCard = await submitCheckout(url, pageFields(MASTERCARD_OK));
          expect(afterCard.status).toBe(200);
          expect(await afterCard.text()).toContain('id="three-ds"');
          expect((await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId })).body.vaultingStatus).toBe('PROCESSING');
          expect((await submitCheckout(url, { action })).status).toBe(303);
          const inquired = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId });
          expect(inquired.body).toMatchObject({ vaultingStatus: status, vaultingResultCode: code });
        }
      });

      it('stores the exemption card without a challenge, and fails a decline card with VERIFICATION_FAIL (notified)', async () => {
        const exempt = sessionRequest({ is3DSAuthentication: true });
        const exemptUrl = (await t.call('vaults/createVaultingSession', exempt)).body.normalUrl as string;
        expect((await submitCheckout(exemptUrl, pageFields(EXEMPT))).status).toBe(303);
        expect((await t.call('vaults/inquireVaulting', { vaultingRequestId: exempt.vaultingRequestId })).body.vaultingStatus).toBe('SUCCESS');

        const declined = sessionRequest();
        const created = await t.call('vaults/createVaultingSession', declined);
        expect((await submitCheckout(created.body.normalUrl as string, pageFields(VISA_DECLINED))).status).toBe(303);
        const inquired = await t.call('vaults/inquireVaulting', { vaultingRequestId: declined.vaultingRequestId });
        expect(inquired.body).toMatchObject({ vaultingStatus: 'FAIL', vaultingResultCode: 'VERIFICATION_FAIL' });
        const [notification] = await notificationsOf(created.body.vaultingSessionId as string);
        expect(notification?.body).toMatchObject({ result: { resultCode: 'VERIFICATION_FAIL', resultStatus: 'F' }, vaultingStatus: 'FAIL' });
        expect('paymentMethodDetail' in notification!.body).toBe(false);
      });

      it('re-shows the page with the problem for a bad card, and changes nothing', async () => {
        const request = sessionRequest();
        const url = (await t.call('vaults/createVaultingSession', request)).body.normalUrl as string;
        const badMonth = await submitCheckout(url, { ...pageFields(VISA_OK), cardExpiry: '13/35' });
        expect(badMonth.status).toBe(422);
        expect(await badMonth.text()).toContain('expiryMonth');
        const notLuhn = await submitCheckout(url, { ...pageFields('4054695723100769') });
        expect(notLuhn.status).toBe(422);
        expect((await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId })).body.vaultingStatus).toBe('PROCESSING');
      });

      it('fails a session whose time ran out (PROCESS_FAIL, notified), and its page takes no card', async () => {
        const request = sessionRequest();
        const created = await t.call('vaults/createVaultingSession', request);
        clock.advance(30 * 60_000 + 1);
        const inquired = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId });
        expect(inquired.body).toMatchObject({ vaultingStatus: 'FAIL', vaultingResultCode: 'PROCESS_FAIL' });
        expect((await notificationsOf(created.body.vaultingSessionId as string))[0]?.body.vaultingStatus).toBe('FAIL');
        const page = await (await fetch(created.body.normalUrl as string)).text();
        expect(page).not.toContain('id="card-form"');
      });

      it('keeps each client to its own vaultings', async () => {
        const request = sessionRequest();
        await t.call('vaults/createVaultingSession', request);
        const seen = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId }, asOther());
        expect(seen.body.result.resultCode).toBe('VAULTING_NOT_EXIST');
        // The other client may use the same vaultingRequestId for its own.
        expect((await t.call('vaults/createVaultingSession', request, asOther())).body.result.resultCode).toBe('SUCCESS');
      });
    });

    describe('vaultPaymentMethod', () => {
      it('stores a success card at once, and a repeat answers the same token', async () => {
        const request = directRequest(VISA_OK, { metadata: '{"customer":"c-1"}' });
        const first = await t.call('vaults/vaultPaymentMethod', request);
        expect(first.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
        const token = (first.body.paymentMethodDetail as { card: { cardToken: string } }).card.cardToken;
        expect((await t.call('vaults/vaultPaymentMethod', request)).body.paymentMethodDetail).toEqual(first.body.paymentMethodDetail);
        const otherCard = await t.call('vaults/vaultPaymentMethod', { ...request, paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: card(MASTERCARD_OK) } });
        expect(otherCard.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
        const inquired = await t.call('vaults/inquireVaulting', { vaultingRequestId: request.vaultingRequestId });
        expect(inquired.body).toMatchObject({ vaultingStatus: 'SUCCESS', metadata: '{"customer":"c-1"}', paymentMethodDetail: { card: { cardToken: token } } });
      });

      it('answers VERIFICATION_IN_PROCESS with the challenge page when 3-D Secure is asked, then stores the card', async () => {
        const request = directRequest(VISA_OK, {}, { is3DSAuthentication: true });
        const answer = await t.call('vaults/vaultPaymentMethod', request);
        expect(answer.body.result).toMatchObject({ resultCode: 'VERIFICATION_IN_PROCESS', resultStatus: 'U' });
        expect(answer.body.normalUrl).toMatch(new RegExp(`^${t.baseUrl}/vault/VLT`));
        expect((await submitCheckout(answer.body.normalUrl as string, { action: 'authenticate' })).status).toBe(303);
        expect((await t.call('vaults/vaultPaymentMethod', request)).body.result.resultCode).toBe('SUCCESS');
      });

      it('fails a decline card with VERIFICATION_FAIL, recorded and notified', async () => {
        const request = directRequest(VISA_DECLINED);
        const answer = await t.call('vaults/vaultPaymentMethod', request);
        expect(answer.body.result).toMatchObject({ resultCode: 'VERIFICATION_FAIL', resultStatus: 'F' });
        expect((await t.call('vaults/vaultPaymentMethod', request)).body.result.resultCode).toBe('VERIFICATION_FAIL');
      });

      it('refuses bad cards naming the field, and keeps the vaultingRequestId free', async () => {
        const cases: Array<[Record<string, unknown>, string, string]> = [
          [{ cardNo: '4054695723100769' }, 'PARAM_ILLEGAL', 'paymentMethodDetail.card.cardNo'],
          [{ expiryMonth: '13' }, 'PARAM_ILLEGAL', 'paymentMethodDetail.card.expiryMonth'],
          [{ cvv: '99' }, 'PARAM_ILLEGAL', 'paymentMethodDetail.card.cvv'],
          [{ expiryYear: '2020' }, 'INVALID_EXPIRATION_DATE', 'paymentMethodDetail.card'],
        ];
        for (const [overrides, code, field] of cases) {
          const request = directRequest(VISA_OK, {}, overrides);
          const refused = await t.call('vaults/vaultPaymentMethod', request);
          expect(refused.body.result.resultCode).toBe(code);
          expect(refused.body.result.resultMessage).toContain(field);
          expect((await t.call('vaults/vaultPaymentMethod', { ...request, paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: card(VISA_OK) } })).body.result.resultCode).toBe('SUCCESS');
        }
      });

      it('takes a nonce from fetchNonce instead of the number, once', async () => {
        const nonce = (await t.call('vaults/fetchNonce', { card: card(VISA_OK) })).body.cardToken as string;
        expect(nonce).toMatch(/^NCE/);
        const request = directRequest(VISA_OK, {}, { cardNo: undefined, cardToken: nonce });
        expect((await t.call('vaults/vaultPaymentMethod', request)).body.result.resultCode).toBe('SUCCESS');
        const again = await t.call('vaults/vaultPaymentMethod', { ...directRequest(VISA_OK), paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: { cardToken: nonce } } });
        expect(again.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
        expect(again.body.result.resultMessage).toContain('paymentMethodDetail.card.cardToken');
      });
    });

    describe('tokens', () => {
      it('inquires, updates and deletes a token; another client sees none of it', async () => {
        const token = await vaultDirect();
        const inquired = await t.call('vaults/inquireToken', { token });
        expect(inquired.body).toMatchObject({
          result: { resultCode: 'SUCCESS' }, token, accountHolderName: { firstName: 'Ada', lastName: 'Lovelace' },
          issuerName: 'Sandbox Visa Issuer US', issuingCountry: 'US',
        });
        // The end of the card's expiry month (answers carry whole seconds).
        expect(Date.parse(inquired.body.tokenExpiryTime as string)).toBe(Date.UTC(2036, 0, 1) - 1000);

        expect((await t.call('vaults/inquireToken', { token }, asOther())).body.result.resultCode).toBe('TOKEN_NOT_EXIST');
        expect((await t.call('vaults/deleteToken', { token }, asOther())).body.result.resultCode).toBe('TOKEN_NOT_EXIST');

        const expiry = '2034-06-30T23:59:59Z';
        const updated = await t.call('vaults/updateToken', { token, email: 'ada@example.com', accountHolderName: { fullName: 'Ada King' }, tokenExpiryTime: expiry });
        expect(updated.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, token });
        expect((await t.call('vaults/inquireToken', { token })).body).toMatchObject({ email: 'ada@example.com', accountHolderName: { fullName: 'Ada King' } });
        expect(Date.parse((await t.call('vaults/inquireToken', { token })).body.tokenExpiryTime as string)).toBe(Date.parse(expiry));
        const past = await t.call('vaults/updateToken', { token, tokenExpiryTime: '2020-01-01T00:00:00Z' });
        expect(past.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
        expect(past.body.result.resultMessage).toContain('tokenExpiryTime');

        expect((await t.call('vaults/deleteToken', { token })).body.result.resultCode).toBe('SUCCESS');
        expect((await t.call('vaults/deleteToken', { token })).body.result.resultCode).toBe('SUCCESS');
        expect((await t.call('vaults/inquireToken', { token })).body.result.resultCode).toBe('TOKEN_NOT_EXIST');
        expect((await t.call('vaults/updateToken', { token, email: 'x@example.com' })).body.result.resultCode).toBe('TOKEN_NOT_EXIST');
      });

      it('answers fetchNonce from both paths, and refuses what is not a test card', async () => {
        for (const path of ['vaults/fetchNonce', 'payments/fetchNonce']) {
          expect((await t.call(path, { card: card(VISA_OK) })).body.cardToken).toMatch(/^NCE/);
          const unknown = await t.call(path, { card: card('4111111111111111') });
          expect(unknown.body.result.resultCode).toBe('PROCESS_FAIL');
          expect((await t.call(path, { card: card(VISA_OK, { expiryYear: '2019' }) })).body.result.resultCode).toBe('INVALID_EXPIRATION_DATE');
        }
      });
    });

    describe('paying with a stored card', () => {
      const cardPay = (paymentMethodId: string, overrides: Record<string, unknown> = {}, metaData?: Record<string, unknown>) =>
        cashierPay({ paymentMethod: { paymentMethodType: 'CARD', paymentMethodId, ...(metaData ? { paymentMethodMetaData: metaData } : {}) }, paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' }, ...overrides });

      it('charges a token at once, with the card in paymentResultInfo, cardInfo and the notification; refunds it', async () => {
        const token = await vaultDirect();
        const paid = await t.call('payments/pay', cardPay(token, {}, { isCardOnFile: true }));
        expect(paid.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
        const info = paid.body.paymentResultInfo as Record<string, unknown>;
        expect(info).toMatchObject({
          cardNo: '405469******0768', cardBrand: 'VISA', cardToken: token, issuingCountry: 'US', funding: 'CREDIT', paymentMethodRegion: 'US',
          cardBin: '405469', lastFour: '0768', expiryMonth: '12', expiryYear: '2035', cardCategory: 'CONSUMER', credentialTypeUsed: 'PAN',
        });
        expect(info.authorizationCode).toMatch(/^\d{6}$/);
        expect(info.networkTransactionId).toMatch(/^\d{15}$/);
        expect('refusalCodeRaw' in info).toBe(false);
        expect('threeDSResult' in info).toBe(false);

        const paymentId = paid.body.paymentId as string;
        const inquired = await t.call('payments/inquiryPayment', { paymentId });
        expect(inquired.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultInfo: info, cardInfo: { cardNo: '405469******0768', cardBrand: 'VISA', cardToken: token, funding: 'CREDIT' } });
        const [notification] = await notificationsOf(paymentId);
        expect(notification?.body).toMatchObject({ notifyType: 'PAYMENT_RESULT', paymentResultInfo: info });
        // The payment's timeline (control API, read by the dashboard) shows the card as the answers do.
        const timeline = await (await fetch(`${t.baseUrl}/admin/payments/${paymentId}`)).json() as { payment: { paymentResultInfo: unknown } };
        expect(timeline.payment.paymentResultInfo).toEqual(info);

        const refund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '400' } });
        expect(refund.body.result.resultCode).toBe('SUCCESS');
        // A card refund carries the network's references: arn (23 digits) and rrn (12) on inquiryRefund, arn on notifyRefund.
        const refundId = refund.body.refundId as string;
        const inquiredRefund = await t.call('payments/inquiryRefund', { refundId });
        expect(inquiredRefund.body.arn).toMatch(/^\d{23}$/);
        expect(inquiredRefund.body.rrn).toMatch(/^\d{12}$/);
        const [refundNotification] = await notificationsOf(refundId);
        expect(refundNotification?.body).toMatchObject({ notifyType: 'REFUND_RESULT', arn: inquiredRefund.body.arn });
        expect('rrn' in refundNotification!.body).toBe(false);
        // Not for a wallet payment's refund.
        const wallet = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
        await t.complete(wallet);
        const walletRefund = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId: wallet, refundAmount: { currency: 'USD', value: '100' } });
        const walletInquiry = await t.call('payments/inquiryRefund', { refundId: walletRefund.body.refundId });
        expect('arn' in walletInquiry.body || 'rrn' in walletInquiry.body).toBe(false);
      });

      it('authorises with manual capture and captures like any card payment', async () => {
        const token = await vaultDirect(MASTERCARD_OK);
        const paid = await t.call('payments/pay', cardPay(token, { paymentFactor: { isAuthorization: true, captureMode: 'MANUAL' } }));
        expect(paid.body.result.resultCode).toBe('SUCCESS');
        expect((paid.body.paymentResultInfo as Record<string, unknown>).cardBrand).toBe('MASTERCARD');
        const captured = await t.call('payments/capture', { captureRequestId: uniqueId('capture'), paymentId: paid.body.paymentId, captureAmount: { currency: 'USD', value: '1000' } });
        expect(captured.body.result.resultCode).toBe('SUCCESS');
      });

      it('waits for the 3-D Secure challenge when asked, then records its result', async () => {
        const token = await vaultDirect();
        const request = cardPay(token, {}, { is3DSAuthentication: 'true' });
        const pending = await t.call('payments/pay', request);
        expect(pending.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
        // A repeat must not drop the 3-D Secure request.
        const flipped = await t.call('payments/pay', { ...request, paymentMethod: { paymentMethodType: 'CARD', paymentMethodId: token } });
        expect(flipped.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
        expect('paymentResultInfo' in pending.body).toBe(false);
        const page = await submitCheckout(pending.body.normalUrl as string, { action: 'authenticate' });
        expect(page.status).toBeLessThan(400);
        const inquired = await t.call('payments/inquiryPayment', { paymentId: pending.body.paymentId });
        expect(inquired.body.paymentStatus).toBe('SUCCESS');
        const threeDS = (inquired.body.paymentResultInfo as { threeDSResult: Record<string, unknown> }).threeDSResult;
        expect(threeDS).toMatchObject({ threeDSVersion: '2.2.0', eci: '05', challenged: true });
        expect(Buffer.from(threeDS.cavv as string, 'base64')).toHaveLength(20);

        const failed = await t.call('payments/pay', cardPay(token, {}, { is3DSAuthentication: true }));
        await submitCheckout(failed.body.normalUrl as string, { action: 'fail-authentication' });
        const failedInquiry = await t.call('payments/inquiryPayment', { paymentId: failed.body.paymentId });
        expect(failedInquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
      });

      it('declines a nonce of a decline card with the issuer\'s raw refusal, and spends a nonce once', async () => {
        const nonce = (await t.call('payments/fetchNonce', { card: card(VISA_DECLINED) })).body.cardToken as string;
        const declined = await t.call('payments/pay', cardPay(nonce));
        expect(declined.body.result).toMatchObject({ resultCode: 'DO_NOT_HONOR', resultStatus: 'F' });
        expect(declined.body.paymentResultInfo).toMatchObject({ cardNo: '405469******4822', refusalCodeRaw: '05', refusalReasonRaw: 'Do not honor', merchantAdviceCode: '03' });
        expect('authorizationCode' in (declined.body.paymentResultInfo as object)).toBe(false);
        expect('cardToken' in (declined.body.paymentResultInfo as object)).toBe(false);
        const reused = await t.call('payments/pay', cardPay(nonce));
        expect(reused.body.result.resultCode).toBe('INVALID_PAYMENT_METHOD_META_DATA');
      });

      it('declines a decline card after a passed 3-D Secure challenge (the issuer still refuses it)', async () => {
        const nonce = (await t.call('payments/fetchNonce', { card: card(VISA_DECLINED) })).body.cardToken as string;
        const pending = await t.call('payments/pay', cardPay(nonce, {}, { is3DSAuthentication: true }));
        expect(pending.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
        await submitCheckout(pending.body.normalUrl as string, { action: 'authenticate' });
        const inquired = await t.call('payments/inquiryPayment', { paymentId: pending.body.paymentId });
        expect(inquired.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'DO_NOT_HONOR', paymentResultInfo: { lastFour: '4822', refusalCodeRaw: '05', threeDSResult: { challenged: true } } });
        expect('authorizationCode' in (inquired.body.paymentResultInfo as object)).toBe(false);
      });

      it('refuses a stored card past its expiry with INVALID_EXPIRATION_DATE', async () => {
        const now = new Date(clock.now());
        const expiring = await t.call('vaults/vaultPaymentMethod', directRequest(VISA_OK, {}, { expiryMonth: String(now.getUTCMonth() + 1).padStart(2, '0'), expiryYear: String(now.getUTCFullYear()) }));
        const token = (expiring.body.paymentMethodDetail as { card: { cardToken: string } }).card.cardToken;
        clock.advance(32 * 24 * 3_600_000);
        const refused = await t.call('payments/pay', cardPay(token));
        expect(refused.body.result).toMatchObject({ resultCode: 'INVALID_EXPIRATION_DATE', resultStatus: 'F' });
        expect(refused.body.result.resultMessage).toContain('paymentMethod.paymentMethodId');
      });

      it('reads no sandbox marker on a card on file (refused), but declines the reserved risk amount', async () => {
        const token = await vaultDirect();
        const marked = await t.call('payments/pay', cardPay(token, { order: { referenceOrderId: `${uniqueId('o')}#amsgate:succeed-after=30s`, orderDescription: 'x', orderAmount: { currency: 'USD', value: '1000' } } }));
        expect(marked.body.result.resultCode).toBe('PARAM_ILLEGAL');
        expect(marked.body.result.resultMessage).toContain('order.referenceOrderId');
        const risky = await t.call('payments/pay', cardPay(token, { paymentAmount: { currency: 'USD', value: '11' }, order: { referenceOrderId: uniqueId('o'), orderDescription: 'x', orderAmount: { currency: 'USD', value: '11' } } }));
        expect(risky.body.result).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
        expect('authorizationCode' in (risky.body.paymentResultInfo as object)).toBe(false);
      });

      it('refuses a deleted token, another client\'s token and an unknown one, leaving the paymentRequestId free', async () => {
        const token = await vaultDirect();
        const theirs = await t.call('payments/pay', cardPay(token), asOther());
        expect(theirs.body.result).toMatchObject({ resultCode: 'INVALID_PAYMENT_METHOD_META_DATA', resultStatus: 'F' });
        expect(theirs.body.result.resultMessage).toContain('paymentMethod.paymentMethodId');
        await t.call('vaults/deleteToken', { token });
        const request = cardPay(token);
        expect((await t.call('payments/pay', request)).body.result.resultCode).toBe('INVALID_PAYMENT_METHOD_META_DATA');
        expect((await t.call('payments/pay', cardPay('CTK-never-issued'))).body.result.resultCode).toBe('INVALID_PAYMENT_METHOD_META_DATA');
        const live = await vaultDirect();
        expect((await t.call('payments/pay', { ...request, paymentMethod: { paymentMethodType: 'CARD', paymentMethodId: live } })).body.result.resultCode).toBe('SUCCESS');
      });
    });
  });
});
