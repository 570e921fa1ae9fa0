/** Amounts as Billing's answers carry them: `{currency, value}` in minor units, computed in bigint. */
import { AmsError, parseAmount } from '@amsgate/protocol';

export interface WireAmount {
  currency?: string;
  value?: string;
}

export function amount(currency: string, minor: bigint): { currency: string; value: string } {
  return { currency, value: minor.toString() };
}

/** A stored amount's minor units (0 when absent). */
export function minorOf(stored: WireAmount | undefined): bigint {
  return stored?.value === undefined ? 0n : BigInt(stored.value);
}

/** A request amount in the invoice's currency, or PARAM_ILLEGAL naming the field. */
export function amountIn(input: unknown, currency: string, field: string): bigint {
  const parsed = parseAmount(input, field);
  if (parsed.currency !== currency) throw AmsError.paramIllegal(`${field}.currency`, `must be the invoice currency ${currency}, got ${parsed.currency}`);
  return parsed.minor;
}

/** `numerator / denominator` rounded half up; both ≥ 0, denominator > 0. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * Splits `total` over parts in proportion to their weights, in whole minor
 * units that sum exactly to `total` (the remainder goes to the largest
 * parts first).
 */
export function spread(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n || total === 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (total * w) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] > b[0] ? -1 : 1));
  for (const [, i] of order) {
    if (left === 0n) break;
    if (weights[i]! > 0n) {
      shares[i] = shares[i]! + 1n;
      left -= 1n;
    }
  }
  return shares;
}
