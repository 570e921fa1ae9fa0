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
import { RateTable } from '../fx/rate-table.js';
import type { PaymentRecord, PaymentSettlement } from './payment-record.js';

/**
 * The settlement a new payment locks; null without a settlement currency or
 * when it is the payment's own. A currency the table lacks has no settlement
 * contract: SETTLE_CONTRACT_NOT_MATCH, before anything is written.
 */
export function settlementFor(rates: RateTable, strategy: { settlementCurrency?: string } | undefined, amount: Money): PaymentSettlement | null {
  const currency = strategy?.settlementCurrency;
  if (currency === undefined || currency === amount.currency) return null;
  const quote = rates.quote(amount.currency, currency);
  if (quote === undefined) {
    const missing = rates.supports(currency) ? `paymentAmount.currency ${amount.currency}` : `settlementStrategy.settlementCurrency ${currency}`;
    throw new AmsError('SETTLE_CONTRACT_NOT_MATCH', `${missing} has no settlement contract in the sandbox (its exchange-rate table has ${rates.currencies.join(', ')})`);
  }
  return { currency, amount: RateTable.convert(amount.minor, quote), price: quote.priceText };
}

/** `grossSettlementAmount` and `settlementQuote` of a successful payment that settles in another currency; nothing otherwise. */
export function settlementFields(payment: PaymentRecord): Record<string, unknown> {
  const settlement = payment.settlement;
  if (settlement === null || payment.status !== 'SUCCESS') return {};
  const pair = { from: payment.currency, to: settlement.currency, pair: `${payment.currency}/${settlement.currency}`, priceText: settlement.price };
  return {
    grossSettlementAmount: { currency: settlement.currency, value: settlement.amount.toString() },
    settlementQuote: quoteView(pair, payment.createdAt),
  };
}
