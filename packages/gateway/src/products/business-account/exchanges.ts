/**
 * Foreign exchange on the Business Account, from the sandbox rate table:
 * inquireRate (indicative), createQuote (a quote resource, tradable for
 * QUOTE_TTL_MS by the gateway clock), createExchange (at the quote's rate,
 * once per quote: the sell currency out of the account, the buy currency
 * in), inquireExchange.
 *
 * A quote's pair is SELL/BUY: one unit of the sell currency buys
 * `quotePrice` units of the buy currency. The side the request fixes is
 * exact; the other is computed: a buy amount rounds half up (the rate
 * table's rule), a sell amount for a fixed buy amount rounds up, so the
 * account never gets more than it pays for.
 */
import { AmsError, currencyExponent, formatResponseTime, parseAmount, SUCCESS_RESULT, toAmount, type Amount, type EndpointRequest, type Money } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule } from '../../endpoints/contract.js';
import { recordJournal } from '../../ledger/journal.js';
import { requestFingerprint } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { defined } from '../../resources/resource-endpoints.js';
import { findByRequestId, findResource, saveResource } from '../../resources/resource-store.js';
import type { Tx } from '../../schema.js';
import { RateTable, type SandboxQuote } from '../fx/rate-table.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { abaAccount, balanceOf, counterparty, lockAccount, MOVEMENT } from './account.js';
import { exchangeKind, quoteKind, quoteMatch, type ExchangeDoc, type QuoteDoc } from './kinds.js';

/** How long a quote can be exchanged at (our choice: Antom documents no window). */
export const QUOTE_TTL_MS = 5 * 60 * 1000;
/** The rate table's price scale (15 decimal places, `fx/rate-table.ts`). */
const PRICE_SCALE = 10n ** 15n;

type QuoteRecord = ResourceRecord<QuoteDoc, 'ACTIVE' | 'USED'>;

function pairQuote(rates: RateTable, sell: string, buy: string, fields: { sell: string; buy: string }): SandboxQuote {
  if (!rates.supports(sell)) throw new AmsError('CURRENCY_NOT_SUPPORT', `${fields.sell}: the sandbox has no rate for ${sell}`, { field: fields.sell });
  if (!rates.supports(buy)) throw new AmsError('CURRENCY_NOT_SUPPORT', `${fields.buy}: the sandbox has no rate for ${buy}`, { field: fields.buy });
  if (sell === buy) throw AmsError.paramIllegal(fields.buy, `is ${sell}, the currency sold: an exchange is between two currencies`);
  return rates.quote(sell, buy) as SandboxQuote;
}

/** The sell amount that buys `buyMinor` at `quote`, rounded up. */
function sellFor(buyMinor: bigint, quote: SandboxQuote): bigint {
  const shift = currencyExponent(quote.from) - currencyExponent(quote.to);
  const numerator = buyMinor * PRICE_SCALE * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const denominator = quote.scaledPrice * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return (numerator + denominator - 1n) / denominator;
}

/** A value the request leaves to the quote: absent, empty or 0 (the schema requires a value; see the report). */
function hasValue(amount: { value?: string }): boolean {
  return amount.value !== undefined && amount.value !== '' && /[1-9]/.test(amount.value);
}

function sides(rates: RateTable, request: EndpointRequest<'aba/funds/createQuote'>): { quote: SandboxQuote; sell: Money; buy: Money } {
  const sellFixed = hasValue(request.sellAmount);
  const buyFixed = hasValue(request.buyAmount);
  if (sellFixed === buyFixed) throw AmsError.paramIllegal(sellFixed ? 'buyAmount.value' : 'sellAmount.value', 'give a value in exactly one of sellAmount and buyAmount (the other is quoted)');
  const quote = pairQuote(rates, request.sellAmount.currency, request.buyAmount.currency, { sell: 'sellAmount.currency', buy: 'buyAmount.currency' });
  if (sellFixed) {
    const sell = parseAmount(request.sellAmount, 'sellAmount');
    return { quote, sell, buy: { currency: quote.to, minor: RateTable.convert(sell.minor, quote) } };
  }
  const buy = parseAmount(request.buyAmount, 'buyAmount');
  return { quote, buy, sell: { currency: quote.from, minor: sellFor(buy.minor, quote) } };
}

function requiredAmount(amount: Amount | undefined, field: string): Money {
  if (amount === undefined) throw AmsError.paramIllegal(field, 'is required: the amounts of the quote to exchange at');
  return parseAmount(amount, field);
}

/** The wire quote: its id is the resource's. */
function quoteOf(record: QuoteRecord) {
  return { quoteId: record.id, ...record.doc.quote };
}

function exchangeView(doc: ExchangeDoc) {
  return defined({
    exchangeRequestId: doc.exchangeRequestId, exchangeTradeType: doc.exchangeTradeType, exchangeMode: doc.exchangeMode, quote: doc.quote,
    sellAmount: doc.sellAmount, buyAmount: doc.buyAmount, exchangeStartTime: doc.exchangeStartTime, exchangeEndTime: doc.exchangeEndTime,
  });
}

export function exchangeEndpoints(deps: ResourceProductDeps) {
  const { engine, database, rates, clock } = deps;

  /**
   * The quote an exchange is at: the one its `quote.quoteId` names, or else
   * the newest unused one of the client for the same amounts (the SDKs'
   * request carries no quote). Refused RECORD_NOT_FOUND when there is none,
   * QUOTE_EXPIRED when every match has expired.
   */
  async function quoteFor(clientId: string, request: EndpointRequest<'aba/funds/createExchange'>): Promise<string> {
    const named = (request as { quote?: { quoteId?: unknown } }).quote?.quoteId;
    if (typeof named === 'string' && named !== '') return named;
    const sell = requiredAmount(request.sellAmount, 'sellAmount');
    const buy = requiredAmount(request.buyAmount, 'buyAmount');
    const match = quoteMatch(toAmount(sell), toAmount(buy));
    const page = await engine.list(quoteKind, clientId, { filters: { match, status: 'ACTIVE' }, limit: 100, includeTotal: false });
    const now = clock.now();
    const live = page.items.find((record) => record.doc.expiresAt > now);
    if (live !== undefined) return live.id;
    if (page.items.length > 0) throw new AmsError('QUOTE_EXPIRED', `quote ${page.items[0]!.id} for selling ${sell.minor} ${sell.currency} for ${buy.minor} ${buy.currency} expired at ${page.items[0]!.doc.quote.quoteExpiryTime}: ask for a new one`);
    throw new AmsError('RECORD_NOT_FOUND', `quote: no unused quote of yours sells ${sell.minor} ${sell.currency} for ${buy.minor} ${buy.currency}: call createQuote first`, { field: 'quote' });
  }

  async function exchange(tx: Tx, clientId: string, request: EndpointRequest<'aba/funds/createExchange'>, quoteId: string, id: string, now: number) {
    if (request.exchangeTradeType !== undefined && request.exchangeTradeType !== 'SPOT') throw AmsError.paramIllegal('exchangeTradeType', 'must be SPOT');
    await lockAccount(tx, database.dialect, clientId);
    const quote: QuoteRecord | undefined = await findResource(tx, quoteKind, clientId, quoteId, { forUpdate: database.dialect });
    if (quote === undefined) throw new AmsError('RECORD_NOT_FOUND', `quote.quoteId: no quote ${quoteId}`, { field: 'quote.quoteId' });
    if (quote.status === 'USED') throw new AmsError('RECORD_NOT_FOUND', `quote.quoteId: quote ${quoteId} was used by exchange ${quote.doc.usedBy}; a quote is used once`, { field: 'quote.quoteId' });
    if (now >= quote.doc.expiresAt) throw new AmsError('QUOTE_EXPIRED', `quote ${quoteId} expired at ${quote.doc.quote.quoteExpiryTime}: ask for a new one`);
    for (const [field, quoted] of [['sellAmount', quote.doc.sellAmount], ['buyAmount', quote.doc.buyAmount]] as const) {
      const given = request[field];
      if (given !== undefined && (given.currency !== quoted.currency || given.value !== quoted.value)) {
        throw AmsError.paramIllegal(field, `must be the quote's ${quoted.value} ${quoted.currency}`);
      }
    }
    const sell = parseAmount(quote.doc.sellAmount, 'sellAmount');
    const buy = parseAmount(quote.doc.buyAmount, 'buyAmount');
    const balance = await balanceOf(tx, clientId, sell.currency);
    if (balance < sell.minor) throw new AmsError('BALANCE_NOT_ENOUGH', `The Business Account holds ${balance} ${sell.currency} minor units, less than the ${sell.minor} to sell`);
    const used = await saveResource(tx, quoteKind, quote, { status: 'USED', doc: { ...quote.doc, usedBy: id }, now, event: 'used', detail: `exchange ${id}` });
    if (used === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `quote ${quoteId} changed under this exchange; nothing was exchanged: retry`);
    const at = formatResponseTime(now);
    const doc: ExchangeDoc = {
      exchangeId: id, exchangeRequestId: request.exchangeRequestId as string, exchangeTradeType: 'SPOT', ...defined({ exchangeMode: request.exchangeMode }),
      quote: quoteOf(quote), sellAmount: quote.doc.sellAmount, buyAmount: quote.doc.buyAmount, exchangeStartTime: at, exchangeEndTime: at,
    };
    return {
      status: 'SUCCESS' as const, doc,
      after: async (tx: Tx) => {
        await recordJournal(tx, {
          clientId, paymentId: id, movement: MOVEMENT.EXCHANGE, now,
          lines: [
            { account: abaAccount(clientId), currency: sell.currency, amount: -sell.minor },
            { account: counterparty.fxDesk, currency: sell.currency, amount: sell.minor },
            { account: counterparty.fxDesk, currency: buy.currency, amount: -buy.minor },
            { account: abaAccount(clientId), currency: buy.currency, amount: buy.minor },
          ],
        });
      },
    };
  }

  return {
    'aba/funds/inquireRate': endpointModule({
      path: 'aba/funds/inquireRate',
      handle: async (_context, request) => ({
        result: { ...SUCCESS_RESULT },
        rateResultList: request.rateConditionList.map((condition, i) => {
          const field = `rateConditionList[${i}]`;
          if (!condition.sellCurrency) throw AmsError.paramIllegal(`${field}.sellCurrency`, 'is required');
          if (!condition.buyCurrency) throw AmsError.paramIllegal(`${field}.buyCurrency`, 'is required');
          const quote = pairQuote(rates, condition.sellCurrency, condition.buyCurrency, { sell: `${field}.sellCurrency`, buy: `${field}.buyCurrency` });
          return { sellCurrency: quote.from, buyCurrency: quote.to, exchangeRate: quote.priceText };
        }),
      }),
    }),
    'aba/funds/createQuote': endpointModule({
      path: 'aba/funds/createQuote',
      handle: async (context, request) => {
        if (request.exchangeTradeType !== undefined && request.exchangeTradeType !== 'SPOT') throw AmsError.paramIllegal('exchangeTradeType', 'must be SPOT');
        const { quote, sell, buy } = sides(rates, request);
        const now = clock.now();
        const record = await database.transaction((tx) => engine.insert(tx, quoteKind, context.clientId, {
          status: 'ACTIVE',
          doc: {
            quote: {
              quoteCurrencyPair: quote.pair, quotePrice: Number(quote.priceText), quoteStartTime: formatResponseTime(now),
              quoteExpiryTime: formatResponseTime(now + QUOTE_TTL_MS), guaranteed: true, exchangeAmount: toAmount(buy),
            },
            sellAmount: toAmount(sell), buyAmount: toAmount(buy), exchangeTradeType: 'SPOT', expiresAt: now + QUOTE_TTL_MS,
          },
        }, now));
        return { result: { ...SUCCESS_RESULT }, exchangeTradeType: 'SPOT', quote: quoteOf(record), sellAmount: record.doc.sellAmount, buyAmount: record.doc.buyAmount };
      },
    }),
    'aba/funds/createExchange': keyedEndpointModule({
      path: 'aba/funds/createExchange',
      idempotency: { scope: exchangeKind.kind, fingerprint: (request) => requestFingerprint(request, 'exchangeRequestId') },
      handle: async (context, request) => {
        // A repeat answers the exchange made (its quote is used by then): no quote to find.
        const made = (await database.read((db) => findByRequestId(db, exchangeKind, context.clientId, context.idempotencyKey.requestId)))?.id;
        const quoteId = made === undefined ? await quoteFor(context.clientId, request) : '';
        const { record } = await engine.create(context, exchangeKind, (tx, id, now) => exchange(tx, context.clientId, request, quoteId, id, now));
        return { result: { ...SUCCESS_RESULT }, ...exchangeView(record.doc) };
      },
    }),
    'aba/funds/inquireExchange': endpointModule({
      path: 'aba/funds/inquireExchange',
      handle: async (context, request) => {
        const id = (await database.read((db) => findByRequestId(db, exchangeKind, context.clientId, request.exchangeRequestId)))?.id;
        if (id === undefined) throw new AmsError('ORDER_NOT_EXIST', `exchangeRequestId: no exchange ${request.exchangeRequestId}`, { field: 'exchangeRequestId' });
        const { doc } = await engine.get(exchangeKind, context.clientId, id);
        return { result: { ...SUCCESS_RESULT }, exchangeResult: { ...SUCCESS_RESULT }, exchangeId: doc.exchangeId, ...exchangeView(doc) };
      },
    }),
  };
}
