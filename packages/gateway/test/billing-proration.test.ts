/**
 * Billing subscription prorations through signed HTTP on SQLite and
 * PostgreSQL, on a sandbox clock that only moves when told (so the unused
 * share of a period is exact): an upgrade mid-period makes an OPEN proration
 * invoice, a downgrade a credit note on the period's paid invoice, an
 * immediate cancel with proration credits the unused rest (POST_PAYMENT when
 * paid, PRE_PAYMENT when still due) once however often it is repeated;
 * prorationBehavior NONE changes nothing today's behaviour does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointPath, EndpointResponse } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const DAY = 86_400_000;
const HOUR = 3_600_000;

describe.each(DIALECTS)('billing prorations on %s', (dialect) => {
  if (dialect === 'postgres' && !postgresOk) console.warn('PostgreSQL is not reachable: billing proration tests on postgres are SKIPPED');
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const frozen = Date.now();
    const clock = new SandboxClock({ now: () => frozen });
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    async function ok<P extends EndpointPath>(path: P, body: Record<string, unknown>): Promise<EndpointResponse<P>> {
      const answer = await t.call(path, body);
      expect(answer.body.result, `${path}: ${answer.body.result.resultMessage}`).toMatchObject({ resultCode: 'SUCCESS' });
      return answer.body as EndpointResponse<P>;
    }
    async function refused(path: string, body: Record<string, unknown>, code: string, mention: string) {
      const answer = await t.call(path, body);
      expect(answer.body.result.resultCode, answer.body.result.resultMessage).toBe(code);
      expect(answer.body.result.resultMessage).toContain(mention);
    }
    const customer = async () => (await ok('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('c')}@example.com` })).customerId as string;
    const price = async (value: string) => {
      const productId = (await ok('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Plan' })).productId;
      return (await ok('billing/price/create', { priceRequestId: uniqueId('prc'), productId, unitAmount: { currency: 'USD', value }, recurring: { periodRule: { periodType: 'DAY', periodCount: 30 } } })).priceId as string;
    };
    /** A subscription whose first invoice (the current period's) is paid. */
    async function paidSubscription(priceId: string, quantity: number) {
      const sub = await ok('billing/subscription/create', { subscriptionRequestId: uniqueId('bsub'), customerId: await customer(), priceItems: [{ priceId, quantity }] });
      await ok('billing/invoice/confirmPayment', { invoiceId: sub.invoiceId, confirmationType: 'OFFLINE' });
      return { subscriptionId: sub.subscriptionId as string, invoiceId: sub.invoiceId as string };
    }
    const invoiceCount = async (subscriptionId: string) => (await ok('billing/invoice/inquireList', { subscriptionId, limit: 100 })).invoices?.length;
    const notesOn = async (invoiceId: string) => (await ok('billing/creditNote/inquireList', { invoiceId, limit: 100 })).list ?? [];
    const notified = async (resourceId: string) =>
      (await t.gateway.database.db.selectFrom('notifications').select('body').where('resource_id', '=', resourceId).execute()).map((n) => JSON.parse(n.body) as Record<string, unknown>);

    it('paying a subscription\'s invoice while its subscription is updated and cancelled at once: each answered, none U (one lock order)', async () => {
      const priceId = await price('1000');
      for (let round = 0; round < 5; round++) {
        const sub = await ok('billing/subscription/create', { subscriptionRequestId: uniqueId('bsub'), customerId: await customer(), priceItems: [{ priceId, quantity: 1 }] });
        const [paid, updated, cancelled] = await Promise.all([
          t.call('billing/invoice/confirmPayment', { invoiceId: sub.invoiceId, confirmationType: 'OFFLINE' }),
          t.call('billing/subscription/update', { subscriptionId: sub.subscriptionId, prorationBehavior: 'ALWAYS_INVOICE', priceItemChanges: [{ type: 'CHANGE', itemId: 'si_1', newQuantity: 2 }] }),
          t.call('billing/subscription/cancel', { subscriptionId: sub.subscriptionId, cancellationType: 'IMMEDIATE', prorationBehavior: 'CREATE_PRORATIONS' }),
        ]);
        for (const answer of [paid, updated, cancelled]) expect(answer.body.result.resultStatus, answer.body.result.resultMessage).not.toBe('U');
        expect(paid.body.result.resultCode).toBe('SUCCESS');
      }
    });

    it('an upgrade mid-period with ALWAYS_INVOICE: an OPEN proration invoice for the new items\' rest less the old items\' rest', async () => {
      const { subscriptionId, invoiceId } = await paidSubscription(await price('1000'), 1);
      clock.advance(7 * DAY);
      const updated = await ok('billing/subscription/update', { subscriptionId, prorationBehavior: 'ALWAYS_INVOICE', priceItemChanges: [{ type: 'CHANGE', itemId: 'si_1', newQuantity: 3 }] });
      // 23 of 30 days left: charge 3000 × 23/30 = 2300; credit 1000 × 23/30 = 766.67 → 767 (half up); net 1533.
      expect(updated).toMatchObject({ prorationInvoiceAmount: 1533, prorationInvoiceCurrency: 'USD', pendingUpdate: false });
      expect(updated.creditNoteId).toBeUndefined();
      expect(updated.subscriptionItems?.[0]?.quantity).toBe(3);
      const invoice = await ok('billing/invoice/inquireDetails', { invoiceId: updated.prorationInvoiceId });
      expect(invoice).toMatchObject({
        status: 'OPEN', reason: 'SUBSCRIPTION_UPDATE', subscriptionId,
        subtotal: { currency: 'USD', value: '2300' }, discountAmount: { value: '767' }, totalAmount: { value: '1533' }, remainAmount: { value: '1533' },
      });
      expect(invoice.items?.map((item) => [item.amount?.value, item.proration])).toEqual([['2300', true]]);
      expect(Date.parse(invoice.periodStart!)).toBe(clock.now());
      expect(await invoiceCount(subscriptionId)).toBe(2);
      expect(await notesOn(invoiceId)).toHaveLength(0);
      expect((await notified(updated.prorationInvoiceId!)).map((n) => [n.notifyType, n.invoiceStatus])).toEqual([['INVOICE', 'OPEN']]);
      // The next period bills the new quantity in full.
      clock.advance(23 * DAY + 1000);
      await t.gateway.runDueWork();
      const totals = (await ok('billing/invoice/inquireList', { subscriptionId, limit: 100 })).invoices?.map((i) => i.totalAmount?.value).sort();
      expect(totals).toEqual(['1000', '1533', '3000']);
    });

    it('a downgrade mid-period with ALWAYS_INVOICE: a credit note on the paid period invoice, each item rounded on its own', async () => {
      const { subscriptionId, invoiceId } = await paidSubscription(await price('999'), 2);
      clock.advance(11 * DAY);
      const updated = await ok('billing/subscription/update', { subscriptionId, prorationBehavior: 'ALWAYS_INVOICE', priceItemChanges: [{ type: 'CHANGE', itemId: 'si_1', newQuantity: 1 }] });
      // 19 of 30 days left: credit 1998 × 19/30 = 1265.4 → 1265; charge 999 × 19/30 = 632.7 → 633; net −632.
      expect(updated).toMatchObject({ creditNoteAmount: 632, creditNoteCurrency: 'USD' });
      expect(updated.prorationInvoiceId).toBeUndefined();
      const note = await ok('billing/creditNote/inquireDetails', { creditNoteId: updated.creditNoteId });
      expect(note).toMatchObject({ invoiceId, type: 'POST_PAYMENT', status: 'REFUNDED', totalAmount: { currency: 'USD', value: '632' }, refundAmount: { value: '632' } });
      expect((await ok('billing/invoice/inquireDetails', { invoiceId })).postPaymentCreditNotesAmount?.value).toBe('632');
      expect(await invoiceCount(subscriptionId)).toBe(1);
      expect((await notified(updated.creditNoteId!)).map((n) => n.notifyType)).toEqual(['CREDIT_NOTE']);
    });

    it('an immediate cancel with proration credits the unused rest of the paid period once; a repeat answers the same note', async () => {
      const { subscriptionId, invoiceId } = await paidSubscription(await price('1000'), 1);
      clock.advance(12 * DAY + HOUR);
      const canceled = await ok('billing/subscription/cancel', { subscriptionId, cancellationReason: 'moving', prorationBehavior: 'CREATE_PRORATIONS' });
      // 431 of 720 hours left: 1000 × 431/720 = 598.61 → 599.
      expect(canceled).toMatchObject({ status: 'TERMINATED', creditNoteAmount: 599, creditNoteCurrency: 'USD' });
      const note = await ok('billing/creditNote/inquireDetails', { creditNoteId: canceled.creditNoteId });
      expect(note).toMatchObject({ invoiceId, type: 'POST_PAYMENT', status: 'REFUNDED', totalAmount: { value: '599' } });
      clock.advance(HOUR);
      const again = await ok('billing/subscription/cancel', { subscriptionId, cancellationReason: 'again', prorationBehavior: 'CREATE_PRORATIONS' });
      expect(again).toMatchObject({ creditNoteId: canceled.creditNoteId, creditNoteAmount: 599, canceledAt: canceled.canceledAt });
      expect(await notesOn(invoiceId)).toHaveLength(1);
      expect((await notified(canceled.creditNoteId!)).map((n) => n.notifyType)).toEqual(['CREDIT_NOTE']);
      expect((await notified(subscriptionId)).map((n) => n.status)).toEqual(['INCOMPLETE', 'ACTIVE', 'TERMINATED']);
      expect((await t.call('billing/creditNote/inquireDetails', { creditNoteId: canceled.creditNoteId }, fixture.asOther())).body.result.resultCode).toBe('RECORD_NOT_FOUND');
    });

    it('an immediate cancel with proration while the period invoice is still OPEN lowers what is due (PRE_PAYMENT)', async () => {
      const sub = await ok('billing/subscription/create', { subscriptionRequestId: uniqueId('bsub'), customerId: await customer(), priceItems: [{ priceId: await price('1000') }] });
      clock.advance(15 * DAY);
      const canceled = await ok('billing/subscription/cancel', { subscriptionId: sub.subscriptionId, cancellationReason: 'never paid', prorationBehavior: 'ALWAYS_INVOICE' });
      expect(canceled).toMatchObject({ status: 'TERMINATED', creditNoteAmount: 500 });
      expect(await ok('billing/creditNote/inquireDetails', { creditNoteId: canceled.creditNoteId })).toMatchObject({ type: 'PRE_PAYMENT', status: 'ISSUED' });
      expect(await ok('billing/invoice/inquireDetails', { invoiceId: sub.invoiceId })).toMatchObject({ status: 'OPEN', prePaymentCreditNotesAmount: { value: '500' }, remainAmount: { value: '500' } });
    });

    it('NONE keeps today\'s behaviour (no proration invoice, no credit note); values outside the schema are refused naming the field', async () => {
      const unit = await price('1000');
      const { subscriptionId, invoiceId } = await paidSubscription(unit, 1);
      clock.advance(5 * DAY);
      const updated = await ok('billing/subscription/update', { subscriptionId, prorationBehavior: 'NONE', priceItemChanges: [{ type: 'CHANGE', itemId: 'si_1', newQuantity: 2 }] });
      expect(updated.subscriptionItems?.[0]?.quantity).toBe(2);
      expect([updated.prorationInvoiceId, updated.creditNoteId]).toEqual([undefined, undefined]);
      const defaulted = await ok('billing/subscription/update', { subscriptionId, priceItemChanges: [{ type: 'CHANGE', itemId: 'si_1', newQuantity: 1 }] });
      expect([defaulted.prorationInvoiceId, defaulted.creditNoteId]).toEqual([undefined, undefined]);
      expect(await invoiceCount(subscriptionId)).toBe(1);
      await refused('billing/subscription/update', { subscriptionId, prorationBehavior: 'CREATE_PRORATIONS' }, 'PARAM_ILLEGAL', 'prorationBehavior');
      await refused('billing/subscription/cancel', { subscriptionId, cancellationReason: 'x', cancellationType: 'AT_PERIOD_END', prorationBehavior: 'CREATE_PRORATIONS' }, 'PARAM_ILLEGAL', 'prorationBehavior');
      await refused('billing/subscription/cancel', { subscriptionId, cancellationReason: 'x', prorationBehavior: 'SOMETIMES' }, 'PARAM_ILLEGAL', 'prorationBehavior');
      const canceled = await ok('billing/subscription/cancel', { subscriptionId, cancellationReason: 'done' });
      expect(canceled.status).toBe('TERMINATED');
      expect(canceled.creditNoteId).toBeUndefined();
      expect(await notesOn(invoiceId)).toHaveLength(0);
    });
  });
});
