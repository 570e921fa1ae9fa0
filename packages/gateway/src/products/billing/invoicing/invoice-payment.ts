/**
 * `invoice/confirmPayment`: an OPEN or UNCOLLECTIBLE invoice becomes PAID,
 * either by an offline payment the merchant reports (`OFFLINE`) or by a
 * successful amsgate payment (`PAYMENT`, its paymentId in `reference`):
 * that payment must be this client's, SUCCESS, in the invoice's currency and
 * at least what remains due, and pays one invoice only. The payment is
 * recorded on the invoice, a receipt is issued, the journal records it and
 * an INVOICE notification is queued, all in one transaction.
 */
import { AmsError, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule, type EndpointModules } from '../../../endpoints/contract.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findByTag, findResource, saveResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import { findPaymentForUpdate } from '../../payments/operations-repository.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { withNote } from './invoice-endpoints.js';
import { recordInvoicePayment } from './invoice-journal.js';
import { BILLING_SUBSCRIPTION, INVOICE, RECEIPT, type InvoiceDoc, type InvoiceStatus } from './kinds.js';
import { mustBe } from './lookup.js';
import { amount, minorOf } from './money.js';
import { notifyInvoice, notifySubscription } from './notifications.js';
import { issueReceipt } from './receipts.js';

const CONFIRMATION_TYPES = ['OFFLINE', 'PAYMENT'] as const;
const OFFLINE_METHODS = ['BANK_TRANSFER', 'CASH', 'CHECK', 'WIRE_TRANSFER', 'OTHER'];

type InvoiceRecord = ResourceRecord<InvoiceDoc, InvoiceStatus>;

export function invoicePaymentEndpoints(deps: ResourceProductDeps) {
  return {
    'billing/invoice/confirmPayment': endpointModule({
      path: 'billing/invoice/confirmPayment',
      handle: async (context, request) => {
        const type = request.confirmationType;
        if (!(CONFIRMATION_TYPES as readonly string[]).includes(type)) throw AmsError.paramIllegal('confirmationType', `must be ${CONFIRMATION_TYPES.join(' or ')}, got ${type}`);
        const method = type === 'PAYMENT' ? 'AMSGATE' : (request.paymentMethod === undefined || request.paymentMethod === '' ? 'OTHER' : request.paymentMethod);
        if (type === 'OFFLINE' && !OFFLINE_METHODS.includes(method)) throw AmsError.paramIllegal('paymentMethod', `must be one of ${OFFLINE_METHODS.join(', ')}, got ${method}`);
        if (type === 'PAYMENT' && (request.reference === undefined || request.reference === '')) throw AmsError.paramIllegal('reference', 'must name the amsgate paymentId when confirmationType is PAYMENT');
        const record = await deps.database.transaction(async (outer) => {
          // Lock order: a subscription before its invoice, as the subscription's own changes (proration) take them; the reverse could deadlock on PostgreSQL.
          const subscriptionId = (await findResource(outer, INVOICE, context.clientId, request.invoiceId))?.doc.subscriptionId;
          if (subscriptionId !== undefined) await findResource(outer, BILLING_SUBSCRIPTION, context.clientId, subscriptionId, { forUpdate: deps.database.dialect });
          return deps.engine.changeWithin(outer, context.clientId, INVOICE, request.invoiceId, async (current, tx, now) => {
            mustBe(INVOICE, current, ['OPEN', 'UNCOLLECTIBLE'], 'paid');
            const doc = current.doc;
            const currency = doc.currency!;
            const remain = minorOf(doc.remainAmount);
            const nowIso = new Date(now).toISOString();
            let paymentId: string | undefined;
            let paymentRequestId: string | undefined;
            let paidMinor = remain;
            if (type === 'PAYMENT') {
              // Locked (PostgreSQL): two invoices confirming with one payment are decided one after the other.
              const payment = await findPaymentForUpdate(tx, deps.database.dialect, context.clientId, { paymentId: request.reference! });
              if (payment === undefined) throw new AmsError('ORDER_NOT_EXIST', `reference: no payment ${request.reference}`, { field: 'reference' });
              if (payment.status !== 'SUCCESS') throw new AmsError('ORDER_STATUS_INVALID', `reference: payment ${payment.paymentId} is ${payment.status}; only a successful payment pays an invoice`, { field: 'reference' });
              if (payment.currency !== currency) throw new AmsError('ORDER_STATUS_INVALID', `reference: payment ${payment.paymentId} is in ${payment.currency}, the invoice in ${currency}`, { field: 'reference' });
              if (payment.amount < remain) throw new AmsError('ORDER_STATUS_INVALID', `reference: payment ${payment.paymentId} is ${payment.amount} minor units, less than the ${remain} due`, { field: 'reference' });
              const used = (await findByTag(tx, RECEIPT, context.clientId, 'paymentId', payment.paymentId)).find((receipt) => receipt.doc.invoiceId !== current.id);
              if (used !== undefined) throw new AmsError('ORDER_STATUS_INVALID', `reference: payment ${payment.paymentId} already paid invoice ${used.doc.invoiceId}`, { field: 'reference' });
              paymentId = payment.paymentId;
              paymentRequestId = payment.paymentRequestId;
              paidMinor = remain;
            }
            const invoicePayment = {
              invoicePaymentId: `ipay_${current.id}_${(doc.payments?.length ?? 0) + 1}`,
              attemptNo: (doc.payments?.length ?? 0) + 1,
              ...(paymentRequestId === undefined ? {} : { paymentRequestId }),
              ...(paymentId === undefined ? {} : { paymentId }),
              paymentAmount: amount(currency, paidMinor),
              paymentOrderStatus: 'SUCCESS',
              paymentMethod: type === 'PAYMENT' ? 'AMSGATE' : 'OFFLINE',
              paymentTime: nowIso,
              gmtCreate: nowIso,
              gmtUpdate: nowIso,
            };
            const paidDoc: InvoiceDoc = {
              ...doc,
              status: 'PAID',
              paidAmount: amount(currency, minorOf(doc.paidAmount) + paidMinor),
              remainAmount: amount(currency, 0n),
              paidTime: nowIso,
              gmtUpdate: nowIso,
              payments: [invoicePayment, ...(doc.payments ?? [])],
              ...withNote(doc, request.invoiceNote, 'PAID', nowIso),
              internal: { ...doc.internal, ...(paymentId === undefined ? {} : { paymentId }), ...(request.autoSend === true ? { sendCount: (doc.internal.sendCount ?? 0) + 1 } : {}) },
            };
            return {
              status: 'PAID', doc: paidDoc, event: 'paid', detail: paymentId === undefined ? `paid offline (${method})` : `paid by payment ${paymentId}`,
              after: async (tx2, saved) => {
                const receipt = await issueReceipt(deps, tx2, saved, { paymentId, paymentRequestId, method, reference: request.reference, paidMinor, offline: type === 'OFFLINE' }, now);
                const withReceipt = await saveResource(tx2, INVOICE, saved, { status: 'PAID', doc: { ...saved.doc, internal: { ...saved.doc.internal, receiptId: receipt.id } }, now, event: 'receipt issued', detail: receipt.id });
                if (withReceipt === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `invoice ${saved.id} changed while it was paid: retry`);
                await recordInvoicePayment(tx2, { clientId: context.clientId, invoiceId: saved.id, paymentId, currency, amountMinor: paidMinor, method, now });
                await notifyInvoice(deps, tx2, withReceipt, 'PAID', now);
                await activateSubscriptionOf(deps, tx2, withReceipt, now);
              },
            };
          });
        });
        const paid = await deps.engine.get(INVOICE, context.clientId, record.id);
        return {
          result: { ...SUCCESS_RESULT },
          invoiceId: paid.id, status: paid.status, receiptId: paid.doc.internal.receiptId, paidAt: paid.doc.paidTime,
          ...(request.invoiceNote === undefined ? {} : { invoiceNote: request.invoiceNote }),
          ...(request.autoSend === true ? { sendStatus: 'SENT' } : {}),
        };
      },
    }),
  } satisfies Partial<EndpointModules>;
}

/** A subscription waiting for its first invoice (INCOMPLETE) becomes ACTIVE when that invoice is paid. */
export async function activateSubscriptionOf(deps: ResourceProductDeps, tx: Tx, invoice: InvoiceRecord, now: number): Promise<void> {
  if (invoice.doc.subscriptionId === undefined) return;
  const subscription = await findResource(tx, BILLING_SUBSCRIPTION, invoice.clientId, invoice.doc.subscriptionId, { forUpdate: deps.database.dialect });
  if (subscription === undefined || subscription.status !== 'INCOMPLETE') return;
  const saved = await saveResource(tx, BILLING_SUBSCRIPTION, subscription, { status: 'ACTIVE', doc: { ...subscription.doc, status: 'ACTIVE' }, now, event: 'activated', detail: `invoice ${invoice.id} paid` });
  if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `billing subscription ${subscription.id} changed while its invoice was paid: retry`);
  await notifySubscription(deps, tx, saved, 'INCOMPLETE', 'FIRST_INVOICE_PAID', now);
}
