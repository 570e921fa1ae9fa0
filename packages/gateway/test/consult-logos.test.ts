/**
 * payments/consult's logos and card details through real HTTP on SQLite and
 * PostgreSQL: every option's `logo` names its method and points at an SVG
 * the gateway serves itself (`GET /logos/{NAME}.svg`, no third-party URL);
 * the card option's `paymentOptionDetail` lists the brands the test cards
 * have, each with its logo, and their funding types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResponse } from '@amsgate/protocol';
import { DEFAULT_PAYMENT_METHOD_OFFERS } from '../src/products/payments/payment-method-offers.js';
import { DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

interface Logo {
  logoName: string;
  logoUrl: string;
}
interface Option {
  paymentMethodType: string;
  paymentMethodCategory: string;
  logo: Logo;
  paymentOptionDetail?: { supportCardBrands: Array<{ cardBrand: string; logo: Logo }>; funding: string[] };
}

const OWN_METHOD = 'SANDBOX_BANK_7';

describe.each(DIALECTS)('consult logos on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, {
        paymentMethodOffers: [
          ...DEFAULT_PAYMENT_METHOD_OFFERS,
          { paymentMethodType: OWN_METHOD, category: 'ONLINE_BANKING', regions: ['GLOBAL'], currencies: ['USD'], terminals: ['WEB'], autoDebit: false },
        ],
      });
    });
    afterAll(async () => t?.close());

    async function options(): Promise<Option[]> {
      const answer = await t.call('payments/consult', { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'USD', value: '1000' }, env: { terminalType: 'WEB' } });
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      expect(validateResponse('payments/consult', answer.body)).toEqual({ ok: true, value: answer.body });
      return answer.body.paymentOptions as Option[];
    }

    const logoOf = (name: string): Logo => ({ logoName: name, logoUrl: `${t.baseUrl}/logos/${name}.svg` });

    it('every option has its logo, served by the gateway', async () => {
      const listed = await options();
      expect(listed.map((option) => option.paymentMethodType).sort()).toEqual([...DEFAULT_PAYMENT_METHOD_OFFERS.map((offer) => offer.paymentMethodType), OWN_METHOD].sort());
      for (const option of listed) {
        expect(option.logo).toEqual(logoOf(option.paymentMethodType));
        const response = await fetch(option.logo.logoUrl);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/svg+xml');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        const svg = await response.text();
        expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="120" height="48"/);
        // Nothing fetched from elsewhere, nothing run.
        expect(svg).not.toMatch(/href|<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      }
    });

    it('badges carry the method\'s label; a method the gateway does not know gets its name', async () => {
      const label = async (name: string) => /aria-label="([^"]+)"/.exec(await (await fetch(logoOf(name).logoUrl)).text())?.[1];
      expect(await label('ALIPAY_CN')).toBe('Alipay');
      expect(await label('GCASH')).toBe('GCash');
      expect(await label('VISA')).toBe('VISA');
      expect(await label('MASTERCARD')).toBe('Mastercard');
      expect(await label(OWN_METHOD)).toBe('SANDBOX BANK 7');
    });

    it('the card option names its brands, each with a logo, and its funding types; other options have no detail', async () => {
      const listed = await options();
      const card = listed.find((option) => option.paymentMethodType === 'CARD');
      // In the order the test cards list them.
      expect(card?.paymentOptionDetail).toEqual({
        supportCardBrands: ['HYUNDAI', 'VISA', 'MASTERCARD'].map((cardBrand) => ({ cardBrand, logo: logoOf(cardBrand) })),
        funding: ['CREDIT', 'DEBIT'],
      });
      for (const { logo } of card!.paymentOptionDetail!.supportCardBrands) expect((await fetch(logo.logoUrl)).status).toBe(200);
      for (const option of listed.filter((o) => o.paymentMethodCategory !== 'CARD')) expect(option).not.toHaveProperty('paymentOptionDetail');
    });

    it('anything but a logo name is not found', async () => {
      for (const path of ['/logos/alipay_cn.svg', '/logos/ALIPAY_CN.png', '/logos/ALIPAY_CN', '/logos/..%2Fgateway.svg', `/logos/${'A'.repeat(33)}.svg`]) {
        const response = await fetch(`${t.baseUrl}${path}`);
        expect(response.status, path).toBe(404);
      }
    });
  });
});
