/**
 * Making an invoice document: the customer, the priced lines, the
 * discounts redeemed, the totals. Used by `invoice/create`, `revise` and the
 * subscription periods.
 */
import { randomBytes } from 'node:crypto';
import { AmsError } from '@amsgate/protocol';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import type { Jurisdiction } from '../../tax/rates.js';
import { COUPON, CUSTOMER, PROMOTION_CODE, type CustomerDoc, type CustomerStatus } from '../catalog/kinds.js';
import { recordRedemption, redeemable } from '../catalog/discounts.js';
import type { InvoiceDoc, InvoiceInternal, InvoiceStatus } from './kinds.js';
import { amount } from './money.js';
import { computeTotals, type AppliedCoupon, type Line } from './totals.js';

export type DiscountRef = { couponId?: string; promotionCodeId?: string };

export async function requireCustomer(tx: Tx, clientId: string, customerId: string, field = 'customerId'): Promise<ResourceRecord<CustomerDoc, CustomerStatus>> {
  const customer = await findResource(tx, CUSTOMER, clientId, customerId);
  if (customer === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}: no customer ${customerId}`, { field });
  if (customer.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `${field}: customer ${customerId} is ${customer.status}`, { field });
  return customer;
}

/** Where the invoice is taxed: the shipping address, else the customer's shipping country, else the customer's country. */
export function jurisdictionOf(customer: CustomerDoc, shipping: InvoiceDoc['shipping']): Jurisdiction | undefined {
  const address = shipping?.shippingAddress;
  if (address?.country !== undefined) return { country: address.country, ...(address.state === undefined ? {} : { state: address.state }) };
  if (customer.shippingCountry !== undefined) return { country: customer.shippingCountry, ...(customer.shippingState === undefined ? {} : { state: customer.shippingState }) };
  if (customer.country !== undefined) return { country: customer.country, ...(customer.state === undefined ? {} : { state: customer.state }) };
  return undefined;
}

/**
 * The coupons the discounts name, checked redeemable by this customer on
 * this subtotal, and counted as redeemed (in `tx`, with the invoice).
 */
export async function redeemDiscounts(deps: ResourceProductDeps, tx: Tx, clientId: string, refs: readonly DiscountRef[], q: { customerId: string; subtotal: bigint; currency: string; now: number; field: string }): Promise<AppliedCoupon[]> {
  const applied: AppliedCoupon[] = [];
  for (const [i, ref] of refs.entries()) {
    const field = `${q.field}[${i}]`;
    if ((ref.couponId === undefined) === (ref.promotionCodeId === undefined)) throw AmsError.paramIllegal(field, 'give couponId or promotionCodeId, exactly one');
    const code = ref.promotionCodeId === undefined ? undefined : await findResource(tx, PROMOTION_CODE, clientId, ref.promotionCodeId);
    if (ref.promotionCodeId !== undefined && code === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}.promotionCodeId: no promotion code ${ref.promotionCodeId}`, { field: `${field}.promotionCodeId` });
    const couponId = ref.couponId ?? code!.doc.couponId!;
    const coupon = await findResource(tx, COUPON, clientId, couponId);
    if (coupon === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}.couponId: no coupon ${couponId}`, { field: `${field}.couponId` });
    const idField = ref.couponId === undefined ? `${field}.promotionCodeId` : `${field}.couponId`;
    const refusal = redeemable({ ...coupon.doc, status: coupon.status }, code === undefined ? undefined : { ...code.doc, status: code.status }, q.now, q.customerId, q.subtotal, q.currency);
    if (refusal !== undefined) throw AmsError.paramIllegal(idField, refusal);
    await recordRedemption(tx, deps.engine, clientId, coupon.id, code?.id, q.customerId);
    applied.push({ coupon: { ...coupon.doc, couponId: coupon.id }, field: idField });
  }
  return applied;
}

export interface InvoiceSpec {
  readonly id: string;
  readonly requestId: string;
  readonly customer: ResourceRecord<CustomerDoc, CustomerStatus>;
  readonly currency: string;
  readonly lines: readonly Line[];
  readonly discounts: readonly DiscountRef[];
  /** The discounts already redeemed (a subscription's), applied without counting again. */
  readonly coupons?: readonly AppliedCoupon[];
  /** Taken off after the coupons, like one (a proration invoice's credit for unused time). */
  readonly credit?: bigint;
  readonly status: 'DRAFT' | 'OPEN';
  readonly reason: string;
  readonly subscriptionId?: string;
  readonly phaseNo?: number;
  readonly periodStart?: string;
  readonly periodEnd?: string;
  readonly dueDate?: string;
  readonly description?: string;
  readonly collectionMethod: string;
  readonly paymentMethod?: InvoiceDoc['paymentMethod'];
  readonly shipping?: InvoiceDoc['shipping'];
  readonly internal: InvoiceInternal;
  /** Draws credit (metering grants) against the total; answers what it covered. */
  readonly credits?: (totalMinor: bigint) => Promise<bigint>;
}

export function newViewToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hostedUrl(deps: ResourceProductDeps, invoiceId: string, token: string): string {
  return `${deps.baseUrl()}/billing/invoices/${invoiceId}/view?token=${token}`;
}

/** The document and status of a new invoice (OPEN with nothing to pay is PAID at once). */
export async function buildInvoice(deps: ResourceProductDeps, tx: Tx, clientId: string, spec: InvoiceSpec, now: number): Promise<{ status: InvoiceStatus; doc: InvoiceDoc }> {
  const nowIso = new Date(now).toISOString();
  const subtotal = spec.lines.reduce((sum, line) => sum + line.amountMinor, 0n);
  const coupons = spec.coupons ?? await redeemDiscounts(deps, tx, clientId, spec.discounts, { customerId: spec.customer.id, subtotal, currency: spec.currency, now, field: 'discounts' });
  const totals = await computeTotals(tx, clientId, { currency: spec.currency, lines: spec.lines, coupons, ...(spec.credit === undefined ? {} : { credit: spec.credit }), jurisdiction: jurisdictionOf(spec.customer.doc, spec.shipping), now, nowIso, taxRates: deps.taxRates });
  const credits = spec.credits === undefined ? 0n : await spec.credits(totals.total);
  const remain = totals.total - credits;
  const c = spec.currency;
  const token = spec.status === 'OPEN' ? newViewToken() : undefined;
  const paidAtOnce = spec.status === 'OPEN' && remain === 0n;
  const doc: InvoiceDoc = {
    invoiceId: spec.id,
    invoiceRequestId: spec.requestId,
    ...(spec.subscriptionId === undefined ? {} : { subscriptionId: spec.subscriptionId }),
    customerId: spec.customer.id,
    ...(spec.customer.doc.firstName === undefined ? {} : { customerFirstName: spec.customer.doc.firstName }),
    ...(spec.customer.doc.lastName === undefined ? {} : { customerLastName: spec.customer.doc.lastName }),
    ...(spec.customer.doc.email === undefined ? {} : { customerEmail: spec.customer.doc.email }),
    reason: spec.reason,
    ...(spec.phaseNo === undefined ? {} : { phaseNo: String(spec.phaseNo) }),
    status: paidAtOnce ? 'PAID' : spec.status,
    currency: c,
    subtotal: amount(c, totals.subtotal),
    discountAmount: amount(c, totals.discount),
    taxAmount: amount(c, totals.tax),
    totalAmount: amount(c, totals.total),
    paidAmount: amount(c, 0n),
    remainAmount: amount(c, remain),
    prePaymentCreditNotesAmount: amount(c, 0n),
    postPaymentCreditNotesAmount: amount(c, 0n),
    paymentDeducted: amount(c, credits),
    collectionMethod: spec.collectionMethod,
    ...(spec.paymentMethod === undefined ? {} : { paymentMethod: spec.paymentMethod }),
    ...(spec.shipping === undefined ? {} : { shipping: spec.shipping }),
    ...(token === undefined ? {} : { hostedInvoiceUrl: hostedUrl(deps, spec.id, token) }),
    ...(spec.periodStart === undefined ? {} : { periodStart: spec.periodStart }),
    ...(spec.periodEnd === undefined ? {} : { periodEnd: spec.periodEnd }),
    ...(spec.dueDate === undefined ? {} : { dueDate: spec.dueDate }),
    ...(paidAtOnce ? { paidTime: nowIso } : {}),
    ...(spec.description === undefined ? {} : { description: spec.description }),
    items: totals.items,
    gmtCreate: nowIso,
    gmtUpdate: nowIso,
    ...(spec.discounts.length === 0 ? {} : { discounts: spec.discounts.map((d) => ({ ...d })) }),
    internal: {
      ...spec.internal,
      ...(spec.lines.some((line) => line.productId !== undefined) ? { itemProducts: spec.lines.map((line) => line.productId) } : {}),
      ...(token === undefined ? {} : { viewToken: token, finalizedAt: nowIso }),
      ...(credits === 0n ? {} : { creditsApplied: credits.toString() }),
    },
  };
  return { status: paidAtOnce ? 'PAID' : spec.status, doc };
}

/** A due date: `yyyy-MM-dd` (the end of that UTC day) or an ISO 8601 time; not past. Answered as `yyyy-MM-dd`. */
export function parseDueDate(value: string, now: number, field = 'dueDate'): string {
  let at: number;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    at = Date.parse(`${value}T23:59:59.999Z`);
  } else {
    at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  }
  if (Number.isNaN(at)) throw AmsError.paramIllegal(field, `must be yyyy-MM-dd or an ISO 8601 time, got ${JSON.stringify(value.slice(0, 40))}`);
  if (at < now) throw AmsError.paramIllegal(field, `must not be in the past, got ${value}`);
  return new Date(at).toISOString().slice(0, 10);
}

export function dueDateAfter(now: number, days: number): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}
