/** payments/consult: the configured offers, filtered and disabled with Antom's reasons, through real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

interface Option {
  paymentMethodType: string;
  enabled: boolean;
  disableReason?: string;
  preferred: boolean;
  paymentMethodCategory: string;
  amountLimitInfoMap?: Record<string, { singleLimit?: { maxAmount?: { value: string } } }>;
}

describe.each(DIALECTS)('consult on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
    });
    afterAll(async () => t?.close());

    const consult = async (body: Record<string, unknown>) => {
      const r = await t.call('payments/consult', { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'USD', value: '1000' }, env: { terminalType: 'WEB' }, ...body });
      expect(r.signatureValid).toBe(true);
      return r;
    };
    const options = (r: Awaited<ReturnType<typeof consult>>) => r.body.paymentOptions as Option[];

    it('lists the methods for the amount, currency and terminal, signed', async () => {
      const r = await consult({});
      expect(r.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      const byType = new Map(options(r).map((o) => [o.paymentMethodType, o]));
      expect(byType.get('ALIPAY_CN')).toMatchObject({ enabled: true, paymentMethodCategory: 'WALLET' });
      expect(byType.get('CARD')).toMatchObject({ enabled: true, paymentMethodCategory: 'CARD' });
      // Not in USD: listed, disabled, with the reason.
      expect(byType.get('BANKTRANSFER_PIX')).toMatchObject({ enabled: false, disableReason: 'CHANNEL_NOT_SUPPORT_CURRENCY' });
      // TRUEMONEY has no desktop web flow.
      expect(byType.get('TRUEMONEY')).toMatchObject({ enabled: false, disableReason: 'CHANNEL_DISABLE' });
    });

    it('disables methods whose limit the amount exceeds, and says the limit', async () => {
      const r = await consult({ paymentAmount: { currency: 'USD', value: '6000000' } });
      const alipay = options(r).find((o) => o.paymentMethodType === 'ALIPAY_CN')!;
      expect(alipay).toMatchObject({ enabled: false, disableReason: 'EXCEED_CHANNEL_LIMIT_RULE' });
      // Nested as the SDKs' AmountLimitInfo: { singleLimit, dayLimit, monthLimit }.
      expect(alipay.amountLimitInfoMap?.USD?.singleLimit?.maxAmount?.value).toBe('5000000');
    });

    it('honours allowed / blocked methods, regions, the user region and auto debit', async () => {
      expect(options(await consult({ allowedPaymentMethods: ['GCASH', 'CARD'] })).map((o) => o.paymentMethodType).sort()).toEqual(['CARD', 'GCASH']);
      expect(options(await consult({ blockedPaymentMethods: ['CARD'] })).some((o) => o.paymentMethodType === 'CARD')).toBe(false);
      expect(options(await consult({ allowedPaymentMethodRegions: ['PH'] })).map((o) => o.paymentMethodType).sort()).toEqual(['CARD', 'GCASH']);
      const preferred = options(await consult({ userRegion: 'PH' }));
      expect(preferred[0]).toMatchObject({ paymentMethodType: 'GCASH', preferred: true });
      const autoDebit = options(await consult({ productCode: 'AGREEMENT_PAYMENT' }));
      expect(autoDebit.some((o) => o.paymentMethodType === 'CARD')).toBe(false);
      expect(autoDebit.some((o) => o.paymentMethodType === 'ALIPAY_CN')).toBe(true);
    });

    it('refuses a zero amount and an unknown currency, naming the field', async () => {
      expect((await consult({ paymentAmount: { currency: 'USD', value: '0' } })).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'paymentAmount.value: must be greater than 0' });
      expect((await consult({ paymentAmount: { currency: 'XXY', value: '1' } })).body.result.resultMessage).toMatch(/^paymentAmount\.currency/);
    });
  });
});

describe('consult offers are configurable', () => {
  it('lists exactly the configured methods', async () => {
    const t = await startTestGateway('sqlite', {
      notifyDispatch: false,
      paymentMethodOffers: [{ paymentMethodType: 'MY_WALLET', category: 'WALLET', regions: ['SG'], currencies: ['SGD'], terminals: ['APP'], autoDebit: false }],
    });
    try {
      const r = await t.call('payments/consult', { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'SGD', value: '500' }, env: { terminalType: 'APP', osType: 'IOS' } });
      expect(r.body.paymentOptions).toEqual([expect.objectContaining({ paymentMethodType: 'MY_WALLET', enabled: true })]);
    } finally {
      await t.close();
    }
  });
});
