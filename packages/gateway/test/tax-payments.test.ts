/**
 * A payment that references a tax calculation (`pay`'s `taxCalculationId`),
 * on SQLite and PostgreSQL: the calculation must be the client's, unexpired
 * and in the payment's currency, else PARAM_ILLEGAL naming the field with
 * nothing recorded; the payment's notification carries the id, and
 * `tax/inquireCalculation` finds the calculation by the payment's request id.
 * A repeat of a payment already made answers as recorded even once its
 * calculation has expired.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { cashierPay, DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
if (!postgresOk) console.warn('tax-payments: PostgreSQL is not reachable; its half of these tests is SKIPPED');

describe.each(DIALECTS)('payments referencing tax calculations on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    async function calculation(currency: string, as?: ReturnType<typeof fixture.asOther>): Promise<string> {
      const answer = await t.call('tax/calculate', {
        taxCalculationRequestId: uniqueId('calc'), currency,
        lineItems: [{ goodsReferenceId: 'beans', unitAmount: '1000', quantity: 1, taxBehavior: 'EXCLUSIVE' }],
        customerDetails: { shippingAddress: { country: 'SG', city: 'Singapore' } },
      }, as);
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      return answer.body.taxCalculationId as string;
    }

    it('links a payment to its calculation: notified with it, found by the payment request id', async () => {
      const taxCalculationId = await calculation('USD');
      const paymentRequestId = uniqueId('pay');
      const paid = await t.call('payments/pay', cashierPay({ paymentRequestId, taxCalculationId }));
      expect(paid.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      const paymentId = paid.body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      const notified = await t.gateway.database.db.selectFrom('notifications').select('body').where('resource_id', '=', paymentId).where('notify_type', '=', 'PAYMENT_RESULT').execute();
      expect(notified.map((row) => (JSON.parse(row.body) as Record<string, unknown>).taxCalculationId)).toEqual([taxCalculationId]);
      const found = await t.call('tax/inquireCalculation', { paymentRequestId });
      expect(found.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, taxCalculationId });
    });

    it('refuses an unknown, another client\'s, another currency\'s or an expired calculation, naming taxCalculationId, recording nothing', async () => {
      const refused = async (taxCalculationId: string, currency = 'USD') => {
        const paymentRequestId = uniqueId('pay');
        const answer = await t.call('payments/pay', cashierPay({ paymentRequestId, taxCalculationId, paymentAmount: { currency, value: '1000' }, order: { referenceOrderId: uniqueId('o'), orderDescription: 'Beans', orderAmount: { currency, value: '1000' } } }));
        expect(answer.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('taxCalculationId') });
        expect((await t.call('payments/inquiryPayment', { paymentRequestId })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
        return answer.body.result.resultMessage;
      };
      expect(await refused('TXC0000000000000000000000000')).toContain('no tax calculation');
      expect(await refused(await calculation('USD', fixture.asOther()))).toContain('no tax calculation');
      expect(await refused(await calculation('EUR'))).toContain('in EUR');

      // Made before its calculation expires, a payment repeats as recorded after; a new one is refused.
      const taxCalculationId = await calculation('USD');
      const first = cashierPay({ paymentRequestId: uniqueId('pay'), taxCalculationId });
      const made = await t.call('payments/pay', first);
      expect(made.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      clock.advance(91 * 24 * 3_600_000);
      // The payment closed unpaid long ago: its repeat answers that, not a refusal of the calculation.
      const repeat = await t.call('payments/pay', first);
      expect(repeat.body.result.resultCode).toBe('ORDER_IS_CLOSED');
      expect((await t.call('payments/inquiryPayment', { paymentRequestId: first.paymentRequestId })).body.paymentId).toBe(made.body.paymentId);
      expect(await refused(taxCalculationId)).toContain('expired');
    });
  });
});
