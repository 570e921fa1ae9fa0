/**
 * The card form's fields and their checks. As in Antom's sandbox, any
 * three-digit CVC and any well-formed expiry date are accepted, a month of
 * 13 is the "invalid expiry month" case and a two-digit CVC the "invalid
 * CVC" case; only the published test cards pay. Card data is checked here
 * and dropped: nothing of it is stored or logged but brand and last four.
 */
import { findTestCard, groupedNumber, TEST_CARDS, type TestCard } from '../../../products/cards/test-cards.js';

export interface CardFormInput {
  number: string;
  expiry: string;
  cvc: string;
  holder: string;
}

export type CardField = keyof CardFormInput;
export type CardFieldErrors = Partial<Record<CardField, string>>;

export type CardFormCheck = { ok: true; card: TestCard } | { ok: false; errors: CardFieldErrors; card: TestCard | undefined };

const MAX_HOLDER_LENGTH = 64;

export function readCardForm(form: URLSearchParams): CardFormInput {
  return {
    number: form.get('cardNumber') ?? '',
    expiry: form.get('cardExpiry') ?? '',
    cvc: form.get('cardCvc') ?? '',
    holder: form.get('cardHolder') ?? '',
  };
}

const EXAMPLE_SUCCESS = TEST_CARDS.find((card) => card.outcome === 'success' && card.country === 'Global');
const EXAMPLE_FAILURE = TEST_CARDS.find((card) => card.outcome === 'failure');

export const NOT_A_TEST_CARD = `Only the published sandbox test cards work here (for example ${EXAMPLE_SUCCESS ? groupedNumber(EXAMPLE_SUCCESS) : ''} pays and ${EXAMPLE_FAILURE ? groupedNumber(EXAMPLE_FAILURE) : ''} is declined); see the list below.`;

export function checkCardForm(input: CardFormInput): CardFormCheck {
  const errors: CardFieldErrors = {};
  const card = findTestCard(input.number);
  if (input.number.trim() === '') errors.number = 'Enter the card number.';
  else if (!card) errors.number = NOT_A_TEST_CARD;

  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input.expiry);
  if (!expiry) errors.expiry = 'Enter the expiry date as MM/YY.';
  else if (Number(expiry[1]) < 1 || Number(expiry[1]) > 12) errors.expiry = 'Invalid expiry month: use 01 to 12.';

  const cvc = input.cvc.trim();
  if (cvc === '') errors.cvc = 'Enter the CVC.';
  else if (!/^\d{3}$/.test(cvc)) errors.cvc = 'Invalid CVC: enter the 3 digits on the back of the card.';

  if (input.holder.trim().length > MAX_HOLDER_LENGTH) errors.holder = `The name on the card is at most ${MAX_HOLDER_LENGTH} characters.`;

  if (card && Object.keys(errors).length === 0) return { ok: true, card };
  return { ok: false, errors, card };
}
