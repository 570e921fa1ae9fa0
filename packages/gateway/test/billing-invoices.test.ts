/**
 * Billing invoices end to end through signed HTTP on SQLite and PostgreSQL:
 * totals in minor units with a coupon and tax (exact amounts), every
 * lifecycle transition and the refusals of the wrong ones, confirmPayment
 * by a real amsgate payment (journal, receipt, one invoice per payment) and
 * offline, credit notes lowering what is due and refused past the total,
 * another client's invoices unseen.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointPath, EndpointResponse } from '@amsgate/protocol';
import { insertResource } from '../src/resources/resource-store.js';
import { newResourceId } from '../src/ids.js';
import { TAX_REGISTRATION } from '../src/products/tax/kinds.js';
import { toBigInt } from '../src/store/columns.js';
import { cashierPay, DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('billing invoices on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const fixture = gatewayWithOtherClient(dialect, { notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    async function ok<P extends EndpointPath>(path: P, body: Record<string, unknown>): Promise<EndpointResponse<P>> {
      const answer = await t.call(path, body);
      expect(answer.body.result, `${path}: ${answer.body.result.resultMessage}`).toMatchObject({ resultCode: 'SUCCESS' });
      return answer.body as EndpointResponse<P>;
    }
    function present<T>(value: T | undefined, field: string): T {
      if (value === undefined) throw new Error(`${field} missing from the answer`);
      return value;
    }
    async function refused(path: string, body: Record<string, unknown>, code: string, mention?: string) {
      const answer = await t.call(path, body);
      expect(answer.body.result.resultCode, answer.body.result.resultMessage).toBe(code);
      if (mention !== undefined) expect(answer.body.result.resultMessage).toContain(mention);
      return answer.body;
    }
    const customer = async (extra: Record<string, unknown> = {}) => (await ok('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('c')}@example.com`, ...extra })).customerId as string;
    const details = async (invoiceId: string) => ok('billing/invoice/inquireDetails', { invoiceId });
    const draft = async (customerId: string, extra: Record<string, unknown> = {}) =>
      (await ok('billing/invoice/create', { invoiceRequestId: uniqueId('inv').replaceAll('-', '_'), customerId, currency: 'USD', items: [{ description: 'Work', unitAmount: { currency: 'USD', value: '2500' }, quantity: 4 }], ...extra })).invoiceId as string;
    async function registerSgGst(): Promise<void> {
      const gw = t.gateway;
      await gw.database.transaction((tx) => insertResource(tx, TAX_REGISTRATION, t.client.client.clientId, {
        id: newResourceId('TXR', 0), status: 'ACTIVE', now: Date.now(),
        doc: { taxType: 'GST', jurisdiction: { country: 'SG' }, registrationType: 'STANDARD', taxId: 'SG-T1', activeFrom: 0 },
      }));
    }

    it('totals a coupon and tax exactly: subtotal, discount, 9% GST on the discounted lines, total', async () => {
      await registerSgGst();
      const sg = await customer({ country: 'SG' });
      const coupon = (await ok('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'PERCENT', percentOff: '12.5', durationType: 'FOREVER' })).couponId;
      const invoiceId = await draft(sg, {
        items: [{ description: 'A', unitAmount: { currency: 'USD', value: '1999' }, quantity: 3 }, { description: 'B', unitAmount: { currency: 'USD', value: '1001' }, quantity: 1 }],
        discounts: [{ couponId: coupon }],
      });
      const invoice = await details(invoiceId);
      // 5997 + 1001 = 6998; 12.5% = 874.75 → 875 (half up); lines 5997 and 1001 take 750 and 125 of it.
      expect(invoice.subtotal).toEqual({ currency: 'USD', value: '6998' });
      expect(invoice.discountAmount).toEqual({ currency: 'USD', value: '875' });
      // 9% of 5247 = 472.23 → 472; of 876 = 78.84 → 79.
      expect(invoice.items?.map((item) => [item.amount?.value, item.discountAmount?.value, item.taxAmount?.value])).toEqual([['5997', '750', '472'], ['1001', '125', '79']]);
      expect(invoice.taxAmount).toEqual({ currency: 'USD', value: '551' });
      expect(invoice.totalAmount).toEqual({ currency: 'USD', value: '6674' });
      expect(invoice.remainAmount).toEqual({ currency: 'USD', value: '6674' });
      expect(invoice.status).toBe('DRAFT');
      expect(invoice.invoiceNumber).toMatch(/^INV-\d{4}$/);
      const redeemed = await ok('billing/coupon/inquireDetails', { couponId: coupon });
      expect(redeemed.redeemedCount).toBe(1);

      const untaxed = await details(await draft(await customer({ country: 'US', state: 'CA' })));
      expect(untaxed.taxAmount).toEqual({ currency: 'USD', value: '0' });
      expect(untaxed.totalAmount).toEqual({ currency: 'USD', value: '10000' });
    });

    it('refuses bad items by field: mixed pricing models, another currency, unknown customer, OPEN without dueDate', async () => {
      const c = await customer();
      const base = { invoiceRequestId: uniqueId('bad').replaceAll('-', '_'), customerId: c, currency: 'USD' };
      await refused('billing/invoice/create', { ...base, items: [{ itemAmount: { currency: 'USD', value: '1' } }, { unitAmount: { currency: 'USD', value: '1' } }] }, 'PARAM_ILLEGAL', 'items[1].unitAmount');
      await refused('billing/invoice/create', { ...base, invoiceRequestId: uniqueId('b2').replaceAll('-', '_'), items: [{ itemAmount: { currency: 'EUR', value: '1' } }] }, 'PARAM_ILLEGAL', 'items[0].itemAmount.currency');
      await refused('billing/invoice/create', { ...base, invoiceRequestId: uniqueId('b3').replaceAll('-', '_'), customerId: 'CUSnope', items: [{ itemAmount: { currency: 'USD', value: '1' } }] }, 'RECORD_NOT_FOUND', 'customerId');
      await refused('billing/invoice/create', { ...base, invoiceRequestId: uniqueId('b4').replaceAll('-', '_'), status: 'OPEN', items: [{ itemAmount: { currency: 'USD', value: '1' } }] }, 'PARAM_ILLEGAL', 'dueDate');
    });

    it('walks DRAFT → OPEN → UNCOLLECTIBLE → PAID and refuses every transition its status does not allow', async () => {
      const c = await customer();
      const id = await draft(c);
      await refused('billing/invoice/send', { invoiceId: id }, 'NOT_ALLOW_IN_CURRENT_STATUS', 'DRAFT');
      await refused('billing/invoice/markUncollectible', { invoiceId: id }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      await refused('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'OFFLINE' }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      await ok('billing/invoice/update', { invoiceId: id, description: 'Consulting', memo: 'thanks' });
      const finalized = await ok('billing/invoice/finalize', { invoiceId: id, invoiceNote: 'final' });
      expect(finalized.status).toBe('OPEN');
      expect(finalized.hostedInvoiceUrl).toMatch(new RegExp(`^${t.baseUrl}/billing/invoices/${id}/view\\?token=`));
      await refused('billing/invoice/finalize', { invoiceId: id }, 'NOT_ALLOW_IN_CURRENT_STATUS', 'OPEN');
      await refused('billing/invoice/update', { invoiceId: id, memo: 'late' }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      expect((await ok('billing/invoice/send', { invoiceId: id })).sendStatus).toBe('SENT');
      expect((await ok('billing/invoice/markUncollectible', { invoiceId: id })).status).toBe('UNCOLLECTIBLE');
      const paid = await ok('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'OFFLINE', paymentMethod: 'BANK_TRANSFER', reference: 'wire-1' });
      expect(paid.status).toBe('PAID');
      await refused('billing/invoice/void', { invoiceId: id }, 'NOT_ALLOW_IN_CURRENT_STATUS', 'PAID');
      const invoice = await details(id);
      expect(invoice.paidAmount).toEqual({ currency: 'USD', value: '10000' });
      expect(invoice.remainAmount).toEqual({ currency: 'USD', value: '0' });
      expect(invoice.invoiceNotes?.map((n) => n.action)).toEqual(['FINALIZE']);
      const receipt = await ok('billing/receipt/inquireDetails', { invoiceId: id });
      expect(receipt.receiptId).toBe(paid.receiptId);
      expect(receipt.paidAmount).toEqual({ currency: 'USD', value: '10000' });
      const notes = await t.gateway.database.db.selectFrom('notifications').select(['event_key', 'body']).where('resource_id', '=', id).orderBy('created_at').execute();
      expect(notes.map((n) => JSON.parse(n.body).invoiceStatus)).toEqual(['OPEN', 'UNCOLLECTIBLE', 'PAID']);
    });

    it('voids DRAFT and OPEN invoices (terminal), and revises with the original voided in the same step', async () => {
      const c = await customer();
      const a = await draft(c);
      expect((await ok('billing/invoice/void', { invoiceId: a, invoiceNote: 'mistake' })).status).toBe('VOID');
      await refused('billing/invoice/void', { invoiceId: a }, 'NOT_ALLOW_IN_CURRENT_STATUS', 'VOID');
      await refused('billing/invoice/finalize', { invoiceId: a }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      const b = await draft(c);
      await ok('billing/invoice/finalize', { invoiceId: b });
      const revised = await ok('billing/invoice/revise', { invoiceId: b, invoiceRevisionRequestId: uniqueId('rev'), void: true });
      expect(revised.voidedInvoiceId).toBe(b);
      expect((await details(b)).status).toBe('VOID');
      const copy = await details(present(revised.newInvoiceId, 'newInvoiceId'));
      expect(copy.status).toBe('DRAFT');
      expect(copy.totalAmount).toEqual({ currency: 'USD', value: '10000' });
      await refused('billing/invoice/revise', { invoiceId: b, invoiceRevisionRequestId: uniqueId('rev'), void: false }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      // No `void` at all is a revision that keeps the original: the Go SDK never sends `void: false` (a bool with omitempty).
      const kept = await draft(c);
      const clone = await ok('billing/invoice/revise', { invoiceId: kept, invoiceRevisionRequestId: uniqueId('rev') });
      expect(clone.voidedInvoiceId).toBeUndefined();
      expect((await details(kept)).status).toBe('DRAFT');
      expect((await details(present(clone.newInvoiceId, 'newInvoiceId'))).status).toBe('DRAFT');
      const link = await ok('billing/invoice/createViewLink', { invoiceId: revised.newInvoiceId, linkExpiryDays: 2 });
      expect(link.viewUrl).toBe(`${t.baseUrl}/billing/invoices/${revised.newInvoiceId}/view?token=${link.token}`);
      expect(link.expiresAt).toMatch(/T00:00:00\.000Z$/);
      await refused('billing/invoice/createViewLink', { invoiceId: revised.newInvoiceId, linkExpiryDays: 0 }, 'PARAM_ILLEGAL', 'linkExpiryDays');
    });

    it('pays an invoice with a real payment once: journal entry, receipt; refuses a short, unpaid, unknown or reused payment', async () => {
      const c = await customer();
      const id = await draft(c);
      await ok('billing/invoice/finalize', { invoiceId: id });
      const pay = async (value: string) => {
        const paid = await t.call('payments/pay', cashierPay({ paymentAmount: { currency: 'USD', value }, order: { referenceOrderId: uniqueId('o'), orderDescription: 'Invoice', orderAmount: { currency: 'USD', value } } }));
        return paid.body.paymentId as string;
      };
      const pending = await pay('10000');
      await refused('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'PAYMENT', reference: pending }, 'ORDER_STATUS_INVALID', 'PROCESSING');
      await refused('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'PAYMENT', reference: 'PAY-none' }, 'ORDER_NOT_EXIST');
      const short = await pay('9999');
      expect((await t.complete(short)).status).toBe(200);
      await refused('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'PAYMENT', reference: short }, 'ORDER_STATUS_INVALID', 'less than');
      expect((await t.complete(pending)).status).toBe(200);
      const paid = await ok('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'PAYMENT', reference: pending });
      expect(paid.status).toBe('PAID');
      const invoice = await details(id);
      expect(invoice.payments?.[0]).toMatchObject({ paymentId: pending, paymentAmount: { currency: 'USD', value: '10000' }, paymentOrderStatus: 'SUCCESS' });
      const receipt = await ok('billing/receipt/inquireDetails', { receiptId: paid.receiptId });
      expect(receipt).toMatchObject({ invoiceId: id, paymentId: pending, receiptType: 'PAYMENT', status: 'ACTIVE' });
      const entries = await t.gateway.database.db.selectFrom('journal_entries').select(['movement', 'account', 'amount', 'currency']).where('payment_id', '=', pending).where('movement', '=', 'INVOICE_PAYMENT').execute();
      expect(entries.map((e) => [e.account.split(':').slice(2).join(':'), toBigInt(e.amount)]).sort()).toEqual([['billing_receivable', -10000n], ['billing_settled:AMSGATE', 10000n]]);
      const other = await draft(c);
      await ok('billing/invoice/finalize', { invoiceId: other });
      await refused('billing/invoice/confirmPayment', { invoiceId: other, confirmationType: 'PAYMENT', reference: pending }, 'ORDER_STATUS_INVALID', id);
    });

    it('credit notes: PRE_PAYMENT lowers remain, past the total is REFUND_AMOUNT_EXCEED, void restores; POST_PAYMENT refunds on the receipt', async () => {
      const c = await customer();
      const id = await draft(c);
      const crn = (extra: Record<string, unknown>) => ({ creditNoteRequestId: uniqueId('crn'), invoiceId: id, type: 'PRE_PAYMENT', totalAmount: { currency: 'USD', value: '3000' }, ...extra });
      await refused('billing/creditNote/create', crn({}), 'NOT_ALLOW_IN_CURRENT_STATUS', 'DRAFT');
      await ok('billing/invoice/finalize', { invoiceId: id });
      const first = await ok('billing/creditNote/create', crn({}));
      expect(first.status).toBe('ISSUED');
      expect((await details(id)).remainAmount).toEqual({ currency: 'USD', value: '7000' });
      await refused('billing/creditNote/create', crn({ totalAmount: { currency: 'USD', value: '7001' } }), 'REFUND_AMOUNT_EXCEED', '7000');
      expect((await ok('billing/creditNote/void', { creditNoteId: first.creditNoteId })).status).toBe('VOIDED');
      await refused('billing/creditNote/void', { creditNoteId: first.creditNoteId }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      expect((await details(id)).remainAmount).toEqual({ currency: 'USD', value: '10000' });
      await ok('billing/creditNote/create', crn({ totalAmount: { currency: 'USD', value: '4000' } }));
      await ok('billing/invoice/confirmPayment', { invoiceId: id, confirmationType: 'OFFLINE' });
      expect((await details(id)).paidAmount).toEqual({ currency: 'USD', value: '6000' });
      await refused('billing/creditNote/create', crn({ type: 'POST_PAYMENT', totalAmount: { currency: 'USD', value: '6001' } }), 'REFUND_AMOUNT_EXCEED');
      const post = await ok('billing/creditNote/create', crn({ type: 'POST_PAYMENT', totalAmount: { currency: 'USD', value: '1000' } }));
      expect(post.status).toBe('REFUNDED');
      const receipt = await ok('billing/receipt/inquireDetails', { invoiceId: id });
      expect(receipt.status).toBe('PARTIALLY_REFUNDED');
      expect(receipt.refundedAmount).toEqual({ currency: 'USD', value: '1000' });
      const list = await ok('billing/creditNote/inquireList', { invoiceId: id, includeTotal: true });
      expect(list.totalCount).toBe(3);
    });

    it('lists and exports only the client\'s own invoices; another client cannot read them', async () => {
      const c = await customer();
      const id = await draft(c);
      const list = await ok('billing/invoice/inquireList', { customerId: c, includeTotal: true });
      expect(list.invoices?.map((i) => i.invoiceId)).toEqual([id]);
      expect(list.total).toBe('1');
      const other = await t.call('billing/invoice/inquireDetails', { invoiceId: id }, fixture.asOther());
      expect(other.body.result.resultCode).toBe('RECORD_NOT_FOUND');
      const exported = await ok('billing/invoice/export', { downloadType: 'INVOICE', invoiceIds: [id] });
      expect(exported.fileUrl).toMatch(new RegExp(`^${t.baseUrl}/billing/exports/BEX`));
      expect(exported.fileFormat).toBe('text/csv');
      await refused('billing/invoice/export', { downloadType: 'RECEIPT' }, 'PARAM_ILLEGAL', 'downloadType');
    });
  });
});
