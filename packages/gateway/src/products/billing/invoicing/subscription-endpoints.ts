/**
 * Billing subscriptions: create (the first invoice, or a trial first),
 * update (items and settings; with prorationBehavior NONE the new items are
 * billed from the next period's invoice, with ALWAYS_INVOICE the rest of the
 * current period is prorated now: a proration invoice for an upgrade, a
 * credit note for a downgrade), cancel (now, optionally crediting the unused
 * rest of the period, or at the period's end), resume (PAUSED → ACTIVE, a new
 * period from now), inquire. Statuses: INCOMPLETE (first invoice unpaid),
 * TRIALING, ACTIVE, PAUSED, TERMINATED.
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
import { CUSTOMER, PRICE, type PriceDoc } from '../catalog/kinds.js';
import { parseFutureTime } from '../catalog/times.js';
import { redeemDiscounts, requireCustomer } from './invoice-builder.js';
import { issueCreditNote } from './credit-notes.js';
import { BILLING_SUBSCRIPTION, CREDIT_NOTE, INVOICE, type BillingSubscriptionDoc, type InvoiceDoc, type InvoiceStatus, type SubscriptionLine, type SubscriptionStatus } from './kinds.js';
import { mustBe } from './lookup.js';
import { dateBounds } from './list-filters.js';
import { amount, minorOf } from './money.js';
import { prorate, unusedShare, type ProrationWindow } from './proration.js';
import { notifySubscription } from './notifications.js';
import { addPeriods, PERIOD_TYPES } from './periods.js';
import { priceAmount, priceCurrency } from './pricing.js';
import { makePeriodInvoice, makeProrationInvoice } from './subscription-invoices.js';
import type { Line } from './totals.js';

type SubscriptionRecord = ResourceRecord<BillingSubscriptionDoc, SubscriptionStatus>;
const MAX_PRICE_ITEMS = 20;
const DAY = 86_400_000;

async function recurringPrice(tx: Tx, clientId: string, priceId: string | undefined, field: string): Promise<ResourceRecord<PriceDoc>> {
  if (priceId === undefined) throw AmsError.paramIllegal(`${field}.priceId`, 'is required');
  const price = await findResource(tx, PRICE, clientId, priceId);
  if (price === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}.priceId: no price ${priceId}`, { field: `${field}.priceId` });
  if (price.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `${field}.priceId: price ${priceId} is ${price.status}; it cannot start a subscription`, { field: `${field}.priceId` });
  const rule = price.doc.recurring?.periodRule;
  if (rule?.periodType === undefined || !(PERIOD_TYPES as readonly string[]).includes(rule.periodType)) throw AmsError.paramIllegal(`${field}.priceId`, `price ${priceId} is not recurring`);
  return price;
}

function quantityOf(value: number | undefined, field: string): number {
  const quantity = value ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 999_999) throw AmsError.paramIllegal(field, 'must be 1 to 999999');
  return quantity;
}

/** The per-period amounts and price items a subscription shows, from its lines (metered ones at 0 until used). */
async function describeLines(tx: Tx, clientId: string, lines: readonly SubscriptionLine[], currency: string, period: { start: number; end: number }) {
  const items = [];
  let subtotal = 0n;
  let metered = 0;
  for (const line of lines) {
    const price = await findResource(tx, PRICE, clientId, line.priceId);
    const doc = price?.doc;
    const isMetered = doc?.usageType === 'METERED';
    if (isMetered) metered += 1;
    const lineAmount = doc === undefined || isMetered ? 0n : doc.pricingModel === 'TIERED' ? 0n : minorOf(doc.unitAmount) * BigInt(line.quantity);
    subtotal += lineAmount;
    items.push({
      itemId: line.itemId, priceId: line.priceId, quantity: line.quantity, productId: doc?.productId, nickname: doc?.name, priceType: 'RECURRING', pricingModel: doc?.pricingModel,
      usageType: doc?.usageType ?? 'LICENSED', unitAmount: doc?.unitAmount, itemAmount: amount(currency, lineAmount),
      recurringInterval: doc?.recurring?.periodRule?.periodType, recurringIntervalCount: doc?.recurring?.periodRule?.periodCount ?? 1,
      currentPeriodStart: new Date(period.start).toISOString(), currentPeriodEnd: new Date(period.end).toISOString(),
    });
  }
  return { items, subtotal, billingMode: metered === 0 ? 'LICENSED' : metered === lines.length ? 'METERED' : 'MIXED' };
}

/**
 * The proration of an item change over the rest of the period: a charge line
 * for the unused rest of each licensed item the change starts or alters, and
 * a credit worth the unused rest of each one it ends or alters (unchanged
 * items cancel out and are left out). Amounts on the wire are never negative,
 * so the credit is not a line: the proration invoice takes it off its charges
 * (as its discount), or, when it is larger, it is a credit note. METERED items
 * are billed on usage in arrears, so they are never prorated.
 */
async function prorationOf(tx: Tx, clientId: string, before: readonly SubscriptionLine[], after: readonly SubscriptionLine[], window: ProrationWindow): Promise<{ charges: Line[]; creditMinor: bigint; netMinor: bigint }> {
  const same = (a: SubscriptionLine, b: SubscriptionLine) => a.itemId === b.itemId && a.priceId === b.priceId && a.quantity === b.quantity;
  const iso = (ms: number) => new Date(ms).toISOString();
  const licensedShare = async (line: SubscriptionLine) => {
    const price = await findResource(tx, PRICE, clientId, line.priceId);
    if (price === undefined || price.doc.usageType === 'METERED') return undefined;
    return { price, share: unusedShare(priceAmount(price.doc, BigInt(line.quantity)), window) };
  };
  let creditMinor = 0n;
  for (const line of before) {
    if (!after.some((a) => same(a, line))) creditMinor += (await licensedShare(line))?.share ?? 0n;
  }
  const charges: Line[] = [];
  for (const line of after) {
    if (before.some((b) => same(b, line))) continue;
    const found = await licensedShare(line);
    if (found === undefined || found.share === 0n) continue;
    charges.push({
      itemId: `${line.itemId}_remaining`, priceId: found.price.id, ...(found.price.doc.productId === undefined ? {} : { productId: found.price.doc.productId }),
      description: `Remaining time on ${line.quantity} × ${found.price.doc.name ?? found.price.id}`, quantity: BigInt(line.quantity), amountMinor: found.share,
      periodStart: iso(window.now), periodEnd: iso(window.end), proration: true,
    });
  }
  const chargedMinor = charges.reduce((sum, line) => sum + line.amountMinor, 0n);
  return { charges, creditMinor, netMinor: chargedMinor - creditMinor };
}

/** What the credit for the unused rest of the period is worth: the period invoice's licensed items as charged (after discount, with tax), prorated. */
function unusedOfPeriodInvoice(invoice: ResourceRecord<InvoiceDoc, InvoiceStatus>, window: ProrationWindow): bigint {
  const licensed = (invoice.doc.items ?? []).filter((item) => item.proration !== true && item.usageQuantity === undefined);
  return prorate(licensed.map((item, i) => ({ key: item.itemId ?? String(i), amountMinor: minorOf(item.amount) - minorOf(item.discountAmount) + minorOf(item.taxAmount) })), window).totalMinor;
}

const UPDATE_PRORATIONS = ['NONE', 'ALWAYS_INVOICE'];
const CANCEL_PRORATIONS = ['NONE', 'CREATE_PRORATIONS', 'ALWAYS_INVOICE'];

function subscriptionItems(doc: BillingSubscriptionDoc) {
  return doc.internal.lines.map((line) => ({ itemId: line.itemId, priceId: line.priceId, quantity: line.quantity, currentPeriodStart: doc.currentPeriodStart, currentPeriodEnd: doc.currentPeriodEnd, recurringIntervalCount: doc.internal.periodCount }));
}

export function subscriptionDetails(record: SubscriptionRecord) {
  const { internal: _internal, customerId: _customerId, ...doc } = record.doc;
  return { ...doc, subscriptionId: record.id, status: record.status };
}

export function subscriptionEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/subscription/create': createEndpoint(engine, BILLING_SUBSCRIPTION, {
      path: 'billing/subscription/create',
      requestIdField: 'subscriptionRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        const nowIso = new Date(now).toISOString();
        if (request.priceItems.length === 0 || request.priceItems.length > MAX_PRICE_ITEMS) throw AmsError.paramIllegal('priceItems', `must hold 1 to ${MAX_PRICE_ITEMS} items`);
        if ((request.discounts?.length ?? 0) > 1) throw AmsError.paramIllegal('discounts', 'at most one discount');
        const daysUntilDue = request.daysUntilDue ?? 30;
        if (!Number.isInteger(daysUntilDue) || daysUntilDue < 1 || daysUntilDue > 365) throw AmsError.paramIllegal('daysUntilDue', 'must be 1 to 365');
        const collectionMethod = request.collectionMethod ?? 'CHARGE_AUTOMATICALLY';
        if (collectionMethod !== 'CHARGE_AUTOMATICALLY' && collectionMethod !== 'SEND_INVOICE') throw AmsError.paramIllegal('collectionMethod', 'must be CHARGE_AUTOMATICALLY or SEND_INVOICE');
        const paymentBehavior = request.paymentBehavior ?? 'ALLOW_INCOMPLETE';
        if (!['ALLOW_INCOMPLETE', 'ERROR_IF_INCOMPLETE', 'PENDING_IF_INCOMPLETE'].includes(paymentBehavior)) throw AmsError.paramIllegal('paymentBehavior', 'must be ALLOW_INCOMPLETE, ERROR_IF_INCOMPLETE or PENDING_IF_INCOMPLETE');
        const cancelAtMs = request.cancelAt === undefined ? undefined : parseFutureTime(request.cancelAt, 'cancelAt', now);
        const customerId = await customerOf(tx, clientId, request.customerId, request.customerEmail, now);
        let currency: string | undefined;
        let rule: { type: string; count: number } | undefined;
        const lines: SubscriptionLine[] = [];
        for (const [i, item] of request.priceItems.entries()) {
          const field = `priceItems[${i}]`;
          const price = await recurringPrice(tx, clientId, item.priceId, field);
          const c = priceCurrency(price.doc, `${field}.priceId`);
          const r = { type: price.doc.recurring!.periodRule!.periodType!, count: price.doc.recurring!.periodRule!.periodCount ?? 1 };
          if (currency !== undefined && c !== currency) throw new AmsError('CURRENCY_NOT_SUPPORT', `${field}.priceId: price ${price.id} is in ${c}, ${currency} before it; one subscription bills one currency`, { field: `${field}.priceId` });
          if (rule !== undefined && (r.type !== rule.type || r.count !== rule.count)) throw AmsError.paramIllegal(`${field}.priceId`, `price ${price.id} recurs every ${r.count} ${r.type}, the others every ${rule.count} ${rule.type}`);
          currency = c;
          rule = r;
          lines.push({ itemId: `si_${i + 1}`, priceId: price.id, quantity: quantityOf(item.quantity, `${field}.quantity`) });
        }
        const trial = trialOf(request.trialSettings, now);
        const start = now;
        const end = trial?.end ?? addPeriods(now, rule!.type, rule!.count);
        const periodEnd = cancelAtMs !== undefined && cancelAtMs < end ? cancelAtMs : end;
        const described = await describeLines(tx, clientId, lines, currency!, { start, end: periodEnd });
        const refs = request.discounts ?? [];
        await redeemDiscounts(deps, tx, clientId, refs, { customerId, subtotal: described.subtotal, currency: currency!, now, field: 'discounts' });
        const invoiceId = newResourceId(INVOICE.idPrefix, now);
        const status: SubscriptionStatus = trial === undefined ? 'INCOMPLETE' : 'TRIALING';
        const doc: BillingSubscriptionDoc = {
          subscriptionId: id, subscriptionRequestId: request.subscriptionRequestId, createTime: nowIso, status, billingMode: described.billingMode, paymentBehavior,
          currentPeriodStart: new Date(start).toISOString(), currentPeriodEnd: new Date(periodEnd).toISOString(),
          billingCycleAnchor: new Date(trial?.end ?? now).toISOString(), cancelAtPeriodEnd: request.cancelAtPeriodEnd ?? false,
          ...(trial === undefined ? {} : { trialStart: nowIso, trialEnd: new Date(trial.end).toISOString(), ...(trial.behavior === undefined ? {} : { trialSettings: { endBehavior: { missingPaymentMethod: trial.behavior } } }) }),
          ...(request.cancelAt === undefined ? {} : { cancelAt: request.cancelAt }),
          collectionMethod, daysUntilDue,
          ...(request.description === undefined ? {} : { description: request.description }),
          subtotal: amount(currency!, described.subtotal), priceItems: described.items,
          ...(refs.length === 0 ? {} : { discounts: refs.map((ref, i) => ({ discountId: `${id}_d${i + 1}`, ...ref, status: 'ACTIVE' })) }),
          ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
          customerId,
          internal: {
            customerId, currency: currency!, ...(request.subscriptionNotifyUrl === undefined ? {} : { notifyUrl: request.subscriptionNotifyUrl }),
            lines, periodStartMs: start, periodEndMs: periodEnd, periodType: rule!.type, periodCount: rule!.count, phaseNo: 1, latestInvoiceId: invoiceId,
            ...(trial?.behavior === undefined ? {} : { trialEndBehavior: trial.behavior }), ...(cancelAtMs === undefined ? {} : { cancelAtMs }), discountRefs: refs,
          },
        };
        return {
          status, doc,
          after: async (tx2, record) => {
            const invoice = await makePeriodInvoice(deps, tx2, clientId, { ...doc, subscriptionId: record.id }, { id: invoiceId, reason: 'SUBSCRIPTION_CREATION', phaseNo: 1, start, end: periodEnd, ...(trial === undefined ? {} : { trial: true }), firstCharge: trial === undefined }, now);
            await notifySubscription(deps, tx2, record, null, 'CREATE', now);
            // Nothing to pay (a trial, a free price): active at once.
            if (invoice?.status === 'PAID' && record.status === 'INCOMPLETE') {
              const saved = await saveResource(tx2, BILLING_SUBSCRIPTION, record, { status: 'ACTIVE', doc: { ...record.doc, status: 'ACTIVE' }, now, event: 'activated', detail: 'nothing due' });
              if (saved !== undefined) await notifySubscription(deps, tx2, saved, 'INCOMPLETE', 'FIRST_INVOICE_PAID', now);
            }
          },
        };
      },
      answer: (record) => {
        const d = record.doc;
        return {
          subscriptionRequestId: d.subscriptionRequestId, subscriptionId: record.id, customerId: d.customerId, invoiceId: d.internal.latestInvoiceId, status: record.status,
          currentPeriodStart: d.currentPeriodStart, currentPeriodEnd: d.currentPeriodEnd, billingCycleAnchor: d.billingCycleAnchor, trialStart: d.trialStart, trialEnd: d.trialEnd,
          cancelAt: d.cancelAt, description: d.description, collectionMethod: d.collectionMethod, daysUntilDue: d.daysUntilDue, subscriptionItems: subscriptionItems(d),
          ...(d.internal.discountRefs?.length ? { discounts: d.internal.discountRefs.map((ref) => ({ ...ref })) } : {}), subscriptionNotifyUrl: d.internal.notifyUrl,
        };
      },
    }),

    'billing/subscription/update': endpointModule({
      path: 'billing/subscription/update',
      handle: async (context, request) => {
        const behavior = request.prorationBehavior ?? 'NONE';
        if (!UPDATE_PRORATIONS.includes(behavior)) throw AmsError.paramIllegal('prorationBehavior', `must be ALWAYS_INVOICE or NONE, got ${behavior}`);
        let prorated: { prorationInvoiceId: string; prorationInvoiceAmount: number; prorationInvoiceCurrency: string } | { creditNoteId: string; creditNoteAmount: number; creditNoteCurrency: string } | undefined;
        const record = await engine.change(context.clientId, BILLING_SUBSCRIPTION, request.subscriptionId, async (current, tx, now) => {
          prorated = undefined;
          mustBe(BILLING_SUBSCRIPTION, current, ['INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAUSED'], 'updated');
          const internal = current.doc.internal;
          let lines = [...internal.lines];
          for (const [i, change] of (request.priceItemChanges ?? []).entries()) {
            const field = `priceItemChanges[${i}]`;
            const index = lines.findIndex((line) => (change.itemId !== undefined && line.itemId === change.itemId) || (change.itemId === undefined && change.currentPriceId !== undefined && line.priceId === change.currentPriceId));
            if (change.type === 'ADD') {
              const price = await recurringPrice(tx, context.clientId, change.newPriceId, field);
              if (priceCurrency(price.doc, `${field}.newPriceId`) !== internal.currency) throw AmsError.paramIllegal(`${field}.newPriceId`, `must be in ${internal.currency}`);
              lines.push({ itemId: `si_${Date.now().toString(36)}_${i + 1}`, priceId: price.id, quantity: quantityOf(change.newQuantity, `${field}.newQuantity`) });
            } else if (change.type === 'REMOVE' || change.type === 'CHANGE') {
              if (index < 0) throw AmsError.paramIllegal(`${field}.itemId`, 'names no item of this subscription');
              if (change.type === 'REMOVE') {
                lines = lines.filter((_, j) => j !== index);
              } else {
                const priceId = change.newPriceId === undefined ? lines[index]!.priceId : (await recurringPrice(tx, context.clientId, change.newPriceId, field)).id;
                lines[index] = { ...lines[index]!, priceId, quantity: change.newQuantity === undefined ? lines[index]!.quantity : quantityOf(change.newQuantity, `${field}.newQuantity`) };
              }
            } else {
              throw AmsError.paramIllegal(`${field}.type`, `must be ADD, REMOVE or CHANGE, got ${change.type}`);
            }
          }
          if (lines.length === 0) throw AmsError.paramIllegal('priceItemChanges', 'would leave the subscription without items');
          const cancelAtMs = request.cancelAt === undefined ? internal.cancelAtMs : parseFutureTime(request.cancelAt, 'cancelAt', now);
          if (request.daysUntilDue !== undefined && (request.daysUntilDue < 1 || request.daysUntilDue > 365)) throw AmsError.paramIllegal('daysUntilDue', 'must be 1 to 365');
          const described = await describeLines(tx, context.clientId, lines, internal.currency, { start: internal.periodStartMs, end: internal.periodEndMs });
          // A trial or a paused subscription has charged nothing for the rest of its period: nothing to prorate.
          const proration = behavior === 'ALWAYS_INVOICE' && (current.status === 'ACTIVE' || current.status === 'INCOMPLETE')
            ? await prorationOf(tx, context.clientId, internal.lines, lines, { start: internal.periodStartMs, end: internal.periodEndMs, now })
            : { charges: [], creditMinor: 0n, netMinor: 0n };
          const net = proration.netMinor;
          const prorationInvoiceId = net > 0n ? newResourceId(INVOICE.idPrefix, now) : undefined;
          return {
            status: current.status, event: 'updated', ...(net === 0n ? {} : { detail: `prorated ${net} (${behavior})` }),
            after: async (tx2: Tx, saved: SubscriptionRecord) => {
              const key = `${saved.id}-u${saved.version}`;
              if (prorationInvoiceId !== undefined) {
                const invoice = await makeProrationInvoice(deps, tx2, context.clientId, saved.doc, { id: prorationInvoiceId, requestId: key, lines: proration.charges, creditMinor: proration.creditMinor, periodEnd: internal.periodEndMs }, now);
                prorated = { prorationInvoiceId: invoice.id, prorationInvoiceAmount: Number(minorOf(invoice.doc.totalAmount)), prorationInvoiceCurrency: internal.currency };
              } else if (net < 0n && internal.latestInvoiceId !== undefined) {
                const note = await issueCreditNote(deps, tx2, context.clientId, { invoiceId: internal.latestInvoiceId, amountMinor: -net, requestId: key, reason: 'PRORATION', memo: `Unused time after a change of billing subscription ${saved.id}` });
                if (note !== undefined) prorated = { creditNoteId: note.id, creditNoteAmount: Number(minorOf(note.doc.totalAmount)), creditNoteCurrency: internal.currency };
              }
            },
            doc: {
              ...current.doc,
              ...(request.cancelAtPeriodEnd === undefined ? {} : { cancelAtPeriodEnd: request.cancelAtPeriodEnd }),
              ...(request.cancelAt === undefined ? {} : { cancelAt: request.cancelAt }),
              ...(request.cancellationDetails === undefined ? {} : { cancellationDetails: request.cancellationDetails }),
              ...(request.collectionMethod === undefined ? {} : { collectionMethod: request.collectionMethod }),
              ...(request.daysUntilDue === undefined ? {} : { daysUntilDue: request.daysUntilDue }),
              ...(request.description === undefined ? {} : { description: request.description }),
              ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
              billingMode: described.billingMode, priceItems: described.items, subtotal: amount(internal.currency, described.subtotal),
              internal: { ...internal, lines, ...(cancelAtMs === undefined ? {} : { cancelAtMs }) },
            },
          };
        });
        return { result: { ...SUCCESS_RESULT }, subscriptionId: record.id, status: record.status, subscriptionItems: subscriptionItems(record.doc), ...prorated, pendingUpdate: false };
      },
    }),

    'billing/subscription/cancel': endpointModule({
      path: 'billing/subscription/cancel',
      handle: async (context, request) => {
        if (request.cancellationReason === undefined && request.cancellationDetails?.feedback === undefined) throw AmsError.paramIllegal('cancellationReason', 'give cancellationReason or cancellationDetails.feedback');
        const type = request.cancellationType ?? 'IMMEDIATE';
        if (type !== 'IMMEDIATE' && type !== 'AT_PERIOD_END') throw AmsError.paramIllegal('cancellationType', `must be IMMEDIATE or AT_PERIOD_END, got ${type}`);
        const behavior = request.prorationBehavior ?? 'NONE';
        if (!CANCEL_PRORATIONS.includes(behavior)) throw AmsError.paramIllegal('prorationBehavior', `must be CREATE_PRORATIONS, ALWAYS_INVOICE or NONE, got ${behavior}`);
        if (type === 'AT_PERIOD_END' && behavior !== 'NONE') throw AmsError.paramIllegal('prorationBehavior', 'applies to an IMMEDIATE cancel only; a cancel at the period end leaves nothing unused');
        const record = await engine.change(context.clientId, BILLING_SUBSCRIPTION, request.subscriptionId, (current, _tx, now) => {
          // A repeat answers what the first cancel did.
          if (current.status === 'TERMINATED' || (type === 'AT_PERIOD_END' && current.doc.cancelAtPeriodEnd === true)) return { unchanged: true };
          const details = { ...(request.cancellationDetails ?? {}), ...(request.cancellationReason === undefined ? {} : { comment: request.cancellationDetails?.comment ?? request.cancellationReason }) };
          if (type === 'AT_PERIOD_END') {
            mustBe(BILLING_SUBSCRIPTION, current, ['INCOMPLETE', 'TRIALING', 'ACTIVE'], 'canceled at the period end');
            return { status: current.status, event: 'cancel at period end', doc: { ...current.doc, cancelAtPeriodEnd: true, cancellationDetails: details } };
          }
          const nowIso = new Date(now).toISOString();
          return {
            status: 'TERMINATED', event: 'canceled', detail: request.cancellationReason ?? request.cancellationDetails?.feedback,
            doc: { ...current.doc, status: 'TERMINATED', canceledAt: nowIso, terminationReason: 'CANCEL', cancellationDetails: details, internal: { ...current.doc.internal, periodEndMs: Number.MAX_SAFE_INTEGER } },
            after: async (tx, saved) => {
              const internal = current.doc.internal;
              const invoice = behavior === 'NONE' || internal.latestInvoiceId === undefined ? undefined : await findResource(tx, INVOICE, context.clientId, internal.latestInvoiceId);
              if (invoice !== undefined && invoice.doc.subscriptionId === saved.id) {
                const unused = unusedOfPeriodInvoice(invoice, { start: internal.periodStartMs, end: internal.periodEndMs, now });
                await issueCreditNote(deps, tx, context.clientId, { invoiceId: invoice.id, amountMinor: unused, requestId: cancelNoteKey(saved.id), reason: 'PRORATION', memo: `Unused time of billing subscription ${saved.id}, canceled` });
              }
              await notifySubscription(deps, tx, saved, current.status, 'CANCEL', now);
            },
          };
        });
        // The cancel's credit note, if it made one (a repeat answers the same one).
        const latest = record.doc.internal.latestInvoiceId;
        const note = record.status !== 'TERMINATED' || latest === undefined ? undefined
          : (await deps.database.read((db) => findByTag(db, CREDIT_NOTE, context.clientId, 'invoiceId', latest))).find((n) => n.doc.creditNoteRequestId === cancelNoteKey(record.id));
        return {
          result: { ...SUCCESS_RESULT }, subscriptionId: record.id, status: record.status, canceledAt: record.doc.canceledAt ?? record.doc.currentPeriodEnd, cancelAtPeriodEnd: record.doc.cancelAtPeriodEnd ?? false,
          ...(note === undefined ? {} : { creditNoteId: note.id, creditNoteAmount: Number(minorOf(note.doc.totalAmount)), creditNoteCurrency: note.doc.totalAmount!.currency }),
        };
      },
    }),

    'billing/subscription/resume': endpointModule({
      path: 'billing/subscription/resume',
      handle: async (context, request) => {
        const record = await engine.change(context.clientId, BILLING_SUBSCRIPTION, request.subscriptionId, (current, _tx, now) => {
          if (current.status === 'ACTIVE') return { unchanged: true };
          mustBe(BILLING_SUBSCRIPTION, current, ['PAUSED'], 'resumed');
          const internal = current.doc.internal;
          const end = addPeriods(now, internal.periodType, internal.periodCount);
          const invoiceId = newResourceId(INVOICE.idPrefix, now);
          const phaseNo = internal.phaseNo + 1;
          const doc: BillingSubscriptionDoc = {
            ...current.doc, status: 'ACTIVE', billingCycleAnchor: new Date(now).toISOString(), currentPeriodStart: new Date(now).toISOString(), currentPeriodEnd: new Date(end).toISOString(),
            internal: { ...internal, periodStartMs: now, periodEndMs: end, phaseNo, latestInvoiceId: invoiceId },
          };
          return {
            status: 'ACTIVE', event: 'resumed', detail: request.reasonCode, doc,
            after: async (tx, saved) => {
              await makePeriodInvoice(deps, tx, context.clientId, doc, { id: invoiceId, reason: 'SUBSCRIPTION_RECURRENCE', phaseNo, start: now, end, firstCharge: false }, now);
              await notifySubscription(deps, tx, saved, 'PAUSED', 'RESUME', now);
            },
          };
        });
        return { result: { ...SUCCESS_RESULT }, subscriptionId: record.id, status: record.status, billingCycleAnchor: record.doc.billingCycleAnchor };
      },
    }),

    'billing/subscription/inquireDetails': endpointModule({
      path: 'billing/subscription/inquireDetails',
      handle: async (context, request) => ({ result: { ...SUCCESS_RESULT }, ...subscriptionDetails(await engine.get(BILLING_SUBSCRIPTION, context.clientId, request.subscriptionId)) }),
    }),

    'billing/subscription/inquireList': endpointModule({
      path: 'billing/subscription/inquireList',
      handle: async (context, request) => {
        if (request.sortOrder !== undefined && request.sortOrder !== 'DESC' && request.sortOrder !== 'ASC') throw AmsError.paramIllegal('sortOrder', 'must be ASC or DESC');
        if (request.subscriptionId !== undefined) {
          const one = await deps.database.read((db) => findResource(db, BILLING_SUBSCRIPTION, context.clientId, request.subscriptionId!));
          return { result: { ...SUCCESS_RESULT }, subscriptions: one === undefined ? [] : [listItem(one)], hasMore: false };
        }
        const page = await engine.list(BILLING_SUBSCRIPTION, context.clientId, pageQueryOf({ ...request, limit: request.limit ?? 20 }, { status: request.status, customerId: request.customerId }, dateBounds(request.gmtCreateStart, request.gmtCreateEnd, { start: 'gmtCreateStart', end: 'gmtCreateEnd' })));
        const items = request.sortOrder === 'ASC' ? [...page.items].reverse() : page.items;
        return {
          result: { ...SUCCESS_RESULT }, subscriptions: items.map(listItem), hasMore: page.hasMore,
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }), ...(page.previousCursor === undefined ? {} : { previousCursor: page.previousCursor }),
        };
      },
    }),
  } satisfies Partial<EndpointModules>;
}

const cancelNoteKey = (subscriptionId: string) => `${subscriptionId}-cancel`;

function listItem(record: SubscriptionRecord) {
  const d = record.doc;
  return {
    subscriptionId: record.id, subscriptionRequestId: d.subscriptionRequestId, status: record.status, customerId: d.customerId, description: d.description, billingMode: d.billingMode,
    currentPeriodStart: d.currentPeriodStart, currentPeriodEnd: d.currentPeriodEnd, cancelAtPeriodEnd: d.cancelAtPeriodEnd, canceledAt: d.canceledAt, cancelAt: d.cancelAt,
    billingCycleAnchor: d.billingCycleAnchor, trialStart: d.trialStart, trialEnd: d.trialEnd, subtotal: d.subtotal, priceItems: d.priceItems, terminationReason: d.terminationReason, createTime: d.createTime,
  };
}

function trialOf(settings: { trialPeriodDays?: number; trialEnd?: string; trialEndBehavior?: string } | undefined, now: number): { end: number; behavior?: string } | undefined {
  if (settings === undefined) return undefined;
  if ((settings.trialPeriodDays === undefined) === (settings.trialEnd === undefined)) throw AmsError.paramIllegal('trialSettings', 'give trialPeriodDays or trialEnd, exactly one');
  if (settings.trialEndBehavior !== undefined && settings.trialEndBehavior !== 'CANCEL' && settings.trialEndBehavior !== 'PAUSE') throw AmsError.paramIllegal('trialSettings.trialEndBehavior', 'must be CANCEL or PAUSE');
  const end = settings.trialEnd === undefined ? now + settings.trialPeriodDays! * DAY : parseFutureTime(settings.trialEnd, 'trialSettings.trialEnd', now);
  return { end, ...(settings.trialEndBehavior === undefined ? {} : { behavior: settings.trialEndBehavior }) };
}

/** The customer: the one named, or a new one for the email (refused when the client already has a customer with it). */
async function customerOf(tx: Tx, clientId: string, customerId: string | undefined, email: string | undefined, now: number): Promise<string> {
  if (customerId !== undefined) return (await requireCustomer(tx, clientId, customerId)).id;
  if (email === undefined || email.trim() === '') throw AmsError.paramIllegal('customerId', 'give customerId or customerEmail');
  const existing = await findByTag(tx, CUSTOMER, clientId, 'email', email.toLowerCase());
  if (existing.length > 0) throw AmsError.paramIllegal('customerEmail', `customer ${existing[0]!.id} already has the email ${email} (Antom: CUSTOMER_EMAIL_DUPLICATED); give its customerId`);
  const id = newResourceId(CUSTOMER.idPrefix, now);
  await insertResource(tx, CUSTOMER, clientId, { id, status: 'ACTIVE', doc: { customerId: id, email, status: 'ACTIVE', gmtCreate: new Date(now).toISOString() }, now, detail: 'made by billing/subscription/create' });
  return id;
}
