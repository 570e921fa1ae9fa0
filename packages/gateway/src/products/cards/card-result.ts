/**
 * What a card payment records about the card and its authorisation, and the
 * wire objects built from it: `paymentResultInfo` (pay, inquiryPayment,
 * notifyPayment) and `cardInfo` (inquiryPayment). Never the full number:
 * BIN, last four and the masked number only. The network's references
 * (authorisation code, network transaction id, 3-D Secure values) are
 * derived from the payment id, so every answer about a payment repeats them.
 */
import { createHash } from 'node:crypto';
import { cardFactsOf, maskedNumber, type CardFacts, type TestCard } from './test-cards.js';

/** How the card was authenticated: a 3-D Secure challenge the buyer passed, or none (exempt or not asked). */
export type CardAuthentication = 'challenge' | 'none';

export interface CardOnPayment extends Omit<CardFacts, 'installmentCounts'> {
  maskedCardNo: string;
  expiryMonth: string | null;
  expiryYear: string | null;
  /** The card token the payment charged (card on file), null for a card typed on the checkout page. */
  cardToken: string | null;
  authentication: CardAuthentication;
  /** Set on an approved authorisation. */
  authorizationCode: string | null;
  networkTransactionId: string;
  /** The issuer's refusal, set on a decline. */
  refusal: { codeRaw: string; reasonRaw: string; merchantAdviceCode: string } | null;
}

/**
 * The issuer's answer to a decline test card: ISO 8583 `05` "Do not honor",
 * with Mastercard merchant advice `03` (do not try again): the card always
 * declines, so a retry cannot help. The docs publish no raw codes: our choice.
 */
export const TEST_CARD_REFUSAL = { codeRaw: '05', reasonRaw: 'Do not honor', merchantAdviceCode: '03' } as const;

export function cardOnPayment(
  card: TestCard,
  options: {
    paymentId: string;
    /** The issuer's answer; 'pending' while the card waits for its 3-D Secure challenge. */
    decision: 'approved' | 'declined' | 'pending';
    cardToken?: string | null;
    expiryMonth?: string | null;
    expiryYear?: string | null;
    authentication: CardAuthentication;
  },
): CardOnPayment {
  const { installmentCounts: _installments, ...facts } = cardFactsOf(card);
  const digest = digestOf(options.paymentId);
  return {
    ...facts,
    maskedCardNo: maskedNumber(card),
    expiryMonth: options.expiryMonth ?? null,
    expiryYear: options.expiryYear ?? null,
    cardToken: options.cardToken ?? null,
    authentication: options.authentication,
    authorizationCode: options.decision === 'approved' ? digits(digest, 0, 6) : null,
    networkTransactionId: digits(digest, 6, 15),
    refusal: options.decision === 'declined' ? { ...TEST_CARD_REFUSAL } : null,
  };
}

/** The `threeDSResult` of a challenged card: 3DS 2.2.0, ECI 05 (Visa) or 02 (Mastercard) for a full authentication. */
function threeDSResultOf(card: CardOnPayment, paymentIdDigest: Buffer): Record<string, unknown> | undefined {
  if (card.authentication !== 'challenge') return undefined;
  const hex = paymentIdDigest.toString('hex');
  return {
    threeDSVersion: '2.2.0',
    eci: card.cardBrand === 'MASTERCARD' ? '02' : '05',
    cavv: paymentIdDigest.subarray(0, 20).toString('base64'),
    dsTransactionId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
    challenged: true,
  };
}

/** `paymentResultInfo` of a card payment (SDK model PaymentResultInfo), for the payment `paymentId`. */
export function paymentResultInfoOf(card: CardOnPayment, paymentId: string): Record<string, unknown> {
  const threeDSResult = threeDSResultOf(card, digestOf(`3ds:${paymentId}`));
  return {
    cardNo: card.maskedCardNo,
    cardBrand: card.cardBrand,
    ...(card.cardToken !== null ? { cardToken: card.cardToken } : {}),
    issuingCountry: card.issuingCountry,
    funding: card.funding,
    paymentMethodRegion: card.issuingCountry,
    cardBin: card.bin,
    lastFour: card.lastFour,
    ...(card.expiryMonth !== null ? { expiryMonth: card.expiryMonth } : {}),
    ...(card.expiryYear !== null ? { expiryYear: card.expiryYear } : {}),
    cardCategory: card.cardCategory,
    issuerName: card.issuerName,
    credentialTypeUsed: 'PAN',
    networkTransactionId: card.networkTransactionId,
    ...(threeDSResult !== undefined ? { threeDSResult } : {}),
    ...(card.authorizationCode !== null ? { authorizationCode: card.authorizationCode } : {}),
    ...(card.refusal !== null ? { refusalCodeRaw: card.refusal.codeRaw, refusalReasonRaw: card.refusal.reasonRaw, merchantAdviceCode: card.refusal.merchantAdviceCode } : {}),
  };
}

/** The fields of `paymentResultInfo` that inquiryPayment's `cardInfo` (SDK model CardInfo) also has. */
const CARD_INFO_FIELDS = ['cardNo', 'cardBrand', 'cardToken', 'issuingCountry', 'funding', 'paymentMethodRegion', 'threeDSResult'] as const;

/** `cardInfo` of inquiryPayment: the same values as its paymentResultInfo. */
export function cardInfoOf(card: CardOnPayment, paymentId: string): Record<string, unknown> {
  const info = paymentResultInfoOf(card, paymentId);
  return Object.fromEntries(CARD_INFO_FIELDS.filter((field) => field in info).map((field) => [field, info[field]]));
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** `count` decimal digits taken from the digest's bytes from `offset`. */
function digits(digest: Buffer, offset: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String((digest[(offset + i) % digest.length] as number) % 10);
  return out;
}

/**
 * The card fields of a payment's answer or notification: `paymentResultInfo`
 * once the card was charged or declined (not while it waits for 3-D
 * Secure), and `cardInfo` where the answer has it (inquiryPayment).
 */
export function cardFields(payment: { paymentId: string; status: string; card: CardOnPayment | null }, options: { cardInfo?: boolean } = {}): Record<string, unknown> {
  const card = payment.card;
  if (card === null || payment.status === 'PROCESSING') return {};
  return {
    paymentResultInfo: paymentResultInfoOf(card, payment.paymentId),
    ...(options.cardInfo ? { cardInfo: cardInfoOf(card, payment.paymentId) } : {}),
  };
}

/**
 * The network references of a successful card refund: `arn` (the 23-digit
 * acquirer reference number a buyer's bank traces the credit by) and `rrn`
 * (12-digit retrieval reference number), derived from the refund id.
 */
export function cardRefundReferences(refund: { refundId: string; status: string }, paymentMethodType: string): Record<string, string> {
  if (paymentMethodType.toUpperCase() !== 'CARD' || refund.status !== 'SUCCESS') return {};
  const digest = digestOf(`refund:${refund.refundId}`);
  return { arn: digits(digest, 0, 23), rrn: digits(digest, 23, 12) };
}
