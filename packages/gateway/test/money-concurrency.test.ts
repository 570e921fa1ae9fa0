/**
 * Refunds, captures and cancels of one payment at the same time, through
 * real HTTP on SQLite and PostgreSQL (several pooled connections): the
 * database (idempotency keys, the payment row lock, conditional updates)
 * keeps the money right, with no in-process lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('money under concurrency on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
    });
    afterAll(async () => t?.close());

    async function payment(overrides: Record<string, unknown> = {}): Promise<string> {
      const paymentId = (await t.call('payments/pay', cashierPay(overrides))).body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return paymentId;
    }

    const refund = (paymentId: string, value: bigint | string, refundRequestId = uniqueId('refund')): Promise<CallResult> =>
      t.call('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'USD', value: String(value) } });
    const capture = (paymentId: string, value: bigint | string): Promise<CallResult> =>
      t.call('payments/capture', { captureRequestId: uniqueId('capture'), paymentId, captureAmount: { currency: 'USD', value: String(value) } });
    const codes = (answers: readonly CallResult[]) => answers.map((a) => a.body.result.resultCode);

    async function ledgerOf(paymentId: string) {
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    it('20 parallel partial refunds over the paid amount: exactly the ones that fit succeed', async () => {
      const paymentId = await payment();
      const answers = await Promise.all(Array.from({ length: 20 }, () => refund(paymentId, 150n)));
      expect(codes(answers).filter((c) => c === 'SUCCESS')).toHaveLength(6);
      expect(codes(answers).filter((c) => c === 'REFUND_AMOUNT_EXCEED')).toHaveLength(14);
      expect(answers.every((a) => a.signatureValid === true)).toBe(true);
      expect(await ledgerOf(paymentId)).toMatchObject({ refunded: 900n, merchant: 100n });
    });

    it('20 parallel refunds of different amounts never exceed the payment; every refused one was too big for what was left', async () => {
      const paymentId = await payment();
      const amounts = Array.from({ length: 20 }, (_, i) => BigInt(37 + ((i * 53) % 211)));
      const answers = await Promise.all(amounts.map((value) => refund(paymentId, value)));
      const refunded = amounts.filter((_, i) => answers[i]!.body.result.resultCode === 'SUCCESS').reduce((s, v) => s + v, 0n);
      expect(refunded).toBeLessThanOrEqual(1000n);
      amounts.forEach((value, i) => {
        const code = answers[i]!.body.result.resultCode;
        expect(['SUCCESS', 'REFUND_AMOUNT_EXCEED']).toContain(code);
        // What was left only shrank, so a refused refund is bigger than what is left at the end.
        if (code === 'REFUND_AMOUNT_EXCEED') expect(value).toBeGreaterThan(1000n - refunded);
      });
      expect((await ledgerOf(paymentId))?.refunded).toBe(refunded);
    });

    it('20 identical refunds at once make one refund', async () => {
      const paymentId = await payment();
      const refundRequestId = uniqueId('same-refund');
      const answers = await Promise.all(Array.from({ length: 20 }, () => refund(paymentId, 300n, refundRequestId)));
      expect(codes(answers)).toEqual(Array(20).fill('SUCCESS'));
      expect(new Set(answers.map((a) => a.body.refundId)).size).toBe(1);
      const rows = await t.gateway.database.db.selectFrom('refunds').select('refund_id').where('payment_id', '=', paymentId).execute();
      expect(rows).toEqual([{ refund_id: answers[0]!.body.refundId }]);
      expect(await ledgerOf(paymentId)).toMatchObject({ refunded: 300n, merchant: 700n });
    });

    it('parallel captures over the authorised amount never capture more than it', async () => {
      const paymentId = await payment({ paymentFactor: { captureMode: 'MANUAL' } });
      const answers = await Promise.all(Array.from({ length: 20 }, () => capture(paymentId, 150n)));
      expect(codes(answers).filter((c) => c === 'SUCCESS')).toHaveLength(6);
      expect(codes(answers).filter((c) => c === 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT')).toHaveLength(14);
      expect(await ledgerOf(paymentId)).toMatchObject({ captured: 900n, hold: 100n, merchant: 900n });
    });

    it('parallel captures and refunds of one authorisation: refunds never exceed the captures, captures never the authorisation', async () => {
      const paymentId = await payment({ paymentFactor: { captureMode: 'MANUAL' } });
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? capture(paymentId, 120n) : refund(paymentId, 100n))));
      const money = await ledgerOf(paymentId);
      expect(money!.captured).toBeLessThanOrEqual(1000n);
      expect(money!.refunded).toBeLessThanOrEqual(money!.captured);
      expect(money!.captured).toBe(120n * BigInt(answers.filter((a, i) => i % 2 === 0 && a.body.result.resultCode === 'SUCCESS').length));
    });

    it('a refund racing a cancel: either the refund and no cancel, or the cancel and no refund', async () => {
      const seen = new Set<string>();
      for (let round = 0; round < 6; round++) {
        const paymentId = await payment();
        const [refunded, cancelled] = await Promise.all([refund(paymentId, 300n), t.call('payments/cancel', { paymentId })]);
        const status = (await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus;
        const money = await ledgerOf(paymentId);
        const outcome = `${refunded.body.result.resultCode}/${cancelled.body.result.resultCode}/${String(status)}`;
        expect(['SUCCESS/ORDER_STATUS_INVALID/SUCCESS', 'ORDER_IS_CANCELED/SUCCESS/CANCELLED']).toContain(outcome);
        expect(money).toMatchObject(status === 'CANCELLED' ? { refunded: 0n, cancelled: 1000n, merchant: 0n } : { refunded: 300n, cancelled: 0n, merchant: 700n });
        seen.add(outcome);
      }
      expect(seen.size).toBeGreaterThanOrEqual(1);
    });

    it('a capture racing a cancel of the authorisation: nothing is both captured and voided', async () => {
      for (let round = 0; round < 6; round++) {
        const paymentId = await payment({ paymentFactor: { captureMode: 'MANUAL' } });
        const [captured, cancelled] = await Promise.all([capture(paymentId, 400n), t.call('payments/cancel', { paymentId })]);
        expect(cancelled.body.result.resultCode).toBe('SUCCESS');
        const money = await ledgerOf(paymentId);
        if (captured.body.result.resultCode === 'SUCCESS') {
          // Captured first, then cancelled: the capture is returned, the rest voided.
          expect(money).toMatchObject({ captured: 400n, cancelled: 400n, voided: 600n, merchant: 0n, hold: 0n });
        } else {
          expect(captured.body.result.resultCode).toBe('ORDER_IS_CANCELED');
          expect(money).toMatchObject({ captured: 0n, voided: 1000n, merchant: 0n, hold: 0n });
        }
      }
    });
  });
});
