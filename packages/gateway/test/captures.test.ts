/**
 * Authorisation and payments/capture through real HTTP on SQLite and
 * PostgreSQL: authorise-only pays, partial and last captures, every failure
 * code, idempotency on captureRequestId, voiding by cancel and by the last
 * capture, refunds limited to what was captured, and the journal (hold,
 * capture, void) checked after the money moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger, type PaymentMoney } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';

const postgresOk = await postgresAvailable();

const MANUAL = { paymentFactor: { captureMode: 'MANUAL' } };

function captureBody(paymentId: string, value: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { captureRequestId: uniqueId('capture'), paymentId, captureAmount: { currency: 'USD', value }, ...overrides };
}

describe.each(DIALECTS)('authorisation and capture on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, paymentMethods: { SINGLE_CAPTURE_CARD: { multipleCaptures: false } } });
    });
    afterAll(async () => t?.close());

    async function authorised(overrides: Record<string, unknown> = MANUAL): Promise<string> {
      const paymentId = (await t.call('payments/pay', cashierPay(overrides))).body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return paymentId;
    }

    async function moneyOf(paymentId: string): Promise<PaymentMoney | undefined> {
      const report = await checkLedger(t.gateway.database, { derivedBalances: true });
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    it('a MANUAL pay authorises only: SUCCESS, the money held (not the merchant\'s), nothing to refund yet', async () => {
      const body = cashierPay(MANUAL);
      const pay = await t.call('payments/pay', body);
      expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      const paymentId = pay.body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      // Nothing after the authorisation yet: no transactions (left out, not an empty list).
      expect(inquiry.body).not.toHaveProperty('transactions');
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1000n, hold: 1000n, merchant: 0n, paid: 0n });
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: { currency: 'USD', value: '1' } });
      expect(refund.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      // The same pay again, with another capture mode, is another request.
      const automatic = await t.call('payments/pay', { ...body, paymentFactor: { captureMode: 'AUTOMATIC' } });
      expect(automatic.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(automatic.body.result.resultMessage).toContain('paymentFactor.captureMode');
    });

    it('the checkout page completes an authorisation too', async () => {
      const paymentId = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      const page = await submitCheckout(`${t.baseUrl}/checkout/${paymentId}`, { action: 'pay' });
      expect(page.status).toBe(303);
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1000n, hold: 1000n, merchant: 0n });
    });

    it('isAuthorization=true authorises only; with captureMode AUTOMATIC it is an ordinary payment', async () => {
      const auth = await authorised({ paymentFactor: { isAuthorization: 'true' } });
      expect(await moneyOf(auth)).toMatchObject({ authorised: 1000n, paid: 0n });
      const automatic = await authorised({ paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } });
      expect(await moneyOf(automatic)).toMatchObject({ authorised: 0n, paid: 1000n });
      expect((await t.call('payments/capture', captureBody(automatic, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
    });

    it('partial captures, CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT, then a last capture that voids the rest', async () => {
      const paymentId = await authorised();
      const first = captureBody(paymentId, '300');
      const c1 = await t.call('payments/capture', first);
      expect(c1.signatureValid).toBe(true);
      expect(c1.body).toMatchObject({
        result: { resultCode: 'SUCCESS', resultStatus: 'S' }, captureRequestId: first.captureRequestId, paymentId, captureAmount: { currency: 'USD', value: '300' },
      });
      expect(c1.body.captureId).toMatch(/^CAP[0-9A-Z]{26}$/);
      expect(c1.body.captureTime).toMatch(/\+00:00$/);
      expect((await t.call('payments/capture', captureBody(paymentId, '200'))).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ captured: 500n, hold: 500n, merchant: 500n });

      const over = await t.call('payments/capture', captureBody(paymentId, '501'));
      expect(over.body.result).toMatchObject({ resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', resultStatus: 'F' });
      expect(over.body.result.resultMessage).toContain('500');

      const last = await t.call('payments/capture', captureBody(paymentId, '100', { isLastCapture: true }));
      expect(last.body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1000n, captured: 600n, voided: 400n, hold: 0n, merchant: 600n });
      const closed = await t.call('payments/capture', captureBody(paymentId, '1'));
      expect(closed.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });

      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('SUCCESS');
      const transactions = inquiry.body.transactions as Array<Record<string, unknown>>;
      // Listed by time; operations within one millisecond in no particular order.
      expect(transactions.map((x) => `${x.transactionType} ${x.transactionStatus} ${(x.transactionAmount as { value: string }).value}`).sort()).toEqual([
        'CAPTURE SUCCESS 100', 'CAPTURE SUCCESS 200', 'CAPTURE SUCCESS 300', 'VOID SUCCESS 400',
      ]);
      expect(transactions.find((x) => x.transactionId === c1.body.captureId)).toMatchObject({ transactionId: c1.body.captureId, transactionRequestId: first.captureRequestId, transactionResult: { resultStatus: 'S' } });
    });

    it('refunds of an authorised payment are limited to what was captured', async () => {
      const paymentId = await authorised();
      await t.call('payments/capture', captureBody(paymentId, '600'));
      const refund = (value: string) => t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: { currency: 'USD', value } });
      expect((await refund('601')).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect((await refund('400')).body.result.resultCode).toBe('SUCCESS');
      expect((await refund('201')).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      // Capturing more makes more refundable.
      await t.call('payments/capture', captureBody(paymentId, '100'));
      expect((await refund('300')).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ captured: 700n, refunded: 700n, merchant: 0n, hold: 300n });
    });

    it('a refund may name a capture: limited to that capture, refused for one that is not the payment\'s', async () => {
      const paymentId = await authorised();
      const captureId = (await t.call('payments/capture', captureBody(paymentId, '200'))).body.captureId as string;
      await t.call('payments/capture', captureBody(paymentId, '300'));
      const refund = (value: string, capture: string) =>
        t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, captureId: capture, refundAmount: { currency: 'USD', value } });
      expect((await refund('201', captureId)).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect((await refund('200', captureId)).body.result.resultCode).toBe('SUCCESS');
      const unknown = await refund('1', 'CAP-NOPE');
      expect(unknown.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(unknown.body.result.resultMessage).toMatch(/^captureId: /);
      // The capture is part of the request's key: the same refundRequestId against another capture is another request.
      const other = (await t.call('payments/capture', captureBody(paymentId, '100'))).body.captureId as string;
      const keyed = { refundRequestId: uniqueId('r'), paymentId, captureId: other, refundAmount: { currency: 'USD', value: '50' } };
      expect((await t.call('payments/refund', keyed)).body.result.resultCode).toBe('SUCCESS');
      const elsewhere = await t.call('payments/refund', { ...keyed, captureId });
      expect(elsewhere.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(elsewhere.body.result.resultMessage).toContain('captureId');
    });

    it('is idempotent on captureRequestId: the recorded answer, or REPEAT_REQ_INCONSISTENT for another amount', async () => {
      const paymentId = await authorised();
      const body = captureBody(paymentId, '250');
      const first = await t.call('payments/capture', body);
      expect((await t.call('payments/capture', body)).body).toEqual(first.body);
      const other = await t.call('payments/capture', { ...body, captureAmount: { currency: 'USD', value: '251' } });
      expect(other.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(other.body.result.resultMessage).toContain('captureAmount.value');
      expect((await moneyOf(paymentId))?.captured).toBe(250n);
    });

    it('ORDER_STATUS_INVALID for automatic, pending and failed payments; ORDER_IS_CANCELED; ORDER_NOT_EXIST; PARAM_ILLEGAL', async () => {
      const automatic = await authorised({});
      expect((await t.call('payments/capture', captureBody(automatic, '100'))).body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      const pending = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await t.call('payments/capture', captureBody(pending, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      const failed = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await t.complete(failed, { outcome: 'fail', resultCode: 'RISK_REJECT' })).status).toBe(200);
      expect((await t.call('payments/capture', captureBody(failed, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      const cancelled = await authorised();
      await t.call('payments/cancel', { paymentId: cancelled });
      expect((await t.call('payments/capture', captureBody(cancelled, '100'))).body.result).toMatchObject({ resultCode: 'ORDER_IS_CANCELED', resultStatus: 'F' });
      expect((await t.call('payments/capture', captureBody('PAY-NOPE', '100'))).body.result.resultCode).toBe('ORDER_NOT_EXIST');

      const live = await authorised();
      const currency = await t.call('payments/capture', captureBody(live, '100', { captureAmount: { currency: 'JPY', value: '100' } }));
      expect(currency.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(currency.body.result.resultMessage).toMatch(/^captureAmount\.currency: /);
      const zero = await t.call('payments/capture', captureBody(live, '0'));
      expect(zero.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'captureAmount.value: must be greater than 0' });
      expect(await moneyOf(live)).toMatchObject({ captured: 0n, hold: 1000n });
    });

    it('MULTI_CAPTURE_NOT_SUPPORTED where the method allows one capture; that capture releases the rest', async () => {
      const paymentId = await authorised({ ...MANUAL, paymentMethod: { paymentMethodType: 'SINGLE_CAPTURE_CARD' } });
      expect((await t.call('payments/capture', captureBody(paymentId, '700'))).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ captured: 700n, voided: 300n, hold: 0n });
      const second = await t.call('payments/capture', captureBody(paymentId, '100'));
      expect(second.body.result).toMatchObject({ resultCode: 'MULTI_CAPTURE_NOT_SUPPORTED', resultStatus: 'F' });
    });

    it('cancel of an authorisation voids what is not captured and returns what was captured', async () => {
      const untouched = await authorised();
      expect((await t.call('payments/cancel', { paymentId: untouched })).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(untouched)).toMatchObject({ authorised: 1000n, voided: 1000n, hold: 0n, merchant: 0n });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId: untouched });
      expect(inquiry.body.paymentStatus).toBe('CANCELLED');
      expect((inquiry.body.transactions as Array<{ transactionType: string }>).map((x) => x.transactionType).sort()).toEqual(['CANCEL', 'VOID']);

      const partly = await authorised();
      await t.call('payments/capture', captureBody(partly, '400'));
      expect((await t.call('payments/cancel', { paymentId: partly })).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(partly)).toMatchObject({ captured: 400n, voided: 600n, cancelled: 400n, hold: 0n, merchant: 0n });
      expect((await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId: partly, refundAmount: { currency: 'USD', value: '1' } })).body.result.resultCode)
        .toBe('ORDER_IS_CANCELED');
      // Repeating the cancel moves nothing more.
      expect((await t.call('payments/cancel', { paymentId: partly })).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(partly)).toMatchObject({ voided: 600n, cancelled: 400n });

      const pending = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await t.call('payments/cancel', { paymentId: pending })).body.result.resultCode).toBe('SUCCESS');
      expect((await t.complete(pending)).status).toBe(409);
      expect(await moneyOf(pending)).toBeUndefined();
    });
  });
});
