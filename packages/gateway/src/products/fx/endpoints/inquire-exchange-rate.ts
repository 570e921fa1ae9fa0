import { AmsError, SUCCESS_RESULT, type InquireExchangeRateRequest } from '@amsgate/protocol';
import type { Clock } from '../../../clock.js';
import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { quoteView } from '../quotes.js';
import type { RateTable, SandboxQuote } from '../rate-table.js';

/**
 * Quotes for what the request names: the pair `buyCurrency/sellCurrency`
 * (one unit of the pricing currency in the buyer's), each pair of
 * `currencyPairs` likewise, or `paymentCurrency` against every currency of
 * the table (one unit of it in each). A currency the table lacks is
 * refused with CURRENCY_NOT_SUPPORT naming it.
 */
export function inquireExchangeRateEndpoint(rates: RateTable, clock: Clock): EndpointModule<'payments/inquireExchangeRate'> {
  return endpointModule({
    path: 'payments/inquireExchangeRate',
    handle: async (_context, request) => {
      const now = clock.now();
      const guaranteed = request.rateType !== 'REFERENCE';
      const pairs = pairsOf(request, rates);
      const quoted = pairs.map((pair) => ({ pair, quote: quoteView(quoteOrRefuse(rates, pair), now, { guaranteed }) }));
      // The pricing-to-payment pairs also as PaymentQuotes: price in buyCurrency × exchangeRate = amount in sellCurrency.
      const paymentQuotes = quoted
        .filter(({ pair }) => pair.fromField !== 'paymentCurrency')
        .map(({ pair, quote }) => ({ buyCurrency: pair.from, sellCurrency: pair.to, quoteId: quote.quoteId, exchangeRate: quote.quotePrice }));
      return { result: { ...SUCCESS_RESULT }, quotes: quoted.map(({ quote }) => quote), ...(paymentQuotes.length > 0 ? { paymentQuotes } : {}) };
    },
  });
}

/** A pair to quote, `from` → `to`, with the request fields that named each side (for the refusal). */
interface PairToQuote {
  from: string;
  to: string;
  fromField: string;
  toField: string;
}

function pairsOf(request: InquireExchangeRateRequest, rates: RateTable): PairToQuote[] {
  const pairs: PairToQuote[] = [];
  if (request.buyCurrency !== undefined && request.sellCurrency !== undefined) {
    pairs.push({ from: request.buyCurrency, to: request.sellCurrency, fromField: 'buyCurrency', toField: 'sellCurrency' });
  }
  (request.currencyPairs ?? []).forEach((pair, i) => {
    pairs.push({ from: pair.buyCurrency, to: pair.sellCurrency, fromField: `currencyPairs[${i}].buyCurrency`, toField: `currencyPairs[${i}].sellCurrency` });
  });
  const paymentCurrency = request.paymentCurrency;
  if (paymentCurrency !== undefined) {
    for (const currency of rates.currencies) {
      if (currency !== paymentCurrency) pairs.push({ from: paymentCurrency, to: currency, fromField: 'paymentCurrency', toField: 'paymentCurrency' });
    }
    if (!rates.supports(paymentCurrency)) throw notSupported('paymentCurrency', paymentCurrency, rates);
  }
  return pairs;
}

function quoteOrRefuse(rates: RateTable, pair: PairToQuote): SandboxQuote {
  const quote = rates.quote(pair.from, pair.to);
  if (quote !== undefined) return quote;
  throw rates.supports(pair.from) ? notSupported(pair.toField, pair.to, rates) : notSupported(pair.fromField, pair.from, rates);
}

function notSupported(field: string, currency: string, rates: RateTable): AmsError {
  return new AmsError('CURRENCY_NOT_SUPPORT', `${field} ${currency} is not in the sandbox exchange-rate table (${rates.currencies.join(', ')})`);
}
