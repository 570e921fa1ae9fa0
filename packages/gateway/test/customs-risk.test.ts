/**
 * Customs declarations and risk control end to end through signed HTTP on
 * SQLite and PostgreSQL: partial, split, repeated and corrected
 * declarations of a paid payment and inquiryPayment's
 * customsDeclarationAmount; every refusal (unknown, another client's, a
 * pending or failed payment, over what was paid, a correction too soon or
 * of a fixed field, malformed fields); the simulated customs receipt on the
 * sandbox clock; concurrent declarations never over the payment. Risk: the
 * sandbox's decision rules (reserved amounts, markers, strict refusals),
 * reports and results stored, and shown on /dashboard/risk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { DashboardSession, decodeHtml } from './dashboard-session.js';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type TestGateway, gatewayWithOtherClient } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('customs and risk on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));
    const asOther = fixture.asOther;

    async function advance(by: string): Promise<void> {
      const response = await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
      expect(response.status).toBe(200);
    }

    /** A successful ALIPAY_CN payment of USD `value`: what the buyer paid (CNY) comes back as `paid`. */
    async function paid(value = '1000'): Promise<{ paymentId: string; paymentRequestId: string; paid: { currency: string; value: string } }> {
      const body = cashierPay({ paymentAmount: { currency: 'USD', value }, order: { referenceOrderId: uniqueId('order'), orderDescription: 'cross-border', orderAmount: { currency: 'USD', value } } });
      const answer = await t.call('payments/pay', body);
      const paymentId = answer.body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body.paymentStatus).toBe('SUCCESS');
      return { paymentId, paymentRequestId: body.paymentRequestId as string, paid: inquiry.body.actualPaymentAmount as { currency: string; value: string } };
    }

    const declaration = (paymentId: string, value: string, overrides: Record<string, unknown> = {}) => ({
      declarationRequestId: uniqueId('dcl').slice(0, 32),
      paymentId,
      declarationAmount: { currency: 'CNY', value },
      customs: { customsCode: 'zongshu', region: 'CN' },
      merchantCustomsInfo: { merchantCustomsCode: 'MC-001', merchantCustomsName: 'Demo Trading Co' },
      splitOrder: false,
      ...overrides,
    });

    const declared = async (paymentId: string) => (await t.call('payments/inquiryPayment', { paymentId })).body.customsDeclarationAmount;
    const records = async (ids: string[], options = {}) => (await t.call('customs/inquiryDeclarationRequests', { declarationRequestIds: ids }, options)).body;

    describe('customs', () => {
      it('declares part of a paid payment, then the rest as a split order; inquiryPayment carries the total', async () => {
        const payment = await paid();
        expect(payment.paid).toEqual({ currency: 'CNY', value: '7200' });
        expect(await declared(payment.paymentId)).toBeUndefined();

        const first = declaration(payment.paymentId, '3000');
        const answer = await t.call('customs/declare', first);
        expect(answer.signatureValid).toBe(true);
        expect(answer.body).toEqual({
          result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
          customsPaymentId: payment.paymentId,
          customsOrderId: payment.paymentRequestId,
          clearingChannel: 'NUCC',
          clearingTransactionId: expect.stringMatching(/^DCL/) as unknown as string,
          customsProviderRegistrationId: '31222699S7',
        });
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '3000' });

        // The same request again: the recorded answer, nothing added.
        expect((await t.call('customs/declare', first)).body).toEqual(answer.body);
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '3000' });

        const split = declaration(payment.paymentId, '4200', { splitOrder: true, subOrderId: 'SUB-2' });
        const second = await t.call('customs/declare', split);
        expect(second.body.result.resultCode).toBe('SUCCESS');
        expect(second.body.customsOrderId).toBe('SUB-2');
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '7200' });

        // Nothing left: one minor unit more is refused, with nothing recorded (its id stays free).
        const over = declaration(payment.paymentId, '1', { splitOrder: true, subOrderId: 'SUB-3' });
        const refused = await t.call('customs/declare', over);
        expect(refused.body.result).toMatchObject({ resultCode: 'TOTAL_DECLARATION_AMOUNT_EXCEED', resultStatus: 'F' });
        expect(refused.body.result.resultMessage).toContain('at most 0');
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '7200' });
        expect((await records([over.declarationRequestId])).declarationRequestsNotFound).toEqual([over.declarationRequestId]);
      });

      it('takes the sub-order in the Python SDK\'s spelling (suborderId) and a missing splitOrder as false, as the Go and Python SDKs send them', async () => {
        const payment = await paid();
        // Go's `SplitOrder bool` is omitempty and Python sends splitOrder only when true: a whole-payment declaration arrives without it.
        const { splitOrder: _omitted, ...unsplit } = declaration(payment.paymentId, '1000');
        const whole = await t.call('customs/declare', unsplit);
        expect(whole.body.result.resultCode).toBe('SUCCESS');
        expect(whole.body.customsOrderId).toBe(payment.paymentRequestId);
        const [record] = (await records([unsplit.declarationRequestId])).declarationRecords as Array<Record<string, unknown>>;
        expect(record?.splitOrder).toBe(false);

        const python = declaration(payment.paymentId, '1000', { splitOrder: true, suborderId: 'SUB-PY' });
        const split = await t.call('customs/declare', python);
        expect(split.body.result.resultCode).toBe('SUCCESS');
        expect(split.body.customsOrderId).toBe('SUB-PY');

        // Both spellings with different values: refused, nothing recorded.
        const both = declaration(payment.paymentId, '1000', { splitOrder: true, subOrderId: 'SUB-A', suborderId: 'SUB-B' });
        const refused = await t.call('customs/declare', both);
        expect(refused.body.result.resultCode).toBe('PARAM_ILLEGAL');
        expect(refused.body.result.resultMessage).toMatch(/^suborderId: differs from subOrderId/);
        expect((await records([both.declarationRequestId])).declarationRequestsNotFound).toEqual([both.declarationRequestId]);
        // The same value in both spellings is one field.
        const agreeing = await t.call('customs/declare', declaration(payment.paymentId, '1000', { splitOrder: true, subOrderId: 'SUB-C', suborderId: 'SUB-C' }));
        expect(agreeing.body.customsOrderId).toBe('SUB-C');
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '3000' });
      });

      it('a correction of the same declarationRequestId is refused for 5 minutes, then replaces the declaration', async () => {
        const payment = await paid();
        const request = declaration(payment.paymentId, '2000');
        const first = await t.call('customs/declare', request);
        expect(first.body.result.resultCode).toBe('SUCCESS');

        const corrected = { ...request, declarationAmount: { currency: 'CNY', value: '2500' }, merchantCustomsInfo: { merchantCustomsCode: 'MC-002', merchantCustomsName: 'Demo Trading Co' } };
        const early = await t.call('customs/declare', corrected);
        expect(early.body.result.resultCode).toBe('CONTEXT_INCONSISTENT');
        expect(early.body.result.resultMessage).toContain('declarationAmount.value, merchantCustomsInfo.merchantCustomsCode');
        expect(early.body.result.resultMessage).toContain('5 minutes');

        await advance('5m');
        const later = await t.call('customs/declare', corrected);
        expect(later.body).toEqual(first.body);
        // Replaced, not added.
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '2500' });
        const [record] = (await records([request.declarationRequestId])).declarationRecords as Array<Record<string, unknown>>;
        expect(record).toMatchObject({ declarationAmount: { currency: 'CNY', value: '2500' }, merchantCustomsInfo: { merchantCustomsCode: 'MC-002' }, customs: { customsCode: 'ZONGSHU', region: 'CN' } });

        // A correction over what was paid (with the others) is refused; a field no correction may change is inconsistent at any time.
        await advance('5m');
        const tooMuch = await t.call('customs/declare', { ...corrected, declarationAmount: { currency: 'CNY', value: '7201' } });
        expect(tooMuch.body.result.resultCode).toBe('TOTAL_DECLARATION_AMOUNT_EXCEED');
        const otherPayment = await paid();
        const moved = await t.call('customs/declare', { ...corrected, paymentId: otherPayment.paymentId });
        expect(moved.body.result.resultCode).toBe('CONTEXT_INCONSISTENT');
        expect(moved.body.result.resultMessage).toContain('paymentId');
        const unsplit = await t.call('customs/declare', { ...corrected, splitOrder: true, subOrderId: 'S' });
        expect(unsplit.body.result).toMatchObject({ resultCode: 'CONTEXT_INCONSISTENT' });
        expect(unsplit.body.result.resultMessage).toContain('splitOrder');
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '2500' });
      });

      it('reports each declaration PROCESSING until customs\' receipt a minute later, and the ids it does not know', async () => {
        const payment = await paid();
        const request = declaration(payment.paymentId, '100');
        expect((await t.call('customs/declare', request)).body.result.resultCode).toBe('SUCCESS');
        const before = await records([request.declarationRequestId, 'unknown-id']);
        expect(before.result.resultCode).toBe('SUCCESS');
        expect(before.declarationRequestsNotFound).toEqual(['unknown-id']);
        expect(before.declarationRecords).toEqual([{
          declarationRequestId: request.declarationRequestId,
          customsPaymentId: payment.paymentId,
          customsOrderId: payment.paymentRequestId,
          customs: { customsCode: 'ZONGSHU', region: 'CN' },
          merchantCustomsInfo: request.merchantCustomsInfo,
          declarationAmount: { currency: 'CNY', value: '100' },
          splitOrder: false,
          declarationRequestStatus: 'PROCESSING',
          lastModifiedTime: expect.any(String) as unknown as string,
        }]);
        await advance('1m');
        const [after] = (await records([request.declarationRequestId])).declarationRecords as Array<Record<string, unknown>>;
        expect(after).toMatchObject({ declarationRequestStatus: 'SUCCESS', customsDeclarationResultCode: 'SUCCESS' });
        expect(after?.customsDeclarationReturnTime).toBe(after?.lastModifiedTime);

        const tooMany = await t.call('customs/inquiryDeclarationRequests', { declarationRequestIds: Array.from({ length: 11 }, (_, i) => `id-${i}`) });
        expect(tooMany.body.result.resultCode).toBe('PARAM_ILLEGAL');
        expect(tooMany.body.result.resultMessage).toMatch(/^declarationRequestIds/);
      });

      it('refuses unknown, another client\'s, pending and failed payments, and malformed declarations, recording nothing', async () => {
        const payment = await paid();
        const unknown = await t.call('customs/declare', declaration('PAY-DOES-NOT-EXIST', '100'));
        expect(unknown.body.result.resultCode).toBe('ORDER_NOT_EXIST');

        const theirs = declaration(payment.paymentId, '100');
        expect((await t.call('customs/declare', theirs, asOther())).body.result.resultCode).toBe('ORDER_NOT_EXIST');
        // Mine is not theirs to see either.
        const mine = declaration(payment.paymentId, '100');
        expect((await t.call('customs/declare', mine)).body.result.resultCode).toBe('SUCCESS');
        expect((await records([mine.declarationRequestId], asOther())).declarationRequestsNotFound).toEqual([mine.declarationRequestId]);
        expect((await t.call('payments/inquiryPayment', { paymentId: payment.paymentId }, asOther())).body.result.resultCode).toBe('ORDER_NOT_EXIST');

        const pending = await t.call('payments/pay', cashierPay());
        const notPaid = await t.call('customs/declare', declaration(pending.body.paymentId as string, '100'));
        expect(notPaid.body.result).toMatchObject({ resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F' });
        expect(notPaid.body.result.resultMessage).toContain('still being processed');

        const failed = await t.call('payments/pay', cashierPay({ order: { referenceOrderId: `${uniqueId('o')}#amsgate:decline=USER_BALANCE_NOT_ENOUGH`, orderDescription: 'x', orderAmount: { currency: 'USD', value: '1000' } } }));
        expect(failed.body.result.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
        const onFailed = await t.call('customs/declare', declaration(failed.body.paymentId as string, '100'));
        expect(onFailed.body.result.resultCode).toBe('ORDER_STATUS_INVALID');
        expect(onFailed.body.result.resultMessage).toContain('has failed (USER_BALANCE_NOT_ENOUGH)');

        const usd = await t.call('customs/declare', declaration(payment.paymentId, '100', { declarationAmount: { currency: 'USD', value: '100' } }));
        expect(usd.body.result.resultCode).toBe('PARAM_ILLEGAL');
        expect(usd.body.result.resultMessage).toMatch(/^declarationAmount\.currency: must be CNY/);
        const zero = await t.call('customs/declare', declaration(payment.paymentId, '0'));
        expect(zero.body.result.resultMessage).toMatch(/^declarationAmount\.value/);
        const noSubOrder = await t.call('customs/declare', declaration(payment.paymentId, '100', { splitOrder: true }));
        expect(noSubOrder.body.result.resultMessage).toMatch(/^subOrderId: is required when splitOrder is true/);
        const noCustoms = await t.call('customs/declare', { ...declaration(payment.paymentId, '100'), customs: undefined });
        expect(noCustoms.body.result.resultMessage).toMatch(/^customs/);
        const longId = await t.call('customs/declare', declaration(payment.paymentId, '100', { declarationRequestId: 'x'.repeat(33) }));
        expect(longId.body.result.resultMessage).toMatch(/^declarationRequestId/);
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '100' });
      });

      it('checks the buyer certificate without keeping its number', async () => {
        const payment = await paid();
        const request = declaration(payment.paymentId, '100', { buyerCertificate: { certificateType: 'ID_CARD', certificateNo: '110101199003076617', holderName: { firstName: 'San', lastName: 'Zhang', fullName: 'Zhang San' } } });
        const answer = await t.call('customs/declare', request);
        expect(answer.body.identityCheckResult).toBe('CHECK_PASSED');
        const tables = ['customs_declarations', 'idempotency_keys'] as const;
        for (const table of tables) {
          const rows = await t.gateway.database.db.selectFrom(table).selectAll().execute();
          expect(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).not.toContain('110101199003076617');
        }
        // Nor does the sandbox request log (the dashboard's Requests page) show it.
        const list = (await (await fetch(`${t.baseUrl}/sandbox/requests?limit=1`)).json()) as { requests: { id: string }[] };
        const detail = await (await fetch(`${t.baseUrl}/sandbox/requests/${list.requests[0]!.id}`)).text();
        expect(detail).toContain('certificateNo');
        expect(detail).not.toContain('110101199003076617');
      });

      it('concurrent declarations of one payment never exceed what was paid', async () => {
        const payment = await paid();
        const answers = await Promise.all(Array.from({ length: 6 }, () => t.call('customs/declare', declaration(payment.paymentId, '2000', { splitOrder: true, subOrderId: uniqueId('s') }))));
        const codes = answers.map((a) => a.body.result.resultCode).sort();
        expect(codes.filter((c) => c === 'SUCCESS')).toHaveLength(3);
        expect(codes.filter((c) => c === 'TOTAL_DECLARATION_AMOUNT_EXCEED')).toHaveLength(3);
        expect(await declared(payment.paymentId)).toEqual({ currency: 'CNY', value: '6000' });
      });
    });

    describe('risk', () => {
      const decide = (overrides: Record<string, unknown> = {}, orderOverrides: Record<string, unknown> = {}) => ({
        referenceTransactionId: uniqueId('txn'),
        authorizationPhase: 'PRE_AUTHORIZATION',
        orders: [{ referenceOrderId: uniqueId('order'), orderAmount: { currency: 'USD', value: '1000' }, orderDescription: 'shoes', ...orderOverrides }],
        actualPaymentAmount: { currency: 'USD', value: '1000' },
        buyer: { referenceBuyerId: 'buyer-1' },
        ...overrides,
      });

      it('decides by the sandbox rules: reserved amounts and order-id markers', async () => {
        const accept = await t.call('risk/payments/decide', decide());
        expect(accept.signatureValid).toBe(true);
        expect(accept.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, securityId: expect.stringMatching(/^RSK/) as unknown as string, decision: 'ACCEPT', authenticationDecision: 'NON_THREEDS' });

        const cases: Array<[Record<string, unknown>, Record<string, unknown>, string, string | undefined]> = [
          [{ actualPaymentAmount: { currency: 'USD', value: '11' } }, {}, 'REJECT', undefined],
          [{ actualPaymentAmount: { currency: 'USD', value: '129953' } }, {}, 'REJECT', undefined],
          [{ actualPaymentAmount: { currency: 'USD', value: '129954' } }, {}, 'ACCEPT', 'THREEDS'],
          // Without actualPaymentAmount the first order's amount decides.
          [{ actualPaymentAmount: undefined }, { orderAmount: { currency: 'USD', value: '11' } }, 'REJECT', undefined],
          [{}, { referenceOrderId: 'order-9#amsgate:reject' }, 'REJECT', undefined],
          [{}, { referenceOrderId: 'order-9#amsgate:challenge' }, 'ACCEPT', 'THREEDS'],
        ];
        for (const [overrides, order, decision, authentication] of cases) {
          const answer = await t.call('risk/payments/decide', decide(overrides, order));
          expect(answer.body.result.resultCode).toBe('SUCCESS');
          expect([answer.body.decision, answer.body.authenticationDecision]).toEqual([decision, authentication]);
        }
      });

      it('refuses a malformed marker, or one on a reserved amount, storing nothing', async () => {
        const before = (await t.gateway.risk.recent(1000)).decisions.length;
        const bad = await t.call('risk/payments/decide', decide({}, { referenceOrderId: 'order#amsgate:deny' }));
        expect(bad.body.result.resultCode).toBe('PARAM_ILLEGAL');
        expect(bad.body.result.resultMessage).toMatch(/^orders\[0\]\.referenceOrderId: /);
        const upper = await t.call('risk/payments/decide', decide({}, { referenceOrderId: 'order#AMSGATE:reject' }));
        expect(upper.body.result.resultMessage).toMatch(/^orders\[0\]\.referenceOrderId/);
        const both = await t.call('risk/payments/decide', decide({ actualPaymentAmount: { currency: 'USD', value: '11' } }, { referenceOrderId: 'o#amsgate:challenge' }));
        expect(both.body.result.resultMessage).toContain('cannot be combined with a reserved amount');
        const noOrders = await t.call('risk/payments/decide', decide({ orders: [] }));
        expect(noOrders.body.result.resultMessage).toMatch(/^orders/);
        const phase = await t.call('risk/payments/decide', decide({ authorizationPhase: 'LATER' }));
        expect(phase.body.result.resultMessage).toMatch(/^authorizationPhase/);
        expect((await t.gateway.risk.recent(1000)).decisions.length).toBe(before);
      });

      it('stores reports and payment and refund results, and shows them on /dashboard/risk', async () => {
        const request = decide({ actualPaymentAmount: { currency: 'USD', value: '11' } });
        const decided = await t.call('risk/payments/decide', request);
        const txn = request.referenceTransactionId;
        const report = await t.call('risk/payments/reportRisk', { referenceTransactionId: txn, riskType: 'FRAUD', reportReason: 'card reported <stolen>', riskOccurrenceTime: '2030-01-01T10:00:00+08:00' });
        expect(report.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, securityId: expect.stringMatching(/^RSK/) as unknown as string });
        expect((await t.call('risk/payments/reportRisk', { referenceTransactionId: txn, riskType: 'MAYBE' })).body.result.resultMessage).toMatch(/^riskType/);

        expect((await t.call('risk/payments/sendPaymentResult', { referenceTransactionId: txn, paymentStatus: 'FAIL', authorizationError: { errorCode: 'DO_NOT_HONOR', errorMessage: 'issuer declined' } })).body.result.resultCode).toBe('SUCCESS');
        // A later result for the transaction replaces the first.
        expect((await t.call('risk/payments/sendPaymentResult', { referenceTransactionId: txn, paymentStatus: 'success', paymentMethodProvider: 'VISA' })).body.result.resultCode).toBe('SUCCESS');
        expect((await t.call('risk/payments/sendRefundResult', { referenceTransactionId: txn, referenceRefundId: 'RF-1', actualRefundAmount: { currency: 'USD', value: '500' }, refundRecords: [{ referenceOrderId: 'o', amount: { currency: 'USD', value: '500' } }] })).body.result.resultCode).toBe('SUCCESS');
        expect((await t.call('risk/payments/sendRefundResult', { referenceTransactionId: txn, referenceRefundId: 'RF-1' })).body.result.resultMessage).toMatch(/^actualRefundAmount/);
        // Another client's activity is its own.
        expect((await t.call('risk/payments/reportRisk', { referenceTransactionId: 'theirs-1', riskType: 'SUSPICIOUS' }, asOther())).body.result.resultCode).toBe('SUCCESS');

        const mine = await t.gateway.risk.recent(1000, t.client.client.clientId);
        expect(mine.reports.map((r) => r.referenceTransactionId)).not.toContain('theirs-1');
        expect(mine.paymentResults.filter((p) => p.referenceTransactionId === txn)).toEqual([expect.objectContaining({ paymentStatus: 'SUCCESS', paymentMethodProvider: 'VISA', errorCode: null })]);
        expect(mine.refundResults.filter((r) => r.referenceTransactionId === txn)).toEqual([expect.objectContaining({ referenceRefundId: 'RF-1', currency: 'USD', amount: 500n, recordCount: 1 })]);
        expect(mine.decisions.find((d) => d.securityId === decided.body.securityId)).toMatchObject({ decision: 'REJECT', rule: 'actualPaymentAmount.value 11', amount: 11n });

        const session = new DashboardSession(t.baseUrl);
        const page = await session.get('/dashboard/risk');
        expect(page.status).toBe(200);
        const text = decodeHtml(page.html);
        expect(page.html).toContain('id="risk-decisions"');
        expect(text).toContain(decided.body.securityId as string);
        expect(text).toContain('actualPaymentAmount.value 11');
        expect(text).toContain('card reported <stolen>');
        expect(page.html).not.toContain('card reported <stolen>');
        expect(text).toContain('RF-1');
        expect(text).toContain('theirs-1');
        const filtered = decodeHtml((await session.get(`/dashboard/risk?clientId=${t.client.client.clientId}`)).html);
        expect(filtered).toContain(txn);
        expect(filtered).not.toContain('theirs-1');
      });
    });
  });
});

describe('risk in gateway mode', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { mode: 'gateway', notifyDispatch: false });
  });
  afterAll(async () => t?.close());

  it('loads no sandbox rule: reserved amounts and markers are opaque, every transaction is accepted', async () => {
    const answer = await t.call('risk/payments/decide', {
      referenceTransactionId: uniqueId('txn'), authorizationPhase: 'POST_AUTHORIZATION',
      orders: [{ referenceOrderId: 'order#amsgate:reject', orderAmount: { currency: 'USD', value: '11' } }], actualPaymentAmount: { currency: 'USD', value: '11' },
    });
    expect([answer.body.result.resultCode, answer.body.decision, answer.body.authenticationDecision]).toEqual(['SUCCESS', 'ACCEPT', 'NON_THREEDS']);
    expect((await t.gateway.risk.recent(10)).decisions[0]).toMatchObject({ rule: 'default', authorizationPhase: 'POST_AUTHORIZATION' });
  });
});
