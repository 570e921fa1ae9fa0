/**
 * Receipts: one PAYMENT receipt when an invoice is paid; a POST_PAYMENT
 * credit note refunded takes from it (PARTIALLY_REFUNDED, then REFUNDED).
 * Read by id or by invoice, listed, sent (recorded) and exported.
 */
import { newViewToken } from './invoice-builder.js';
import { AmsError, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule, type EndpointModules } from '../../../endpoints/contract.js';
import { listEndpoint } from '../../../resources/resource-endpoints.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findByTag, insertResource } from '../../../resources/resource-store.js';
import { pageQueryOf } from '../../../resources/list-request.js';
import { newResourceId } from '../../../ids.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { RECEIPT, type InvoiceDoc, type InvoiceStatus, type ReceiptDoc, type ReceiptStatus } from './kinds.js';
import { amount } from './money.js';
import { dateBounds } from './list-filters.js';

const REASONS: Record<string, string> = { SUBSCRIPTION_CREATION: 'SUBSCRIPTION_CREATION', SUBSCRIPTION_RECURRENCE: 'RECURRENCE', SUBSCRIPTION_UPDATE: 'UPDATE' };

export async function issueReceipt(
  deps: ResourceProductDeps, tx: Tx, invoice: ResourceRecord<InvoiceDoc, InvoiceStatus>,
  paid: { paymentId: string | undefined; paymentRequestId: string | undefined; method: string; reference: string | undefined; paidMinor: bigint; offline: boolean }, now: number,
): Promise<ResourceRecord<ReceiptDoc, ReceiptStatus>> {
  const doc = invoice.doc;
  const c = doc.currency!;
  const nowIso = new Date(now).toISOString();
  const viewToken = newViewToken();
  const id = newResourceId(RECEIPT.idPrefix, now);
  const receipt: ReceiptDoc = {
    receiptId: id,
    invoiceId: invoice.id,
    ...(doc.subscriptionId === undefined ? {} : { subscriptionId: doc.subscriptionId }),
    customerId: doc.customerId,
    ...(paid.paymentId === undefined ? {} : { paymentId: paid.paymentId }),
    ...(paid.paymentRequestId === undefined ? {} : { paymentRequestId: paid.paymentRequestId }),
    receiptType: 'PAYMENT',
    status: 'ACTIVE',
    ...(doc.reason !== undefined && REASONS[doc.reason] !== undefined ? { reason: REASONS[doc.reason] } : {}),
    ...(doc.customerFirstName === undefined ? {} : { customerFirstName: doc.customerFirstName }),
    ...(doc.customerLastName === undefined ? {} : { customerLastName: doc.customerLastName }),
    ...(doc.customerEmail === undefined ? {} : { customerEmail: doc.customerEmail }),
    ...(paid.offline ? {} : { collectionMethod: doc.collectionMethod }),
    totalAmount: doc.totalAmount,
    subtotal: doc.subtotal,
    paidAmount: amount(c, paid.paidMinor),
    discountAmount: doc.discountAmount,
    taxAmount: doc.taxAmount,
    shippingFeeAmount: doc.shipping?.shippingFee ?? amount(c, 0n),
    paymentDeductedAmount: doc.paymentDeducted ?? amount(c, 0n),
    refundedAmount: amount(c, 0n),
    remainingAmount: amount(c, paid.paidMinor),
    paymentMethod: paid.offline ? paid.method : 'AMSGATE',
    ...(doc.periodStart === undefined ? {} : { periodStart: doc.periodStart }),
    ...(doc.periodEnd === undefined ? {} : { periodEnd: doc.periodEnd }),
    paidTime: nowIso,
    ...(doc.dueDate === undefined ? {} : { dueDate: doc.dueDate }),
    ...(doc.description === undefined ? {} : { description: doc.description }),
    items: (doc.items ?? []).map((item) => ({
      ...(item.itemId === undefined ? {} : { itemId: item.itemId }),
      ...(item.description === undefined ? {} : { description: item.description }),
      quantity: Number(item.quantity ?? '1'),
      ...(item.unitAmount === undefined ? {} : { unitAmount: item.unitAmount }),
      ...(item.amount === undefined ? {} : { amount: item.amount }),
      ...(item.discountAmount === undefined ? {} : { discountAmount: item.discountAmount }),
      ...(item.taxAmount === undefined ? {} : { taxAmount: item.taxAmount }),
      ...(item.periodStart === undefined ? {} : { periodStart: item.periodStart }),
      ...(item.periodEnd === undefined ? {} : { periodEnd: item.periodEnd }),
      proration: item.proration ?? false,
    })),
    payments: doc.payments,
    gmtCreate: nowIso,
    gmtUpdate: nowIso,
    fileUrl: `${deps.baseUrl()}/billing/receipts/${id}/view?token=${viewToken}`,
    internal: { viewToken },
  };
  return insertResource(tx, RECEIPT, invoice.clientId, { id, status: 'ACTIVE', doc: receipt, now, detail: `invoice ${invoice.id} paid` });
}

export function receiptDetails(record: ResourceRecord<ReceiptDoc, ReceiptStatus>): Omit<ReceiptDoc, 'internal'> {
  const { internal: _internal, ...doc } = record.doc;
  return { ...doc, receiptId: record.id, status: record.status };
}

export function receiptEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/receipt/inquireDetails': endpointModule({
      path: 'billing/receipt/inquireDetails',
      handle: async (context, request) => {
        const record = await deps.database.read(async (db) => {
          if (request.receiptId !== undefined) return engine.require(db, RECEIPT, context.clientId, request.receiptId);
          if (request.invoiceId === undefined) throw AmsError.paramIllegal('receiptId', 'give receiptId or invoiceId');
          const found = (await findByTag(db, RECEIPT, context.clientId, 'invoiceId', request.invoiceId)).filter((r) => r.doc.receiptType === 'PAYMENT').at(-1);
          if (found === undefined) throw new AmsError('RECORD_NOT_FOUND', `invoiceId: no receipt for invoice ${request.invoiceId}`, { field: 'invoiceId' });
          return found;
        });
        return { result: { ...SUCCESS_RESULT }, ...receiptDetails(record) };
      },
    }),

    'billing/receipt/inquireList': listEndpoint(engine, RECEIPT, {
      path: 'billing/receipt/inquireList',
      // Unknown status or receiptType values are ignored, as Antom documents.
      query: (request) => pageQueryOf({ ...request, limit: request.limit ?? 20 }, {
        customerId: request.customerId, invoiceId: request.invoiceId, subscriptionId: request.subscriptionId,
        status: request.status !== undefined && (RECEIPT.statuses as readonly string[]).includes(request.status) ? request.status : undefined,
        receiptType: request.receiptType === 'PAYMENT' || request.receiptType === 'REFUND' ? request.receiptType : undefined,
      }, dateBounds(request.startDate, request.endDate)),
      answer: (page) => ({
        receipts: page.items.map((record) => {
          const { items: _items, payments: _payments, internal: _internal, customerFirstName: _f, customerLastName: _l, customerEmail: _e, paymentId: _p, refundId: _r, refundAmount: _ra, ...summary } = record.doc;
          return { ...summary, receiptId: record.id, status: record.status, paymentMethod: summary.paymentMethod === undefined ? undefined : { paymentMethodType: summary.paymentMethod } } as never;
        }),
        hasMore: page.hasMore,
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        ...(page.total === undefined ? {} : { total: page.total }),
      }),
    }),

    'billing/receipt/send': endpointModule({
      path: 'billing/receipt/send',
      handle: async (context, request) => {
        const record = await engine.change(context.clientId, RECEIPT, request.receiptId, (current) => ({
          status: current.status, event: 'sent', detail: 'sent (recorded; no mail leaves the sandbox)',
          doc: { ...current.doc, internal: { ...current.doc.internal, sendCount: (current.doc.internal.sendCount ?? 0) + 1 } },
        }));
        return { result: { ...SUCCESS_RESULT }, receiptId: record.id, sendStatus: 'SENT', hostedReceiptUrl: record.doc.fileUrl };
      },
    }),
  } satisfies Partial<EndpointModules>;
}
