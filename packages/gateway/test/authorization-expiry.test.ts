/**
 * Manual capture's seven days: an authorisation answers `authExpiryTime`
 * (7 days after it succeeded); after it, what was not captured goes back
 * to the buyer (VOID, the hold released in the journal) and a capture is
 * refused with AUTH_EXPIRED; what was captured stays the merchant's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger, type PaymentMoney } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const DAY = 86_400_000;
const MANUAL = { paymentFactor: { captureMode: 'MANUAL' } };

describe.each(DIALECTS)('authorisation expiry on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    async function authorised(): Promise<string> {
      const paymentId = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return paymentId;
    }
    const capture = (paymentId: string, value: string, captureRequestId = uniqueId('capture')) =>
      t.call('payments/capture', { captureRequestId, paymentId, captureAmount: { currency: 'USD', value } });
    async function moneyOf(paymentId: string): Promise<PaymentMoney | undefined> {
      const report = await checkLedger(t.gateway.database, { derivedBalances: true });
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    it('answers authExpiryTime, 7 days after the authorisation succeeded; an automatic capture has none', async () => {
      const paymentId = await authorised();
      const inquiry = (await t.call('payments/inquiryPayment', { paymentId })).body;
      expect(Date.parse(inquiry.authExpiryTime as string) - Date.parse(inquiry.paymentTime as string)).toBe(7 * DAY);
      const automatic = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(automatic);
      expect((await t.call('payments/inquiryPayment', { paymentId: automatic })).body.authExpiryTime).toBeUndefined();
      // Pending, it has none yet either.
      const pending = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await t.call('payments/inquiryPayment', { paymentId: pending })).body.authExpiryTime).toBeUndefined();
    });

    it('after 7 days the uncaptured rest is voided and a capture is refused with AUTH_EXPIRED; the captured part stays', async () => {
      const paymentId = await authorised();
      clock.advance(6 * DAY);
      expect((await capture(paymentId, '400')).body.result.resultCode).toBe('SUCCESS');
      clock.advance(DAY + 1000);
      const refused = await capture(paymentId, '100');
      expect(refused.body.result).toMatchObject({ resultCode: 'AUTH_EXPIRED', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toContain('expired');
      const inquiry = (await t.call('payments/inquiryPayment', { paymentId })).body;
      const transactions = (inquiry.transactions as Array<{ transactionType: string; transactionAmount: { value: string } }>).map((x) => `${x.transactionType} ${x.transactionAmount.value}`).sort();
      expect(transactions).toEqual(['CAPTURE 400', 'VOID 600']);
      expect(await moneyOf(paymentId)).toMatchObject({ hold: 0n, merchant: 400n });
      // What was captured can still be refunded.
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: { currency: 'USD', value: '400' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
    });

    it('an authorisation never captured: the inquiry after the expiry releases it all, once; a refused capture records nothing', async () => {
      const paymentId = await authorised();
      clock.advance(8 * DAY);
      const inquiry = (await t.call('payments/inquiryPayment', { paymentId })).body;
      expect((inquiry.transactions as Array<{ transactionType: string }>).map((x) => x.transactionType)).toEqual(['VOID']);
      expect(await moneyOf(paymentId)).toMatchObject({ hold: 0n, merchant: 0n });
      const requestId = uniqueId('capture');
      expect((await capture(paymentId, '100', requestId)).body.result.resultCode).toBe('AUTH_EXPIRED');
      // The same captureRequestId is refused the same way (not REPEAT_REQ_INCONSISTENT with another amount): nothing was recorded.
      expect((await capture(paymentId, '200', requestId)).body.result.resultCode).toBe('AUTH_EXPIRED');
      // Released once: a second inquiry adds no second VOID.
      const again = (await t.call('payments/inquiryPayment', { paymentId })).body;
      expect((again.transactions as unknown[]).length).toBe(1);
    });
  });
});
