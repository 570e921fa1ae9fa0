/**
 * Quotes as the wire carries them (Antom's `Quote`), from the sandbox rate
 * table: a quote holds for the gateway-clock day (UTC) it was made in, and
 * its id names the pair and the day, so every quote of a pair on a day is
 * the same quote.
 */
import { formatResponseTime, type Quote } from '@amsgate/protocol';
import { QUOTE_VALIDITY_MS, type SandboxQuote } from './rate-table.js';

export interface QuoteOptions {
  /** A reference rate (`rateType` REFERENCE) is not guaranteed for payment. */
  guaranteed: boolean;
}

/** The wire `Quote` of `quote`, valid for the day of `now`. */
export function quoteView(quote: Pick<SandboxQuote, 'from' | 'to' | 'pair' | 'priceText'>, now: number, options: QuoteOptions = { guaranteed: true }): Quote {
  const start = now - (now % QUOTE_VALIDITY_MS);
  const day = new Date(start).toISOString().slice(0, 10).replaceAll('-', '');
  return {
    quoteId: `QUOTE-${quote.from}-${quote.to}-${day}`,
    quoteCurrencyPair: quote.pair,
    quotePrice: Number(quote.priceText),
    quoteStartTime: formatResponseTime(start),
    quoteExpiryTime: formatResponseTime(start + QUOTE_VALIDITY_MS),
    guaranteed: options.guaranteed,
  };
}

