/**
 * What `payments/getCardInfo` and `payments/inquireInstallment` answer,
 * from the sandbox test cards (`test-cards.ts`): a card's facts by its
 * number or BIN, and the installment plans of the cards that take them.
 *
 * A card number is read, never repeated: answers carry facts only, and
 * messages name at most the BIN (first six digits). The plan amounts, the
 * interest-free rate and the installment issuer's wording are this
 * sandbox's choices (the docs publish none); installments are domestic: a
 * card takes them in its issuing region only.
 */
import { AmsError, SUCCESS_RESULT, type GetCardInfoRequest, type InstallmentBank, type InstallmentPlan } from '@amsgate/protocol';
import type { AnswerBody } from '../../endpoints/contract.js';
import { cardFactsOf, findTestCard, findTestCardByPrefix, normaliseCardNumber, passesLuhn, TEST_CARDS, type CardFacts, type TestCard } from './test-cards.js';

/** Where installments are sold (the test cards' `installmentCounts` say which cards): the currency plans are in and the payment amounts (minor units) they take. */
const INSTALLMENT_MARKETS: Readonly<Record<string, { currency: string; min: string; max: string }>> = {
  KR: { currency: 'KRW', min: '50000', max: '20000000' }, // KRW 50,000 to 20,000,000 (no minor unit)
  BR: { currency: 'BRL', min: '2000', max: '5000000' }, // BRL 20.00 to 50,000.00
  MX: { currency: 'MXN', min: '30000', max: '10000000' }, // MXN 300.00 to 100,000.00
};

const BRAND_NAMES: Readonly<Record<CardFacts['cardBrand'], string>> = { VISA: 'Visa', MASTERCARD: 'Mastercard', HYUNDAI: 'Hyundai Card' };

/** Korean local card brands: `localCardBrand` as well as `cardBrand`. */
const LOCAL_BRANDS: ReadonlySet<CardFacts['cardBrand']> = new Set(['HYUNDAI']);

/** The installment plans a card's issuer offers (none for a card of a region without installments). */
export function installmentPlansOf(facts: Pick<CardFacts, 'issuingCountry' | 'installmentCounts'>): InstallmentPlan[] {
  if (facts.installmentCounts.length === 0) return [];
  const market = INSTALLMENT_MARKETS[facts.issuingCountry];
  if (!market) throw new Error(`test cards of ${facts.issuingCountry} have installment counts but no installment market`);
  return facts.installmentCounts.map((count) => ({
    interestRate: '0',
    minInstallmentAmount: { currency: market.currency, value: market.min },
    maxInstallmentAmount: { currency: market.currency, value: market.max },
    installmentNum: String(count),
    interval: 'MONTH',
    enabled: true,
  }));
}

/** `payments/getCardInfo`: the facts of the test card the request's number or BIN names. */
export function cardInfoAnswer(request: GetCardInfoRequest): AnswerBody<'payments/getCardInfo'> {
  const facts = cardFactsOf(cardOf(request));
  const paymentRegion = regionOf(request.paymentMethodRegion);
  // Installments are domestic: a Brazilian card pays in installments in Brazil.
  const plans = paymentRegion === undefined || paymentRegion === facts.issuingCountry ? installmentPlansOf(facts) : [];
  return {
    result: { ...SUCCESS_RESULT },
    cardBrand: facts.cardBrand,
    ...(LOCAL_BRANDS.has(facts.cardBrand) ? { localCardBrand: facts.cardBrand } : {}),
    issuingRegion: facts.issuingCountry,
    funding: facts.funding,
    cardCategory: facts.cardCategory,
    supportInstallment: plans.length > 0,
    ...(plans.length > 0
      ? { installment: { supportCardBrands: [{ cardBrand: facts.cardBrand, logo: { logoName: BRAND_NAMES[facts.cardBrand] } }], plans } }
      : {}),
  };
}

/** `payments/inquireInstallment`: every BIN that takes installments and the plans, as one issuer object (the SDK reads one). */
export function installmentBankAnswer(): AnswerBody<'payments/inquireInstallment'> {
  return { result: { ...SUCCESS_RESULT }, installmentBanks: sandboxInstallmentBank() };
}

function sandboxInstallmentBank(): InstallmentBank {
  const cards = TEST_CARDS.map(cardFactsOf).filter((facts) => facts.installmentCounts.length > 0);
  const regions = [...new Set(cards.map((facts) => facts.issuingCountry))];
  return {
    logo: { logoName: 'amsgate sandbox' },
    bankName: 'amsgate sandbox installment issuers',
    bankShortName: 'SANDBOX',
    bankTerms: `Interest-free monthly installments on credit cards of the BINs listed, in their issuing region (${regions
      .map((region) => `${region}: ${INSTALLMENT_MARKETS[region]?.currency ?? '?'}`)
      .join(', ')}); each plan bounds the payment amount.`,
    bins: [...new Set(cards.map((facts) => facts.bin))],
    // One plan list per region (its currency tells them apart), in the order the test cards give.
    plans: regions.flatMap((region) => installmentPlansOf(cards.find((facts) => facts.issuingCountry === region)!)),
  };
}

/** The test card a request names; PARAM_ILLEGAL for a malformed number or BIN, PROCESS_FAIL for one the sandbox does not know. */
function cardOf(request: GetCardInfoRequest): TestCard {
  const number = request.cardNo === undefined ? undefined : cardNumberOf(request.cardNo);
  const bin = request.cardBin === undefined ? undefined : binOf(request.cardBin);
  if (number !== undefined && bin !== undefined && !number.startsWith(bin)) throw AmsError.paramIllegal('cardBin', 'is not the start of cardNo');
  const digits = number ?? (bin as string);
  // By the number itself, else by its first 8 then 6 digits: a BIN's facts are the same for every card of it.
  const card = (number === undefined ? undefined : findTestCard(number)) ?? findTestCardByPrefix(digits.slice(0, 8)) ?? findTestCardByPrefix(digits.slice(0, 6));
  if (card) return card;
  const field = number !== undefined ? 'cardNo' : 'cardBin';
  throw new AmsError('PROCESS_FAIL', `${field}: no card of BIN ${digits.slice(0, 6)} is known to the sandbox; it knows the test cards of BINs ${KNOWN_BINS.join(', ')}`, { field });
}

const KNOWN_BINS = [...new Set(TEST_CARDS.map((card) => card.number.slice(0, 6)))];

function cardNumberOf(input: string): string {
  const number = normaliseCardNumber(input);
  // Never the number in a message: it may be a real card.
  if (number === undefined) throw AmsError.paramIllegal('cardNo', 'must be 12 to 19 digits (spaces and dashes are ignored)');
  if (!passesLuhn(number)) throw AmsError.paramIllegal('cardNo', 'is not a card number (its check digit is wrong)');
  return number;
}

function binOf(input: string): string {
  const bin = input.replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(bin)) throw AmsError.paramIllegal('cardBin', 'must be the first 6 to 8 digits of a card number');
  return bin;
}

function regionOf(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  const region = input.toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) throw AmsError.paramIllegal('paymentMethodRegion', 'must be an ISO 3166 alpha-2 region code such as BR');
  return region;
}
