/**
 * Money on the wire and in code. On the wire an `Amount` is a currency code
 * and a decimal string of minor units (`{"currency":"USD","value":"100"}` is
 * USD 1.00). In code it is a `Money` holding a bigint, so arithmetic is exact
 * and floats never touch an amount.
 */
import { AmsError } from './result.js';

/** The wire shape. */
export interface Amount {
  currency: string;
  value: string;
}

/** A parsed amount: minor units as a bigint, never negative. */
export interface Money {
  readonly currency: string;
  readonly minor: bigint;
}

/** Largest value Antom's 64-bit amount fields can carry (Java `long`). */
export const MAX_MINOR_UNITS = 9_223_372_036_854_775_807n;

/**
 * ISO 4217 minor-unit exponents. Codes not listed here use 2. Only active
 * alphabetic codes are known; everything else is refused.
 */
const NON_TWO_DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  // 0 decimals
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // 3 decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // 4 decimals
  CLF: 4, UYW: 4,
};

const TWO_DECIMAL_CURRENCIES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
  'GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR ' +
  'LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB ' +
  'PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP ' +
  'SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

const EXPONENTS: ReadonlyMap<string, number> = new Map<string, number>([
  ...TWO_DECIMAL_CURRENCIES.split(' ').map((code): [string, number] => [code, 2]),
  ...Object.entries(NON_TWO_DECIMAL_EXPONENTS),
]);

export function isKnownCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

/** Number of minor-unit digits of a currency (JPY 0, USD 2, KWD 3); throws for an unknown code. */
export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS.get(currency);
  if (exponent === undefined) {
    throw new AmsError('CURRENCY_NOT_SUPPORT', `Unknown currency "${currency}": expected an ISO 4217 code such as USD`);
  }
  return exponent;
}

const MAX_MINOR_UNITS_DIGITS = MAX_MINOR_UNITS.toString().length;

/** `"0"` or digits without a leading zero, within 64 bits. No sign, no point, no spaces. */
export function isValidMinorUnits(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > MAX_MINOR_UNITS_DIGITS) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (length > 1 && value.charCodeAt(0) === 48) return false;
  return length < MAX_MINOR_UNITS_DIGITS || BigInt(value) <= MAX_MINOR_UNITS;
}

/**
 * Parses a minor-units value. Accepts the decimal string Antom specifies and,
 * because some SDKs send them, safe JSON integers. `field` names the value in
 * the error (`paymentAmount.value`).
 */
export function parseMinorUnits(value: unknown, field = 'value'): bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    throw AmsError.paramIllegal(field, `must be a non-negative integer of minor units, got ${String(value)}`);
  }
  if (typeof value !== 'string') {
    throw AmsError.paramIllegal(field, `must be a decimal string of minor units, got ${describe(value)}`);
  }
  if (!isValidMinorUnits(value)) {
    throw AmsError.paramIllegal(
      field,
      `must be a non-negative integer of minor units as a decimal string without leading zeros, at most ${MAX_MINOR_UNITS}, got ${JSON.stringify(truncate(value))}`,
    );
  }
  return BigInt(value);
}

/** Parses a wire `Amount` (field names the amount: `order.orderAmount`). */
export function parseAmount(input: unknown, field = 'amount'): Money {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw AmsError.paramIllegal(field, `must be an object with currency and value, got ${describe(input)}`);
  }
  const { currency, value } = input as Record<string, unknown>;
  if (typeof currency !== 'string' || !isKnownCurrency(currency)) {
    throw AmsError.paramIllegal(`${field}.currency`, `must be an ISO 4217 currency code such as USD, got ${describe(currency)}`);
  }
  return { currency, minor: parseMinorUnits(value, `${field}.value`) };
}

/** A wire `Amount` that must be more than zero (what is paid, refunded or captured). */
export function parsePositiveAmount(input: unknown, field = 'amount'): Money {
  const amount = parseAmount(input, field);
  if (amount.minor === 0n) throw AmsError.paramIllegal(`${field}.value`, 'must be greater than 0');
  return amount;
}

export function money(currency: string, minor: bigint | number | string): Money {
  currencyExponent(currency);
  const value = typeof minor === 'bigint' ? minor : parseMinorUnits(minor);
  if (value < 0n || value > MAX_MINOR_UNITS) throw new RangeError(`minor units out of range: ${value}`);
  return { currency, minor: value };
}

export function toAmount(m: Money): Amount {
  return { currency: m.currency, value: m.minor.toString() };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AmsError('CURRENCY_NOT_SUPPORT', `Currency mismatch: ${a.currency} and ${b.currency}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  const sum = a.minor + b.minor;
  if (sum > MAX_MINOR_UNITS) throw new RangeError(`sum exceeds 64-bit minor units: ${sum}`);
  return { currency: a.currency, minor: sum };
}

/** a − b; throws when b > a, because amounts are never negative. */
export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  if (b.minor > a.minor) throw new RangeError(`cannot subtract ${b.minor} from ${a.minor} ${a.currency}`);
  return { currency: a.currency, minor: a.minor - b.minor };
}

/** −1, 0 or 1; throws on a currency mismatch. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function sumMoney(currency: string, items: Iterable<Money>): Money {
  let total: Money = money(currency, 0n);
  for (const item of items) total = addMoney(total, item);
  return total;
}

/** Major units for people (`"12.34"`, `"1000"`, `"1.234"`); never parse it back. */
export function formatMajorUnits(m: Money): string {
  const exponent = currencyExponent(m.currency);
  if (exponent === 0) return m.minor.toString();
  const digits = m.minor.toString().padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
