/**
 * In-store payments (IN_STORE_PAYMENT) through real HTTP on SQLite and
 * PostgreSQL: the three modes, the payment-code sandbox rules, the U →
 * inquiry → settle and U → cancel loops, expiry, idempotency, refunds, the
 * journal and the notification outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger } from './ledger.js';
import { DIALECTS, inStorePay, paymentCode, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('in-store payments on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock, notifyDispatch: false, inStore: { settleDelayMs: 5_000 } });
    });
    afterAll(async () => t?.close());

    async function ledgerOk(): Promise<Map<string, { paid: bigint; cancelled: bigint; refunded: bigint; merchant: bigint }>> {
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      return report.payments;
    }

    async function notificationsOf(paymentId: string): Promise<Array<Record<string, unknown>>> {
      const rows = await t.gateway.notifications.list({ resourceId: paymentId });
      return rows.map((row) => ({ notifyType: row.notifyType, ...(JSON.parse(row.body) as Record<string, unknown>) }));
    }

    it('PaymentCode: S at once, journal PAY, paymentTime, PAYMENT_RESULT S in the outbox; a repeat answers the same', async () => {
      const body = inStorePay();
      const pay = await t.call('payments/pay', body);
      expect(pay.signatureValid).toBe(true);
      expect(pay.body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
      const paymentId = pay.body.paymentId as string;
      expect(pay.body).toMatchObject({ paymentRequestId: body.paymentRequestId, paymentAmount: { currency: 'USD', value: '1200' } });
      expect(pay.body.paymentTime).toMatch(/\+00:00$/);
      expect(pay.body.normalUrl).toBeUndefined();
      expect((await ledgerOk()).get(paymentId)).toMatchObject({ paid: 1200n, merchant: 1200n });
      const [notification, ...more] = await notificationsOf(paymentId);
      expect(more).toEqual([]);
      expect(notification).toMatchObject({ notifyType: 'PAYMENT_RESULT', result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId, paymentTime: pay.body.paymentTime });

      const again = await t.call('payments/pay', body);
      expect(again.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, paymentId, paymentTime: pay.body.paymentTime });
      const inquiry = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentId, paymentMethodType: 'CONNECT_WALLET' });
      expect((await ledgerOk()).get(paymentId)?.paid).toBe(1200n);
    });

    it('the scenario is matched in any letter case, and inferred from a present code', async () => {
      for (const scenario of ['PAYMENTCODE', 'paymentcode', null]) {
        const pay = await t.call('payments/pay', inStorePay({}, scenario));
        expect(pay.body.result.resultCode, String(scenario)).toBe('SUCCESS');
      }
      const lowerProduct = await t.call('payments/pay', inStorePay({ productCode: 'in_store_payment' }, 'orderCODE', null));
      expect(lowerProduct.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(lowerProduct.body.orderCodeForm).toBeDefined();
    });

    it('INVALID_PAYMENT_CODE names the problem, records nothing, and a used code is refused', async () => {
      const cases: Array<[string, string]> = [
        ['2810060200000000001257AB', 'digits only'],
        ['28888888888888888888', 'has 20 digits'],
        ['123456789012345678', 'starts with 12'],
        ['2810', 'has 4 digits'],
      ];
      for (const [code, problem] of cases) {
        const body = inStorePay({}, 'PaymentCode', code);
        const pay = await t.call('payments/pay', body);
        expect(pay.body.result).toMatchObject({ resultCode: 'INVALID_PAYMENT_CODE', resultStatus: 'F' });
        expect(pay.body.result.resultMessage).toContain('paymentMethod.paymentMethodId');
        expect(pay.body.result.resultMessage).toContain(problem);
        expect((await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      }
      // 17–19 digits starting 25–30 (legacy Alipay+, AlipayCN/HK) are payment codes.
      expect((await t.call('payments/pay', inStorePay({}, 'PaymentCode', `25${Date.now()}`.padEnd(18, '7')))).body.result.resultCode).toBe('SUCCESS');

      const code = paymentCode();
      expect((await t.call('payments/pay', inStorePay({}, 'PaymentCode', code))).body.result.resultCode).toBe('SUCCESS');
      const reused = inStorePay({}, 'PaymentCode', code);
      const second = await t.call('payments/pay', reused);
      expect(second.body.result).toMatchObject({ resultCode: 'INVALID_PAYMENT_CODE', resultStatus: 'F' });
      expect(second.body.result.resultMessage).toContain('already used');
      // The refused request id stays free: with a fresh code it pays.
      const fresh = await t.call('payments/pay', { ...reused, paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: paymentCode() } });
      expect(fresh.body.result.resultCode).toBe('SUCCESS');
      // Missing code with an explicit PaymentCode scenario is a schema error.
      const missing = await t.call('payments/pay', inStorePay({}, 'PaymentCode', null));
      expect(missing.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(missing.body.result.resultMessage).toContain('paymentMethod.paymentMethodId');
    });

    it('F outcomes by the code suffix: recorded, notified, answered to repeats; no money moves', async () => {
      const expected: Record<string, string> = {
        '01': 'USER_BALANCE_NOT_ENOUGH', '02': 'USER_PAYMENT_VERIFICATION_FAILED', '03': 'USER_KYC_NOT_QUALIFIED',
        '04': 'RISK_REJECT', '05': 'EXPIRED_CODE', '06': 'USER_AMOUNT_EXCEED_LIMIT', '07': 'USER_STATUS_ABNORMAL',
      };
      for (const [suffix, resultCode] of Object.entries(expected)) {
        const body = inStorePay({}, 'PaymentCode', paymentCode(suffix));
        const pay = await t.call('payments/pay', body);
        expect(pay.body.result, suffix).toMatchObject({ resultCode, resultStatus: 'F' });
        const paymentId = pay.body.paymentId as string;
        expect(paymentId).toMatch(/^PAY/);
        expect((await t.call('payments/pay', body)).body.result.resultCode).toBe(resultCode);
        expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: resultCode });
        expect(await notificationsOf(paymentId)).toEqual([expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultCode, resultStatus: 'F' }) })]);
        expect((await ledgerOk()).get(paymentId)).toBeUndefined();
        // A failed payment is neither cancelled nor refunded.
        expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      }
    });

    it('U → inquiry PROCESSING → the clock passes the settle delay → SUCCESS (journal PAY, notification)', async () => {
      const body = inStorePay({}, 'PaymentCode', paymentCode('10'));
      const pay = await t.call('payments/pay', body);
      expect(pay.body.result).toEqual({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' });
      const paymentId = pay.body.paymentId as string;
      expect(pay.body).toMatchObject({ paymentId, paymentAmount: { currency: 'USD', value: '1200' } });
      expect(pay.body.normalUrl).toBeUndefined();
      expect(pay.body.orderCodeForm).toBeUndefined();

      const pending = await t.call('payments/inquiryPayment', { paymentId });
      expect(pending.body).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'PROCESSING', paymentResultCode: 'PAYMENT_IN_PROCESS' });
      expect(pending.body.redirectActionForm).toBeUndefined();
      expect(await notificationsOf(paymentId)).toEqual([]);
      // A repeat while U answers the current in-process answer.
      expect((await t.call('payments/pay', body)).body).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' }, paymentId });

      clock.advance(5_000);
      const settled = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(settled.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentId });
      expect(settled.body.paymentTime).toMatch(/\+00:00$/);
      expect((await ledgerOk()).get(paymentId)).toMatchObject({ paid: 1200n });
      expect(await notificationsOf(paymentId)).toEqual([expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultCode: 'SUCCESS' }) })]);
      expect((await t.call('payments/pay', body)).body.result.resultCode).toBe('SUCCESS');
    });

    it('U settles to F by the sweeper (closeExpired) as well; a U that never settles closes at its expiry', async () => {
      const failing = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('11')))).body.paymentId as string;
      const never = inStorePay({}, 'PaymentCode', paymentCode('12'));
      const neverId = (await t.call('payments/pay', never)).body.paymentId as string;
      clock.advance(5_000);
      expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(1);
      const rows = await t.gateway.database.db.selectFrom('payments').select(['status', 'result_code']).where('payment_id', '=', failing).executeTakeFirstOrThrow();
      expect(rows).toEqual({ status: 'FAIL', result_code: 'USER_PAYMENT_VERIFICATION_FAILED' });
      expect(await notificationsOf(failing)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultStatus: 'F' }) })]);
      expect((await t.call('payments/inquiryPayment', { paymentId: neverId })).body.paymentStatus).toBe('PROCESSING');

      clock.advance(10 * 60_000);
      expect((await t.call('payments/inquiryPayment', { paymentId: neverId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      expect((await t.call('payments/pay', never)).body.result).toMatchObject({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' });
      await ledgerOk();
    });

    it('U → cancel: CANCELLED, no money, no notification; a paid one is reversed within the window', async () => {
      const body = inStorePay({}, 'PaymentCode', paymentCode('12'));
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      const cancel = await t.call('payments/cancel', { paymentRequestId: body.paymentRequestId });
      expect(cancel.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId });
      expect(cancel.body.cancelTime).toMatch(/\+00:00$/);
      expect((await t.call('payments/cancel', { paymentId })).body.cancelTime).toBe(cancel.body.cancelTime);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('CANCELLED');
      expect((await t.call('payments/pay', body)).body.result).toMatchObject({ resultCode: 'ORDER_IS_CANCELED', resultStatus: 'F' });
      expect(await notificationsOf(paymentId)).toEqual([]);
      expect((await t.complete(paymentId, { outcome: 'success' })).status).toBe(409);

      // A U payment whose settle time has passed settles first; the cancel then reverses it.
      const settling = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('10')))).body.paymentId as string;
      clock.advance(5_000);
      expect((await t.call('payments/cancel', { paymentId: settling })).body.result.resultCode).toBe('SUCCESS');
      expect((await ledgerOk()).get(settling)).toMatchObject({ paid: 1200n, cancelled: 1200n, merchant: 0n });

      const paid = (await t.call('payments/pay', inStorePay())).body.paymentId as string;
      expect((await t.call('payments/cancel', { paymentId: paid })).body.result.resultCode).toBe('SUCCESS');
      expect((await ledgerOk()).get(paid)).toMatchObject({ paid: 1200n, cancelled: 1200n, merchant: 0n });
      expect((await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId: paid, refundAmount: { currency: 'USD', value: '100' } })).body.result.resultCode)
        .toBe('ORDER_IS_CANCELED');
      // Past the window (00:15 GMT+8 the next day): refund instead.
      const late = (await t.call('payments/pay', inStorePay())).body.paymentId as string;
      clock.advance(2 * 86_400_000);
      expect((await t.call('payments/cancel', { paymentId: late })).body.result.resultCode).toBe('CANCEL_WINDOW_EXCEED');
    });

    it('OrderCode: orderCodeForm with the checkout URL and expireTime; paid through the checkout page', async () => {
      const body = inStorePay({ paymentRedirectUrl: 'https://merchant.example/done' }, 'OrderCode', null);
      const pay = await t.call('payments/pay', body);
      expect(pay.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
      const paymentId = pay.body.paymentId as string;
      const form = pay.body.orderCodeForm as { expireTime: string; codeDetails: Array<Record<string, string>> };
      expect(form.codeDetails).toEqual([{ codeValue: `${t.baseUrl}/checkout/${paymentId}`, displayType: 'TEXT', codeValueType: 'QRCODE' }]);
      const created = Date.parse(pay.body.paymentCreateTime as string);
      expect(Date.parse(form.expireTime) - created).toBeGreaterThanOrEqual(3 * 60_000 - 1000);
      expect(Date.parse(form.expireTime) - created).toBeLessThanOrEqual(3 * 60_000 + 1000);
      expect(pay.body.normalUrl).toBeUndefined();
      // The repeat gives the same code.
      expect((await t.call('payments/pay', body)).body.orderCodeForm).toEqual(form);
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'PROCESSING' });
      expect(inquiry.body.redirectActionForm).toBeUndefined();

      // The code value opens the order code's page (its QR); the test wallet "scans" it and pays.
      const page = await (await fetch(form.codeDetails[0]!.codeValue!)).text();
      expect(page).toContain('Coffee');
      expect(page).toContain(`href="/checkout/${paymentId}/wallet"`);
      const paid = await submitCheckout(`${t.baseUrl}/checkout/${paymentId}/wallet`, { action: 'pay' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe('https://merchant.example/done');
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      expect((await t.call('payments/pay', body)).body.result.resultCode).toBe('SUCCESS');
      expect((await ledgerOk()).get(paymentId)).toMatchObject({ paid: 1200n });
      expect(await notificationsOf(paymentId)).toEqual([expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultStatus: 'S' }) })]);
    });

    it('OrderCode: expires at expireTime → FAIL ORDER_IS_CLOSED, ORDER_IS_CLOSED on reuse, closure notified', async () => {
      const body = inStorePay({}, 'OrderCode', null);
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      clock.advance(3 * 60_000);
      expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(1);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      expect((await t.call('payments/pay', body)).body.result).toMatchObject({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' });
      expect((await t.complete(paymentId, { outcome: 'success' })).status).toBe(409);
      expect(await notificationsOf(paymentId)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' }) })]);
      // A paymentExpiryTime of the request wins over the default.
      const longer = inStorePay({ paymentExpiryTime: new Date(clock.now() + 20 * 60_000).toISOString() }, 'OrderCode', null);
      const form = (await t.call('payments/pay', longer)).body.orderCodeForm as { expireTime: string };
      expect(Math.abs(Date.parse(form.expireTime) - (clock.now() + 20 * 60_000))).toBeLessThan(2_000);
    });

    it('EntryCode: U with normalUrl (the wallet confirm page); completed through the control API, or declined', async () => {
      const body = inStorePay({}, 'EntryCode', null);
      const pay = await t.call('payments/pay', body);
      expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      const paymentId = pay.body.paymentId as string;
      expect(pay.body.normalUrl).toBe(`${t.baseUrl}/checkout/${paymentId}`);
      expect(pay.body.orderCodeForm).toBeUndefined();
      expect((await t.complete(paymentId, { outcome: 'success' })).status).toBe(200);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('SUCCESS');
      expect((await ledgerOk()).get(paymentId)).toMatchObject({ paid: 1200n });

      const declined = (await t.call('payments/pay', inStorePay({}, 'ENTRYCODE', null))).body.paymentId as string;
      expect((await t.complete(declined, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' })).status).toBe(200);
      expect(await notificationsOf(declined)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'USER_BALANCE_NOT_ENOUGH' }) })]);

      const noAgent = inStorePay({}, 'EntryCode', null);
      delete ((noAgent.order as Record<string, unknown>).env as Record<string, unknown>).userAgent;
      const refused = await t.call('payments/pay', noAgent);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(refused.body.result.resultMessage).toContain('order.env.userAgent');
    });

    it('REPEAT_REQ_INCONSISTENT names the changed key fields; another product with the same id too', async () => {
      const body = inStorePay({}, 'PaymentCode', paymentCode('12'));
      await t.call('payments/pay', body);
      const amount = await t.call('payments/pay', { ...body, paymentAmount: { currency: 'USD', value: '1300' } });
      expect(amount.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(amount.body.result.resultMessage).toContain('paymentAmount.value');
      const code = await t.call('payments/pay', { ...body, paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: paymentCode() } });
      expect(code.body.result.resultMessage).toContain('paymentMethod.paymentMethodId');
      const scenario = await t.call('payments/pay', { ...body, paymentFactor: { inStorePaymentScenario: 'OrderCode' } });
      expect(scenario.body.result.resultMessage).toContain('paymentFactor.inStorePaymentScenario');
      const cashier = await t.call('payments/pay', {
        ...body, productCode: 'CASHIER_PAYMENT', paymentRedirectUrl: 'https://merchant.example/r', env: { terminalType: 'WEB' }, paymentMethod: { paymentMethodType: 'CONNECT_WALLET' },
      });
      expect(cashier.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT' });
      expect(cashier.body.result.resultMessage).toContain('productCode');
      // Equal key fields in another spelling of the scenario: the recorded answer.
      const same = await t.call('payments/pay', { ...body, paymentFactor: { inStorePaymentScenario: 'paymentCODE' } });
      expect(same.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    });

    it('refund and inquiryRefund of an in-store payment; journal balanced', async () => {
      const paymentId = (await t.call('payments/pay', inStorePay())).body.paymentId as string;
      const refundRequestId = uniqueId('refund');
      const refund = await t.call('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'USD', value: '200' } });
      expect(refund.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, refundAmount: { currency: 'USD', value: '200' } });
      expect((await t.call('payments/inquiryRefund', { refundRequestId })).body).toMatchObject({ refundStatus: 'SUCCESS' });
      const over = await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '1001' } });
      expect(over.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect((await ledgerOk()).get(paymentId)).toMatchObject({ paid: 1200n, refunded: 200n, merchant: 1000n });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.transactions).toEqual([expect.objectContaining({ transactionType: 'REFUND', transactionStatus: 'SUCCESS' })]);
      // A pending in-store payment is not refundable.
      const pending = (await t.call('payments/pay', inStorePay({}, 'OrderCode', null))).body.paymentId as string;
      expect((await t.call('payments/refund', { refundRequestId: uniqueId('refund'), paymentId: pending, refundAmount: { currency: 'USD', value: '1' } })).body.result.resultCode)
        .toBe('ORDER_STATUS_INVALID');
    });
  });
});

describe('in-store strict merchant check', () => {
  it('requires order.merchant and its store when configured', async () => {
    const t = await startTestGateway('sqlite', { notifyDispatch: false, inStore: { requireMerchant: true } });
    try {
      const body = inStorePay();
      delete (body.order as Record<string, unknown>).merchant;
      const refused = await t.call('payments/pay', body);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'order.merchant: is required for in-store payments (an object)' });
      expect((await t.call('payments/pay', inStorePay())).body.result.resultCode).toBe('SUCCESS');
    } finally {
      await t.close();
    }
  });
});
