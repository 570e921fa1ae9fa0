/**
 * Antom's published sandbox test cards (shared/spec/sandbox.md §3, from the
 * `ac/ref/card` page) and what paying with each one does here. Only these
 * numbers pay: the sandbox never sees a real card.
 */
import type { ResultCode } from '@amsgate/protocol';

export type TestCardOutcome = 'success' | 'failure' | '3ds-exemption';

export interface TestCard {
  number: string;
  brand: 'Visa' | 'Mastercard' | 'Hyundai';
  /** Issuing country as the docs give it; `null` when they give none. */
  country: string | null;
  outcome: TestCardOutcome;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '9490220011669217', brand: 'Hyundai', country: 'South Korea', outcome: 'success' },
  { number: '4294097400915107', brand: 'Visa', country: 'Brazil', outcome: 'success' },
  { number: '4006055482525268', brand: 'Visa', country: 'Mexico', outcome: 'success' },
  { number: '4600729331819383', brand: 'Visa', country: 'Chile', outcome: 'success' },
  { number: '4310377720003234', brand: 'Visa', country: 'Peru', outcome: 'success' },
  { number: '4054695723100768', brand: 'Visa', country: 'Global', outcome: 'success' },
  { number: '5162774114974622', brand: 'Mastercard', country: 'Global', outcome: 'success' },
  { number: '4054692760174822', brand: 'Visa', country: 'Global', outcome: 'failure' },
  { number: '5162770472561357', brand: 'Mastercard', country: 'Global', outcome: 'failure' },
  // The docs name neither brand nor country; a number starting with 4 is a Visa.
  { number: '4035501000000008', brand: 'Visa', country: null, outcome: '3ds-exemption' },
];

/** What a failure test card is answered with: the issuer's generic decline. */
export const CARD_DECLINE_CODE: ResultCode = 'DO_NOT_HONOR';

/** Digits only: spaces and dashes as people type them are dropped; anything else makes it no number. */
export function normaliseCardNumber(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) ? digits : undefined;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function findTestCard(input: string): TestCard | undefined {
  const digits = normaliseCardNumber(input);
  if (digits === undefined || !passesLuhn(digits)) return undefined;
  return TEST_CARDS.find((card) => card.number === digits);
}

/** "Visa ending 4822": all of a card a page or a result message may show. */
export function maskedCard(card: TestCard): string {
  return `${card.brand} ending ${card.number.slice(-4)}`;
}

/** "4054 6957 2310 0768": the number grouped for reading. */
export function groupedNumber(card: TestCard): string {
  return card.number.replace(/(\d{4})(?=\d)/g, '$1 ');
}
