/**
 * Cashier pay, inquiry, cancel, completion and expiry through real HTTP on
 * SQLite and PostgreSQL, with the journal checked after every money move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBigInt } from '../src/store/columns.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';
import { submitCheckout } from './checkout-form.js';

const postgresOk = await postgresAvailable();

class TestClock {
  offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
}

/** Every journal transaction sums to zero per currency; returns the balance of each account. */
async function checkJournal(t: TestGateway): Promise<Map<string, bigint>> {
  const rows = await t.gateway.database.db.selectFrom('journal_entries').selectAll().execute();
  const perJournal = new Map<string, bigint>();
  const balances = new Map<string, bigint>();
  for (const row of rows) {
    const key = `${row.journal_id}/${row.currency}`;
    perJournal.set(key, (perJournal.get(key) ?? 0n) + toBigInt(row.amount));
    balances.set(`${row.account}/${row.currency}`, (balances.get(`${row.account}/${row.currency}`) ?? 0n) + toBigInt(row.amount));
  }
  for (const [key, sum] of perJournal) expect(sum, `journal ${key}`).toBe(0n);
  return balances;
}

describe.each(DIALECTS)('cashier payments on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new TestClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock });
    });
    afterAll(async () => t?.close());

    const merchantBalance = (clientId: string) => `merchant:${clientId}:balance/USD`;

    it('pay answers U PAYMENT_IN_PROCESS with a checkout URL; the same request again gives the same payment', async () => {
      const body = cashierPay();
      const first = await t.call('payments/pay', body);
      expect(first.body.result).toEqual({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' });
      expect(first.signatureValid).toBe(true);
      expect(first.body.paymentId).toMatch(/^PAY[0-9A-Z]{26}$/);
      expect(first.body.paymentAmount).toEqual({ currency: 'USD', value: '1000' });
      expect(first.body.normalUrl).toBe(`${t.baseUrl}/checkout/${first.body.paymentId as string}`);
      expect(first.body.redirectActionForm).toMatchObject({ method: 'GET', redirectUrl: first.body.normalUrl });
      expect(JSON.parse(first.body.paymentActionForm as string)).toMatchObject({ redirectUrl: first.body.normalUrl });
      expect(first.body.paymentCreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

      const again = await t.call('payments/pay', body);
      expect(again.body.paymentId).toBe(first.body.paymentId);
      expect(again.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    });

    it('REPEAT_REQ_INCONSISTENT names the key field that changed', async () => {
      const body = cashierPay();
      await t.call('payments/pay', body);
      const amount = await t.call('payments/pay', { ...body, paymentAmount: { currency: 'USD', value: '1001' } });
      expect(amount.body.result).toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F' });
      expect(amount.body.result.resultMessage).toContain('paymentAmount.value');
      const method = await t.call('payments/pay', { ...body, paymentMethod: { paymentMethodType: 'GCASH' } });
      expect(method.body.result.resultMessage).toContain('paymentMethod.paymentMethodType');
      // A field outside the key (the order description) may differ: the recorded answer comes back.
      const other = await t.call('payments/pay', { ...body, order: { ...(body.order as object), orderDescription: 'changed' } });
      expect(other.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    });

    it('refuses a zero amount and an expiry in the past, naming the field', async () => {
      const zero = await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'USD', value: '0' } }));
      expect(zero.body.result.resultMessage).toBe('paymentAmount.value: must be greater than 0');
      const past = await t.call('payments/pay', cashierPay({ paymentExpiryTime: '2020-01-01T00:00:00+08:00' }));
      expect(past.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'paymentExpiryTime: must be in the future' });
    });

    it('inquiry by paymentId or paymentRequestId; success after completion moves money once', async () => {
      const body = cashierPay();
      const pay = await t.call('payments/pay', body);
      const paymentId = pay.body.paymentId as string;
      const pending = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
      expect(pending.body).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'PROCESSING', paymentId, paymentResultCode: 'PAYMENT_IN_PROCESS' });
      expect(pending.signatureValid).toBe(true);

      const before = (await checkJournal(t)).get(merchantBalance(t.client.client.clientId)) ?? 0n;
      expect((await t.complete(paymentId, { outcome: 'success' })).json).toMatchObject({ paymentStatus: 'SUCCESS' });
      const again = await t.complete(paymentId, { outcome: 'success' });
      expect(again.status).toBe(409);
      expect((again.json.result as { resultCode: string }).resultCode).toBe('ORDER_STATUS_INVALID');

      const paid = await t.call('payments/inquiryPayment', { paymentId });
      expect(paid.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1000' } });
      expect(paid.body.paymentTime).toMatch(/\+00:00$/);
      const after = (await checkJournal(t)).get(merchantBalance(t.client.client.clientId)) ?? 0n;
      expect(after - before).toBe(1000n);

      const repeat = await t.call('payments/pay', body);
      expect(repeat.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect(repeat.body.paymentId).toBe(paymentId);
    });

    it('a failure outcome is recorded with its code and answered to a repeat', async () => {
      const body = cashierPay();
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      const failed = await t.complete(paymentId, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect(failed.json).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      const repeat = await t.call('payments/pay', body);
      expect(repeat.body.result).toMatchObject({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' });
      const badCode = await t.complete((await t.call('payments/pay', cashierPay())).body.paymentId as string, { outcome: 'fail', resultCode: 'SUCCESS' });
      expect(badCode.status).toBe(400);
      // An F code a payment does not fail with (pay could not answer it to a repeat) is refused too, naming the codes that are.
      const notAnOutcome = await t.complete((await t.call('payments/pay', cashierPay())).body.paymentId as string, { outcome: 'fail', resultCode: 'REFUND_AMOUNT_EXCEED' });
      expect(notAnOutcome.status).toBe(400);
      expect(JSON.stringify(notAnOutcome.json)).toContain('must be a code a payment can fail with');
    });

    it('cancel closes a pending payment; it is repeatable; reusing the request id gives ORDER_IS_CANCELED', async () => {
      const body = cashierPay();
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      const cancel = await t.call('payments/cancel', { paymentRequestId: body.paymentRequestId });
      expect(cancel.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId, paymentRequestId: body.paymentRequestId });
      expect(cancel.body.cancelTime).toMatch(/\+00:00$/);
      const again = await t.call('payments/cancel', { paymentId });
      expect(again.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, cancelTime: cancel.body.cancelTime });
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('CANCELLED');
      expect(inquiry.body.transactions).toEqual([expect.objectContaining({ transactionType: 'CANCEL', transactionStatus: 'SUCCESS', transactionAmount: { currency: 'USD', value: '1000' } })]);
      expect((await t.call('payments/pay', body)).body.result).toMatchObject({ resultCode: 'ORDER_IS_CANCELED', resultStatus: 'F' });
      expect((await t.complete(paymentId, { outcome: 'success' })).status).toBe(409);
    });

    it('cancel of a paid payment gives the money back through the journal; of a failed one is refused', async () => {
      const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(paymentId, { outcome: 'success' });
      const before = (await checkJournal(t)).get(merchantBalance(t.client.client.clientId)) ?? 0n;
      expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('SUCCESS');
      const after = (await checkJournal(t)).get(merchantBalance(t.client.client.clientId)) ?? 0n;
      expect(before - after).toBe(1000n);
      // paymentTime is a success's (endpoints.md §3): not kept on the cancelled payment's inquiry.
      const cancelled = (await t.call('payments/inquiryPayment', { paymentId })).body;
      expect(cancelled.paymentStatus).toBe('CANCELLED');
      expect(cancelled).not.toHaveProperty('paymentTime');

      const failedId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(failedId, { outcome: 'fail', resultCode: 'RISK_REJECT' });
      expect((await t.call('payments/cancel', { paymentId: failedId })).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      expect((await t.call('payments/cancel', { paymentId: 'PAY-NOPE' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('a pending payment closes at its expiry: inquiry FAIL/ORDER_IS_CLOSED, pay again ORDER_IS_CLOSED', async () => {
      const body = cashierPay();
      const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
      const swept = cashierPay();
      const sweptId = (await t.call('payments/pay', swept)).body.paymentId as string;
      clock.offsetMs += 15 * 60_000;
      try {
        expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(1);
        const inquiry = await t.call('payments/inquiryPayment', { paymentId });
        expect(inquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
        expect((await t.call('payments/pay', body)).body.result).toMatchObject({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' });
        expect((await t.call('payments/inquiryPayment', { paymentId: sweptId })).body.paymentStatus).toBe('FAIL');
        expect((await t.complete(paymentId, { outcome: 'success' })).status).toBe(409);
      } finally {
        clock.offsetMs -= 15 * 60_000;
      }
    });

    it('the checkout page shows the payment and completes it with its buttons, then sends the buyer back to the merchant', async () => {
      const paymentId = (await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'JPY', value: '1500' }, order: { referenceOrderId: 'o-jpy', orderDescription: 'Tea <set>', orderAmount: { currency: 'JPY', value: '1500' } } }))).body.paymentId as string;
      const page = await (await fetch(`${t.baseUrl}/checkout/${paymentId}`)).text();
      expect(page).toContain('1500 JPY');
      expect(page).toContain('Tea &lt;set&gt;');
      expect(page).toContain('id="pay"');
      const paid = await submitCheckout(`${t.baseUrl}/checkout/${paymentId}`, { action: 'pay' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe('https://merchant.example/return');
      const html = await (await fetch(`${t.baseUrl}/checkout/${paymentId}`)).text();
      expect(html).toMatch(/id="status"[^>]*>SUCCESS</);
      expect(html).not.toContain('id="pay"');
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus).toBe('SUCCESS');
      expect((await fetch(`${t.baseUrl}/checkout/PAY-NOPE`)).status).toBe(404);
    });

    it('health and readiness', async () => {
      expect(await (await fetch(`${t.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${t.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    });
  });
});

describe('gateway mode', () => {
  it('has no sandbox control API', async () => {
    const t = await startTestGateway('sqlite', { mode: 'gateway' });
    try {
      const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      const r = await fetch(`${t.baseUrl}/sandbox/payments/${paymentId}/complete`, { method: 'POST', body: '{}' });
      expect(r.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
