/**
 * payments/verifyAndCompletePayment through real signed HTTP on SQLite and
 * PostgreSQL.
 *
 * The rule (docs: "verifyAndCompletePayment"; counts and codes marked ours
 * where the docs are silent): a payment waits for the buyer's SMS one-time
 * password when pay made it so — in the sandbox the marker
 * `#amsgate:verify-otp`, whose OTP is always 123456 — and pay answers
 * PAYMENT_IN_PROCESS with a challengeActionForm of type SMS_OTP. Each call,
 * keyed by verifyRequestId per client:
 * - the right OTP pays it: S with the payment's ids, amount and creation
 *   time; journal PAY; notifyPayment PAYMENT_RESULT S;
 * - a wrong one: F VERIFY_UNMATCHED, the payment still waits;
 * - the 3rd wrong one (ours): F VERIFY_TIMES_EXCEED_LIMIT, the payment fails
 *   with USER_PAYMENT_VERIFICATION_FAILED (notified); later calls answer
 *   VERIFY_TIMES_EXCEED_LIMIT;
 * - expired while waiting: EXPIRED_CODE; no OTP awaited, already verified,
 *   cancelled: ORDER_STATUS_INVALID; unknown (or another client's):
 *   ORDER_NOT_EXIST; verifyMethodType other than SMS_OTP: PARAM_ILLEGAL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, validate } from '@amsgate/protocol';
import { SandboxClock } from '../src/index.js';
import { checkLedger } from './ledger.js';
import { FORM_CONTENT_TYPE } from './checkout-form.js';
import { CapabilityCsrf } from '../src/web/capability-csrf.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const OTP = '123456';

describe.each(DIALECTS)('payments/verifyAndCompletePayment on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    const otpPay = () => {
      const body = cashierPay();
      return { ...body, order: { ...(body.order as Record<string, unknown>), referenceOrderId: `${uniqueId('order')}#amsgate:verify-otp` } };
    };

    async function awaitingOtp(): Promise<{ paymentId: string; body: Record<string, unknown> }> {
      const body = otpPay();
      const pay = await t.call('payments/pay', body);
      expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(pay.body.challengeActionForm).toEqual({ challengeType: 'SMS_OTP', triggerSource: 'AMS' });
      return { paymentId: pay.body.paymentId as string, body };
    }

    const verify = (paymentId: string, otpValue: string, overrides: Record<string, unknown> = {}) =>
      t.call('payments/verifyAndCompletePayment', { verifyRequestId: uniqueId('vrf'), paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue }, ...overrides });

    async function paymentNotices(paymentId: string): Promise<Array<Record<string, unknown>>> {
      const bodies = (await t.gateway.notifications.list({ resourceId: paymentId })).map((n) => JSON.parse(n.body) as Record<string, unknown>);
      for (const body of bodies) expect(validate(NOTIFICATIONS.notifyPayment.schema, body).ok).toBe(true);
      return bodies;
    }

    it('pay answers an SMS_OTP challenge (on a repeat too); a wrong OTP is refused, the right one pays and notifies', async () => {
      const { paymentId, body } = await awaitingOtp();
      const pay = await t.call('payments/pay', body);
      expect(pay.body).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' }, paymentId, challengeActionForm: { challengeType: 'SMS_OTP', triggerSource: 'AMS' } });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'PROCESSING', paymentResultCode: 'PAYMENT_IN_PROCESS' });

      const wrongRequest = { verifyRequestId: uniqueId('vrf'), paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: '000000' } };
      const wrong = await t.call('payments/verifyAndCompletePayment', wrongRequest);
      expect(wrong.signatureValid).toBe(true);
      expect(wrong.body.result).toEqual({ resultCode: 'VERIFY_UNMATCHED', resultStatus: 'F', resultMessage: 'The one-time password is wrong; 2 attempts left' });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('PROCESSING');
      expect(await paymentNotices(paymentId)).toEqual([]);

      const request = { verifyRequestId: uniqueId('vrf'), paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: OTP } };
      const right = await t.call('payments/verifyAndCompletePayment', request);
      expect(right.signatureValid).toBe(true);
      expect(right.body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        paymentRequestId: body.paymentRequestId,
        verifyRequestId: request.verifyRequestId,
        paymentId,
        paymentAmount: { currency: 'USD', value: '1000' },
        paymentCreateTime: pay.body.paymentCreateTime,
      });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(paymentId)).toMatchObject({ paid: 1000n, merchant: 1000n });
      expect(await paymentNotices(paymentId)).toEqual([expect.objectContaining({
        notifyType: 'PAYMENT_RESULT', result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, paymentId,
        paymentAmount: { currency: 'USD', value: '1000' }, paymentTime: inquiry.body.paymentTime,
      })]);
      // pay answers the paid payment, without a challenge now.
      const repeatPay = await t.call('payments/pay', body);
      expect(repeatPay.body.result.resultCode).toBe('SUCCESS');
      expect(repeatPay.body.challengeActionForm).toBeUndefined();

      // Repeats answer what was recorded; the same verifyRequestId with another OTP is another request.
      expect((await t.call('payments/verifyAndCompletePayment', request)).body).toEqual(right.body);
      // The wrong OTP's verification answers as recorded then (the payment as it is now).
      const wrongAgain = await t.call('payments/verifyAndCompletePayment', wrongRequest);
      expect(wrongAgain.body).toEqual({ ...wrong.body, paymentId, verifyRequestId: wrongRequest.verifyRequestId });
      expect(wrongAgain.body.result).toEqual({ resultCode: 'VERIFY_UNMATCHED', resultStatus: 'F', resultMessage: 'The one-time password is wrong; 2 attempts left' });
      // The OTP is no key field (the key table must not hold it): a repeat with another OTP answers the recorded attempt.
      const otherOtp = await t.call('payments/verifyAndCompletePayment', { ...request, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: '654321' } });
      expect(otherOtp.body).toEqual(right.body);
      // A new verification of a paid payment.
      expect((await verify(paymentId, OTP)).body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
    });

    it('the checkout page of a payment waiting for its OTP offers no way around it', async () => {
      const { paymentId } = await awaitingOtp();
      const url = `${t.baseUrl}/checkout/${paymentId}`;
      const page = await (await fetch(url)).text();
      expect(page).toContain('verifyAndCompletePayment');
      expect(page).not.toContain('id="pay"');
      // The page has no form; a form posted anyway (with this process's valid token) is refused too.
      const csrf = new CapabilityCsrf('checkout').tokenFor(paymentId);
      const tried = await fetch(url, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE }, body: new URLSearchParams({ action: 'pay', csrf }).toString() });
      expect(tried.status).toBe(409);
      expect(await tried.text()).toContain('one-time password');
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('PROCESSING');
      expect((await verify(paymentId, '123456')).body.result.resultCode).toBe('SUCCESS');
    });

    it('the third wrong OTP fails the payment (USER_PAYMENT_VERIFICATION_FAILED, notified); later calls answer VERIFY_TIMES_EXCEED_LIMIT', async () => {
      const { paymentId, body } = await awaitingOtp();
      expect((await verify(paymentId, '111111')).body.result.resultMessage).toContain('2 attempts left');
      expect((await verify(paymentId, '222222')).body.result.resultMessage).toContain('1 attempt left');
      const third = await verify(paymentId, '333333');
      expect(third.body).toMatchObject({
        result: { resultCode: 'VERIFY_TIMES_EXCEED_LIMIT', resultStatus: 'F' }, paymentId, paymentRequestId: body.paymentRequestId,
      });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({
        paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED', paymentResultMessage: 'The buyer entered a wrong one-time password 3 times',
      });
      expect(await paymentNotices(paymentId)).toEqual([expect.objectContaining({
        notifyType: 'PAYMENT_RESULT', result: { resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultStatus: 'F', resultMessage: 'The buyer entered a wrong one-time password 3 times' },
      })]);
      const late = await verify(paymentId, OTP);
      expect(late.body.result).toMatchObject({ resultCode: 'VERIFY_TIMES_EXCEED_LIMIT', resultStatus: 'F' });
      expect((await t.call('payments/pay', body)).body.result).toMatchObject({ resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultStatus: 'F' });
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(paymentId)).toBeUndefined();
    });

    it('concurrent repeats of one verification pay once', async () => {
      const { paymentId } = await awaitingOtp();
      const request = { verifyRequestId: uniqueId('vrf'), paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: OTP } };
      const answers = await Promise.all(Array.from({ length: 5 }, () => t.call('payments/verifyAndCompletePayment', request)));
      for (const answer of answers) expect(answer.body.result.resultCode).toBe('SUCCESS');
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(paymentId)).toMatchObject({ paid: 1000n });
      expect(await paymentNotices(paymentId)).toHaveLength(1);
    });

    it('refuses: unknown or another client\'s payment, one that awaits no OTP, a cancelled one, another verifyMethodType, missing fields', async () => {
      expect((await verify('PAY-NOPE', OTP)).body.result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });
      const { paymentId } = await awaitingOtp();
      const other = await t.gateway.clients.create({ sandbox: true });
      const asOther = await t.call('payments/verifyAndCompletePayment', { verifyRequestId: uniqueId('vrf'), paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: OTP } }, {
        clientId: other.client.clientId, privateKey: other.merchantPrivateKey!, keyVersion: other.keyVersion,
      });
      expect(asOther.body.result.resultCode).toBe('ORDER_NOT_EXIST');

      const ordinary = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      const noOtp = await verify(ordinary, OTP);
      expect(noOtp.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      expect(noOtp.body.result.resultMessage).toContain('does not wait for a one-time password');
      expect((await t.call('payments/inquiryPayment', { paymentId: ordinary })).body.paymentStatus).toBe('PROCESSING');

      const type = await verify(paymentId, OTP, { verifyMethod: { verifyMethodType: 'EMAIL_OTP', otpValue: OTP } });
      expect(type.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('verifyMethod.verifyMethodType') });
      const noId = await t.call('payments/verifyAndCompletePayment', { paymentId, verifyMethod: { verifyMethodType: 'SMS_OTP', otpValue: OTP } });
      expect(noId.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('verifyRequestId') });
      const longOtp = await verify(paymentId, '1'.repeat(33));
      expect(longOtp.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('verifyMethod.otpValue') });
      // None of these counted as a wrong OTP.
      expect((await verify(paymentId, '999999')).body.result.resultMessage).toContain('2 attempts left');

      expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('SUCCESS');
      const cancelled = await verify(paymentId, OTP);
      expect(cancelled.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      expect(cancelled.body.result.resultMessage).toContain('CANCELLED');
    });

    it('a payment that expires while waiting answers EXPIRED_CODE and is closed', async () => {
      const { paymentId } = await awaitingOtp();
      clock.advance(15 * 60_000);
      const expired = await verify(paymentId, OTP);
      expect(expired.body.result).toMatchObject({ resultCode: 'EXPIRED_CODE', resultStatus: 'F' });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      expect(await paymentNotices(paymentId)).toEqual([expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultCode: 'ORDER_IS_CLOSED' }) })]);
    });
  });
});
