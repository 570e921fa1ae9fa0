/**
 * payments/updateAmount through real signed HTTP on SQLite and PostgreSQL.
 *
 * The rule (docs: "updateAmount", incremental authorisation): only a payment
 * authorised with captureMode MANUAL whose authorisation succeeded, before
 * any capture, while the authorisation is open, can have its amount raised;
 * `amount` is the new authorised TOTAL, strictly above what is authorised
 * so far (never lowered), in the payment's currency; at most 10 raises.
 * After a capture or past the 10th: INCREMENTAL_NOT_SUPPORT. `S` means
 * accepted; the result comes as notifyPayment UPDATE_AMOUNT_RESULT.
 * Ours where the docs are silent: automatic capture INCREMENTAL_NOT_SUPPORT,
 * pending or failed ORDER_STATUS_INVALID, cancelled ORDER_IS_CANCELED, an
 * expired authorisation AUTH_EXPIRED, another currency or an amount not
 * above PARAM_ILLEGAL naming the field. Keyed by updateRequestId per client.
 * A raise takes effect everywhere: inquiryPayment's paymentAmount and its
 * INCREMENTAL transaction, the hold in the journal, what captures may take
 * and a cancel voids, the settlement and what the buyer pays in their
 * currency (at the prices locked with the payment).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, validate } from '@amsgate/protocol';
import { SandboxClock } from '../src/index.js';
import { checkLedger, type PaymentMoney } from './ledger.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const MANUAL = { paymentFactor: { captureMode: 'MANUAL' } };

describe.each(DIALECTS)('payments/updateAmount on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    async function authorised(overrides: Record<string, unknown> = {}): Promise<string> {
      const pay = await t.call('payments/pay', cashierPay({ ...MANUAL, ...overrides }));
      const paymentId = pay.body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return paymentId;
    }

    const update = (paymentId: string, value: string, overrides: Record<string, unknown> = {}) =>
      t.call('payments/updateAmount', { updateRequestId: uniqueId('upd'), paymentId, amount: { currency: 'USD', value }, ...overrides });

    async function moneyOf(paymentId: string): Promise<PaymentMoney | undefined> {
      const report = await checkLedger(t.gateway.database, { derivedBalances: true });
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    /** The notifyPayment bodies queued for a payment, oldest first, each valid against the protocol's schema. */
    async function notifyBodies(paymentId: string): Promise<Array<Record<string, unknown>>> {
      const list = await t.gateway.notifications.list({ resourceId: paymentId });
      const bodies = list.reverse().map((n) => JSON.parse(n.body) as Record<string, unknown>);
      for (const body of bodies) expect(validate(NOTIFICATIONS.notifyPayment.schema, body).ok).toBe(true);
      return bodies;
    }

    it('raises an authorisation: S echoing the request, then inquiry, journal, captures and the notification all see the new amount', async () => {
      const paymentId = await authorised();
      const body = { updateRequestId: uniqueId('upd'), paymentId, amount: { currency: 'USD', value: '1500' } };
      const r = await t.call('payments/updateAmount', body);
      expect(r.signatureValid).toBe(true);
      expect(r.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, ...body });

      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1500' } });
      expect(inquiry.body.transactions).toEqual([expect.objectContaining({
        transactionType: 'INCREMENTAL', transactionStatus: 'SUCCESS', transactionRequestId: body.updateRequestId,
        transactionAmount: { currency: 'USD', value: '1500' }, transactionResult: expect.objectContaining({ resultCode: 'SUCCESS', resultStatus: 'S' }),
      })]);
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1500n, hold: 1500n, merchant: 0n });
      // The buyer's page of the payment shows what is authorised now.
      const page = await (await fetch(`${t.baseUrl}/checkout/${paymentId}`)).text();
      expect(page).toContain('15.00 USD');
      expect(page).not.toContain('10.00 USD');

      const [authorisedNotice, updated] = await notifyBodies(paymentId);
      expect(authorisedNotice).toMatchObject({ notifyType: 'PAYMENT_RESULT', paymentAmount: { value: '1000' } });
      const paidAt = Date.parse(inquiry.body.paymentTime as string);
      expect(updated).toEqual({
        notifyType: 'UPDATE_AMOUNT_RESULT',
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        paymentRequestId: inquiry.body.paymentRequestId,
        paymentId,
        paymentAmount: { currency: 'USD', value: '1500' },
        paymentCreateTime: inquiry.body.paymentCreateTime,
        paymentTime: inquiry.body.paymentTime,
        paymentMethodType: 'ALIPAY_CN',
        actualPaymentAmount: expect.objectContaining({ currency: 'CNY' }),
        paymentQuote: expect.objectContaining({ quoteCurrencyPair: 'USD/CNY' }),
        updateRequestId: body.updateRequestId,
        authExpiryTime: inquiry.body.authExpiryTime,
      });
      expect(Date.parse(updated!.authExpiryTime as string) - paidAt).toBe(7 * 86_400_000);

      // Captures draw on the raised authorisation; once one is made the amount can no longer be raised.
      const capture = (value: string) => t.call('payments/capture', { captureRequestId: uniqueId('cap'), paymentId, captureAmount: { currency: 'USD', value } });
      expect((await capture('1501')).body.result.resultCode).toBe('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
      expect((await capture('1200')).body.result.resultCode).toBe('SUCCESS');
      const late = await update(paymentId, '2000');
      expect(late.body.result).toMatchObject({ resultCode: 'INCREMENTAL_NOT_SUPPORT', resultStatus: 'F' });
      expect(late.body.result.resultMessage).toContain('captured');
      expect((await capture('300')).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1500n, captured: 1500n, hold: 0n, merchant: 1500n });
    });

    it('raises several times (each above the last), at most 10; a cancel then voids the whole raised amount', async () => {
      const paymentId = await authorised();
      for (let i = 1; i <= 10; i++) expect((await update(paymentId, String(1000 + i * 100))).body.result.resultCode, `raise ${i}`).toBe('SUCCESS');
      const eleventh = await update(paymentId, '5000');
      expect(eleventh.body.result).toMatchObject({ resultCode: 'INCREMENTAL_NOT_SUPPORT', resultStatus: 'F' });
      expect(eleventh.body.result.resultMessage).toContain('10 times');
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentAmount).toEqual({ currency: 'USD', value: '2000' });
      expect((inquiry.body.transactions as unknown[]).length).toBe(10);
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 2000n, hold: 2000n });
      expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 2000n, voided: 2000n, hold: 0n, merchant: 0n });
      expect((await update(paymentId, '6000')).body.result.resultCode).toBe('ORDER_IS_CANCELED');
    });

    it('settlement and what the buyer pays are converted anew at the prices locked with the payment', async () => {
      const settled = { settlementStrategy: { settlementCurrency: 'EUR' } };
      const raised = await authorised(settled);
      expect((await update(raised, '2500')).body.result.resultCode).toBe('SUCCESS');
      // A payment authorised at 2500 from the start (same day's prices) settles and charges the same.
      const direct = await authorised({ ...settled, paymentAmount: { currency: 'USD', value: '2500' } });
      const [a, b] = await Promise.all([raised, direct].map((paymentId) => t.call('payments/inquiryPayment', { paymentId })));
      expect(a!.body.grossSettlementAmount).toEqual(b!.body.grossSettlementAmount);
      expect((a!.body.grossSettlementAmount as { currency: string }).currency).toBe('EUR');
      expect(a!.body.settlementQuote).toEqual(b!.body.settlementQuote);
      expect(a!.body.actualPaymentAmount).toEqual(b!.body.actualPaymentAmount);
      expect((await notifyBodies(raised)).at(-1)).toMatchObject({ notifyType: 'UPDATE_AMOUNT_RESULT', grossSettlementAmount: b!.body.grossSettlementAmount });
    });

    it('is idempotent on updateRequestId: the recorded answer, REPEAT_REQ_INCONSISTENT naming what differs, one effect for concurrent repeats', async () => {
      const paymentId = await authorised();
      const body = { updateRequestId: uniqueId('upd'), paymentId, amount: { currency: 'USD', value: '1300' } };
      const answers = await Promise.all(Array.from({ length: 5 }, () => t.call('payments/updateAmount', body)));
      for (const answer of answers) expect(answer.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, ...body });
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1300n });
      expect(((await t.call('payments/inquiryPayment', { paymentId })).body.transactions as unknown[]).length).toBe(1);
      expect((await notifyBodies(paymentId)).filter((n) => n.notifyType === 'UPDATE_AMOUNT_RESULT')).toHaveLength(1);

      const otherAmount = await t.call('payments/updateAmount', { ...body, amount: { currency: 'USD', value: '1400' } });
      expect(otherAmount.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(otherAmount.body.result.resultMessage).toContain('amount.value');
      const otherPayment = await t.call('payments/updateAmount', { ...body, paymentId: await authorised() });
      expect(otherPayment.body.result.resultMessage).toContain('paymentId');
      // A key is per client: another client's same updateRequestId is its own (and its payment is not found).
      const other = await t.gateway.clients.create({ sandbox: true });
      const asOther = await t.call('payments/updateAmount', body, { clientId: other.client.clientId, privateKey: other.merchantPrivateKey!, keyVersion: other.keyVersion });
      expect(asOther.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('refuses, changing nothing: unknown payment, pending, failed, automatic capture, another currency, an amount not above, an expired authorisation', async () => {
      expect((await update('PAY-NOPE', '2000')).body.result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });

      const pending = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      expect((await update(pending, '2000')).body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      expect((await t.call('payments/inquiryPayment', { paymentId: pending })).body.paymentAmount).toEqual({ currency: 'USD', value: '1000' });

      const failed = (await t.call('payments/pay', cashierPay(MANUAL))).body.paymentId as string;
      await t.complete(failed, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect((await update(failed, '2000')).body.result.resultCode).toBe('ORDER_STATUS_INVALID');

      const automatic = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(automatic);
      const auto = await update(automatic, '2000');
      expect(auto.body.result).toMatchObject({ resultCode: 'INCREMENTAL_NOT_SUPPORT', resultStatus: 'F' });
      expect(auto.body.result.resultMessage).toContain('MANUAL');

      const paymentId = await authorised();
      const currency = await update(paymentId, '2000', { amount: { currency: 'EUR', value: '2000' } });
      expect(currency.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^amount\.currency: must be the currency of payment .* \(USD\), got EUR$/) });
      for (const value of ['1000', '999']) {
        const notAbove = await update(paymentId, value);
        expect(notAbove.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^amount\.value: must be more than the 1000 authorised so far/) });
      }
      // A refusal records nothing: the same updateRequestId then works with other values.
      const updateRequestId = uniqueId('upd');
      expect((await update(paymentId, '900', { updateRequestId })).body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect((await update(paymentId, '1100', { updateRequestId })).body.result.resultCode).toBe('SUCCESS');
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1100n, hold: 1100n });

      // Seven days after the authorisation its funds are released: AUTH_EXPIRED, as for capture.
      clock.advance(7 * 86_400_000 + 1000);
      const expired = await update(paymentId, '3000');
      expect(expired.body.result).toMatchObject({ resultCode: 'AUTH_EXPIRED', resultStatus: 'F' });
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1100n, voided: 1100n, hold: 0n });
    });

    it('a sandbox decline amount is accepted (S) and notified F: the payment keeps its amount', async () => {
      const paymentId = await authorised();
      const body = { updateRequestId: uniqueId('upd'), paymentId, amount: { currency: 'USD', value: '19951' } };
      const r = await t.call('payments/updateAmount', body);
      expect(r.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, ...body });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentAmount).toEqual({ currency: 'USD', value: '1000' });
      expect(inquiry.body.transactions).toEqual([expect.objectContaining({
        transactionType: 'INCREMENTAL', transactionStatus: 'FAIL', transactionAmount: { currency: 'USD', value: '19951' },
        transactionResult: expect.objectContaining({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' }),
      })]);
      expect((await notifyBodies(paymentId)).at(-1)).toMatchObject({
        notifyType: 'UPDATE_AMOUNT_RESULT', result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' },
        updateRequestId: body.updateRequestId, paymentAmount: { currency: 'USD', value: '1000' },
      });
      expect(await moneyOf(paymentId)).toMatchObject({ authorised: 1000n, hold: 1000n });
      expect((await update(paymentId, '1200')).body.result.resultCode).toBe('SUCCESS');
    });
  });
});
