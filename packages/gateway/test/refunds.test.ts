/**
 * payments/refund and payments/inquiryRefund through real HTTP on SQLite
 * and PostgreSQL: full, partial and multiple refunds, every failure code,
 * idempotency on refundRequestId, refunds in inquiryPayment's
 * transactions, and the journal checked after the money moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { checkLedger } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

/** A paid payment of `value` minor units. */
async function paidPayment(t: TestGateway, overrides: Record<string, unknown> = {}): Promise<string> {
  const paymentId = (await t.call('payments/pay', cashierPay(overrides))).body.paymentId as string;
  expect((await t.complete(paymentId)).status).toBe(200);
  return paymentId;
}

function refundBody(paymentId: string, value: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value }, ...overrides };
}

describe.each(DIALECTS)('refunds on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, paymentMethods: { SINGLE_REFUND_WALLET: { multipleRefunds: false } } });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
    });
    afterAll(async () => t?.close());

    const asOther = () => ({ clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string });

    async function expectLedgerSound(): Promise<void> {
      expect((await checkLedger(t.gateway.database, { derivedBalances: true })).violations).toEqual([]);
    }

    it('refunds a paid payment in full: S with refundId, refundTime and refundAmount, settled at once', async () => {
      const paymentId = await paidPayment(t);
      const body = refundBody(paymentId, '1000', { refundReason: 'changed mind', referenceRefundId: 'ref-1' });
      const refund = await t.call('payments/refund', body);
      expect(refund.signatureValid).toBe(true);
      expect(refund.body).toMatchObject({
        result: { resultCode: 'SUCCESS', resultStatus: 'S' },
        refundRequestId: body.refundRequestId,
        paymentId,
        refundAmount: { currency: 'USD', value: '1000' },
      });
      expect(refund.body.refundId).toMatch(/^RFD[0-9A-Z]{26}$/);
      expect(refund.body.refundTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

      const money = (await checkLedger(t.gateway.database)).payments.get(paymentId);
      expect(money).toMatchObject({ paid: 1000n, refunded: 1000n, merchant: 0n });
      await expectLedgerSound();
    });

    it('inquiryRefund by refundId or refundRequestId gives refundStatus, amount and time', async () => {
      const paymentId = await paidPayment(t);
      const body = refundBody(paymentId, '250', { metadata: '{"order":"o-1"}' });
      const refund = (await t.call('payments/refund', body)).body;
      const expected = {
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        refundId: refund.refundId,
        refundRequestId: body.refundRequestId,
        refundAmount: { currency: 'USD', value: '250' },
        refundStatus: 'SUCCESS',
        refundTime: refund.refundTime,
        // The refund's acquirer, as refund answered it (answer-references.test.ts checks its values).
        acquirerInfo: refund.acquirerInfo,
        metadata: '{"order":"o-1"}',
      };
      const byId = await t.call('payments/inquiryRefund', { refundId: refund.refundId });
      expect(byId.body).toEqual(expected);
      expect(byId.signatureValid).toBe(true);
      expect((await t.call('payments/inquiryRefund', { refundRequestId: body.refundRequestId })).body).toEqual(expected);
      // refundId wins when both are given.
      expect((await t.call('payments/inquiryRefund', { refundId: refund.refundId, refundRequestId: 'other' })).body).toEqual(expected);
    });

    it('inquiryRefund of an unknown refund, or of another client\'s, answers ORDER_NOT_EXIST', async () => {
      const paymentId = await paidPayment(t);
      const refund = (await t.call('payments/refund', refundBody(paymentId, '1'))).body;
      expect((await t.call('payments/inquiryRefund', { refundId: 'RFD-NOPE' })).body.result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });
      expect((await t.call('payments/inquiryRefund', { refundRequestId: 'no-such-request' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const foreign = await t.call('payments/inquiryRefund', { refundId: refund.refundId }, asOther());
      expect(foreign.body).toEqual({ result: expect.objectContaining({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' }) });
    });

    it('several partial refunds while their sum ≤ the paid amount, then REFUND_AMOUNT_EXCEED', async () => {
      const paymentId = await paidPayment(t);
      for (const value of ['300', '300', '300']) {
        expect((await t.call('payments/refund', refundBody(paymentId, value))).body.result.resultCode).toBe('SUCCESS');
      }
      const over = await t.call('payments/refund', refundBody(paymentId, '101'));
      expect(over.body.result).toMatchObject({ resultCode: 'REFUND_AMOUNT_EXCEED', resultStatus: 'F' });
      expect(over.body.result.resultMessage).toContain('100');
      expect(over.body.refundId).toBeUndefined();
      expect((await t.call('payments/refund', refundBody(paymentId, '100'))).body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('payments/refund', refundBody(paymentId, '1'))).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ refunded: 1000n, merchant: 0n });
      await expectLedgerSound();
    });

    it('refunds appear in inquiryPayment\'s transactions with their own result and amount', async () => {
      const paymentId = await paidPayment(t);
      const first = refundBody(paymentId, '100');
      const second = refundBody(paymentId, '200');
      const a = (await t.call('payments/refund', first)).body;
      const b = (await t.call('payments/refund', second)).body;
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('SUCCESS');
      const listed = (inquiry.body.transactions as Array<{ transactionAmount: { value: string } }>)
        .slice()
        .sort((x, y) => Number(x.transactionAmount.value) - Number(y.transactionAmount.value));
      expect(listed).toEqual([
        {
          transactionResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
          transactionId: a.refundId, transactionType: 'REFUND', transactionStatus: 'SUCCESS',
          transactionAmount: { currency: 'USD', value: '100' }, transactionRequestId: first.refundRequestId, transactionTime: a.refundTime,
          acquirerInfo: a.acquirerInfo,
        },
        {
          transactionResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
          transactionId: b.refundId, transactionType: 'REFUND', transactionStatus: 'SUCCESS',
          transactionAmount: { currency: 'USD', value: '200' }, transactionRequestId: second.refundRequestId, transactionTime: b.refundTime,
          acquirerInfo: b.acquirerInfo,
        },
      ]);
    });

    it('is idempotent on refundRequestId: the same amount gets the recorded answer, another amount REPEAT_REQ_INCONSISTENT', async () => {
      const paymentId = await paidPayment(t);
      const body = refundBody(paymentId, '400');
      const first = await t.call('payments/refund', body);
      const again = await t.call('payments/refund', { ...body, refundReason: 'a field outside the key' });
      expect(again.body).toEqual(first.body);
      const amount = await t.call('payments/refund', { ...body, refundAmount: { currency: 'USD', value: '401' } });
      expect(amount.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(amount.body.result.resultMessage).toContain('refundAmount.value');
      const otherPayment = await paidPayment(t);
      const moved = await t.call('payments/refund', { ...body, paymentId: otherPayment });
      expect(moved.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(moved.body.result.resultMessage).toContain('paymentId');
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)?.refunded).toBe(400n);
      // Another client's key space is its own.
      const foreign = await t.call('payments/refund', body, asOther());
      expect(foreign.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('a refused refund leaves nothing behind: its refundRequestId stays free', async () => {
      const paymentId = await paidPayment(t);
      const body = refundBody(paymentId, '5000');
      expect((await t.call('payments/refund', body)).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect((await t.call('payments/inquiryRefund', { refundRequestId: body.refundRequestId })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const retry = await t.call('payments/refund', { ...body, refundAmount: { currency: 'USD', value: '500' } });
      expect(retry.body.result.resultCode).toBe('SUCCESS');
    });

    it('ORDER_STATUS_INVALID for a pending or failed payment, ORDER_IS_CANCELED for a cancelled one, ORDER_NOT_EXIST for unknown or foreign ones', async () => {
      const pending = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      const r1 = await t.call('payments/refund', refundBody(pending, '100'));
      expect(r1.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });

      const failed = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      expect((await t.complete(failed, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' })).status).toBe(200);
      expect((await t.call('payments/refund', refundBody(failed, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');

      const cancelled = await paidPayment(t);
      expect((await t.call('payments/cancel', { paymentId: cancelled })).body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('payments/refund', refundBody(cancelled, '100'))).body.result).toMatchObject({ resultCode: 'ORDER_IS_CANCELED', resultStatus: 'F' });
      const cancelledPending = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.call('payments/cancel', { paymentId: cancelledPending });
      expect((await t.call('payments/refund', refundBody(cancelledPending, '100'))).body.result.resultCode).toBe('ORDER_IS_CANCELED');

      expect((await t.call('payments/refund', refundBody('PAY-NOPE', '100'))).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const mine = await paidPayment(t);
      expect((await t.call('payments/refund', refundBody(mine, '100'), asOther())).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      await expectLedgerSound();
    });

    it('PARAM_ILLEGAL for a currency other than the payment\'s and for a zero amount, naming the field', async () => {
      const paymentId = await paidPayment(t);
      const currency = await t.call('payments/refund', refundBody(paymentId, '100', { refundAmount: { currency: 'EUR', value: '100' } }));
      expect(currency.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(currency.body.result.resultMessage).toMatch(/^refundAmount\.currency: /);
      const zero = await t.call('payments/refund', refundBody(paymentId, '0'));
      expect(zero.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'refundAmount.value: must be greater than 0' });
      const missing = await t.call('payments/refund', { paymentId, refundAmount: { currency: 'USD', value: '1' } });
      expect(missing.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(missing.body.result.resultMessage).toContain('refundRequestId');
    });

    it('MULTIPLE_REFUNDS_NOT_SUPPORTED where the payment method allows one refund', async () => {
      const paymentId = await paidPayment(t, { paymentMethod: { paymentMethodType: 'SINGLE_REFUND_WALLET' } });
      const first = refundBody(paymentId, '300');
      expect((await t.call('payments/refund', first)).body.result.resultCode).toBe('SUCCESS');
      const second = await t.call('payments/refund', refundBody(paymentId, '100'));
      expect(second.body.result).toMatchObject({ resultCode: 'MULTIPLE_REFUNDS_NOT_SUPPORTED', resultStatus: 'F' });
      // The first one, repeated, is still its recorded answer.
      expect((await t.call('payments/refund', first)).body.result.resultCode).toBe('SUCCESS');
      // A method without the restriction takes several.
      const free = await paidPayment(t);
      expect((await t.call('payments/refund', refundBody(free, '300'))).body.result.resultCode).toBe('SUCCESS');
      expect((await t.call('payments/refund', refundBody(free, '300'))).body.result.resultCode).toBe('SUCCESS');
    });

    it('cancel of a refunded payment is refused (ORDER_STATUS_INVALID): the money moves once', async () => {
      const paymentId = await paidPayment(t);
      await t.call('payments/refund', refundBody(paymentId, '100'));
      const cancel = await t.call('payments/cancel', { paymentId });
      expect(cancel.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('SUCCESS');
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ refunded: 100n, cancelled: 0n, merchant: 900n });
      await expectLedgerSound();
    });
  });
});
