/**
 * What a coupon takes off, whether it (and a promotion code) may be redeemed
 * now, and counting a redemption. Invoices and billing subscriptions use
 * these; the catalog only stores coupons and codes.
 */
import { AmsError } from '@amsgate/protocol';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { ResourceKind, ResourceRecord } from '../../../resources/resource-kind.js';
import type { Tx } from '../../../schema.js';
import { COUPON, PROMOTION_CODE, type CouponDoc, type PromotionCodeDoc } from './kinds.js';
import { storedTime } from './times.js';

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/**
 * A `percentOff` string ("12.5", "100", at most two decimals) in hundredths
 * of a percent (1250), or undefined when it is not one in 0.01–100.
 */
export function percentHundredths(text: string): bigint | undefined {
  const match = PERCENT.exec(text);
  if (match === null) return undefined;
  const hundredths = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0') || '0');
  return hundredths > 0n && hundredths <= 10_000n ? hundredths : undefined;
}

/**
 * What the coupon takes off a subtotal, in the subtotal's minor units.
 * PERCENT rounds half up to the minor unit (12.5% of 1 cent is 0, of 4 cents
 * is 1); AMOUNT takes its value, in the subtotal's currency only. Never more
 * than the subtotal.
 */
export function discountOf(coupon: CouponDoc, subtotalMinor: bigint, currency: string): bigint {
  if (subtotalMinor <= 0n) return 0n;
  if (coupon.discountType === 'PERCENT') {
    const hundredths = coupon.percentOff === undefined ? undefined : percentHundredths(coupon.percentOff);
    if (hundredths === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `coupon ${coupon.couponId} has no valid percentOff`);
    const off = (subtotalMinor * hundredths + 5_000n) / 10_000n;
    return off > subtotalMinor ? subtotalMinor : off;
  }
  if (coupon.discountType === 'AMOUNT' && coupon.amountOff !== undefined) {
    if (coupon.amountOff.currency !== currency) {
      throw AmsError.paramIllegal('couponId', `coupon ${coupon.couponId} takes off ${coupon.amountOff.currency}, not ${currency}`);
    }
    const off = BigInt(coupon.amountOff.value);
    return off > subtotalMinor ? subtotalMinor : off;
  }
  throw new AmsError('UNKNOWN_EXCEPTION', `coupon ${coupon.couponId} has no discount`);
}

/**
 * Why the coupon (through the promotion code, when one is used) cannot be
 * redeemed now by this customer on this amount, or undefined when it can.
 * `amountMinor` is checked against the code's `minAmount` when given, in
 * `currency` when that is given too.
 */
export function redeemable(
  coupon: CouponDoc,
  promotionCode: PromotionCodeDoc | undefined,
  now: number,
  customerId?: string,
  amountMinor?: bigint,
  currency?: string,
): string | undefined {
  const couponId = coupon.couponId ?? 'the coupon';
  if (coupon.status !== 'ACTIVE') return `coupon ${couponId} is ${coupon.status ?? 'not ACTIVE'}`;
  if (coupon.redeemBy !== undefined && storedTime(coupon.redeemBy) <= now) return `coupon ${couponId} could be redeemed until ${coupon.redeemBy}`;
  if (limitReached(coupon.maxRedemptions, coupon.redeemedCount)) return `coupon ${couponId} has been redeemed its maximum ${coupon.maxRedemptions} times`;
  if (promotionCode === undefined) return undefined;
  const codeName = promotionCode.code ?? promotionCode.promotionCodeId ?? 'the promotion code';
  if (promotionCode.couponId !== coupon.couponId) return `promotion code ${codeName} is not for coupon ${couponId}`;
  if (promotionCode.status !== 'ACTIVE') return `promotion code ${codeName} is ${promotionCode.status ?? 'not ACTIVE'}`;
  if (promotionCode.expiryTime !== undefined && storedTime(promotionCode.expiryTime) <= now) return `promotion code ${codeName} expired at ${promotionCode.expiryTime}`;
  if (limitReached(promotionCode.maxRedemptions, promotionCode.redeemedCount)) return `promotion code ${codeName} has been redeemed its maximum ${promotionCode.maxRedemptions} times`;
  if (promotionCode.customerId !== undefined && promotionCode.customerId !== customerId) return `promotion code ${codeName} is only for customer ${promotionCode.customerId}`;
  if (promotionCode.oneTimeOnly === true && customerId !== undefined && (promotionCode.redeemedByCustomers ?? []).includes(customerId)) {
    return `promotion code ${codeName} can be redeemed once per customer, and customer ${customerId} has`;
  }
  const min = promotionCode.minAmount;
  if (min?.value !== undefined && amountMinor !== undefined) {
    if (currency !== undefined && min.currency !== undefined && min.currency !== currency) return `promotion code ${codeName} needs an amount in ${min.currency}, not ${currency}`;
    if (amountMinor < BigInt(min.value)) return `promotion code ${codeName} needs at least ${min.value} minor units${min.currency === undefined ? '' : ` of ${min.currency}`}, got ${amountMinor}`;
  }
  return undefined;
}

/** 0 or absent is unlimited. */
function limitReached(max: number | undefined, count: number | undefined): boolean {
  return max !== undefined && max > 0 && (count ?? 0) >= max;
}

/**
 * Counts one redemption of the coupon (and of the promotion code used), in
 * the caller's transaction. The rows are locked while counted (PostgreSQL
 * `FOR UPDATE`; SQLite writes one transaction at a time), so two concurrent
 * redemptions can never both take the last one: the second is refused with
 * PARAM_ILLEGAL naming `couponId` or `promotionCodeId`.
 */
export async function recordRedemption(tx: Tx, engine: ResourceEngine, clientId: string, couponId: string, promotionCodeId?: string, customerId?: string): Promise<void> {
  await countOne(tx, engine, COUPON, clientId, couponId, 'couponId', (doc) => doc);
  if (promotionCodeId !== undefined) {
    await countOne(tx, engine, PROMOTION_CODE, clientId, promotionCodeId, 'promotionCodeId', (doc) =>
      customerId === undefined || (doc.redeemedByCustomers ?? []).includes(customerId) ? doc : { ...doc, redeemedByCustomers: [...(doc.redeemedByCustomers ?? []), customerId] },
    );
  }
}

async function countOne<Doc extends { readonly maxRedemptions?: number; readonly redeemedCount?: number }, Status extends string>(
  tx: Tx, engine: ResourceEngine, kind: ResourceKind<Doc, Status>, clientId: string, id: string, field: string, extra: (doc: Doc) => Doc,
): Promise<ResourceRecord<Doc, Status>> {
  return engine.changeWithin(tx, clientId, kind, id, (record) => {
    if (limitReached(record.doc.maxRedemptions, record.doc.redeemedCount)) {
      throw AmsError.paramIllegal(field, `${kind.noun} ${id} has been redeemed its maximum ${record.doc.maxRedemptions} times`);
    }
    return { status: record.status, doc: extra({ ...record.doc, redeemedCount: (record.doc.redeemedCount ?? 0) + 1 }), event: 'redeemed' };
  });
}
