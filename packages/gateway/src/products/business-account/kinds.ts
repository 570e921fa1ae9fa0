/** The Business Account's resource kinds and their documents. */
import type { Amount, EndpointRequest, Quote } from '@amsgate/protocol';
import { defineResourceKind } from '../../resources/resource-kind.js';

type PaymentMethod = EndpointRequest<'aba/funds/createDirectPayment'>['payToMethod'];
type RefundFromMethod = EndpointRequest<'aba/funds/createDirectRefund'>['refundFromMethod'];
type AuthorizationControl = NonNullable<EndpointRequest<'aba/cards/applyCard'>['authorizationControl']>;

export interface DirectPaymentDoc {
  paymentId: string;
  paymentRequestId: string;
  paymentStatus: 'SUCCESS' | 'FAIL';
  paymentResultCode?: string;
  paymentResultMessage?: string;
  payToMethod: PaymentMethod;
  payFromAmount: Amount;
  payToAmount: Amount;
  paymentTime?: string;
  memo?: string;
  remark?: string;
  /** What its successful refunds gave back so far, in minor units of payToAmount's currency. */
  refundedValue: string;
}

export const directPaymentKind = defineResourceKind<DirectPaymentDoc, 'SUCCESS' | 'FAIL'>({
  kind: 'aba.directPayment', idPrefix: 'DPY', noun: 'direct payment', idField: 'paymentId', notFoundCode: 'ORDER_NOT_EXIST', statuses: ['SUCCESS', 'FAIL'],
});

export interface DirectRefundDoc {
  refundId: string;
  refundRequestId: string;
  paymentId: string;
  refundStatus: 'SUCCESS';
  refundFromMethod: RefundFromMethod;
  refundFromAmount: Amount;
  refundToAmount: Amount;
  refundTime: string;
  referenceRefundId?: string;
  refundReason?: string;
}

export const directRefundKind = defineResourceKind<DirectRefundDoc, 'SUCCESS'>({
  kind: 'aba.directRefund', idPrefix: 'DRF', noun: 'direct refund', idField: 'refundId', notFoundCode: 'ORDER_NOT_EXIST', statuses: ['SUCCESS'],
});

export interface QuoteDoc {
  /** The wire quote but its id, which is the resource's. */
  quote: Omit<Quote, 'quoteId'>;
  sellAmount: Amount;
  buyAmount: Amount;
  exchangeTradeType: string;
  /** Epoch ms of quoteExpiryTime. */
  expiresAt: number;
  /** The exchange that used it. */
  usedBy?: string;
}

/** `USD:1000>EUR:920`: what an exchange naming no quote id is matched by. */
export function quoteMatch(sell: Amount, buy: Amount): string {
  return `${sell.currency}:${sell.value}>${buy.currency}:${buy.value}`;
}

export const quoteKind = defineResourceKind<QuoteDoc, 'ACTIVE' | 'USED'>({
  kind: 'aba.quote', idPrefix: 'QUO', noun: 'quote', idField: 'quoteId', notFoundCode: 'RECORD_NOT_FOUND', statuses: ['ACTIVE', 'USED'],
  filters: { match: (doc) => (doc.sellAmount === undefined || doc.buyAmount === undefined ? undefined : quoteMatch(doc.sellAmount, doc.buyAmount)) },
});

export interface ExchangeDoc {
  exchangeId: string;
  exchangeRequestId: string;
  exchangeTradeType: string;
  exchangeMode?: string;
  quote: Quote;
  sellAmount: Amount;
  buyAmount: Amount;
  exchangeStartTime: string;
  exchangeEndTime: string;
}

export const exchangeKind = defineResourceKind<ExchangeDoc, 'SUCCESS'>({
  kind: 'aba.exchange', idPrefix: 'EXC', noun: 'exchange', idField: 'exchangeRequestId', notFoundCode: 'ORDER_NOT_EXIST', statuses: ['SUCCESS'],
});

export type CardStatus = 'ACTIVE' | 'FROZEN' | 'CANCEL';

/** A card as every answer but inquireCardSensitiveInfo shows it: never its number, CVV or expiry. */
export interface CardDoc {
  assetId: string;
  cardNickName?: string;
  maskedCardNo: string;
  lastFourDigits: string;
  cardBrand: 'MASTERCARD';
  createdTime: string;
  updatedTime: string;
  purpose?: string;
  note?: string;
  metadata?: Record<string, unknown>;
  authorizationControl?: AuthorizationControl;
}

export const cardKind = defineResourceKind<CardDoc, CardStatus>({
  kind: 'aba.card', idPrefix: 'CRD', noun: 'card', idField: 'assetId', notFoundCode: 'RECORD_NOT_FOUND', statuses: ['ACTIVE', 'FROZEN', 'CANCEL'],
  filters: { lastFourDigits: (doc) => doc.lastFourDigits, cardNickName: (doc) => doc.cardNickName },
});

/** A card's sensitive part, a resource of its own (id: `CSE` + the card id's rest) that only inquireCardSensitiveInfo and applyCard read. */
export interface CardSecretDoc {
  cardNo: string;
  cvv: string;
  expiredMonth: string;
  expiredYear: string;
}

export const cardSecretKind = defineResourceKind<CardSecretDoc, 'ISSUED'>({
  sensitive: true,
  kind: 'aba.cardSecret', idPrefix: 'CSE', noun: 'card', idField: 'assetId', notFoundCode: 'RECORD_NOT_FOUND', statuses: ['ISSUED'],
});

export const cardSecretIdOf = (assetId: string): string => `CSE${assetId.slice(3)}`;

export type CardEventType = 'AUTH' | 'CAPTURE';
export type CardEventStatus = 'SUCCESS' | 'FAIL';

/** The event's id is its resource's. */
export interface CardEventDoc {
  lifecycleId: string;
  eventType: CardEventType;
  status: CardEventStatus;
  authType?: 'AUTH';
  authCode?: string;
  failureReason?: string;
  balanceType: 'ANTOM_BIZ_ACCOUNT';
  billType: 'CARD_PAYMENT';
  transactionTime: string;
  /** Epoch ms, for time filters. */
  at: number;
  transactionAmount: Amount;
  outAmount?: Amount;
  assetId: string;
  maskedCardNo: string;
  merchantInfo: { name: string; region?: string; mcc?: string };
}

export const cardEventKind = defineResourceKind<CardEventDoc, CardEventStatus>({
  kind: 'aba.cardEvent', idPrefix: 'CEV', noun: 'card transaction event', idField: 'eventId', notFoundCode: 'RECORD_NOT_FOUND', statuses: ['SUCCESS', 'FAIL'],
});

/** The lifecycle's id is its resource's. */
export interface CardLifecycleDoc {
  assetId: string;
  maskedCardNo: string;
  latestEventType: CardEventType;
  latestEventStatus: CardEventStatus;
  transactionTime: string;
  lastUpdateTime: string;
  at: number;
  currency: string;
  totalBillingAmount: Amount;
  totalAuthAmount: Amount;
  totalCancelAmount: Amount;
  totalRefundAmount: Amount;
  totalChargebackAmount: Amount;
}

export const cardLifecycleKind = defineResourceKind<CardLifecycleDoc, CardEventStatus>({
  kind: 'aba.cardLifecycle', idPrefix: 'CLC', noun: 'card transaction lifecycle', idField: 'lifecycleId', notFoundCode: 'RECORD_NOT_FOUND', statuses: ['SUCCESS', 'FAIL'],
});
