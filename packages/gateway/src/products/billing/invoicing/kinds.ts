/**
 * Billing's invoicing resource kinds: invoices, credit notes, receipts,
 * billing subscriptions and export files. A document is what its
 * `inquireDetails` answers (without `result`), plus internal fields the
 * answers strip (`internal`).
 */
import type { EndpointResponse } from '@amsgate/protocol';
import { defineResourceKind } from '../../../resources/resource-kind.js';

type Details<P extends 'billing/invoice/inquireDetails' | 'billing/creditNote/inquireDetails' | 'billing/receipt/inquireDetails' | 'billing/subscription/inquireDetails'> = Omit<EndpointResponse<P>, 'result'>;

/** What an invoice keeps that no answer shows. */
export interface InvoiceInternal {
  readonly notifyUrl?: string;
  readonly footer?: string;
  readonly memo?: string;
  readonly customFields?: ReadonlyArray<{ label?: string; value?: string }>;
  readonly includePaymentLink?: boolean;
  readonly finalizedAt?: string;
  readonly voidedAt?: string;
  readonly markedUncollectibleAt?: string;
  readonly receiptId?: string;
  /** The latest view link's token (createViewLink); a void invalidates it. */
  readonly viewToken?: string;
  readonly viewTokenExpiresAt?: string;
  readonly sendCount?: number;
  /** The amsgate payment that paid it (confirmPayment), when one did. */
  readonly paymentId?: string;
  /** Per item: the catalog product it sells (for a coupon's `appliesTo`), when known. */
  readonly itemProducts?: ReadonlyArray<string | undefined>;
  /** Credits (metering credit grants) drawn against it, minor units. */
  readonly creditsApplied?: string;
  /** A revision: the invoice it copies, and whether that one was voided by it. */
  readonly revisionOf?: string;
  readonly voidedOriginal?: boolean;
  /** A customer change made this one from `replaces` (update answers it as previousInvoiceId). */
  readonly replaces?: string;
  readonly replacedBy?: string;
}

export type InvoiceDoc = Details<'billing/invoice/inquireDetails'> & { readonly internal: InvoiceInternal };

export const INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'UNCOLLECTIBLE', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE = defineResourceKind<InvoiceDoc, InvoiceStatus>({
  kind: 'billing.invoice',
  idPrefix: 'INV',
  noun: 'invoice',
  idField: 'invoiceId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: INVOICE_STATUSES,
  filters: {
    customerId: (doc) => doc.customerId,
    subscriptionId: (doc) => doc.subscriptionId,
    reason: (doc) => doc.reason,
    invoiceRequestId: (doc) => doc.invoiceRequestId,
  },
});

export type CreditNoteDoc = Details<'billing/creditNote/inquireDetails'> & { readonly internal: { readonly notifyUrl?: string; readonly metadata?: string; readonly voidReason?: string } };

export const CREDIT_NOTE_STATUSES = ['ISSUED', 'PROCESSING', 'REFUNDED', 'REFUND_FAILED', 'VOIDED'] as const;
export type CreditNoteStatus = (typeof CREDIT_NOTE_STATUSES)[number];

export const CREDIT_NOTE = defineResourceKind<CreditNoteDoc, CreditNoteStatus>({
  kind: 'billing.creditNote',
  idPrefix: 'CRN',
  noun: 'credit note',
  idField: 'creditNoteId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: CREDIT_NOTE_STATUSES,
  filters: {
    invoiceId: (doc) => doc.invoiceId,
    customerId: (doc) => doc.customerId,
    type: (doc) => doc.type,
    reason: (doc) => doc.reason,
  },
});

/** `internal.viewToken`: the bearer token of its hosted page (`fileUrl`). */
export type ReceiptDoc = Details<'billing/receipt/inquireDetails'> & { readonly internal: { readonly sendCount?: number; readonly viewToken?: string } };

export const RECEIPT_STATUSES = ['ACTIVE', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export const RECEIPT = defineResourceKind<ReceiptDoc, ReceiptStatus>({
  kind: 'billing.receipt',
  idPrefix: 'RCP',
  noun: 'receipt',
  idField: 'receiptId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: RECEIPT_STATUSES,
  filters: {
    invoiceId: (doc) => doc.invoiceId,
    customerId: (doc) => doc.customerId,
    subscriptionId: (doc) => doc.subscriptionId,
    receiptType: (doc) => doc.receiptType,
    paymentId: (doc) => doc.paymentId,
  },
});

/** One subscription item: a price and how many. */
export interface SubscriptionLine {
  readonly itemId: string;
  readonly priceId: string;
  readonly quantity: number;
}

export interface SubscriptionInternal {
  readonly customerId: string;
  readonly currency: string;
  readonly notifyUrl?: string;
  readonly lines: readonly SubscriptionLine[];
  /** The current period's bounds (epoch ms): what the clock work compares and claims on. */
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly periodType: string;
  readonly periodCount: number;
  /** The number of the latest period invoiced (1 = the first). */
  readonly phaseNo: number;
  readonly latestInvoiceId?: string;
  readonly trialEndBehavior?: string;
  readonly cancelAtMs?: number;
  readonly discountRefs?: ReadonlyArray<{ couponId?: string; promotionCodeId?: string }>;
}

export type BillingSubscriptionDoc = Details<'billing/subscription/inquireDetails'> & { readonly customerId: string; readonly internal: SubscriptionInternal };

export const SUBSCRIPTION_STATUSES = ['INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAUSED', 'TERMINATED'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** The statuses whose periods the clock advances. */
export const RUNNING_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['INCOMPLETE', 'TRIALING', 'ACTIVE'];

/** Width of the zero-padded `periodEnd` tag, so tags compare as numbers. */
export const PERIOD_END_TAG_WIDTH = 16;

export const BILLING_SUBSCRIPTION = defineResourceKind<BillingSubscriptionDoc, SubscriptionStatus>({
  kind: 'billing.subscription',
  idPrefix: 'BSU',
  noun: 'billing subscription',
  idField: 'subscriptionId',
  notFoundCode: 'SUBSCRIPTION_NOT_EXIST',
  statuses: SUBSCRIPTION_STATUSES,
  filters: {
    customerId: (doc) => doc.customerId,
    periodEnd: (doc) => (doc.internal?.periodEndMs === undefined ? undefined : String(doc.internal.periodEndMs).padStart(PERIOD_END_TAG_WIDTH, '0')),
  },
});

/** An export file (`/billing/exports/<id>`): what it lists, for the page that serves it. */
export interface ExportDoc {
  readonly downloadType: 'INVOICE' | 'RECEIPT';
  readonly fileFormat: string;
  readonly fileName: string;
  readonly columnPreset: string;
  readonly language: string;
  readonly ids: readonly string[];
  readonly expiresAt: string;
  readonly token: string;
}

export const BILLING_EXPORT = defineResourceKind<ExportDoc, 'READY'>({
  kind: 'billing.export',
  idPrefix: 'BEX',
  noun: 'export',
  idField: 'exportId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ['READY'],
});
