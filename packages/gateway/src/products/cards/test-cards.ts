/**
 * Antom's published sandbox test cards (shared/spec/sandbox.md §3, from the
 * `ac/ref/card` page) and what paying with each one does here. Only these
 * numbers pay: the sandbox never sees a real card. The card facts beyond
 * number, brand, country and outcome (issuing country code, funding,
 * category, issuer, installments) are not published: they are this
 * sandbox's choices, fixed so that getCardInfo, paymentResultInfo and the
 * vaulting answers are deterministic.
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

/** The wire facts of a test card (our choices where the docs are silent; see above). */
export interface CardFacts {
  /** The `CardBrand` enum value: VISA, MASTERCARD, HYUNDAI. */
  cardBrand: 'VISA' | 'MASTERCARD' | 'HYUNDAI';
  /** ISO 3166 alpha-2; a "Global" card is issued in the US here. */
  issuingCountry: string;
  funding: 'CREDIT' | 'DEBIT';
  cardCategory: 'CONSUMER' | 'COMMERCIAL';
  issuerName: string;
  /** First six digits. */
  bin: string;
  lastFour: string;
  /** Installment plans the issuer offers (cards of countries where Antom sells installments). */
  installmentCounts: readonly number[];
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

const COUNTRY_CODES: Readonly<Record<string, string>> = {
  'South Korea': 'KR', Brazil: 'BR', Mexico: 'MX', Chile: 'CL', Peru: 'PE', Global: 'US',
};

/** Installments are sold with cards of these countries (Korea, Brazil, Mexico: Antom's installment markets). */
const INSTALLMENT_COUNTS: Readonly<Record<string, readonly number[]>> = { KR: [2, 3, 6, 12], BR: [2, 3, 6, 12], MX: [3, 6, 9, 12] };

export function cardFactsOf(card: TestCard): CardFacts {
  const issuingCountry = COUNTRY_CODES[card.country ?? 'Global'] ?? 'US';
  return {
    cardBrand: card.brand === 'Visa' ? 'VISA' : card.brand === 'Mastercard' ? 'MASTERCARD' : 'HYUNDAI',
    issuingCountry,
    // Hyundai Card issues credit cards; the others are credit cards too, except Peru's, a debit card here so both fundings are testable.
    funding: issuingCountry === 'PE' ? 'DEBIT' : 'CREDIT',
    cardCategory: 'CONSUMER',
    issuerName: card.brand === 'Hyundai' ? 'Hyundai Card' : `Sandbox ${card.brand} Issuer ${issuingCountry}`,
    bin: card.number.slice(0, 6),
    lastFour: card.number.slice(-4),
    installmentCounts: INSTALLMENT_COUNTS[issuingCountry] ?? [],
  };
}

/** The test card a BIN (first 6 to 8 digits) or a full number starts with; a BIN two cards share gives the first. */
export function findTestCardByPrefix(prefix: string): TestCard | undefined {
  const digits = prefix.replace(/[\s-]/g, '');
  if (!/^\d{6,19}$/.test(digits)) return undefined;
  return TEST_CARDS.find((card) => card.number.startsWith(digits));
}

/** "405469******4822": the masked number answers and notifications carry. */
export function maskedNumber(card: TestCard): string {
  return `${card.number.slice(0, 6)}${'*'.repeat(card.number.length - 10)}${card.number.slice(-4)}`;
}

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

/** The test card a card kept as BIN and last four is (two cards share a BIN; the last four tell them apart). */
export function testCardOf(card: { bin: string; lastFour: string }): TestCard | undefined {
  return TEST_CARDS.find((candidate) => candidate.number.startsWith(card.bin) && candidate.number.endsWith(card.lastFour));
}
