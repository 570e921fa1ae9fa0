/**
 * `payments/inquireExchangeRate`: the rates between the currency goods are
 * priced in (`buyCurrency`) and the one the buyer pays in (`sellCurrency`),
 * for one pair, a list of pairs, or every currency against a payment
 * currency.
 */
import type Type from 'typebox';
import { ArrayOf, CurrencyCode, Decimal, Enum, Obj, Optional, Refine, Text, type Rule } from './builder.js';
import { MerchantAccountId, QuoteSchema, responseBase } from './common.js';

export const CurrencyPairSchema = Obj({
  sellCurrency: CurrencyCode({ description: 'The currency the buyer pays in.' }),
  buyCurrency: CurrencyCode({ description: 'The currency the goods are priced in.' }),
});
export type CurrencyPair = Type.Static<typeof CurrencyPairSchema>;

export const RateTypeSchema = Enum(['TRADE', 'REFERENCE', 'REFERENCE_TRADE'], { caseInsensitive: true });

/** A pair given by its two top-level fields needs both; without one, a list or a payment currency must say what to quote. */
const somethingToQuote: Rule<{ sellCurrency?: string; buyCurrency?: string; currencyPairs?: unknown[]; paymentCurrency?: string }> = {
  name: 'pair-or-pairs-or-payment-currency',
  jsonSchema: { anyOf: [{ required: ['sellCurrency', 'buyCurrency'] }, { required: ['currencyPairs'] }, { required: ['paymentCurrency'] }] },
  check(value) {
    if (value.sellCurrency !== undefined && value.buyCurrency === undefined) return { path: ['buyCurrency'], problem: 'is required with sellCurrency' };
    if (value.buyCurrency !== undefined && value.sellCurrency === undefined) return { path: ['sellCurrency'], problem: 'is required with buyCurrency' };
    if (value.sellCurrency !== undefined || value.currencyPairs !== undefined || value.paymentCurrency !== undefined) return undefined;
    return { path: ['currencyPairs'], problem: 'is required: give sellCurrency and buyCurrency, currencyPairs, or paymentCurrency' };
  },
};

export const InquireExchangeRateRequestSchema = Refine(
  Obj({
    merchantAccountId: MerchantAccountId(),
    productCode: Enum(['CASHIER_PAYMENT', 'AGREEMENT_PAYMENT', 'IN_STORE_PAYMENT'], { caseInsensitive: true }),
    sellCurrency: Optional(CurrencyCode()),
    buyCurrency: Optional(CurrencyCode()),
    currencyPairs: Optional(ArrayOf(CurrencyPairSchema, { minItems: 1, maxItems: 100 })),
    paymentCurrency: Optional(CurrencyCode({ description: 'Quotes of this currency against every currency the sandbox rate table has.' })),
    rateType: Optional(RateTypeSchema),
  }),
  somethingToQuote,
);
export type InquireExchangeRateRequest = Type.Static<typeof InquireExchangeRateRequestSchema>;

/** A rate to multiply a price in `buyCurrency` by to get the amount in `sellCurrency` (a JSON number, up to 15 decimal places). */
export const PaymentQuoteSchema = Obj({
  buyCurrency: Optional(CurrencyCode()),
  sellCurrency: Optional(CurrencyCode()),
  quoteId: Optional(Text(64)),
  exchangeRate: Optional(Decimal()),
});
export type PaymentQuote = Type.Static<typeof PaymentQuoteSchema>;

export const InquireExchangeRateResponseSchema = Obj({
  ...responseBase,
  quotes: Optional(ArrayOf(QuoteSchema)),
  paymentQuotes: Optional(ArrayOf(PaymentQuoteSchema)),
});
export type InquireExchangeRateResponse = Type.Static<typeof InquireExchangeRateResponseSchema>;
