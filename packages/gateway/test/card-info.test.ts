/**
 * payments/getCardInfo and payments/inquireInstallment through real signed
 * HTTP on SQLite and PostgreSQL, answered from the sandbox test cards: the
 * facts of each card by number or BIN, the installment plans of the cards
 * of Korea, Brazil and Mexico (domestic only), every refusal, and never a
 * card number in an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { TEST_CARDS } from '../src/products/cards/test-cards.js';
import { DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

interface WirePlan {
  interestRate: string;
  minInstallmentAmount: { currency: string; value: string };
  maxInstallmentAmount: { currency: string; value: string };
  installmentNum: string;
  interval: string;
  enabled: boolean;
}

/** `prefix` completed to `length` digits with a valid check digit (a card number the test cards do not have). */
function luhnNumber(prefix: string, length = 16): string {
  const body = prefix.padEnd(length - 1, '0');
  for (let check = 0; check < 10; check++) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const plans = (currency: string, min: string, max: string, counts: number[]): WirePlan[] =>
  counts.map((count) => ({
    interestRate: '0',
    minInstallmentAmount: { currency, value: min },
    maxInstallmentAmount: { currency, value: max },
    installmentNum: String(count),
    interval: 'MONTH',
    enabled: true,
  }));
const KR_PLANS = plans('KRW', '50000', '20000000', [2, 3, 6, 12]);
const BR_PLANS = plans('BRL', '2000', '5000000', [2, 3, 6, 12]);
const MX_PLANS = plans('MXN', '30000', '10000000', [3, 6, 9, 12]);

describe.each(DIALECTS)('payments/getCardInfo and payments/inquireInstallment on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
    });
    afterAll(async () => t?.close());

    const cardInfo = async (body: Record<string, unknown>) => {
      const answer = await t.call('payments/getCardInfo', body);
      expect(answer.signatureValid).toBe(true);
      // Whatever was asked, no answer repeats a card number.
      for (const card of TEST_CARDS) expect(answer.text).not.toContain(card.number);
      if (typeof body.cardNo === 'string') expect(answer.text).not.toContain(body.cardNo.replace(/[\s-]/g, ''));
      return answer.body;
    };
    const refusal = async (body: Record<string, unknown>) => (await cardInfo(body)).result;

    it('a Brazilian Visa by number: credit, consumer, and its issuer\'s interest-free BRL plans', async () => {
      const body = await cardInfo({ cardNo: '4294097400915107' });
      expect(body).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        cardBrand: 'VISA',
        issuingRegion: 'BR',
        funding: 'CREDIT',
        cardCategory: 'CONSUMER',
        supportInstallment: true,
        installment: { supportCardBrands: [{ cardBrand: 'VISA', logo: { logoName: 'Visa' } }], plans: BR_PLANS },
      });
    });

    it('by BIN (6 or 8 digits), or by a number typed with spaces and dashes: the same facts', async () => {
      const byNumber = await cardInfo({ cardNo: '4294097400915107' });
      expect(await cardInfo({ cardBin: '429409' })).toEqual(byNumber);
      expect(await cardInfo({ cardBin: '42940974' })).toEqual(byNumber);
      expect(await cardInfo({ cardNo: '4294 0974-0091 5107' })).toEqual(byNumber);
      expect(await cardInfo({ cardNo: '4294097400915107', cardBin: '429409' })).toEqual(byNumber);
    });

    it('a Korean Hyundai card: its local brand, KRW plans', async () => {
      expect(await cardInfo({ cardBin: '949022' })).toMatchObject({
        cardBrand: 'HYUNDAI', localCardBrand: 'HYUNDAI', issuingRegion: 'KR', funding: 'CREDIT', supportInstallment: true,
        installment: { supportCardBrands: [{ cardBrand: 'HYUNDAI', logo: { logoName: 'Hyundai Card' } }], plans: KR_PLANS },
      });
    });

    it('cards of regions without installments: supportInstallment false and no installment object (Peru\'s is a debit card)', async () => {
      const global = await cardInfo({ cardNo: '4054695723100768' });
      expect(global).toMatchObject({ cardBrand: 'VISA', issuingRegion: 'US', funding: 'CREDIT', cardCategory: 'CONSUMER', supportInstallment: false });
      expect(global).not.toHaveProperty('installment');
      expect(global).not.toHaveProperty('localCardBrand');
      expect(await cardInfo({ cardNo: '5162774114974622' })).toMatchObject({ cardBrand: 'MASTERCARD', issuingRegion: 'US', supportInstallment: false });
      expect(await cardInfo({ cardNo: '4310377720003234' })).toMatchObject({ cardBrand: 'VISA', issuingRegion: 'PE', funding: 'DEBIT', supportInstallment: false });
      expect(await cardInfo({ cardBin: '460072' })).toMatchObject({ issuingRegion: 'CL', supportInstallment: false });
    });

    it('installments are domestic: paying in another region there are none; the region is read in any case', async () => {
      const abroad = await cardInfo({ cardBin: '400605', paymentMethodRegion: 'US' });
      expect(abroad).toMatchObject({ issuingRegion: 'MX', supportInstallment: false });
      expect(abroad).not.toHaveProperty('installment');
      expect(await cardInfo({ cardBin: '400605', paymentMethodRegion: 'mx' })).toMatchObject({ supportInstallment: true, installment: { plans: MX_PLANS } });
    });

    it('another card of a known BIN is answered by its BIN', async () => {
      const number = luhnNumber('405469');
      expect(TEST_CARDS.some((card) => card.number === number)).toBe(false);
      expect(await cardInfo({ cardNo: number })).toMatchObject({ result: { resultCode: 'SUCCESS' }, cardBrand: 'VISA', issuingRegion: 'US' });
    });

    it('a number or BIN of no card the sandbox knows: PROCESS_FAIL naming the BIN only', async () => {
      const number = luhnNumber('411111');
      const byNumber = await refusal({ cardNo: number });
      expect(byNumber).toMatchObject({ resultCode: 'PROCESS_FAIL', resultStatus: 'F' });
      expect(byNumber.resultMessage).toMatch(/^cardNo: no card of BIN 411111 is known to the sandbox; it knows the test cards of BINs 949022, 429409/);
      expect(await refusal({ cardBin: '41111111' })).toMatchObject({ resultCode: 'PROCESS_FAIL', resultMessage: expect.stringMatching(/^cardBin: no card of BIN 411111/) });
    });

    it('refuses a malformed number, BIN or region with PARAM_ILLEGAL naming the field, never repeating the number', async () => {
      expect(await refusal({ cardNo: '4294 0974' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'cardNo: must be 12 to 19 digits (spaces and dashes are ignored)' });
      expect(await refusal({ cardNo: '4294097400915108' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'cardNo: is not a card number (its check digit is wrong)' });
      expect(await refusal({ cardNo: '4294O97400915107' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^cardNo: must be 12 to 19 digits/) });
      expect(await refusal({ cardBin: '4294' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'cardBin: must be the first 6 to 8 digits of a card number' });
      expect(await refusal({ cardBin: '42a409' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^cardBin: /) });
      expect(await refusal({ cardNo: '4294097400915107', cardBin: '405469' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: 'cardBin: is not the start of cardNo' });
      expect(await refusal({})).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^cardNo: is required: give cardNo or cardBin/) });
      expect(await refusal({ cardBin: '429409', paymentMethodRegion: 'B1' })).toMatchObject({
        resultCode: 'PARAM_ILLEGAL', resultMessage: 'paymentMethodRegion: must be an ISO 3166 alpha-2 region code such as BR',
      });
      expect(await refusal({ cardBin: '429409', paymentMethodRegion: 'BRA' })).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^paymentMethodRegion: /) });
    });

    it('inquireInstallment: one issuer object with every installment BIN and the plans of each region', async () => {
      const answer = await t.call('payments/inquireInstallment', { merchantAccountId: 'M-1' });
      expect(answer.signatureValid).toBe(true);
      expect(answer.body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
      const bank = answer.body.installmentBanks as { bins: string[]; plans: WirePlan[]; bankName: string; bankShortName: string; bankTerms: string; logo: unknown };
      expect(bank.bins).toEqual(['949022', '429409', '400605']);
      expect(bank.plans).toEqual([...KR_PLANS, ...BR_PLANS, ...MX_PLANS]);
      expect(bank).toMatchObject({ bankName: 'amsgate sandbox installment issuers', bankShortName: 'SANDBOX', logo: { logoName: 'amsgate sandbox' } });
      expect(bank.bankTerms).toContain('KR: KRW, BR: BRL, MX: MXN');
      // Every BIN it names takes, by getCardInfo, exactly its region's plans.
      for (const bin of bank.bins) {
        const info = await cardInfo({ cardBin: bin });
        expect(info.supportInstallment).toBe(true);
        const currency = (info.installment as { plans: WirePlan[] }).plans[0]!.minInstallmentAmount.currency;
        expect((info.installment as { plans: WirePlan[] }).plans).toEqual(bank.plans.filter((plan) => plan.minInstallmentAmount.currency === currency));
      }
    });

    it('reads no client data: another client gets the same answers', async () => {
      const asOther = { clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string };
      const mine = await t.call('payments/inquireInstallment', {});
      const theirs = await t.call('payments/inquireInstallment', {}, asOther);
      // Signed with the other client's key (the harness checks against this client's): not this one's.
      expect(theirs.signatureValid).toBe(false);
      expect(theirs.body).toEqual(mine.body);
      expect((await t.call('payments/getCardInfo', { cardBin: '429409' }, asOther)).body).toEqual(await cardInfo({ cardBin: '429409' }));
    });
  });
});
