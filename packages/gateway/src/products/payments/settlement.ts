/**
 * Settlement in another currency: a `pay` with
 * `settlementStrategy.settlementCurrency` other than its own currency is
 * settled at the sandbox rate table's quote of the day it is made, locked
 * then (stored with the payment); its successful answers, inquiries and
 * notifications carry `grossSettlementAmount` (payment amount × quote
 * price, half up) and `settlementQuote`.
 */
import { AmsError, type Money } from '@amsgate/protocol';
import { quoteView } from '../fx/quotes.js';
import { RateTable, type SandboxQuote } from '../fx/rate-table.js';
import type { PaymentRecord, CurrencyConversion } from './payment-record.js';

/**
 * The settlement a new payment locks; null without a settlement currency or
 * when it is the payment's own. A currency the table lacks has no settlement
 * contract: SETTLE_CONTRACT_NOT_MATCH, before anything is written.
 */
export function settlementFor(rates: RateTable, strategy: { settlementCurrency?: string } | undefined, amount: Money): CurrencyConversion | null {
  const currency = strategy?.settlementCurrency;
  if (currency === undefined || currency === amount.currency) return null;
  const quote = rates.quote(amount.currency, currency);
  if (quote === undefined) {
    const missing = rates.supports(currency) ? `paymentAmount.currency ${amount.currency}` : `settlementStrategy.settlementCurrency ${currency}`;
    throw new AmsError('SETTLE_CONTRACT_NOT_MATCH', `${missing} has no settlement contract in the sandbox (its exchange-rate table has ${rates.currencies.join(', ')})`);
  }
  return lockedConversion(amount, quote, currency);
}

/**
 * What the buyer pays in their account's currency (`buyerCurrency` of the
 * payment method's offer), locked when the payment is made: null when it is
 * the payment's own, or the rate table has no rate for the pair (the buyer
 * then pays in the payment's currency). Over 16 digits: PARAM_ILLEGAL.
 */
export function buyerPaymentFor(rates: RateTable, buyerCurrency: string | undefined, amount: Money): CurrencyConversion | null {
  if (buyerCurrency === undefined || buyerCurrency === amount.currency) return null;
  const quote = rates.quote(amount.currency, buyerCurrency);
  if (quote === undefined) return null;
  return lockedConversion(amount, quote, `${buyerCurrency}, the currency the buyer pays in`);
}

/** `amount` at `quote`; one that would not fit the wire's 16 digits is refused (PARAM_ILLEGAL), before anything is written. */
function lockedConversion(amount: Money, quote: SandboxQuote, what: string): CurrencyConversion {
  const converted = RateTable.convert(amount.minor, quote);
  if (converted > MAX_WIRE_MINOR_UNITS) {
    throw AmsError.paramIllegal('paymentAmount', `converts to ${converted} minor units of ${what}, more than the 16 digits an amount can carry`);
  }
  return { currency: quote.to, amount: converted, price: quote.priceText };
}

/**
 * `actualPaymentAmount` of a successful payment (what the buyer paid: the
 * payment amount when in its own currency) and, when converted,
 * `paymentQuote`.
 */
export function buyerPaymentFields(payment: PaymentRecord): Record<string, unknown> {
  if (payment.status !== 'SUCCESS') return {};
  const paid = payment.buyerPayment;
  if (paid === null) return { actualPaymentAmount: { currency: payment.currency, value: payment.amount.toString() } };
  return {
    actualPaymentAmount: { currency: paid.currency, value: paid.amount.toString() },
    paymentQuote: quoteView({ from: payment.currency, to: paid.currency, pair: `${payment.currency}/${paid.currency}`, priceText: paid.price }, payment.createdAt),
  };
}

/**
 * A locked conversion for a new amount of the same record, at the price
 * locked with it (updateAmount raising an authorisation); over 16 digits:
 * PARAM_ILLEGAL naming `field`, before anything is written.
 */
export function reconverted(conversion: CurrencyConversion, fromCurrency: string, minor: bigint, field: string): CurrencyConversion {
  const amount = RateTable.convert(minor, RateTable.quoteAt(fromCurrency, conversion.currency, conversion.price));
  if (amount > MAX_WIRE_MINOR_UNITS) {
    throw AmsError.paramIllegal(field, `converts to ${amount} minor units of ${conversion.currency}, more than the 16 digits an amount can carry`);
  }
  return { currency: conversion.currency, amount, price: conversion.price };
}

/** The largest `Amount.value` the wire carries (String(16)). */
const MAX_WIRE_MINOR_UNITS = 9_999_999_999_999_999n;

/** What carries a settlement: a payment, or a refund of one. */
interface Settled {
  currency: string;
  status: string;
  createdAt: number;
  settlement: CurrencyConversion | null;
}

/**
 * `grossSettlementAmount` and `settlementQuote` of a successful payment or
 * refund that settles in another currency (the quote of the day it was
 * made); nothing otherwise.
 */
export function settlementFields(record: Settled): Record<string, unknown> {
  const settlement = record.settlement;
  if (settlement === null || record.status !== 'SUCCESS') return {};
  const pair = { from: record.currency, to: settlement.currency, pair: `${record.currency}/${settlement.currency}`, priceText: settlement.price };
  return {
    grossSettlementAmount: { currency: settlement.currency, value: settlement.amount.toString() },
    settlementQuote: quoteView(pair, record.createdAt),
  };
}

/**
 * A refund of a payment that settles in another currency settles in it
 * too, at the rate of the refund's day (Antom quotes a refund anew; the
 * sandbox table gives the same price unless its configuration changed, in
 * which case a currency it no longer has keeps the payment's price).
 * Converted cumulatively, so rounding never settles the refunds of a
 * payment for more than the payment settled: this refund settles what all
 * refunds so far convert to, less what the earlier ones settled, within
 * what is left of the payment's settlement.
 */
export function refundSettlementFor(
  rates: RateTable,
  payment: PaymentRecord,
  earlier: readonly { amount: bigint; settlement: CurrencyConversion | null }[],
  refundMinor: bigint,
): CurrencyConversion | null {
  const locked = payment.settlement;
  if (locked === null) return null;
  const quote = rates.quote(payment.currency, locked.currency) ?? RateTable.quoteAt(payment.currency, locked.currency, locked.price);
  const refundedBefore = earlier.reduce((sum, refund) => sum + refund.amount, 0n);
  const settledBefore = earlier.reduce((sum, refund) => sum + (refund.settlement?.amount ?? 0n), 0n);
  const cumulative = RateTable.convert(refundedBefore + refundMinor, quote) - settledBefore;
  const left = locked.amount - settledBefore;
  const amount = cumulative < 0n ? 0n : cumulative > left ? left : cumulative;
  return { currency: locked.currency, amount, price: quote.priceText };
}
