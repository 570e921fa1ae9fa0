/**
 * What a catalog price charges for a quantity: per unit (or per package
 * when `includedQuantity` is set), or tiered (GRADUATED: each tier's units
 * at its rate; VOLUME: the tier holding the whole quantity for all units),
 * each tier used adding its flat amount.
 */
import { AmsError } from '@amsgate/protocol';
import type { PriceDoc } from '../catalog/kinds.js';
import { minorOf } from './money.js';

export function priceCurrency(price: PriceDoc, field: string): string {
  const currency = price.unitAmount?.currency ?? price.tiers?.find((tier) => tier.unitAmount?.currency ?? tier.flatAmount?.currency)?.unitAmount?.currency
    ?? price.tiers?.find((tier) => tier.flatAmount?.currency)?.flatAmount?.currency;
  if (currency === undefined) throw AmsError.paramIllegal(field, `price ${price.priceId} has no amount`);
  return currency;
}

export function priceAmount(price: PriceDoc, quantity: bigint): bigint {
  if (price.pricingModel === 'TIERED') return tiered(price, quantity);
  const unit = minorOf(price.unitAmount);
  const included = price.includedQuantity;
  if (included !== undefined && included > 0) {
    const packages = (quantity + BigInt(included) - 1n) / BigInt(included);
    return packages * unit;
  }
  return unit * quantity;
}

function tiered(price: PriceDoc, quantity: bigint): bigint {
  const tiers = price.tiers ?? [];
  if (quantity === 0n) return 0n;
  if (price.tiersMode === 'VOLUME') {
    const tier = tiers.find((t) => t.upTo === undefined || BigInt(t.upTo) >= quantity) ?? tiers[tiers.length - 1];
    if (tier === undefined) return 0n;
    return minorOf(tier.unitAmount) * quantity + minorOf(tier.flatAmount);
  }
  let total = 0n;
  let below = 0n;
  for (const tier of tiers) {
    if (below >= quantity) break;
    const top = tier.upTo === undefined ? quantity : BigInt(tier.upTo) < quantity ? BigInt(tier.upTo) : quantity;
    const units = top - below;
    if (units <= 0n) continue;
    total += minorOf(tier.unitAmount) * units + minorOf(tier.flatAmount);
    below = top;
  }
  return total;
}
