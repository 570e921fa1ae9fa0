/**
 * Credit notes against an invoice:
 * - PRE_PAYMENT (invoice OPEN or UNCOLLECTIBLE): lowers what is due; when
 *   nothing is left due the invoice is PAID;
 * - POST_PAYMENT (invoice PAID): owed back to the customer (refunded or to
 *   their credit balance); the receipt records what was refunded.
 * All credit notes of an invoice together never exceed its total
 * (REFUND_AMOUNT_EXCEED); a pre-payment one never exceeds what is due.
 * Voiding an ISSUED one gives back what it took off.
 */
import { AmsError, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule, type EndpointModules } from '../../../endpoints/contract.js';
import { createEndpoint } from '../../../resources/resource-endpoints.js';
import { pageQueryOf } from '../../../resources/list-request.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findByTag, findResource, insertResource, saveResource } from '../../../resources/resource-store.js';
import { newResourceId } from '../../../ids.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { CREDIT_NOTE, INVOICE, RECEIPT, type CreditNoteDoc, type CreditNoteStatus, type InvoiceDoc, type InvoiceStatus } from './kinds.js';
import { mustBe } from './lookup.js';
import { dateBounds } from './list-filters.js';
import { amount, amountIn, minorOf } from './money.js';
import { notifyCreditNote, notifyInvoice } from './notifications.js';

type InvoiceRecord = ResourceRecord<InvoiceDoc, InvoiceStatus>;
const TYPES = ['PRE_PAYMENT', 'POST_PAYMENT'];
const DESTINATIONS = ['REFUND', 'CREDIT_BALANCE'];

/** What the invoice's credit notes (not voided) add up to. */
async function creditedOn(tx: Tx, clientId: string, invoiceId: string): Promise<bigint> {
  const notes = await findByTag(tx, CREDIT_NOTE, clientId, 'invoiceId', invoiceId);
  return notes.filter((note) => note.status !== 'VOIDED').reduce((sum, note) => sum + minorOf(note.doc.totalAmount), 0n);
}

function adjustInvoice(invoice: InvoiceRecord, type: string, delta: bigint, now: number): { status: InvoiceStatus; doc: InvoiceDoc } {
  const d = invoice.doc;
  const c = d.currency!;
  const nowIso = new Date(now).toISOString();
  if (type === 'PRE_PAYMENT') {
    const remain = minorOf(d.remainAmount) - delta;
    const paid = remain === 0n && invoice.status !== 'PAID';
    return {
      status: paid ? 'PAID' : invoice.status,
      doc: { ...d, status: paid ? 'PAID' : invoice.status, prePaymentCreditNotesAmount: amount(c, minorOf(d.prePaymentCreditNotesAmount) + delta), remainAmount: amount(c, remain), ...(paid ? { paidTime: nowIso } : {}), gmtUpdate: nowIso },
    };
  }
  return { status: invoice.status, doc: { ...d, postPaymentCreditNotesAmount: amount(c, minorOf(d.postPaymentCreditNotesAmount) + delta), gmtUpdate: nowIso } };
}

async function saveInvoice(tx: Tx, invoice: InvoiceRecord, next: { status: InvoiceStatus; doc: InvoiceDoc }, now: number, event: string): Promise<InvoiceRecord> {
  const saved = await saveResource(tx, INVOICE, invoice, { ...next, now, event });
  if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `invoice ${invoice.id} changed while its credit note was made: retry`);
  return saved;
}

/** The invoice's payment receipt shows what POST_PAYMENT credit notes refunded. */
async function adjustReceipt(tx: Tx, invoice: InvoiceRecord, refundDelta: bigint, now: number): Promise<void> {
  const receipt = (await findByTag(tx, RECEIPT, invoice.clientId, 'invoiceId', invoice.id)).find((r) => r.doc.receiptType === 'PAYMENT');
  if (receipt === undefined || refundDelta === 0n) return;
  const c = invoice.doc.currency!;
  const refunded = minorOf(receipt.doc.refundedAmount) + refundDelta;
  const paid = minorOf(receipt.doc.paidAmount);
  const status = refunded === 0n ? 'ACTIVE' : refunded >= paid ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  await saveResource(tx, RECEIPT, receipt, { status, doc: { ...receipt.doc, status, refundedAmount: amount(c, refunded), remainingAmount: amount(c, paid - refunded), gmtUpdate: new Date(now).toISOString() }, now, event: refundDelta > 0n ? 'refunded' : 'refund reversed' });
}

/**
 * A credit note the gateway issues itself (a subscription's proration), in
 * the caller's transaction: PRE_PAYMENT on an OPEN/UNCOLLECTIBLE invoice
 * (at most what is due), POST_PAYMENT refunded on a PAID one; never more
 * than the invoice has left to credit. Nothing when that leaves 0 or the
 * invoice is in another status.
 */
export async function issueCreditNote(
  deps: ResourceProductDeps, tx: Tx, clientId: string,
  want: { invoiceId: string; amountMinor: bigint; requestId: string; reason: string; memo: string },
): Promise<ResourceRecord<CreditNoteDoc, CreditNoteStatus> | undefined> {
  let note: ResourceRecord<CreditNoteDoc, CreditNoteStatus> | undefined;
  await deps.engine.changeWithin(tx, clientId, INVOICE, want.invoiceId, async (invoice, tx2, now) => {
    const type = invoice.status === 'PAID' ? 'POST_PAYMENT' : invoice.status === 'OPEN' || invoice.status === 'UNCOLLECTIBLE' ? 'PRE_PAYMENT' : undefined;
    if (type === undefined || want.amountMinor <= 0n) return { unchanged: true };
    let total = minorOf(invoice.doc.totalAmount) - (await creditedOn(tx2, clientId, invoice.id));
    if (type === 'PRE_PAYMENT' && minorOf(invoice.doc.remainAmount) < total) total = minorOf(invoice.doc.remainAmount);
    if (want.amountMinor < total) total = want.amountMinor;
    if (total <= 0n) return { unchanged: true };
    const next = adjustInvoice(invoice, type, total, now);
    return {
      ...next, event: 'credited', detail: `${type} ${total}: ${want.reason}`,
      after: async (tx3, saved) => {
        const id = newResourceId(CREDIT_NOTE.idPrefix, now);
        const nowIso = new Date(now).toISOString();
        const currency = invoice.doc.currency!;
        const refunded = type === 'POST_PAYMENT';
        const status: CreditNoteStatus = refunded ? 'REFUNDED' : 'ISSUED';
        const doc: CreditNoteDoc = {
          creditNoteId: id, creditNoteRequestId: want.requestId, invoiceId: invoice.id, customerId: invoice.doc.customerId, type, status, totalAmount: amount(currency, total),
          ...(refunded ? { refundAmount: amount(currency, total), refundDestination: 'REFUND', refundStatus: 'SUCCESS', refundedAt: nowIso } : {}),
          reason: want.reason, memo: want.memo, effectiveDate: nowIso, items: [], issuedAt: nowIso, createdAt: nowIso, internal: {},
        };
        note = await insertResource(tx3, CREDIT_NOTE, clientId, { id, status, doc, now, detail: `${type} ${total} on ${invoice.id}: ${want.reason}` });
        if (refunded) await adjustReceipt(tx3, invoice, total, now);
        await notifyCreditNote(deps, tx3, note, saved, 'CREATED', now);
        if (saved.status === 'PAID' && invoice.status !== 'PAID') await notifyInvoice(deps, tx3, saved, 'PAID', now);
      },
    };
  });
  return note;
}

export function creditNoteAnswer(record: ResourceRecord<CreditNoteDoc, CreditNoteStatus>) {
  const { internal: _internal, ...doc } = record.doc;
  return { ...doc, creditNoteId: record.id, status: record.status };
}

export function creditNoteEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/creditNote/create': createEndpoint(engine, CREDIT_NOTE, {
      path: 'billing/creditNote/create',
      requestIdField: 'creditNoteRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        if (!TYPES.includes(request.type)) throw AmsError.paramIllegal('type', `must be PRE_PAYMENT or POST_PAYMENT, got ${request.type}`);
        const invoice = await findResource(tx, INVOICE, clientId, request.invoiceId, { forUpdate: deps.database.dialect });
        if (invoice === undefined) throw new AmsError('RECORD_NOT_FOUND', `invoiceId: no invoice ${request.invoiceId}`, { field: 'invoiceId' });
        const currency = invoice.doc.currency!;
        if (request.totalAmount.currency !== currency) throw new AmsError('CURRENCY_NOT_SUPPORT', `totalAmount.currency: must be the invoice currency ${currency}, got ${request.totalAmount.currency}`, { field: 'totalAmount.currency' });
        const total = amountIn(request.totalAmount, currency, 'totalAmount');
        if (total === 0n) throw AmsError.paramIllegal('totalAmount.value', 'must be greater than 0');
        mustBe(INVOICE, invoice, request.type === 'PRE_PAYMENT' ? ['OPEN', 'UNCOLLECTIBLE'] : ['PAID'], `credited ${request.type}`);
        const items = request.items ?? [];
        if (items.length > 100) throw AmsError.paramIllegal('items', 'at most 100');
        let itemsSum = 0n;
        for (const [i, item] of items.entries()) {
          const field = `items[${i}]`;
          if (item.type === 'INVOICE_LINE_ITEM') {
            if (item.invoiceItemId === undefined) throw AmsError.paramIllegal(`${field}.invoiceItemId`, 'is required for an INVOICE_LINE_ITEM');
            const line = invoice.doc.items?.find((l) => l.itemId === item.invoiceItemId);
            if (line === undefined) throw AmsError.paramIllegal(`${field}.invoiceItemId`, `invoice ${invoice.id} has no item ${item.invoiceItemId}`);
            if ((item.quantity === undefined) === (item.itemAmount === undefined)) throw AmsError.paramIllegal(field, 'give quantity or itemAmount, exactly one');
            itemsSum += item.itemAmount !== undefined ? amountIn(item.itemAmount, currency, `${field}.itemAmount`) : minorOf(line.unitAmount ?? line.amount) * BigInt(item.quantity!);
          } else if (item.type === 'CUSTOM_LINE_ITEM') {
            if (item.description === undefined) throw AmsError.paramIllegal(`${field}.description`, 'is required for a CUSTOM_LINE_ITEM');
            const unit = item.unitAmount === undefined ? undefined : amountIn(item.unitAmount, currency, `${field}.unitAmount`);
            itemsSum += item.itemAmount !== undefined ? amountIn(item.itemAmount, currency, `${field}.itemAmount`) : (unit ?? 0n) * BigInt(item.quantity ?? 1);
          } else {
            throw AmsError.paramIllegal(`${field}.type`, `must be INVOICE_LINE_ITEM or CUSTOM_LINE_ITEM, got ${item.type}`);
          }
        }
        if (items.length > 0 && itemsSum !== total) throw AmsError.paramIllegal('totalAmount', `must equal the items' sum ${itemsSum}, got ${total}`);
        const invoiceTotal = minorOf(invoice.doc.totalAmount);
        const credited = await creditedOn(tx, clientId, invoice.id);
        if (credited + total > invoiceTotal) throw new AmsError('REFUND_AMOUNT_EXCEED', `totalAmount: invoice ${invoice.id} totals ${invoiceTotal} and has ${credited} credited already; at most ${invoiceTotal - credited} more`, { field: 'totalAmount' });
        if (request.type === 'PRE_PAYMENT' && total > minorOf(invoice.doc.remainAmount)) {
          throw new AmsError('REFUND_AMOUNT_EXCEED', `totalAmount: invoice ${invoice.id} has ${minorOf(invoice.doc.remainAmount)} due; a pre-payment credit note takes at most that`, { field: 'totalAmount' });
        }
        let refund = 0n;
        let destination: string | undefined;
        if (request.type === 'POST_PAYMENT') {
          destination = request.refundDestination ?? 'REFUND';
          if (!DESTINATIONS.includes(destination)) throw AmsError.paramIllegal('refundDestination', `must be REFUND or CREDIT_BALANCE, got ${destination}`);
          refund = request.refundAmount === undefined ? (destination === 'REFUND' ? total : 0n) : amountIn(request.refundAmount, currency, 'refundAmount');
          if (refund > total) throw new AmsError('REFUND_AMOUNT_EXCEED', `refundAmount: at most the credit note's total ${total}`, { field: 'refundAmount' });
        }
        const nowIso = new Date(now).toISOString();
        // The sandbox refunds at once: a REFUND credit note is REFUNDED when issued.
        const status: CreditNoteStatus = request.type === 'POST_PAYMENT' && destination === 'REFUND' && refund > 0n ? 'REFUNDED' : 'ISSUED';
        const doc: CreditNoteDoc = {
          creditNoteId: id, creditNoteRequestId: request.creditNoteRequestId, invoiceId: invoice.id, customerId: invoice.doc.customerId, type: request.type, status,
          totalAmount: amount(currency, total),
          ...(request.type === 'POST_PAYMENT' ? { refundAmount: amount(currency, refund), refundDestination: destination, refundStatus: status === 'REFUNDED' ? 'SUCCESS' : 'NONE' } : {}),
          ...(request.reason === undefined ? {} : { reason: request.reason }),
          ...(request.reasonDescription === undefined ? {} : { reasonDescription: request.reasonDescription }),
          ...(request.memo === undefined ? {} : { memo: request.memo }),
          effectiveDate: request.effectiveDate ?? nowIso,
          items: items.map((item, i) => ({ creditNoteItemId: `${id}_${i + 1}`, ...item })),
          issuedAt: nowIso,
          ...(status === 'REFUNDED' ? { refundedAt: nowIso } : {}),
          createdAt: nowIso,
          internal: { ...(request.creditNoteNotifyUrl === undefined ? {} : { notifyUrl: request.creditNoteNotifyUrl }), ...(request.metadata === undefined ? {} : { metadata: request.metadata }) },
        };
        return {
          status, doc, detail: `${request.type} ${total} on ${invoice.id}`,
          after: async (tx2, note) => {
            const saved = await saveInvoice(tx2, invoice, adjustInvoice(invoice, request.type, total, now), now, 'credited');
            if (request.type === 'POST_PAYMENT') await adjustReceipt(tx2, invoice, refund, now);
            await notifyCreditNote(deps, tx2, note, saved, 'CREATED', now);
            if (saved.status === 'PAID' && invoice.status !== 'PAID') await notifyInvoice(deps, tx2, saved, 'PAID', now);
          },
        };
      },
      answer: (record) => creditNoteAnswer(record),
    }),

    'billing/creditNote/void': endpointModule({
      path: 'billing/creditNote/void',
      handle: async (context, request) => {
        const record = await engine.change(context.clientId, CREDIT_NOTE, request.creditNoteId, async (current, tx, now) => {
          mustBe(CREDIT_NOTE, current, ['ISSUED'], 'voided');
          const invoice = await findResource(tx, INVOICE, context.clientId, current.doc.invoiceId!, { forUpdate: deps.database.dialect });
          if (invoice === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `credit note ${current.id}'s invoice is gone`);
          const total = minorOf(current.doc.totalAmount);
          if (current.doc.type === 'PRE_PAYMENT' && invoice.status === 'PAID' && minorOf(invoice.doc.paidAmount) > 0n) {
            throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `credit note ${current.id}: invoice ${invoice.id} has been paid since; a pre-payment credit note can no longer be voided`);
          }
          const nowIso = new Date(now).toISOString();
          return {
            status: 'VOIDED', event: 'voided', ...(request.reason === undefined ? {} : { detail: request.reason }),
            doc: { ...current.doc, status: 'VOIDED', voidedAt: nowIso, internal: { ...current.doc.internal, ...(request.reason === undefined ? {} : { voidReason: request.reason }) } },
            after: async (tx2, saved) => {
              const back = adjustInvoice(invoice, current.doc.type!, -total, now);
              // A pre-payment note that had settled the invoice: it is due again.
              const reopened = current.doc.type === 'PRE_PAYMENT' && invoice.status === 'PAID' ? { status: 'OPEN' as const, doc: { ...back.doc, status: 'OPEN', paidTime: undefined } } : back;
              const savedInvoice = await saveInvoice(tx2, invoice, reopened, now, 'credit voided');
              await notifyCreditNote(deps, tx2, saved, savedInvoice, 'VOIDED', now);
            },
          };
        });
        return { result: { ...SUCCESS_RESULT }, creditNoteId: record.id, status: record.status, voidedAt: record.doc.voidedAt };
      },
    }),

    'billing/creditNote/inquireDetails': endpointModule({
      path: 'billing/creditNote/inquireDetails',
      handle: async (context, request) => ({ result: { ...SUCCESS_RESULT }, ...creditNoteAnswer(await engine.get(CREDIT_NOTE, context.clientId, request.creditNoteId)) }),
    }),

    'billing/creditNote/inquireList': endpointModule({
      path: 'billing/creditNote/inquireList',
      handle: async (context, request) => {
        const statuses = request.status?.split(',').map((s) => s.trim()).filter((s) => s !== '');
        const page = await engine.list(CREDIT_NOTE, context.clientId, pageQueryOf({ ...request, limit: request.limit ?? 20 }, {
          invoiceId: request.invoiceId, customerId: request.customerId, type: request.type, reason: request.reason,
          status: statuses?.length === 1 ? statuses[0] : undefined,
        }, dateBounds(request.startDate, request.endDate)));
        const items = statuses !== undefined && statuses.length > 1 ? page.items.filter((r) => statuses.includes(r.status)) : page.items;
        return {
          result: { ...SUCCESS_RESULT },
          hasMore: page.hasMore,
          ...(page.total === undefined ? {} : { totalCount: page.total }),
          list: items.map((record) => {
            const d = record.doc;
            return { creditNoteId: record.id, customerId: d.customerId, invoiceId: d.invoiceId, type: d.type, status: record.status, totalAmount: d.totalAmount, refundAmount: d.refundAmount, reason: d.reason, effectiveDate: d.effectiveDate, refundStatus: d.refundStatus, voidedAt: d.voidedAt, refundedAt: d.refundedAt, createdAt: d.createdAt };
          }),
        };
      },
    }),
  } satisfies Partial<EndpointModules>;
}
