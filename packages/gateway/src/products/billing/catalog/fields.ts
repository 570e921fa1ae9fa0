/** Field checks the catalog's requests share; each refusal names its field. */
import { AmsError, isKnownCurrency, isValidMinorUnits, type Amount } from '@amsgate/protocol';

/** The value, when it is one of `allowed`; absent stays absent. */
export function oneOf<const T extends string>(value: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw AmsError.paramIllegal(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
  return value as T;
}

/**
 * `metadata`: a JSON object of string values (at most `maxKeys` keys of up
 * to 40 characters, values up to 500). `""` means none (an update clears it).
 */
export function metadataOf(text: string | undefined, field: string, maxKeys: number): string | undefined {
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw AmsError.paramIllegal(field, 'must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw AmsError.paramIllegal(field, 'must be a JSON object');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > maxKeys) throw AmsError.paramIllegal(field, `may have at most ${maxKeys} keys, has ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 40) throw AmsError.paramIllegal(field, `key ${JSON.stringify(key.slice(0, 40))} must be 1 to 40 characters`);
    if (typeof value !== 'string' || value.length > 500) throw AmsError.paramIllegal(field, `value of ${key} must be a string of at most 500 characters`);
  }
  return text;
}

/** A wire amount with a known currency and valid minor units; `positive` refuses 0. */
export function amountOf(amount: Amount, field: string, positive = false): Amount {
  if (!isKnownCurrency(amount.currency)) throw AmsError.paramIllegal(`${field}.currency`, `must be an ISO 4217 code such as USD, got ${JSON.stringify(amount.currency)}`);
  if (!isValidMinorUnits(amount.value)) throw AmsError.paramIllegal(`${field}.value`, 'must be minor units: digits without a leading zero');
  if (positive && amount.value === '0') throw AmsError.paramIllegal(`${field}.value`, 'must be greater than 0');
  return { currency: amount.currency, value: amount.value };
}

/** Characters Antom refuses in names and metadata values shown on hosted pages. */
export function noMarkup(text: string, field: string): string {
  if (/[<>&'"]/.test(text)) throw AmsError.paramIllegal(field, 'must not contain < > & \' or "');
  return text;
}

/** A currency code the gateway knows (absent stays absent). */
export function currencyOf(code: string | undefined, field: string): string | undefined {
  if (code === undefined) return undefined;
  if (!isKnownCurrency(code)) throw AmsError.paramIllegal(field, `must be an ISO 4217 code such as USD, got ${JSON.stringify(code)}`);
  return code;
}

/** A bound on the number of redemptions: 0 (unlimited) up to 999999. */
export function maxRedemptionsOf(value: number | undefined, field: string, redeemedCount = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 999_999) throw AmsError.paramIllegal(field, 'must be 0 (unlimited) to 999999');
  if (value > 0 && value < redeemedCount) throw AmsError.paramIllegal(field, `must be at least the ${redeemedCount} redemptions already made (or 0, unlimited)`);
  return value;
}
