/**
 * Billing's notifications, recorded in the transaction of the change they
 * report: INVOICE (finalized, paid, voided, written off), CREDIT_NOTE
 * (issued, voided) and BILLING_SUBSCRIPTION (each status change). The event
 * key makes each event one notification however often it is raised.
 */
import { SUCCESS_RESULT } from '@amsgate/protocol';
import type { Tx } from '../../../schema.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import type { BillingSubscriptionDoc, CreditNoteDoc, InvoiceDoc, InvoiceStatus, SubscriptionStatus } from './kinds.js';
import { amount, minorOf } from './money.js';

export type InvoiceEvent = 'FINALIZED' | 'PAID' | 'VOIDED' | 'UNCOLLECTIBLE';

const INVOICE_REASONS: Record<InvoiceEvent, { status: string; reason: string; text: string }> = {
  FINALIZED: { status: 'OPEN', reason: 'FINALIZED', text: 'The invoice was finalized and is due' },
  PAID: { status: 'PAID', reason: 'PAYMENT_SUCCESS', text: 'The invoice was paid' },
  VOIDED: { status: 'VOID', reason: 'MANUAL_VOID', text: 'The invoice was voided' },
  UNCOLLECTIBLE: { status: 'UNCOLLECTIBLE', reason: 'MANUAL_MARK_UNCOLLECTIBLE', text: 'The invoice was marked uncollectible' },
};

export async function notifyInvoice(deps: ResourceProductDeps, tx: Tx, record: ResourceRecord<InvoiceDoc, InvoiceStatus>, event: InvoiceEvent, now: number): Promise<void> {
  const doc = record.doc;
  const meaning = INVOICE_REASONS[event];
  const payment = event === 'PAID' ? doc.payments?.[0] : undefined;
  await deps.outbox.record(tx, {
    clientId: record.clientId,
    notifyType: 'INVOICE',
    eventKey: `billing.invoice:${record.id}:${event}`,
    resourceId: record.id,
    requestUrl: doc.internal.notifyUrl ?? null,
    body: {
      notifyType: 'INVOICE',
      result: { ...SUCCESS_RESULT },
      invoiceRequestId: doc.invoiceRequestId,
      invoiceId: record.id,
      customerId: doc.customerId,
      invoiceStatus: meaning.status,
      invoiceAmount: doc.totalAmount,
      ...(payment === undefined ? {} : {
        paymentInfo: { result: { ...SUCCESS_RESULT }, ...(payment.paymentId === undefined ? {} : { paymentId: payment.paymentId }), paymentAmount: payment.paymentAmount, paymentTime: payment.paymentTime },
      }),
      ...(doc.subscriptionId === undefined ? {} : { subscription: { subscriptionId: doc.subscriptionId, currentPeriodStart: doc.periodStart, currentPeriodEnd: doc.periodEnd } }),
      reason: meaning.reason,
      reasonDescription: meaning.text,
    },
  }, now);
}

export async function notifyCreditNote(
  deps: ResourceProductDeps, tx: Tx, note: ResourceRecord<CreditNoteDoc>, invoice: ResourceRecord<InvoiceDoc, InvoiceStatus>, event: 'CREATED' | 'VOIDED', now: number,
): Promise<void> {
  const { internal: _internal, creditNoteRequestId, customerId, invoiceId: _invoiceId, ...creditNote } = note.doc;
  const currency = invoice.doc.currency ?? 'USD';
  const pre = minorOf(invoice.doc.prePaymentCreditNotesAmount);
  await deps.outbox.record(tx, {
    clientId: note.clientId,
    notifyType: 'CREDIT_NOTE',
    eventKey: `billing.creditNote:${note.id}:${event}`,
    resourceId: note.id,
    requestUrl: note.doc.internal.notifyUrl ?? null,
    body: {
      notifyType: 'CREDIT_NOTE',
      result: { ...SUCCESS_RESULT },
      notifyId: `${note.id}-${event}`,
      creditNoteRequestId,
      creditNoteNotificationType: event,
      customerId,
      creditNote: { ...creditNote, status: note.status },
      invoice: {
        invoiceId: invoice.id,
        invoiceStatus: invoice.status,
        originalAmount: invoice.doc.totalAmount,
        prePaymentCreditNotesAmount: amount(currency, pre),
        postPaymentCreditNotesAmount: invoice.doc.postPaymentCreditNotesAmount ?? amount(currency, 0n),
        adjustedAmount: amount(currency, minorOf(invoice.doc.totalAmount) - pre),
      },
    },
  }, now);
}

export async function notifySubscription(
  deps: ResourceProductDeps, tx: Tx, record: ResourceRecord<BillingSubscriptionDoc, SubscriptionStatus>, previousStatus: SubscriptionStatus | null, reason: string, now: number,
): Promise<void> {
  await deps.outbox.record(tx, {
    clientId: record.clientId,
    notifyType: 'BILLING_SUBSCRIPTION',
    // The version numbers the change: a subscription can pass through one status more than once (PAUSED → ACTIVE → PAUSED).
    eventKey: `billing.subscription:${record.id}:${record.version}:${record.status}`,
    resourceId: record.id,
    requestUrl: record.doc.internal.notifyUrl ?? null,
    body: {
      notifyType: 'BILLING_SUBSCRIPTION',
      result: { ...SUCCESS_RESULT },
      subscriptionRequestId: record.doc.subscriptionRequestId,
      eventTime: new Date(now).toISOString(),
      subscriptionId: record.id,
      ...(record.doc.internal.latestInvoiceId === undefined ? {} : { invoiceId: record.doc.internal.latestInvoiceId }),
      status: record.status,
      ...(previousStatus === null ? {} : { previousStatus }),
      reason,
      reasonDescription: SUBSCRIPTION_REASONS[reason] ?? reason,
    },
  }, now);
}

const SUBSCRIPTION_REASONS: Record<string, string> = {
  CREATE: 'The subscription was created',
  FIRST_INVOICE_PAID: 'The first invoice was paid',
  TRIAL_END: 'The trial ended',
  CANCEL: 'The subscription was canceled',
  CANCEL_AT_PERIOD_END: 'The subscription ended with its period',
  CANCEL_AT: 'The subscription reached its cancelAt time',
  RESUME: 'The subscription was resumed',
};
