/**
 * A card as a merchant's request or the vaulting page gives it, checked the
 * way the sandbox's card test data says: a number that passes Luhn, an
 * expiry month 01–12 and a 3-digit CVV (the docs simulate an invalid month
 * with 13 and an invalid CVC with 2 digits: both are PARAM_ILLEGAL naming
 * the field here), not expired.
 */
import { AmsError, type CardInput } from '@amsgate/protocol';
import { findTestCard, normaliseCardNumber, passesLuhn, type TestCard } from '../cards/test-cards.js';
import { cardExpiresAt, type StoredCard } from './vault-records.js';

export interface ReadCard {
  /** The published test card, or undefined for a well-formed number that is not one (it never verifies here). */
  testCard: TestCard | undefined;
  stored: StoredCard;
}

/** `field` names the card in messages (`paymentMethodDetail.card`). */
export function readCardInput(input: CardInput, field: string, now: number): ReadCard {
  if (input.cardNo === undefined) throw AmsError.paramIllegal(`${field}.cardNo`, 'is required');
  const digits = normaliseCardNumber(input.cardNo);
  if (digits === undefined || !passesLuhn(digits)) throw AmsError.paramIllegal(`${field}.cardNo`, 'is not a valid card number (12 to 19 digits passing the Luhn check)');
  const expiryMonth = input.expiryMonth?.padStart(2, '0');
  if (expiryMonth === undefined || !/^(0[1-9]|1[0-2])$/.test(expiryMonth)) throw AmsError.paramIllegal(`${field}.expiryMonth`, 'must be a month from 01 to 12');
  const expiryYear = input.expiryYear?.length === 2 ? `20${input.expiryYear}` : input.expiryYear;
  if (expiryYear === undefined || !/^20\d\d$/.test(expiryYear)) throw AmsError.paramIllegal(`${field}.expiryYear`, 'must be a year such as 2030 (or 30)');
  if (input.cvv === undefined || !/^\d{3}$/.test(input.cvv)) throw AmsError.paramIllegal(`${field}.cvv`, 'must be 3 digits');
  const stored: StoredCard = { bin: digits.slice(0, 6), lastFour: digits.slice(-4), expiryMonth, expiryYear, holder: input.cardholderName ?? null };
  if (cardExpiresAt(stored) < now) throw new AmsError('INVALID_EXPIRATION_DATE', `${field} expired at the end of ${expiryMonth}/${expiryYear}`);
  return { testCard: findTestCard(digits), stored };
}
