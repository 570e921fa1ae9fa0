/**
 * Sandbox triggers in the pay request itself (README "Sandbox triggers"),
 * through real HTTP on SQLite and PostgreSQL: Antom's risk-control amount
 * 11, the reserved amount endings, the `#amsgate:` markers in
 * `order.referenceOrderId` (decline, succeed-after, fail-after,
 * unknown-then-success), their pay answers, inquiry before and after the
 * sandbox clock moves, the notifications a real receiver gets, repeats,
 * strict parsing, precedence of an earlier completion, exactly-once
 * settling with two gateways on one database, and gateway mode ignoring
 * all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../src/gateway.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger } from './ledger.js';
import { cashierPay, DIALECTS, inStorePay, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';
import { Receiver } from './receiver.js';

const postgresOk = await postgresAvailable();

/** A cashier pay whose order id ends in `marker` (none: a plain id). */
function payWith(marker: string | undefined, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body = cashierPay(overrides);
  const order = body.order as Record<string, unknown>;
  // Short: referenceOrderId holds 64 characters, the marker included.
  if (marker !== undefined) order.referenceOrderId = `order-7${marker}`;
  return body;
}

/** An Order Code in-store pay whose referenceOrderId carries `marker`. */
function orderCodeWith(marker: string): Record<string, unknown> {
  const body = inStorePay({}, 'OrderCode', null);
  (body.order as Record<string, unknown>).referenceOrderId = `${uniqueId('order')}${marker}`;
  return body;
}

function withAmount(value: string, body: Record<string, unknown> = cashierPay()): Record<string, unknown> {
  return { ...body, paymentAmount: { currency: 'USD', value }, order: { ...(body.order as object), orderAmount: { currency: 'USD', value } } };
}

describe.each(DIALECTS)('sandbox triggers on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let receiver: Receiver;
    const clock = new SandboxClock();
    beforeAll(async () => {
      receiver = await new Receiver().start();
      t = await startTestGateway(dialect, { clock, notifyDispatch: false });
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
    });

    const pay = (body: Record<string, unknown>): Promise<CallResult> => t.call('payments/pay', { ...body, paymentNotifyUrl: `${receiver.url}/notify` });
    const inquire = async (body: Record<string, unknown>) => (await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId })).body;

    /** Moves the sandbox clock through the control API (which settles what is due and pokes the dispatcher). */
    async function advance(by: string): Promise<void> {
      const response = await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
      expect(response.status).toBe(200);
    }

    /** Delivers what is due, then gives the notification bodies the receiver got for the payment. */
    async function delivered(paymentId: string): Promise<Array<Record<string, unknown>>> {
      await t.gateway.notifications.dispatcher.runOnce();
      return receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>).filter((body) => body.paymentId === paymentId);
    }

    async function moneyOf(paymentId: string) {
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId);
    }

    it("amount 11 (Antom's risk-control test amount): F RISK_REJECT, a FAIL payment, notified; inquiry and repeats agree", async () => {
      const body = withAmount('11');
      const answer = await pay(body);
      expect(answer.signatureValid).toBe(true);
      expect(answer.body.result).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
      const paymentId = answer.body.paymentId as string;
      expect(answer.body).toMatchObject({ paymentRequestId: body.paymentRequestId, paymentAmount: { currency: 'USD', value: '11' } });
      expect(answer.body.normalUrl).toBeUndefined();
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'RISK_REJECT', paymentId });
      expect((await pay(body)).body).toEqual(answer.body);
      const [note, ...more] = await delivered(paymentId);
      expect(more).toEqual([]);
      expect(note).toMatchObject({
        notifyType: 'PAYMENT_RESULT', result: { resultCode: 'RISK_REJECT', resultStatus: 'F' }, paymentId, paymentRequestId: body.paymentRequestId,
        paymentAmount: { currency: 'USD', value: '11' },
      });
      expect(note!.paymentTime).toBeUndefined();
      expect(await moneyOf(paymentId)).toBeUndefined();
      // Only exactly 11: 110 and 211 are ordinary payments.
      for (const value of ['110', '211']) expect((await pay(withAmount(value))).body.result.resultCode, value).toBe('PAYMENT_IN_PROCESS');
    });

    it('amounts ending 9951 / 9952 / 9953 decline as they do for Auto Debit', async () => {
      const expected = { '19951': 'USER_BALANCE_NOT_ENOUGH', '9952': 'USER_AMOUNT_EXCEED_LIMIT', '209953': 'RISK_REJECT' } as const;
      for (const [value, resultCode] of Object.entries(expected)) {
        const answer = await pay(withAmount(value));
        expect(answer.body.result, value).toMatchObject({ resultCode, resultStatus: 'F', resultMessage: `Sandbox trigger: paymentAmount.value ending in ${value.slice(-4)}` });
        expect(await delivered(answer.body.paymentId as string)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode, resultStatus: 'F' }) })]);
      }
    });

    it('decline=CODE: F with the code at once, recorded and notified; the clock changes nothing', async () => {
      const body = payWith('#amsgate:decline=USER_BALANCE_NOT_ENOUGH');
      const answer = await pay(body);
      expect(answer.body.result).toMatchObject({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' });
      expect(answer.body.result.resultMessage).toContain('sandbox trigger #amsgate:decline=USER_BALANCE_NOT_ENOUGH');
      const paymentId = answer.body.paymentId as string;
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH', paymentId });
      await advance('20m');
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
      expect((await pay(body)).body).toEqual(answer.body);
      expect(await delivered(paymentId)).toEqual([
        expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' }) }),
      ]);
      expect((await t.call('payments/cancel', { paymentId })).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      expect(await moneyOf(paymentId)).toBeUndefined();
    });

    it('succeed-after=30s: U PAYMENT_IN_PROCESS, PROCESSING until the clock passes 30 s, then SUCCESS (journal PAY, notified once)', async () => {
      const body = payWith('#amsgate:succeed-after=30s');
      const answer = await pay(body);
      expect(answer.body.result).toEqual({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' });
      const paymentId = answer.body.paymentId as string;
      expect(answer.body.normalUrl).toBe(`${t.baseUrl}/checkout/${paymentId}`);
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'PROCESSING', paymentResultCode: 'PAYMENT_IN_PROCESS' });
      expect((await pay(body)).body).toEqual(answer.body);

      await advance('29s');
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'PROCESSING' });
      expect(await delivered(paymentId)).toEqual([]);

      await advance('1s');
      const settled = await inquire(body);
      expect(settled).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS', paymentId });
      expect(Date.parse(settled.paymentTime as string) - Date.parse(answer.body.paymentCreateTime as string)).toBeGreaterThanOrEqual(30_000);
      const notes = await delivered(paymentId);
      expect(notes).toEqual([expect.objectContaining({ notifyType: 'PAYMENT_RESULT', result: expect.objectContaining({ resultCode: 'SUCCESS', resultStatus: 'S' }), paymentTime: settled.paymentTime })]);
      const again = await pay(body);
      expect(again.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId, paymentTime: settled.paymentTime });
      await advance('20m');
      expect(await delivered(paymentId)).toHaveLength(1);
      expect(await moneyOf(paymentId)).toMatchObject({ paid: 1000n, merchant: 1000n });
    });

    it('fail-after=45s=CODE: U, then F with the code, settled lazily by an inquiry when the clock has moved', async () => {
      const body = payWith('#amsgate:fail-after=45s=USER_PAYMENT_VERIFICATION_FAILED');
      const answer = await pay(body);
      expect(answer.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
      const paymentId = answer.body.paymentId as string;
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'PROCESSING' });
      // The clock object itself, not the control API: nothing settles until something looks at the payment.
      clock.advance(45_000);
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED', paymentId });
      const failed = await pay(body);
      expect(failed.body.result).toMatchObject({ resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultStatus: 'F' });
      expect(failed.body.result.resultMessage).toContain('fail-after=45s');
      expect(await delivered(paymentId)).toEqual([
        expect.objectContaining({ result: expect.objectContaining({ resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultStatus: 'F' }), paymentId }),
      ]);
      expect(await moneyOf(paymentId)).toBeUndefined();
    });

    it('a refund or a capture sent once the delayed outcome is due settles the payment first, as an inquiry would', async () => {
      const refundBody = (paymentId: string) => ({ refundRequestId: uniqueId('refund'), paymentId, refundAmount: { currency: 'USD', value: '400' } });
      const paid = payWith('#amsgate:succeed-after=30s');
      const paidId = (await pay(paid)).body.paymentId as string;
      const authorised = payWith('#amsgate:succeed-after=30s', { paymentFactor: { captureMode: 'MANUAL' } });
      const authorisedId = (await pay(authorised)).body.paymentId as string;
      const captureBody = { captureRequestId: uniqueId('capture'), paymentId: authorisedId, captureAmount: { currency: 'USD', value: '1000' } };
      // Not due yet: still processing, so nothing to refund or capture.
      expect((await t.call('payments/refund', refundBody(paidId))).body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
      expect((await t.call('payments/capture', { ...captureBody, captureRequestId: uniqueId('capture') })).body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID' });

      // The clock object itself: nothing has looked at either payment since it came due.
      clock.advance(30_000);
      expect((await t.call('payments/refund', refundBody(paidId))).body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect((await t.call('payments/capture', captureBody)).body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      expect(await inquire(paid)).toMatchObject({ paymentStatus: 'SUCCESS' });
      expect(await inquire(authorised)).toMatchObject({ paymentStatus: 'SUCCESS' });
      for (const paymentId of [paidId, authorisedId]) {
        const results = (await delivered(paymentId)).filter((note) => note.notifyType === 'PAYMENT_RESULT');
        expect(results, paymentId).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) })]);
      }
      expect(await moneyOf(paidId)).toMatchObject({ paid: 1000n, refunded: 400n, merchant: 600n });
      expect(await moneyOf(authorisedId)).toMatchObject({ authorised: 1000n, captured: 1000n, merchant: 1000n });
    });

    it('unknown-then-success: U UNKNOWN_EXCEPTION although the payment was created and succeeded; inquiry and a retry say SUCCESS', async () => {
      const body = payWith('#amsgate:unknown-then-success');
      const answer = await pay(body);
      expect(answer.signatureValid).toBe(true);
      expect(answer.body.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
      expect(answer.body.result.resultMessage).toContain('same paymentRequestId');
      expect(Object.keys(answer.body)).toEqual(['result']);

      const inquiry = await inquire(body);
      expect(inquiry).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'SUCCESS', paymentRequestId: body.paymentRequestId });
      const paymentId = inquiry.paymentId as string;
      // The merchant's retry with the same request: the recorded payment, never the lost answer again.
      const retry = await pay(body);
      expect(retry.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId, paymentTime: inquiry.paymentTime });
      expect(await delivered(paymentId)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'SUCCESS' }), paymentId })]);
      await advance('20m');
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'SUCCESS' });
      expect(await delivered(paymentId)).toHaveLength(1);
      expect(await moneyOf(paymentId)).toMatchObject({ paid: 1000n });
    });

    it('unknown-then-success=1m: U UNKNOWN_EXCEPTION, PROCESSING (a retry answers PAYMENT_IN_PROCESS), SUCCESS after a minute', async () => {
      const body = payWith('#amsgate:unknown-then-success=1m');
      expect((await pay(body)).body.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
      const pending = await inquire(body);
      expect(pending).toMatchObject({ paymentStatus: 'PROCESSING' });
      const paymentId = pending.paymentId as string;
      expect((await pay(body)).body).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' }, paymentId });
      expect(await delivered(paymentId)).toEqual([]);
      await advance('1m');
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'SUCCESS' });
      expect(await delivered(paymentId)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) })]);
    });

    it('a repeat never re-triggers: another marker or none with the same paymentRequestId answers the recorded payment', async () => {
      const body = payWith('#amsgate:succeed-after=10s');
      const paymentId = (await pay(body)).body.paymentId as string;
      const switched = payWith('#amsgate:decline=RISK_REJECT', { paymentRequestId: body.paymentRequestId });
      expect((await pay(switched)).body).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' }, paymentId });
      const lost = payWith('#amsgate:unknown-then-success', { paymentRequestId: body.paymentRequestId });
      expect((await pay(lost)).body).toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' }, paymentId });
      await advance('10s');
      expect((await pay(payWith(undefined, { paymentRequestId: body.paymentRequestId }))).body).toMatchObject({ result: { resultCode: 'SUCCESS' }, paymentId });
      expect(await delivered(paymentId)).toHaveLength(1);
    });

    it('a completion before the delay wins: the scheduled outcome is not applied over it', async () => {
      const failing = payWith('#amsgate:fail-after=1m=USER_BALANCE_NOT_ENOUGH');
      const paidFirst = (await pay(failing)).body.paymentId as string;
      expect((await t.complete(paidFirst, { outcome: 'success' })).status).toBe(200);
      const succeeding = payWith('#amsgate:succeed-after=1m');
      const declinedFirst = (await pay(succeeding)).body.paymentId as string;
      expect((await t.complete(declinedFirst, { outcome: 'fail', resultCode: 'USER_KYC_NOT_QUALIFIED' })).status).toBe(200);
      const cancelling = payWith('#amsgate:succeed-after=1m');
      const cancelledFirst = (await pay(cancelling)).body.paymentId as string;
      expect((await t.call('payments/cancel', { paymentId: cancelledFirst })).body.result.resultCode).toBe('SUCCESS');

      await advance('2m');
      expect(await inquire(failing)).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      expect(await inquire(succeeding)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_KYC_NOT_QUALIFIED' });
      expect(await inquire(cancelling)).toMatchObject({ paymentStatus: 'CANCELLED' });
      expect(await delivered(paidFirst)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'SUCCESS' }) })]);
      expect(await delivered(declinedFirst)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'USER_KYC_NOT_QUALIFIED' }) })]);
      expect(await delivered(cancelledFirst)).toEqual([]);
      expect(await moneyOf(paidFirst)).toMatchObject({ paid: 1000n, merchant: 1000n });

      // And the other way round: once the outcome is due, a completion finds the payment settled.
      const late = (await pay(payWith('#amsgate:succeed-after=5s'))).body.paymentId as string;
      clock.advance(5_000);
      expect((await t.complete(late, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' })).status).toBe(409);
      expect((await t.call('payments/inquiryPayment', { paymentId: late })).body).toMatchObject({ paymentStatus: 'SUCCESS' });
      expect(await moneyOf(late)).toMatchObject({ paid: 1000n });
    });

    it('a due outcome is applied exactly once with two gateways sweeping one database', async () => {
      const second = await Gateway.open({
        dataDir: t.gateway.config.dataDir,
        databaseUrl: t.gateway.config.databaseUrl,
        databaseSchema: t.gateway.config.databaseSchema,
        clock,
        logger: false,
        notifyDispatch: false,
      });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) ids.push((await pay(payWith(i % 2 === 0 ? '#amsgate:succeed-after=5s' : '#amsgate:fail-after=5s=USER_BALANCE_NOT_ENOUGH'))).body.paymentId as string);
        clock.advance(5_000);
        // Four sweeps at once, two per gateway; each payment must settle in exactly one of them.
        await Promise.all([t.gateway.payments, second.payments, t.gateway.payments, second.payments].map((payments) => payments.closeExpired()));
        const rows = await t.gateway.database.db.selectFrom('payments').select(['payment_id', 'status']).where('payment_id', 'in', ids).execute();
        expect(new Map(rows.map((r) => [r.payment_id, r.status]))).toEqual(new Map(ids.map((id, i) => [id, i % 2 === 0 ? 'SUCCESS' : 'FAIL'])));
        for (const [i, paymentId] of ids.entries()) {
          const rows = await t.gateway.notifications.list({ resourceId: paymentId });
          expect(rows, paymentId).toHaveLength(1);
          expect((await moneyOf(paymentId))?.paid ?? 0n).toBe(i % 2 === 0 ? 1000n : 0n);
        }
      } finally {
        await second.close();
      }
    });

    it('createPaymentSession creates its payment through pay: the triggers apply there too', async () => {
      const body = payWith('#amsgate:succeed-after=10s');
      delete body.paymentMethod;
      const session = await t.call('payments/createPaymentSession', { ...body, paymentNotifyUrl: `${receiver.url}/notify` });
      expect(session.body.result).toMatchObject({ resultCode: 'SUCCESS' });
      await advance('10s');
      expect(await inquire(body)).toMatchObject({ paymentStatus: 'SUCCESS' });
    });

    it('malformed markers are PARAM_ILLEGAL naming order.referenceOrderId, and nothing is recorded', async () => {
      const cases: Array<[string, string]> = [
        ['#amsgate:explode', '"explode" in "#amsgate:explode" is not a sandbox trigger'],
        ['#AMSGATE:decline=USER_BALANCE_NOT_ENOUGH', 'write #amsgate:<trigger> in lower case at the end; triggers: decline=CODE, succeed-after=DURATION'],
        ['#amsgate decline=USER_BALANCE_NOT_ENOUGH', 'is not a sandbox marker'],
        ['#amsgate:decline', 'write #amsgate:decline=CODE'],
        ['#amsgate:decline=', 'CODE "" in "#amsgate:decline=" is not a code a payment can fail with'],
        ['#amsgate:decline=NOT_A_CODE', 'not a code a payment can fail with'],
        ['#amsgate:decline=PAYMENT_IN_PROCESS', 'not a code a payment can fail with'],
        ['#amsgate:decline=user_balance_not_enough', 'not a code a payment can fail with'],
        // An F code, but not one a payment fails with: pay could not answer it to a repeat.
        ['#amsgate:decline=REFUND_AMOUNT_EXCEED', 'not a code a payment can fail with'],
        ['#amsgate:succeed-after=30', 'DURATION "30" in "#amsgate:succeed-after=30" is not a delay'],
        ['#amsgate:succeed-after=soon', 'is not a delay'],
        ['#amsgate:succeed-after=0s', 'is not a delay'],
        ['#amsgate:succeed-after', 'write #amsgate:succeed-after=DURATION'],
        ['#amsgate:succeed-after=20m', 'would settle after the payment expires'],
        ['#amsgate:fail-after=30s', 'write #amsgate:fail-after=DURATION=CODE'],
        ['#amsgate:fail-after=30s=SUCCESS', 'not a code a payment can fail with'],
        ['#amsgate:fail-after=USER_BALANCE_NOT_ENOUGH=30s', 'is not a delay'],
        ['#amsgate:unknown-then-success=1s=x', 'write #amsgate:unknown-then-success[=DURATION]'],
        ['#amsgate:Decline=RISK_REJECT', 'is not a sandbox trigger'],
        ['#amsgate:decline=RISK_REJECT#amsgate:succeed-after=1s', 'more than one sandbox marker'],
      ];
      for (const [marker, problem] of cases) {
        const body = payWith(marker);
        const answer = await pay(body);
        expect(answer.body.result, marker).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        expect(answer.body.result.resultMessage, marker).toMatch(/^order\.referenceOrderId: /);
        expect(answer.body.result.resultMessage, marker).toContain(problem);
        expect((await inquire(body)).result, marker).toMatchObject({ resultCode: 'ORDER_NOT_EXIST' });
      }
      // A later paymentExpiryTime makes room for a longer delay.
      const longer = payWith('#amsgate:succeed-after=20m', { paymentExpiryTime: new Date(clock.now() + 30 * 60_000).toISOString() });
      expect((await pay(longer)).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      // A marker on a reserved amount: two triggers, refused.
      const both = await pay(withAmount('11', payWith('#amsgate:succeed-after=1s')));
      expect(both.body.result.resultMessage).toMatch(/^order\.referenceOrderId: .*paymentAmount\.value 11 is itself a sandbox trigger/);
    });

    it('other products refuse a marker instead of ignoring it; Auto Debit shares the reserved amounts', async () => {
      const agreement = {
        productCode: 'AGREEMENT_PAYMENT',
        paymentRequestId: uniqueId('adpay'),
        paymentAmount: { currency: 'USD', value: '1000' },
        order: { referenceOrderId: `${uniqueId('order')}#amsgate:decline=RISK_REJECT`, orderDescription: 'Subscription', orderAmount: { currency: 'USD', value: '1000' } },
        paymentMethod: { paymentMethodType: 'GCASH', paymentMethodId: 'not-a-token' },
      };
      const refused = await pay(agreement);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(refused.body.result.resultMessage).toMatch(/^order\.referenceOrderId: sandbox markers .* CASHIER_PAYMENT only, not on AGREEMENT_PAYMENT/);
      const inStore = orderCodeWith('#amsgate:succeed-after=5s');
      expect((await pay(inStore)).body.result.resultMessage).toMatch(/^order\.referenceOrderId: .*not on IN_STORE_PAYMENT/);

      // Auto Debit with amount 11, through a real agreement.
      const consulted = await t.call('authorizations/consult', {
        customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('state'), terminalType: 'WEB',
      });
      const consultId = (consulted.body.authUrl as string).split('/').pop() as string;
      const agreed = (await (await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/agree`, { method: 'POST', body: '{}' })).json()) as { authCode: string };
      const token = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: agreed.authCode });
      const risky = withAmount('11', {
        ...agreement, paymentRequestId: uniqueId('adpay'), order: { ...agreement.order, referenceOrderId: uniqueId('order') },
        paymentMethod: { paymentMethodType: 'GCASH', paymentMethodId: token.body.accessToken },
      });
      const answer = await pay(risky);
      expect(answer.body.result).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
      expect(await inquire(risky)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'RISK_REJECT' });
      expect(await delivered(answer.body.paymentId as string)).toEqual([expect.objectContaining({ result: expect.objectContaining({ resultCode: 'RISK_REJECT' }) })]);
    });
  });

  describe.skipIf(dialect === 'postgres' && !postgresOk)('gateway mode', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { mode: 'gateway', notifyDispatch: false });
    });
    afterAll(async () => t?.close());

    it('ignores markers and reserved amounts: referenceOrderId is opaque, every pay is an ordinary pending payment', async () => {
      const bodies = [
        payWith('#amsgate:decline=USER_BALANCE_NOT_ENOUGH'),
        payWith('#amsgate:unknown-then-success'),
        payWith('#amsgate:succeed-after=1s'),
        payWith('#amsgate:explode'),
        payWith('#AMSGATE'),
        withAmount('11'),
        withAmount('19951'),
      ];
      for (const body of bodies) {
        const answer = await t.call('payments/pay', body);
        const label = JSON.stringify(body.order);
        expect(answer.body.result, label).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
        const paymentId = answer.body.paymentId as string;
        const row = await t.gateway.database.db.selectFrom('payments').select(['reference_order_id', 'expires_at', 'created_at']).where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
        expect(row.reference_order_id, label).toBe((body.order as { referenceOrderId: string }).referenceOrderId);
        expect(Number(row.expires_at) - Number(row.created_at), label).toBe(14 * 60_000);
        expect(await t.gateway.database.db.selectFrom('scheduled_outcomes').select('payment_id').where('payment_id', '=', paymentId).execute(), label).toEqual([]);
      }
      // Other products too: the marker is just part of the order id.
      const inStore = await t.call('payments/pay', orderCodeWith('#amsgate:decline=RISK_REJECT'));
      expect(inStore.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    });
  });
});
