/**
 * `acquirerInfo` and `acquirerReferenceNo` (products/payments/acquirer.ts)
 * through real HTTP on SQLite and PostgreSQL: on the answers whose SDK model
 * carries them (pay: acquirerInfo; inquiryPayment and notifyPayment: both;
 * refund: both; inquiryRefund: acquirerInfo; notifyRefund: neither;
 * capture: acquirerReferenceNo; notifyCapture: both; a transaction of
 * inquiryPayment: acquirerInfo), with the values derived from the
 * operation, the same on every answer of it; and inquiryPayment's
 * `transactions` left out while there are none.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, validate, validateResponse, type EndpointPath } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

/** The documented derivation, written out again: `length` digits of a SHA-256. */
function digitsOf(text: string, length: number): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex');
  return (BigInt(`0x${hex.slice(0, 32)}`) % 10n ** BigInt(length)).toString().padStart(length, '0');
}

const acquirerTransactionId = (operationId: string) => digitsOf(`acquirer-transaction\n${operationId}`, 20);

function expectedAcquirerInfo(clientId: string, operationId: string, resultCode = 'SUCCESS', resultMessage = 'success') {
  return {
    acquirerName: 'AMSGATE_SANDBOX',
    referenceRequestId: operationId,
    acquirerTransactionId: acquirerTransactionId(operationId),
    acquirerMerchantId: digitsOf(`acquirer-merchant\n${clientId}`, 15),
    acquirerResultCode: resultCode,
    acquirerResultMessage: resultMessage,
  };
}

/** Every field the answer has is one its schema models, within its limits (validation keeps the body as it is). */
function expectModelled(path: EndpointPath, answer: CallResult): void {
  expect(validateResponse(path, answer.body)).toEqual({ ok: true, value: answer.body });
}

describe.each(DIALECTS)('acquirer references on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let clientId: string;
    let clock: SandboxClock;
    beforeAll(async () => {
      clock = new SandboxClock();
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
      clientId = t.client.client.clientId;
    });
    afterAll(async () => t?.close());

    async function notificationBodies(resourceId: string): Promise<Record<string, unknown>[]> {
      const notifications = await t.gateway.notifications.repository.list({ resourceId });
      return notifications.map((notification) => JSON.parse(notification.body) as Record<string, unknown>);
    }

    async function paidPayment(overrides: Record<string, unknown> = {}): Promise<{ body: Record<string, unknown>; paymentId: string }> {
      const body = cashierPay(overrides);
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return { body, paymentId };
    }

    it('a paid payment: acquirerInfo on pay, both fields on inquiryPayment and notifyPayment, the same values each time', async () => {
      const body = cashierPay();
      const pending = await t.call('payments/pay', body);
      const paymentId = pending.body.paymentId as string;
      // Pending: the acquirer has not answered yet.
      expect(pending.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(pending.body).not.toHaveProperty('acquirerInfo');
      const pendingInquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(pendingInquiry.body).not.toHaveProperty('acquirerInfo');
      expect(pendingInquiry.body).not.toHaveProperty('acquirerReferenceNo');

      expect((await t.complete(paymentId)).status).toBe(200);
      const expected = expectedAcquirerInfo(clientId, paymentId);
      expect(expected.acquirerTransactionId).toMatch(/^\d{20}$/);
      expect(expected.acquirerMerchantId).toMatch(/^\d{15}$/);

      const repeat = await t.call('payments/pay', body);
      expect(repeat.body.result.resultCode).toBe('SUCCESS');
      expect(repeat.body.acquirerInfo).toEqual(expected);
      // The SDK's pay response has no acquirerReferenceNo.
      expect(repeat.body).not.toHaveProperty('acquirerReferenceNo');
      expectModelled('payments/pay', repeat);

      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.acquirerInfo).toEqual(expected);
      expect(inquiry.body.acquirerReferenceNo).toBe(acquirerTransactionId(paymentId));
      expectModelled('payments/inquiryPayment', inquiry);
      const again = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(again.body.acquirerInfo).toEqual(expected);

      const [notified] = await notificationBodies(paymentId);
      expect(notified).toMatchObject({ notifyType: 'PAYMENT_RESULT', acquirerInfo: expected, acquirerReferenceNo: acquirerTransactionId(paymentId) });
      expect(validate(NOTIFICATIONS.notifyPayment.schema, notified)).toEqual({ ok: true, value: notified });
    });

    it('another payment of the client has its own transaction id and the same merchant id', async () => {
      const first = await paidPayment();
      const second = await paidPayment();
      const [a, b] = await Promise.all([first, second].map(async ({ paymentId }) => (await t.call('payments/inquiryPayment', { paymentId })).body.acquirerInfo as Record<string, string>));
      expect(a!.acquirerTransactionId).not.toBe(b!.acquirerTransactionId);
      expect(a!.acquirerMerchantId).toBe(b!.acquirerMerchantId);
    });

    it('a declined payment carries the decline as the acquirer\'s result; one closed unpaid carries none', async () => {
      const body = cashierPay();
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      expect((await t.complete(paymentId, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' })).status).toBe(200);
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('FAIL');
      const expected = expectedAcquirerInfo(clientId, paymentId, 'USER_BALANCE_NOT_ENOUGH', (inquiry.body.paymentResultMessage as string).slice(0, 64));
      expect(inquiry.body.acquirerInfo).toEqual(expected);
      expect(inquiry.body.acquirerReferenceNo).toBe(acquirerTransactionId(paymentId));
      const repeat = await t.call('payments/pay', body);
      expect(repeat.body.result).toMatchObject({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' });
      expect(repeat.body.acquirerInfo).toEqual(expected);
      const [notified] = await notificationBodies(paymentId);
      expect(notified).toMatchObject({ acquirerInfo: expected, acquirerReferenceNo: acquirerTransactionId(paymentId) });

      // Expired before the buyer paid: closed, never sent to the acquirer.
      const closed = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      clock.advance(15 * 60_000);
      const closedInquiry = await t.call('payments/inquiryPayment', { paymentId: closed });
      expect(closedInquiry.body.paymentResultCode).toBe('ORDER_IS_CLOSED');
      expect(closedInquiry.body).not.toHaveProperty('acquirerInfo');
      expect(closedInquiry.body).not.toHaveProperty('acquirerReferenceNo');
    });

    it('a paid payment cancelled afterwards keeps the acquirer\'s answer to the payment', async () => {
      const { paymentId } = await paidPayment();
      expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('SUCCESS');
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('CANCELLED');
      expect(inquiry.body.acquirerInfo).toEqual(expectedAcquirerInfo(clientId, paymentId));
      // The cancel is a transaction of its own, with its own acquirer id.
      const [cancel] = inquiry.body.transactions as Array<Record<string, unknown>>;
      expect(cancel).toMatchObject({ transactionType: 'CANCEL', acquirerInfo: expectedAcquirerInfo(clientId, cancel!.transactionId as string) });
    });

    it('refund: both on refund, acquirerInfo on inquiryRefund and on its transaction, neither on notifyRefund', async () => {
      const { paymentId } = await paidPayment();
      const refundRequestId = uniqueId('refund');
      const refund = await t.call('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'USD', value: '300' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      const refundId = refund.body.refundId as string;
      const expected = expectedAcquirerInfo(clientId, refundId);
      expect(refund.body.acquirerInfo).toEqual(expected);
      expect(refund.body.acquirerReferenceNo).toBe(acquirerTransactionId(refundId));
      expectModelled('payments/refund', refund);
      const repeat = await t.call('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'USD', value: '300' } });
      expect(repeat.body).toMatchObject({ acquirerInfo: expected, acquirerReferenceNo: acquirerTransactionId(refundId) });

      const inquiry = await t.call('payments/inquiryRefund', { refundId });
      expect(inquiry.body.acquirerInfo).toEqual(expected);
      // The SDK's inquiryRefund response has no acquirerReferenceNo.
      expect(inquiry.body).not.toHaveProperty('acquirerReferenceNo');
      expectModelled('payments/inquiryRefund', inquiry);

      const [notified] = await notificationBodies(refundId);
      expect(notified).toMatchObject({ notifyType: 'REFUND_RESULT', refundId });
      expect(notified).not.toHaveProperty('acquirerInfo');
      expect(notified).not.toHaveProperty('acquirerReferenceNo');

      const payment = await t.call('payments/inquiryPayment', { paymentId });
      expect(payment.body.transactions).toEqual([expect.objectContaining({ transactionType: 'REFUND', transactionId: refundId, acquirerInfo: expected })]);
      // The payment's own acquirer answer is unchanged by the refund.
      expect(payment.body.acquirerInfo).toEqual(expectedAcquirerInfo(clientId, paymentId));
      expectModelled('payments/inquiryPayment', payment);
    });

    it('capture: acquirerReferenceNo on capture, both on notifyCapture, acquirerInfo on its transaction', async () => {
      const { paymentId } = await paidPayment({ paymentFactor: { captureMode: 'MANUAL' } });
      const body = { captureRequestId: uniqueId('capture'), paymentId, captureAmount: { currency: 'USD', value: '400' } };
      const capture = await t.call('payments/capture', body);
      expect(capture.body.result.resultCode).toBe('SUCCESS');
      const captureId = capture.body.captureId as string;
      expect(capture.body.acquirerReferenceNo).toBe(acquirerTransactionId(captureId));
      // The SDK's capture response has no acquirerInfo.
      expect(capture.body).not.toHaveProperty('acquirerInfo');
      expectModelled('payments/capture', capture);
      expect((await t.call('payments/capture', body)).body.acquirerReferenceNo).toBe(acquirerTransactionId(captureId));

      const expected = expectedAcquirerInfo(clientId, captureId);
      const [notified] = await notificationBodies(captureId);
      expect(notified).toMatchObject({ notifyType: 'CAPTURE_RESULT', acquirerInfo: expected, acquirerReferenceNo: acquirerTransactionId(captureId) });
      expect(validate(NOTIFICATIONS.notifyCapture.schema, notified)).toEqual({ ok: true, value: notified });

      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.transactions).toEqual([expect.objectContaining({ transactionType: 'CAPTURE', transactionId: captureId, acquirerInfo: expected })]);
    });

    it('transactions is left out while the payment has none, and listed once one exists', async () => {
      const pendingId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      expect((await t.call('payments/inquiryPayment', { paymentId: pendingId })).body).not.toHaveProperty('transactions');
      const { paymentId } = await paidPayment();
      const paid = await t.call('payments/inquiryPayment', { paymentId });
      expect(paid.body.paymentStatus).toBe('SUCCESS');
      expect(paid.body).not.toHaveProperty('transactions');
      await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '100' } });
      expect(((await t.call('payments/inquiryPayment', { paymentId })).body.transactions as unknown[]).length).toBe(1);
    });
  });
});
