/**
 * payments/inquireExchangeRate through real signed HTTP, and the sandbox
 * rate table behind it: deterministic quotes, configurable rates, exact
 * bigint conversion rounded half up, Antom's refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateTable, RateTableError } from '../src/products/fx/rate-table.js';
import { DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

interface WireQuote {
  quoteId: string;
  quoteCurrencyPair: string;
  quotePrice: number;
  quoteStartTime: string;
  quoteExpiryTime: string;
  guaranteed: boolean;
}

describe('the sandbox rate table', () => {
  const table = new RateTable();

  it('quotes A/B as the units of B one unit of A is worth, to 15 places and 15 significant digits (what a JSON number carries)', () => {
    expect(table.quote('USD', 'HKD')?.priceText).toBe('7.8');
    expect(table.quote('HKD', 'USD')?.priceText).toBe('0.128205128205128');
    expect(table.quote('EUR', 'JPY')?.priceText).toBe('163.04347826087');
    expect(table.quote('USD', 'USD')?.priceText).toBe('1');
    expect(table.quote('AUD', 'IDR')?.priceText).toBe('10533.3333333333');
    expect(table.quote('USD', 'BRL')).toBeUndefined();
    // Every price survives the JSON number it is sent as.
    for (const a of table.currencies) for (const b of table.currencies) expect(String(Number(table.quote(a, b)!.priceText))).toBe(table.quote(a, b)!.priceText);
  });

  it('converts minor units across exponents, rounding half up', () => {
    // HKD 100.00 → USD: 10000 × 0.128205128205128 = 1282.05… → 1282 (USD 12.82)
    expect(RateTable.convert(10000n, table.quote('HKD', 'USD')!)).toBe(1282n);
    // USD 10.00 → JPY (no minor units): 1000 cents × 150 / 100 = 1500 yen
    expect(RateTable.convert(1000n, table.quote('USD', 'JPY')!)).toBe(1500n);
    // JPY 1 → USD: 0.00666… USD = 0.67 cents → 1 cent (half up)
    expect(RateTable.convert(1n, table.quote('JPY', 'USD')!)).toBe(1n);
    // exactly half a cent rounds up: USD→EUR 0.92; 1 cent → 0.92 cents → 1
    expect(RateTable.convert(1n, table.quote('USD', 'EUR')!)).toBe(1n);
    const custom = new RateTable({ USD: '1', EUR: '0.5' });
    // 1 cent × 0.5 = 0.5 → 1 (half up); 3 cents × 0.5 = 1.5 → 2
    expect(RateTable.convert(1n, custom.quote('USD', 'EUR')!)).toBe(1n);
    expect(RateTable.convert(3n, custom.quote('USD', 'EUR')!)).toBe(2n);
    // A large amount stays exact (no float): 9 007 199 254 740 993 cents × 7.8
    expect(RateTable.convert(9007199254740993n, table.quote('USD', 'HKD')!)).toBe(70256154186979745n);
  });

  it('refuses a table that is not in units per US dollar, or has a bad rate or currency', () => {
    expect(() => new RateTable({ HKD: '7.8' })).toThrow(RateTableError);
    expect(() => new RateTable({ USD: '1', HKD: '-1' })).toThrow(/not a positive decimal/);
    expect(() => new RateTable({ USD: '1', XXQ: '2' })).toThrow(/not an ISO 4217 currency/);
  });
});

describe.each(DIALECTS)('payments/inquireExchangeRate on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, exchangeRates: { USD: '1', HKD: '7.8', EUR: '0.92', JPY: '150' } });
    });
    afterAll(async () => t?.close());

    const inquire = async (body: Record<string, unknown>) => (await t.call('payments/inquireExchangeRate', { productCode: 'CASHIER_PAYMENT', ...body })).body;

    it('quotes the pair: one unit of the pricing currency in the buyer\'s, as a JSON number, for the day', async () => {
      const body = await inquire({ buyCurrency: 'USD', sellCurrency: 'HKD' });
      expect(body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
      const [quote] = body.quotes as WireQuote[];
      expect(quote).toMatchObject({ quoteCurrencyPair: 'USD/HKD', quotePrice: 7.8, guaranteed: true });
      expect(typeof quote!.quotePrice).toBe('number');
      const start = Date.parse(quote!.quoteStartTime);
      expect(start % 86_400_000).toBe(0);
      expect(Date.parse(quote!.quoteExpiryTime) - start).toBe(86_400_000);
      expect(start).toBeLessThanOrEqual(Date.now());
      expect(quote!.quoteId).toBe(`QUOTE-USD-HKD-${new Date(start).toISOString().slice(0, 10).replaceAll('-', '')}`);
      expect(body.paymentQuotes).toEqual([{ buyCurrency: 'USD', sellCurrency: 'HKD', quoteId: quote!.quoteId, exchangeRate: 7.8 }]);
      // The same request gives the same quote.
      expect((await inquire({ buyCurrency: 'USD', sellCurrency: 'HKD' })).quotes).toEqual(body.quotes);
    });

    it('quotes every pair of currencyPairs in order, a payment currency against all, and a reference rate as not guaranteed', async () => {
      const pairs = await inquire({ currencyPairs: [{ buyCurrency: 'EUR', sellCurrency: 'JPY' }, { buyCurrency: 'HKD', sellCurrency: 'USD' }] });
      expect((pairs.quotes as WireQuote[]).map((q) => [q.quoteCurrencyPair, q.quotePrice])).toEqual([['EUR/JPY', 163.04347826087], ['HKD/USD', 0.128205128205128]]);
      const all = await inquire({ paymentCurrency: 'HKD' });
      expect((all.quotes as WireQuote[]).map((q) => q.quoteCurrencyPair)).toEqual(['HKD/USD', 'HKD/EUR', 'HKD/JPY']);
      expect(all.paymentQuotes).toBeUndefined();
      const reference = await inquire({ buyCurrency: 'USD', sellCurrency: 'EUR', rateType: 'reference' });
      expect((reference.quotes as WireQuote[])[0]).toMatchObject({ quotePrice: 0.92, guaranteed: false });
    });

    it('refuses a currency the table lacks with CURRENCY_NOT_SUPPORT naming the field, and missing fields with PARAM_ILLEGAL', async () => {
      const missing = await inquire({ buyCurrency: 'USD', sellCurrency: 'GBP' });
      expect(missing.result).toMatchObject({ resultCode: 'CURRENCY_NOT_SUPPORT', resultStatus: 'F' });
      expect(missing.result.resultMessage).toMatch(/^sellCurrency GBP is not in the sandbox exchange-rate table/);
      const inList = await inquire({ currencyPairs: [{ buyCurrency: 'USD', sellCurrency: 'HKD' }, { buyCurrency: 'CNY', sellCurrency: 'USD' }] });
      expect(inList.result.resultMessage).toMatch(/^currencyPairs\[1\]\.buyCurrency CNY/);
      expect((await inquire({ paymentCurrency: 'SGD' })).result.resultMessage).toMatch(/^paymentCurrency SGD/);
      const nothing = await inquire({});
      expect(nothing.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(nothing.result.resultMessage).toContain('currencyPairs');
      expect((await inquire({ sellCurrency: 'HKD' })).result.resultMessage).toContain('buyCurrency');
      const noProduct = (await t.call('payments/inquireExchangeRate', { buyCurrency: 'USD', sellCurrency: 'HKD' })).body;
      expect(noProduct.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(noProduct.result.resultMessage).toContain('productCode');
      expect((await inquire({ buyCurrency: 'USD', sellCurrency: 'XXQ' })).result.resultCode).toBe('PARAM_ILLEGAL');
      const tooMany = await inquire({ currencyPairs: Array.from({ length: 101 }, () => ({ buyCurrency: 'USD', sellCurrency: 'HKD' })) });
      expect(tooMany.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
    });
  });
});
