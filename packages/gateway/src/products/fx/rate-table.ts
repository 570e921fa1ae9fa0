/**
 * The sandbox's exchange rates: one deterministic table, configurable
 * (`GatewayConfig.exchangeRates`), that every quote comes from:
 * `inquireExchangeRate`, and the settlement of a payment whose
 * `settlementStrategy.settlementCurrency` differs from its currency.
 *
 * Conventions (Antom's docs leave them open; amsgate's choice, stated in
 * the gateway README): a quote for the pair `A/B` says that one unit of A
 * is worth `quotePrice` units of B, so an amount in A times `quotePrice` is
 * the amount in B (the SDKs' "settlement amount = transaction amount ×
 * settlementQuote"). Converted amounts round half up to B's minor units.
 * Rates are exact decimals (15 places, at most 15 significant digits, which
 * a JSON number carries exactly) in bigint arithmetic: no float ever touches
 * money.
 */
import { currencyExponent, isKnownCurrency } from '@amsgate/protocol';

/** Units of each currency for one US dollar: round sandbox figures, not market data. */
export const DEFAULT_EXCHANGE_RATES: Readonly<Record<string, string>> = {
  USD: '1',
  AUD: '1.5',
  CAD: '1.35',
  CNY: '7.2',
  EUR: '0.92',
  GBP: '0.79',
  HKD: '7.8',
  IDR: '15800',
  JPY: '150',
  KRW: '1350',
  MYR: '4.7',
  PHP: '56',
  SGD: '1.35',
  THB: '36',
  VND: '25000',
};

/** Decimal places of every quote price (Antom states 15 for the rates it hands out). */
const PRICE_PLACES = 15;
const PRICE_SCALE = 10n ** BigInt(PRICE_PLACES);
/** How long a quote is offered for. */
export const QUOTE_VALIDITY_MS = 24 * 60 * 60 * 1000;

export interface SandboxQuote {
  /** `A/B`: one unit of A costs `price` units of B. */
  readonly pair: string;
  readonly from: string;
  readonly to: string;
  /** `price` × 10^15, exact. */
  readonly scaledPrice: bigint;
  /** The price as a decimal text, e.g. `"7.8"` (trailing zeros dropped). */
  readonly priceText: string;
}

export class RateTableError extends Error {}

export class RateTable {
  /** Units per US dollar, × 10^15. */
  private readonly perUsd: ReadonlyMap<string, bigint>;

  constructor(rates: Readonly<Record<string, string>> = DEFAULT_EXCHANGE_RATES) {
    const perUsd = new Map<string, bigint>();
    for (const [currency, text] of Object.entries(rates)) {
      if (!isKnownCurrency(currency)) throw new RateTableError(`exchange rate for ${currency}: not an ISO 4217 currency amsgate knows`);
      const scaled = scaledDecimal(text);
      if (scaled === undefined || scaled <= 0n) throw new RateTableError(`exchange rate for ${currency}: "${text}" is not a positive decimal number`);
      perUsd.set(currency, scaled);
    }
    if (perUsd.get('USD') !== PRICE_SCALE) throw new RateTableError('the exchange rate table is in units per US dollar: it needs USD: "1"');
    this.perUsd = perUsd;
  }

  supports(currency: string): boolean {
    return this.perUsd.has(currency);
  }

  get currencies(): readonly string[] {
    return [...this.perUsd.keys()];
  }

  /** The quote for `from/to`; undefined when the table has either currency not. */
  quote(from: string, to: string): SandboxQuote | undefined {
    const fromPerUsd = this.perUsd.get(from);
    const toPerUsd = this.perUsd.get(to);
    if (fromPerUsd === undefined || toPerUsd === undefined) return undefined;
    const scaledPrice = toSignificantDigits(divideHalfUp(toPerUsd * PRICE_SCALE, fromPerUsd));
    return { pair: `${from}/${to}`, from, to, scaledPrice, priceText: decimalText(scaledPrice) };
  }

  /** A quote at a price given as decimal text (a stored one). */
  static quoteAt(from: string, to: string, priceText: string): SandboxQuote {
    const scaledPrice = scaledDecimal(priceText);
    if (scaledPrice === undefined) throw new RateTableError(`stored price "${priceText}" of ${from}/${to} is not a decimal`);
    return { pair: `${from}/${to}`, from, to, scaledPrice, priceText: decimalText(scaledPrice) };
  }

  /** `minor` units of the quote's `from` currency in minor units of its `to` currency, rounded half up. */
  static convert(minor: bigint, quote: SandboxQuote): bigint {
    const shift = currencyExponent(quote.to) - currencyExponent(quote.from);
    const numerator = minor * quote.scaledPrice * (shift > 0 ? 10n ** BigInt(shift) : 1n);
    const denominator = PRICE_SCALE * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
    return divideHalfUp(numerator, denominator);
  }
}

/**
 * A price rounded (half up) to 15 significant digits: what a JSON number (a
 * float64) carries exactly, so the price the arithmetic uses is the one
 * the wire shows (AUD/IDR 10533.3333333333, not 10533.333333333333333).
 */
function toSignificantDigits(scaled: bigint): bigint {
  const digits = scaled.toString().length;
  if (digits <= SIGNIFICANT_DIGITS) return scaled;
  const unit = 10n ** BigInt(digits - SIGNIFICANT_DIGITS);
  return divideHalfUp(scaled, unit) * unit;
}

const SIGNIFICANT_DIGITS = 15;

/** `"7.8"` → 7.8 × 10^15; undefined when it is not a plain decimal with at most 15 places. */
function scaledDecimal(text: string): bigint | undefined {
  const match = /^([0-9]{1,15})(?:\.([0-9]{1,15}))?$/.exec(text);
  if (!match) return undefined;
  return BigInt(match[1] as string) * PRICE_SCALE + BigInt((match[2] ?? '').padEnd(PRICE_PLACES, '0'));
}

function decimalText(scaled: bigint): string {
  const whole = scaled / PRICE_SCALE;
  const fraction = (scaled % PRICE_SCALE).toString().padStart(PRICE_PLACES, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** a / b for non-negative a and positive b, rounded half up. */
function divideHalfUp(a: bigint, b: bigint): bigint {
  return (a * 2n + b) / (b * 2n);
}
