/**
 * notifyPayment PAYMENT_PENDING on SQLite and PostgreSQL: a bank transfer
 * (the sandbox offer BANKTRANSFER_PIX) is submitted by the buyer on the
 * checkout page, the merchant is told at once that the payment is pending
 * (delivered, signed, to a real local receiver), inquiryPayment keeps
 * answering PROCESSING, and the final PAYMENT_RESULT follows: when the
 * sandbox confirms the transfer (5 minutes later on its clock) or when the
 * control API completes it first. Methods paid on the page never send it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importPublicKey, NOTIFICATIONS, validate, verifyHeader } from '@amsgate/protocol';
import { SandboxClock } from '../src/index.js';
import { DEFAULT_TRANSFER_CONFIRMATION_MS } from '../src/products/payments/payment-method-offers.js';
import { checkLedger } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';
import { Receiver, type Received } from './receiver.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('PAYMENT_PENDING for bank transfers on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let receiver: Receiver;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());
    afterEach(async () => receiver?.stop());

    const deliver = () => t.gateway.notifications.dispatcher.runOnce();

    function verified(request: Received): Record<string, unknown> {
      const ok = verifyHeader(
        { uri: request.path.split('?')[0]!, clientId: String(request.headers['client-id']), time: String(request.headers['request-time']), body: request.body },
        String(request.headers.signature),
        importPublicKey(t.client.client.gatewayPublicKey),
      ).ok;
      expect(ok).toBe(true);
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(validate(NOTIFICATIONS.notifyPayment.schema, body).ok).toBe(true);
      return body;
    }

    const transferPay = (overrides: Record<string, unknown> = {}) => cashierPay({
      paymentAmount: { currency: 'BRL', value: '5000' },
      order: { referenceOrderId: `order-${Date.now()}-${Math.random()}`, orderDescription: 'Pix order', orderAmount: { currency: 'BRL', value: '5000' } },
      paymentMethod: { paymentMethodType: 'BANKTRANSFER_PIX' },
      paymentNotifyUrl: `${receiver.url}/notify`,
      ...overrides,
    });

    it('the buyer submits the transfer: PAYMENT_PENDING now (still PROCESSING), PAYMENT_RESULT when the sandbox confirms it', async () => {
      receiver = await new Receiver().start();
      const body = transferPay({ metadata: '{"cart":"42"}' });
      const pay = await t.call('payments/pay', body);
      const paymentId = pay.body.paymentId as string;
      const link = pay.body.normalUrl as string;
      const page = await (await fetch(link)).text();
      expect(page).toContain('I have transferred 50.00 BRL');
      expect(page).toContain('id="transfer-hint"');

      const submitted = await submitCheckout(link, { action: 'pay' });
      expect(submitted.status).toBe(303);
      expect(submitted.headers.get('location')).toBe(body.paymentRedirectUrl);
      const pending = await t.call('payments/inquiryPayment', { paymentId });
      expect(pending.body).toMatchObject({ paymentStatus: 'PROCESSING', paymentResultCode: 'PAYMENT_IN_PROCESS' });
      expect(pending.body.paymentTime).toBeUndefined();

      expect(await deliver()).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect(verified(receiver.received[0]!)).toEqual({
        notifyType: 'PAYMENT_PENDING',
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'The buyer has paid; the final result is pending' },
        paymentRequestId: body.paymentRequestId,
        paymentId,
        paymentAmount: { currency: 'BRL', value: '5000' },
        paymentCreateTime: pay.body.paymentCreateTime,
        paymentMethodType: 'BANKTRANSFER_PIX',
        metadata: '{"cart":"42"}',
      });

      // The page now waits for the bank: no buttons; posting again changes nothing and notifies nothing.
      const waiting = await (await fetch(link)).text();
      expect(waiting).toContain('Transfer submitted: waiting for the bank');
      expect(waiting).not.toContain('id="pay"');
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      const again = await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, action: 'pay' }).toString() });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('the transfer was already submitted');
      expect(await deliver()).toBe(0);

      // Just before the confirmation it is still pending; then the sandbox confirms it.
      clock.advance(DEFAULT_TRANSFER_CONFIRMATION_MS - 1000);
      await t.gateway.payments.closeExpired();
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('PROCESSING');
      clock.advance(1000);
      expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(1);
      const paid = await t.call('payments/inquiryPayment', { paymentId });
      expect(paid.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentAmount: { currency: 'BRL', value: '5000' } });
      expect(await deliver()).toBe(1);
      expect(verified(receiver.received[1]!)).toMatchObject({
        notifyType: 'PAYMENT_RESULT', result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId, paymentTime: paid.body.paymentTime, metadata: '{"cart":"42"}',
      });
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(paymentId)).toMatchObject({ paid: 5000n, merchant: 5000n });
    });

    it('the control API settles a submitted transfer first (here: failed); the scheduled confirmation then changes nothing', async () => {
      receiver = await new Receiver().start();
      const pay = await t.call('payments/pay', transferPay());
      const paymentId = pay.body.paymentId as string;
      expect((await submitCheckout(pay.body.normalUrl as string, { action: 'pay' })).status).toBe(303);
      const completed = await t.complete(paymentId, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect(completed.json).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect(await deliver()).toBe(2);
      const bodies = receiver.received.map(verified);
      expect(bodies.map((b) => b.notifyType).sort()).toEqual(['PAYMENT_PENDING', 'PAYMENT_RESULT']);
      expect(bodies.find((b) => b.notifyType === 'PAYMENT_RESULT')).toMatchObject({ result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' } });
      clock.advance(DEFAULT_TRANSFER_CONFIRMATION_MS + 1000);
      await t.gateway.payments.closeExpired();
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect(await deliver()).toBe(0);
    });

    it('a method paid on the page never notifies PAYMENT_PENDING; a transfer can still be declined or cancelled like any payment', async () => {
      receiver = await new Receiver().start();
      const wallet = await t.call('payments/pay', cashierPay({ paymentNotifyUrl: `${receiver.url}/notify` }));
      const walletPage = await (await fetch(wallet.body.normalUrl as string)).text();
      expect(walletPage).toContain('Pay 10.00 USD');
      expect(walletPage).not.toContain('I have transferred');
      expect((await submitCheckout(wallet.body.normalUrl as string, { action: 'pay' })).status).toBe(303);
      expect((await t.call('payments/inquiryPayment', { paymentId: wallet.body.paymentId })).body.paymentStatus).toBe('SUCCESS');

      const declined = await t.call('payments/pay', transferPay());
      expect((await submitCheckout(declined.body.normalUrl as string, { action: 'decline', declineCode: 'USER_KYC_NOT_QUALIFIED' })).status).toBe(303);
      expect((await t.call('payments/inquiryPayment', { paymentId: declined.body.paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_KYC_NOT_QUALIFIED' });

      const cancelled = await t.call('payments/pay', transferPay());
      expect((await submitCheckout(cancelled.body.normalUrl as string, { action: 'pay' })).status).toBe(303);
      expect((await t.call('payments/cancel', { paymentId: cancelled.body.paymentId })).body.result.resultCode).toBe('SUCCESS');
      expect((await fetch(cancelled.body.normalUrl as string).then((r) => r.text()))).toContain('Payment cancelled by the merchant');

      await deliver();
      const types = receiver.received.map(verified).map((b) => `${b.notifyType} ${b.paymentId === cancelled.body.paymentId ? 'cancelled' : b.paymentId === declined.body.paymentId ? 'declined' : 'wallet'}`);
      expect(types.sort()).toEqual(['PAYMENT_PENDING cancelled', 'PAYMENT_RESULT declined', 'PAYMENT_RESULT wallet']);
    });

    it('a transfer cannot be submitted once the payment expired', async () => {
      receiver = await new Receiver().start();
      const pay = await t.call('payments/pay', transferPay());
      const link = pay.body.normalUrl as string;
      const page = await (await fetch(link)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      clock.advance(15 * 60_000);
      const late = await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, action: 'pay' }).toString() });
      expect(late.status).toBe(409);
      expect((await t.call('payments/inquiryPayment', { paymentId: pay.body.paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      await deliver();
      expect(receiver.received.map(verified).map((b) => b.notifyType)).toEqual(['PAYMENT_RESULT']);
    });
  });
});
