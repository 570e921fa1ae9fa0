/**
 * An invoice's arithmetic, in bigint minor units of its currency:
 * - subtotal = Σ line amounts;
 * - discounts, in the order given, each on what is left of the lines it
 *   applies to (a coupon's `appliesTo` products, else every line), spread
 *   over those lines pro rata; then a `credit` (proration), on every line;
 * - tax per line on its amount after discount, at the rate the client
 *   collects where the customer is (exclusive: added on top; 0 where the
 *   client has no registration);
 * - total = subtotal − discount + tax.
 */
import { AmsError } from '@amsgate/protocol';
import type { Tx } from '../../../schema.js';
import { taxOn, taxRateFor, type Jurisdiction, type TaxRateTable } from '../../tax/rates.js';
import type { CouponDoc } from '../catalog/kinds.js';
import { discountOf } from '../catalog/discounts.js';
import { amount, spread } from './money.js';
import type { InvoiceDoc } from './kinds.js';

export interface Line {
  readonly itemId: string;
  readonly description?: string;
  readonly priceId?: string;
  readonly productId?: string;
  readonly quantity: bigint;
  readonly unitAmountMinor?: bigint;
  readonly amountMinor: bigint;
  readonly periodStart?: string;
  readonly periodEnd?: string;
  readonly usageQuantity?: bigint;
  readonly proration?: boolean;
}

export interface AppliedCoupon {
  readonly coupon: CouponDoc;
  /** Which request field to name when it cannot apply (`discounts[0].couponId`). */
  readonly field: string;
}

export interface Totals {
  readonly items: NonNullable<InvoiceDoc['items']>;
  readonly subtotal: bigint;
  readonly discount: bigint;
  readonly tax: bigint;
  readonly total: bigint;
}

export async function computeTotals(
  tx: Tx, clientId: string,
  input: { currency: string; lines: readonly Line[]; coupons: readonly AppliedCoupon[]; credit?: bigint; jurisdiction: Jurisdiction | undefined; now: number; nowIso: string; taxRates: TaxRateTable },
): Promise<Totals> {
  const { currency, lines } = input;
  const subtotal = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
  const discounts = lines.map(() => 0n);
  for (const { coupon, field } of input.coupons) {
    const products = coupon.appliesTo?.products?.map((p) => p.productId).filter((id): id is string => id !== undefined) ?? [];
    const eligible = lines.map((line) => products.length === 0 || (line.productId !== undefined && products.includes(line.productId)));
    if (!eligible.some(Boolean)) throw AmsError.paramIllegal(field, `coupon ${coupon.couponId} applies to none of the items' products`);
    const left = lines.map((line, i) => (eligible[i] ? line.amountMinor - discounts[i]! : 0n));
    const off = discountOf(coupon, left.reduce((a, b) => a + b, 0n), currency);
    spread(off, left).forEach((share, i) => (discounts[i] = discounts[i]! + share));
  }
  if (input.credit !== undefined && input.credit > 0n) {
    const left = lines.map((line, i) => line.amountMinor - discounts[i]!);
    const room = left.reduce((a, b) => a + b, 0n);
    spread(input.credit < room ? input.credit : room, left).forEach((share, i) => (discounts[i] = discounts[i]! + share));
  }
  const rate = input.jurisdiction === undefined ? undefined : await taxRateFor(tx, clientId, input.jurisdiction, input.now, input.taxRates);
  const taxes = lines.map((line, i) => (rate === undefined ? 0n : taxOn(line.amountMinor - discounts[i]!, rate.rateBasisPoints, 'EXCLUSIVE').taxMinor));
  const discount = discounts.reduce((a, b) => a + b, 0n);
  const tax = taxes.reduce((a, b) => a + b, 0n);
  const items = lines.map((line, i) => ({
    itemId: line.itemId,
    ...(line.priceId === undefined ? {} : { priceId: line.priceId }),
    ...(line.description === undefined ? {} : { description: line.description }),
    quantity: line.quantity.toString(),
    ...(line.unitAmountMinor === undefined ? {} : { unitAmount: amount(currency, line.unitAmountMinor) }),
    amount: amount(currency, line.amountMinor),
    ...(line.usageQuantity === undefined ? {} : { usageQuantity: line.usageQuantity.toString(), usageAmount: amount(currency, line.amountMinor) }),
    ...(line.periodStart === undefined ? {} : { periodStart: line.periodStart }),
    ...(line.periodEnd === undefined ? {} : { periodEnd: line.periodEnd }),
    proration: line.proration ?? false,
    discountAmount: amount(currency, discounts[i]!),
    taxAmount: amount(currency, taxes[i]!),
    gmtCreate: input.nowIso,
    gmtUpdate: input.nowIso,
  }));
  return { items, subtotal, discount, tax, total: subtotal - discount + tax };
}
