/**
 * A retried pay answers the payment it created, however late the retry
 * comes, on SQLite and PostgreSQL: checks against the clock (a sandbox
 * marker's delay against the expiry, `paymentExpiryTime` in the future, Auto
 * Debit's one-minute expiry) apply to the request that creates the payment
 * only, and a refused new request records nothing (its key stays free).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger } from './ledger.js';
import { agreementPay, cashierPay, DIALECTS, inStorePay, paymentCode, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('pay retries on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock, notifyDispatch: false, inStore: { settleDelayMs: 5_000 } });
    });
    afterAll(async () => t?.close());

    /** Moves the sandbox clock through the control API, as a tester would. */
    async function advance(by: string): Promise<void> {
      const response = await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
      expect(response.status).toBe(200);
    }

    const inFuture = (ms: number): string => new Date(clock.now() + ms).toISOString();
    const pay = (body: Record<string, unknown>): Promise<CallResult> => t.call('payments/pay', body);
    const inquire = async (body: Record<string, unknown>) => (await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId })).body;

    async function notificationsOf(paymentId: string): Promise<unknown[]> {
      return t.gateway.notifications.list({ resourceId: paymentId });
    }

    async function ledgerOf(paymentId: string) {
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    it('a delayed marker: the retry the lost answer asks for answers the recorded payment, before and after its delay and expiry', async () => {
      const body = cashierPay({ paymentExpiryTime: inFuture(60_000) });
      (body.order as Record<string, unknown>).referenceOrderId = 'order-r#amsgate:unknown-then-success=50s';
      const first = await pay(body);
      expect(first.body.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });

      // 15 s later only 45 s remain before the expiry, less than the 50 s delay: the payment exists all the same.
      await advance('15s');
      const retry = await pay(body);
      expect(retry.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
      const paymentId = retry.body.paymentId as string;
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'PROCESSING', paymentId });

      await advance('35s');
      expect((await pay(body)).body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId });
      // Past the request's paymentExpiryTime too.
      await advance('30s');
      expect((await pay(body)).body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId });
      expect(await notificationsOf(paymentId)).toHaveLength(1);
      expect(await ledgerOf(paymentId)).toMatchObject({ paid: 1000n, merchant: 1000n });

      // A new request is still checked: the delay must come before the expiry, and nothing is recorded when it does not.
      const tooLong = cashierPay({ paymentExpiryTime: inFuture(40_000) });
      (tooLong.order as Record<string, unknown>).referenceOrderId = 'order-s#amsgate:succeed-after=50s';
      const refused = await pay(tooLong);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toMatch(/^order\.referenceOrderId: #amsgate:succeed-after=50s would settle after the payment expires \(in 3\d s\)/);
      expect((await inquire(tooLong)).result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
      // The key stayed free: the same request id with a later expiry creates the payment.
      const fixed = { ...tooLong, paymentExpiryTime: inFuture(120_000) };
      expect((await pay(fixed)).body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS' });
      // A syntax error is refused before anything is written, whatever the clock.
      const malformed = cashierPay();
      (malformed.order as Record<string, unknown>).referenceOrderId = 'order-m#amsgate:succeed-after=soon';
      expect((await pay(malformed)).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect((await inquire(malformed)).result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
    });

    it('past paymentExpiryTime: a retry answers ORDER_IS_CLOSED (or the final state), a new request is PARAM_ILLEGAL and records nothing', async () => {
      const body = cashierPay({ paymentExpiryTime: inFuture(30_000) });
      const first = await pay(body);
      expect(first.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS' });
      const paymentId = first.body.paymentId as string;
      await advance('31s');
      // As for any closed payment, the answer is only its result; inquiry shows it is the same payment.
      expect((await pay(body)).body).toEqual({ result: expect.objectContaining({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' }) });
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED', paymentId });
      expect(await notificationsOf(paymentId)).toHaveLength(1);

      // A payment that succeeded before its expiry answers SUCCESS to a retry after it.
      const paid = cashierPay({ paymentExpiryTime: inFuture(30_000) });
      (paid.order as Record<string, unknown>).referenceOrderId = 'order-p#amsgate:succeed-after=10s';
      const paidId = (await pay(paid)).body.paymentId as string;
      clock.advance(31_000);
      expect((await pay(paid)).body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId: paidId });

      const late = cashierPay({ paymentExpiryTime: inFuture(-1_000) });
      const refused = await pay(late);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'paymentExpiryTime: must be in the future' });
      expect((await inquire(late)).result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
      expect((await pay({ ...late, paymentExpiryTime: inFuture(60_000) })).body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS' });
      expect((await pay(cashierPay({ paymentExpiryTime: 'tomorrow' }))).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^paymentExpiryTime: /) });
    });

    it('in-store: a retry after paymentExpiryTime answers the payment (closed, or settled by its code), a new one is refused', async () => {
      const never = inStorePay({ paymentExpiryTime: inFuture(30_000) }, 'PaymentCode', paymentCode('12'));
      const neverId = (await pay(never)).body.paymentId as string;
      const settling = inStorePay({ paymentExpiryTime: inFuture(30_000) }, 'PaymentCode', paymentCode('10'));
      const settlingId = (await pay(settling)).body.paymentId as string;
      await advance('31s');
      expect((await pay(never)).body).toEqual({ result: expect.objectContaining({ resultCode: 'ORDER_IS_CLOSED', resultStatus: 'F' }) });
      expect(await inquire(never)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED', paymentId: neverId });
      expect((await pay(settling)).body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId: settlingId });
      expect(await ledgerOf(settlingId)).toMatchObject({ paid: 1200n });

      const late = inStorePay({ paymentExpiryTime: inFuture(-1_000) });
      expect((await pay(late)).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'paymentExpiryTime: must be in the future' });
      expect((await inquire(late)).result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
      // Nothing was recorded, the payment code included: it is still unused.
      expect((await pay({ ...late, paymentExpiryTime: inFuture(60_000) })).body.result).toMatchObject({ resultCode: 'SUCCESS' });
    });

    it('Auto Debit: a retry after its (at most one-minute) expiry answers the recorded payment, a new one is refused', async () => {
      const consulted = await t.call('authorizations/consult', {
        customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('state'), terminalType: 'WEB',
      });
      const consultId = (consulted.body.authUrl as string).split('/').pop() as string;
      const agreed = (await (await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/agree`, { method: 'POST', body: '{}' })).json()) as { authCode: string };
      const token = (await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: agreed.authCode })).body.accessToken as string;
      const agreement = (overrides: Record<string, unknown>) => agreementPay(token, overrides);

      const body = agreement({ paymentExpiryTime: inFuture(30_000) });
      const first = await pay(body);
      expect(first.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      await advance('2m');
      expect((await pay(body)).body).toEqual(first.body);
      expect(await ledgerOf(first.body.paymentId as string)).toMatchObject({ paid: 1000n });

      const refusals = [
        [inFuture(-1_000), 'paymentExpiryTime: must be in the future'],
        [inFuture(61_000), 'paymentExpiryTime: may be at most 1 minute after the request for AGREEMENT_PAYMENT'],
      ] as const;
      for (const [paymentExpiryTime, problem] of refusals) {
        const refused = agreement({ paymentExpiryTime });
        expect((await pay(refused)).body.result, problem).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: problem });
        expect((await inquire(refused)).result, problem).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
        expect((await pay({ ...refused, paymentExpiryTime: inFuture(30_000) })).body.result, problem).toMatchObject({ resultCode: 'SUCCESS' });
      }
    });
  });
});
