/**
 * A billing subscription's invoices: the first one at create, and one per
 * period when the sandbox clock passes a period's end. Licensed prices are
 * billed in advance (× quantity, for the period starting); METERED prices in
 * arrears (the meter's usage over the period that ended). Credit grants are
 * drawn first. Each period is invoiced once, however many processes run the
 * clock work: the subscription's `currentPeriodEnd` moves by a
 * compare-and-swap (`engine.change`) in the transaction that makes the
 * invoice.
 */
import { AmsError } from '@amsgate/protocol';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findResource, insertResource } from '../../../resources/resource-store.js';
import { newResourceId } from '../../../ids.js';
import type { Tx } from '../../../schema.js';
import { consumeCredits, meteredUsage } from '../../metering/usage.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { CUSTOMER, PRICE } from '../catalog/kinds.js';
import { buildInvoice, dueDateAfter } from './invoice-builder.js';
import { couponsOfDoc } from './invoice-copy.js';
import { BILLING_SUBSCRIPTION, INVOICE, PERIOD_END_TAG_WIDTH, RUNNING_SUBSCRIPTION_STATUSES, type BillingSubscriptionDoc, type InvoiceDoc, type InvoiceStatus, type SubscriptionStatus } from './kinds.js';
import { notifyInvoice, notifySubscription } from './notifications.js';
import { addPeriods } from './periods.js';
import { priceAmount } from './pricing.js';
import type { Line } from './totals.js';

type SubscriptionRecord = ResourceRecord<BillingSubscriptionDoc, SubscriptionStatus>;

export interface PeriodInvoice {
  readonly id: string;
  readonly reason: 'SUBSCRIPTION_CREATION' | 'SUBSCRIPTION_RECURRENCE';
  readonly phaseNo: number;
  /** The period billed in advance (licensed prices). */
  readonly start: number;
  readonly end: number;
  /** The period that ended (metered prices, in arrears); absent for the first invoice. */
  readonly usageFrom?: number;
  readonly usageTo?: number;
  /** A trial: nothing charged (the licensed lines at 0). */
  readonly trial?: boolean;
  /** Only the metered arrears (the last invoice of a subscription that ends). */
  readonly arrearsOnly?: boolean;
  /** Coupons that apply only once are left out after the first invoice. */
  readonly firstCharge: boolean;
}

/** Makes one period's invoice for the subscription (its document as it will be saved), with its notifications. */
export async function makePeriodInvoice(deps: ResourceProductDeps, tx: Tx, clientId: string, sub: BillingSubscriptionDoc, period: PeriodInvoice, now: number): Promise<ResourceRecord<InvoiceDoc, InvoiceStatus> | undefined> {
  const internal = sub.internal;
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines: Line[] = [];
  for (const line of internal.lines) {
    const price = await findResource(tx, PRICE, clientId, line.priceId);
    if (price === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `price ${line.priceId} of billing subscription ${sub.subscriptionId} is gone`);
    if (price.doc.usageType === 'METERED') {
      if (period.usageFrom === undefined || period.usageTo === undefined || price.doc.meterId === undefined) continue;
      const { quantity } = await meteredUsage(tx, clientId, { customerId: internal.customerId, meterId: price.doc.meterId, from: period.usageFrom, to: period.usageTo });
      lines.push({ itemId: line.itemId, priceId: price.id, productId: price.doc.productId, description: price.doc.name ?? 'Metered usage', quantity, usageQuantity: quantity, amountMinor: priceAmount(price.doc, quantity), periodStart: iso(period.usageFrom), periodEnd: iso(period.usageTo) });
    } else if (period.arrearsOnly !== true) {
      const quantity = BigInt(line.quantity);
      lines.push({
        itemId: line.itemId, priceId: price.id, productId: price.doc.productId, description: period.trial === true ? `Trial: ${price.doc.name ?? price.id}` : price.doc.name ?? price.id, quantity,
        ...(price.doc.unitAmount === undefined ? {} : { unitAmountMinor: period.trial === true ? 0n : BigInt(price.doc.unitAmount.value) }),
        amountMinor: period.trial === true ? 0n : priceAmount(price.doc, quantity), periodStart: iso(period.start), periodEnd: iso(period.end),
      });
    }
  }
  if (lines.length === 0) return undefined;
  const customer = await findResource(tx, CUSTOMER, clientId, internal.customerId);
  if (customer === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `customer ${internal.customerId} of billing subscription ${sub.subscriptionId} is gone`);
  const refs = internal.discountRefs ?? [];
  const coupons = (await couponsOfDoc(tx, clientId, refs)).filter((c) => period.firstCharge || c.coupon.durationType !== 'ONCE');
  const built = await buildInvoice(deps, tx, clientId, {
    id: period.id, requestId: `${sub.subscriptionId}-${period.phaseNo}${period.arrearsOnly === true ? '-final' : ''}`, customer, currency: internal.currency, lines,
    discounts: refs, coupons, status: 'OPEN', reason: period.reason, subscriptionId: sub.subscriptionId!, phaseNo: period.phaseNo,
    periodStart: iso(period.start), periodEnd: iso(period.end), dueDate: dueDateAfter(now, sub.daysUntilDue ?? 30),
    ...(sub.description === undefined ? {} : { description: sub.description }), collectionMethod: sub.collectionMethod ?? 'CHARGE_AUTOMATICALLY',
    internal: {},
    credits: (total) => consumeCredits(tx, deps.engine, clientId, { customerId: internal.customerId, currency: internal.currency, amountMinor: total, now }),
  }, now);
  const record = await insertResource(tx, INVOICE, clientId, { id: period.id, requestId: built.doc.invoiceRequestId!, status: built.status, doc: built.doc, now, detail: `${period.reason} of ${sub.subscriptionId}` });
  await notifyInvoice(deps, tx, record, 'FINALIZED', now);
  if (record.status === 'PAID') await notifyInvoice(deps, tx, record, 'PAID', now);
  return record;
}

/**
 * A mid-period change's proration invoice (reason SUBSCRIPTION_UPDATE): its
 * lines are the prorated charges, all marked `proration`, less the prorated
 * credit for what the change ended (taken off as its discount); the
 * subscription's discounts and credit grants are not applied to it (they
 * applied to the period's invoice). Finalized OPEN.
 */
export async function makeProrationInvoice(
  deps: ResourceProductDeps, tx: Tx, clientId: string, sub: BillingSubscriptionDoc,
  spec: { id: string; requestId: string; lines: readonly Line[]; creditMinor: bigint; periodEnd: number }, now: number,
): Promise<ResourceRecord<InvoiceDoc, InvoiceStatus>> {
  const internal = sub.internal;
  const customer = await findResource(tx, CUSTOMER, clientId, internal.customerId);
  if (customer === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `customer ${internal.customerId} of billing subscription ${sub.subscriptionId} is gone`);
  const built = await buildInvoice(deps, tx, clientId, {
    id: spec.id, requestId: spec.requestId, customer, currency: internal.currency, lines: spec.lines.map((line) => ({ ...line, proration: true })),
    discounts: [], coupons: [], credit: spec.creditMinor, status: 'OPEN', reason: 'SUBSCRIPTION_UPDATE', subscriptionId: sub.subscriptionId!, phaseNo: internal.phaseNo,
    periodStart: new Date(now).toISOString(), periodEnd: new Date(spec.periodEnd).toISOString(), dueDate: dueDateAfter(now, sub.daysUntilDue ?? 30),
    ...(sub.description === undefined ? {} : { description: sub.description }), collectionMethod: sub.collectionMethod ?? 'CHARGE_AUTOMATICALLY', internal: {},
  }, now);
  const record = await insertResource(tx, INVOICE, clientId, { id: spec.id, requestId: spec.requestId, status: built.status, doc: built.doc, now, detail: `proration of ${sub.subscriptionId}` });
  await notifyInvoice(deps, tx, record, 'FINALIZED', now);
  if (record.status === 'PAID') await notifyInvoice(deps, tx, record, 'PAID', now);
  return record;
}

/** The subscriptions of every client whose period has ended by `now`. */
async function dueSubscriptions(deps: ResourceProductDeps, now: number): Promise<Array<{ id: string; clientId: string }>> {
  return deps.database.read((db) =>
    db.selectFrom('resources as r')
      .innerJoin('resource_tags as t', (join) => join.onRef('t.id', '=', 'r.id').on('t.name', '=', 'periodEnd'))
      .select(['r.id', 'r.client_id'])
      .where('r.kind', '=', BILLING_SUBSCRIPTION.kind)
      .where('r.status', 'in', [...RUNNING_SUBSCRIPTION_STATUSES])
      .where('t.value', '<=', String(now).padStart(PERIOD_END_TAG_WIDTH, '0'))
      .orderBy('r.id')
      .execute(),
  ).then((rows) => rows.map((row) => ({ id: row.id, clientId: row.client_id })));
}

/** The clock work: each subscription past its period end moves one period at a time until it is current. */
export async function advanceSubscriptions(deps: ResourceProductDeps): Promise<void> {
  for (const { id, clientId } of await dueSubscriptions(deps, deps.clock.now())) {
    for (let step = 0; step < 1000; step++) {
      let moved = false;
      await deps.engine.change(clientId, BILLING_SUBSCRIPTION, id, async (current, tx, now) => {
        moved = false;
        const internal = current.doc.internal;
        if (!RUNNING_SUBSCRIPTION_STATUSES.includes(current.status) || internal.periodEndMs > now) return { unchanged: true };
        moved = true;
        return nextPeriod(deps, tx, current, now);
      });
      if (!moved) break;
    }
  }
}

async function customerHasPaymentMethod(tx: Tx, clientId: string, customerId: string): Promise<boolean> {
  const customer = await findResource(tx, CUSTOMER, clientId, customerId);
  return customer?.doc.defaultPaymentMethod !== undefined;
}

/** What passing the current period's end does: end the subscription, or start the next period with its invoice. */
async function nextPeriod(deps: ResourceProductDeps, tx: Tx, current: SubscriptionRecord, now: number) {
  const doc = current.doc;
  const internal = doc.internal;
  const end = internal.periodEndMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  const ending = doc.cancelAtPeriodEnd === true || (internal.cancelAtMs !== undefined && internal.cancelAtMs <= end);
  if (ending || (current.status === 'TRIALING' && internal.trialEndBehavior !== undefined && !(await customerHasPaymentMethod(tx, current.clientId, internal.customerId)))) {
    const pause = !ending && internal.trialEndBehavior === 'PAUSE';
    const status: SubscriptionStatus = pause ? 'PAUSED' : 'TERMINATED';
    const reason = ending ? (doc.cancelAtPeriodEnd === true ? 'CANCEL_AT_PERIOD_END' : 'CANCEL_AT') : 'TRIAL_END';
    const finalId = newResourceId(INVOICE.idPrefix, now);
    return {
      status, event: pause ? 'paused' : 'terminated', detail: reason,
      doc: { ...doc, status, ...(pause ? {} : { canceledAt: doc.canceledAt ?? iso(end), terminationReason: reason }), internal: { ...internal, periodEndMs: Number.MAX_SAFE_INTEGER } },
      after: async (tx2: Tx, saved: SubscriptionRecord) => {
        // What was used in the last period is still billed.
        if (current.status !== 'TRIALING') await makePeriodInvoice(deps, tx2, saved.clientId, doc, { id: finalId, reason: 'SUBSCRIPTION_RECURRENCE', phaseNo: internal.phaseNo + 1, start: internal.periodStartMs, end, usageFrom: internal.periodStartMs, usageTo: end, arrearsOnly: true, firstCharge: false }, now);
        await notifySubscription(deps, tx2, saved, current.status, reason, now);
      },
    };
  }
  const trialEnded = current.status === 'TRIALING';
  const nextEnd = addPeriods(end, internal.periodType, internal.periodCount);
  const invoiceId = newResourceId(INVOICE.idPrefix, now);
  const phaseNo = internal.phaseNo + 1;
  const status: SubscriptionStatus = trialEnded ? 'ACTIVE' : current.status;
  return {
    status, event: 'period', detail: `period ${phaseNo}: invoice ${invoiceId}`,
    doc: {
      ...doc, status, currentPeriodStart: iso(end), currentPeriodEnd: iso(nextEnd),
      ...(trialEnded ? { billingCycleAnchor: iso(end) } : {}),
      internal: { ...internal, periodStartMs: end, periodEndMs: nextEnd, phaseNo, latestInvoiceId: invoiceId },
    },
    after: async (tx2: Tx, saved: SubscriptionRecord) => {
      await makePeriodInvoice(deps, tx2, saved.clientId, doc, {
        id: invoiceId, reason: trialEnded ? 'SUBSCRIPTION_CREATION' : 'SUBSCRIPTION_RECURRENCE', phaseNo, start: end, end: nextEnd,
        ...(trialEnded ? {} : { usageFrom: internal.periodStartMs, usageTo: end }), firstCharge: trialEnded,
      }, now);
      if (trialEnded) await notifySubscription(deps, tx2, saved, 'TRIALING', 'TRIAL_END', now);
    },
  };
}
