/**
 * Proration: what is left of a billing period at a moment, as a share of an
 * amount charged for the whole period. Pure bigint arithmetic in minor units.
 *
 *   unused = amount × (periodEnd − now) / (periodEnd − periodStart)
 *
 * computed per item (each item rounded on its own, so an invoice's lines add
 * up to its total), with `now` clamped into the period.
 */

export interface ProrationWindow {
  /** The period, epoch ms, start < end. */
  readonly start: number;
  readonly end: number;
  /** The moment of the change. */
  readonly now: number;
}

/**
 * Rounded half up to a whole minor unit; a negative amount (a credit line)
 * rounds half away from zero, so crediting an item and charging the same item
 * give the same magnitude.
 */
function divideHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** The unused share of `amountMinor` charged for the window's period, at the window's `now`. */
export function unusedShare(amountMinor: bigint, window: ProrationWindow): bigint {
  const length = window.end - window.start;
  if (!(length > 0)) return 0n;
  const remaining = Math.min(Math.max(window.end - window.now, 0), length);
  return divideHalfAwayFromZero(amountMinor * BigInt(remaining), BigInt(length));
}

export interface ProratedItem {
  readonly key: string;
  /** What the item charges for a whole period. */
  readonly amountMinor: bigint;
}

/** Each item's unused share, rounded per item, and their sum. */
export function prorate(items: readonly ProratedItem[], window: ProrationWindow): { shares: Array<{ key: string; shareMinor: bigint }>; totalMinor: bigint } {
  const shares = items.map((item) => ({ key: item.key, shareMinor: unusedShare(item.amountMinor, window) }));
  return { shares, totalMinor: shares.reduce((sum, s) => sum + s.shareMinor, 0n) };
}
