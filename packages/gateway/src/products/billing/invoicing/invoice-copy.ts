/** An invoice's stored items as lines again, and its discounts as coupons: what a revision or a customer change recomputes from. */
import { AmsError } from '@amsgate/protocol';
import { findResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import { COUPON, PROMOTION_CODE } from '../catalog/kinds.js';
import type { InvoiceDoc } from './kinds.js';
import { minorOf } from './money.js';
import type { AppliedCoupon, Line } from './totals.js';

export function linesOfDoc(doc: InvoiceDoc): Line[] {
  return (doc.items ?? []).map((item, i) => ({
    itemId: item.itemId ?? `ii_${i + 1}`,
    ...(item.description === undefined ? {} : { description: item.description }),
    ...(item.priceId === undefined ? {} : { priceId: item.priceId }),
    ...(doc.internal.itemProducts?.[i] === undefined ? {} : { productId: doc.internal.itemProducts[i] }),
    quantity: BigInt(item.quantity ?? '1'),
    ...(item.unitAmount === undefined ? {} : { unitAmountMinor: minorOf(item.unitAmount) }),
    amountMinor: minorOf(item.amount),
    ...(item.periodStart === undefined ? {} : { periodStart: item.periodStart }),
    ...(item.periodEnd === undefined ? {} : { periodEnd: item.periodEnd }),
    ...(item.usageQuantity === undefined ? {} : { usageQuantity: BigInt(item.usageQuantity) }),
    proration: item.proration ?? false,
  }));
}

/** The coupons an invoice's discounts name, as they are now (already redeemed: not counted again). */
export async function couponsOfDoc(tx: Tx, clientId: string, refs: ReadonlyArray<{ couponId?: string; promotionCodeId?: string }>): Promise<AppliedCoupon[]> {
  const coupons: AppliedCoupon[] = [];
  for (const [i, ref] of refs.entries()) {
    const couponId = ref.couponId ?? (ref.promotionCodeId === undefined ? undefined : (await findResource(tx, PROMOTION_CODE, clientId, ref.promotionCodeId))?.doc.couponId);
    const coupon = couponId === undefined ? undefined : await findResource(tx, COUPON, clientId, couponId);
    if (coupon === undefined) throw new AmsError('RECORD_NOT_FOUND', `discounts[${i}]: its coupon no longer exists`, { field: `discounts[${i}]` });
    coupons.push({ coupon: { ...coupon.doc, couponId: coupon.id }, field: `discounts[${i}]` });
  }
  return coupons;
}
