/**
 * Settlement in another currency (`settlementStrategy.settlementCurrency`):
 * the amount converted at the sandbox rate of the day the payment was made
 * (locked then), bigint minor units rounded half up, in pay, inquiryPayment
 * and notifyPayment of a successful payment; refused with
 * SETTLE_CONTRACT_NOT_MATCH, nothing recorded, for a currency without a rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { agreementPay, cashierPay, DIALECTS, inStorePay, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const DAY = 86_400_000;

const hkd = (value: string) => ({ currency: 'HKD', value });
const hkdPay = (value: string, overrides: Record<string, unknown> = {}) =>
  cashierPay({ paymentAmount: hkd(value), order: { referenceOrderId: uniqueId('o'), orderDescription: 'Tea', orderAmount: hkd(value) }, paymentMethod: { paymentMethodType: 'ALIPAY_HK' }, ...overrides });

/** The quote id the sandbox gives a pair on the UTC day of `ms`. */
const quoteIdOf = (pair: string, ms: number) => `QUOTE-${pair.replace('/', '-')}-${new Date(ms - (ms % DAY)).toISOString().slice(0, 10).replaceAll('-', '')}`;

describe.each(DIALECTS)('settlement in another currency on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false, clock, cashierExpiryMs: 5 * DAY });
    });
    afterAll(async () => t?.close());

    const payBody = async (paymentId: string) => {
      const [notification] = await t.gateway.notifications.repository.list({ resourceId: paymentId });
      return JSON.parse(notification!.body) as Record<string, unknown>;
    };

    it('HKD 100.00 settled in USD: 12.82 at the HKD/USD quote of the day the payment was made, in inquiry and notifyPayment', async () => {
      const createdAt = clock.now();
      const paid = await t.call('payments/pay', hkdPay('10000', { settlementStrategy: { settlementCurrency: 'USD' } }));
      expect(paid.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(paid.body.grossSettlementAmount).toBeUndefined();
      const paymentId = paid.body.paymentId as string;
      // Locked at creation: the buyer pays two days later, the quote stays the day the payment was made.
      clock.advance(2 * DAY);
      expect((await t.complete(paymentId)).status).toBe(200);

      const expected = {
        grossSettlementAmount: { currency: 'USD', value: '1282' },
        settlementQuote: {
          quoteId: quoteIdOf('HKD/USD', createdAt),
          quoteCurrencyPair: 'HKD/USD',
          quotePrice: 0.128205128205128,
          quoteStartTime: expect.any(String),
          quoteExpiryTime: expect.any(String),
          guaranteed: true,
        },
      };
      const inquiry = await t.call('payments/inquiryPayment', { paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', ...expected });
      const quote = inquiry.body.settlementQuote as { quoteStartTime: string; quoteExpiryTime: string };
      expect(Date.parse(quote.quoteStartTime)).toBe(createdAt - (createdAt % DAY));
      expect(Date.parse(quote.quoteExpiryTime) - Date.parse(quote.quoteStartTime)).toBe(DAY);
      expect(await payBody(paymentId)).toMatchObject({ notifyType: 'PAYMENT_RESULT', ...expected });
      // A repeat of the pay request answers the settled payment with them too.
      const again = await t.call('payments/pay', { ...hkdPay('10000', { settlementStrategy: { settlementCurrency: 'USD' } }), paymentRequestId: inquiry.body.paymentRequestId });
      expect(again.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, ...expected });
    });

    it('a refund of it settles in USD too, at the quote of the refund\'s day, in refund, inquiryRefund and notifyRefund', async () => {
      const paymentId = (await t.call('payments/pay', hkdPay('10000', { settlementStrategy: { settlementCurrency: 'USD' } }))).body.paymentId as string;
      await t.complete(paymentId);
      clock.advance(3 * DAY);
      const refundDay = clock.now();
      // HKD 40.00 → 4000 × 0.128205128205128 = 512.82… → USD 5.13
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: hkd('4000') });
      const expected = {
        grossSettlementAmount: { currency: 'USD', value: '513' },
        settlementQuote: { quoteId: quoteIdOf('HKD/USD', refundDay), quoteCurrencyPair: 'HKD/USD', quotePrice: 0.128205128205128 },
      };
      expect(refund.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, ...expected });
      const refundId = refund.body.refundId as string;
      expect((await t.call('payments/inquiryRefund', { refundId })).body).toMatchObject({ refundStatus: 'SUCCESS', ...expected });
      expect(await payBody(refundId)).toMatchObject({ notifyType: 'REFUND_RESULT', ...expected });
      // The payment keeps its own quote, of its own day.
      expect(((await t.call('payments/inquiryPayment', { paymentId })).body.settlementQuote as { quoteId: string }).quoteId).not.toBe(expected.settlementQuote.quoteId);
      // A refund of a payment without a settlement currency has none.
      const plain = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(plain);
      const plainRefund = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId: plain, refundAmount: { currency: 'USD', value: '100' } });
      expect(plainRefund.body.result.resultCode).toBe('SUCCESS');
      expect(plainRefund.body.grossSettlementAmount).toBeUndefined();
    });

    it('rounds half up in the settlement currency\'s minor units (JPY has none)', async () => {
      // HKD 0.01 → USD: 0.128… cents → 0; HKD 0.04 → 0.51 cents → 1; USD 10.05 → JPY 1507.5 → 1508
      const cases: Array<[Record<string, string>, string, { currency: string; value: string }]> = [
        [hkd('1'), 'USD', { currency: 'USD', value: '0' }],
        [hkd('4'), 'USD', { currency: 'USD', value: '1' }],
        [{ currency: 'USD', value: '1005' }, 'JPY', { currency: 'JPY', value: '1508' }],
      ];
      for (const [amount, settlementCurrency, gross] of cases) {
        const body = cashierPay({ paymentAmount: amount, order: { referenceOrderId: uniqueId('o'), orderDescription: 'x', orderAmount: amount }, settlementStrategy: { settlementCurrency } });
        const paymentId = (await t.call('payments/pay', body)).body.paymentId as string;
        await t.complete(paymentId);
        expect((await t.call('payments/inquiryPayment', { paymentId })).body.grossSettlementAmount).toEqual(gross);
      }
    });

    it('no settlement fields without a settlement currency, with the payment\'s own, or before the payment succeeds', async () => {
      const plain = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      const same = (await t.call('payments/pay', cashierPay({ settlementStrategy: { settlementCurrency: 'USD' } }))).body.paymentId as string;
      const failed = (await t.call('payments/pay', hkdPay('500', { settlementStrategy: { settlementCurrency: 'USD' } }))).body.paymentId as string;
      await t.complete(plain);
      await t.complete(same);
      await t.complete(failed, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
      for (const paymentId of [plain, same, failed]) {
        const inquiry = (await t.call('payments/inquiryPayment', { paymentId })).body;
        expect(inquiry.grossSettlementAmount).toBeUndefined();
        expect(inquiry.settlementQuote).toBeUndefined();
        expect((await payBody(paymentId)).grossSettlementAmount).toBeUndefined();
      }
    });

    it('partial refunds never settle more than the payment did: converted cumulatively', async () => {
      // HKD 0.08 settles as USD 0.01 (1.03 cents); two refunds of HKD 0.04 (0.51 cents each) settle 1 + 0, not 1 + 1.
      const paymentId = (await t.call('payments/pay', hkdPay('8', { settlementStrategy: { settlementCurrency: 'USD' } }))).body.paymentId as string;
      await t.complete(paymentId);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.grossSettlementAmount).toEqual({ currency: 'USD', value: '1' });
      const first = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: hkd('4') });
      const second = await t.call('payments/refund', { refundRequestId: uniqueId('r'), paymentId, refundAmount: hkd('4') });
      expect([first.body.grossSettlementAmount, second.body.grossSettlementAmount]).toEqual([{ currency: 'USD', value: '1' }, { currency: 'USD', value: '0' }]);
    });

    it('a repeated pay with another settlement currency is another request: REPEAT_REQ_INCONSISTENT naming it', async () => {
      const body = hkdPay('10000');
      expect((await t.call('payments/pay', body)).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      const changed = await t.call('payments/pay', { ...body, settlementStrategy: { settlementCurrency: 'USD' } });
      expect(changed.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(changed.body.result.resultMessage).toContain('settlementStrategy.settlementCurrency');
    });

    it('an amount whose settlement would not fit 16 digits is refused (PARAM_ILLEGAL naming paymentAmount), not answered U', async () => {
      const amount = { currency: 'USD', value: '9999999999999999' };
      const body = cashierPay({ paymentAmount: amount, order: { referenceOrderId: uniqueId('o'), orderDescription: 'x', orderAmount: amount }, settlementStrategy: { settlementCurrency: 'IDR' } });
      const refused = await t.call('payments/pay', body);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toMatch(/^paymentAmount: converts to \d+ minor units of IDR/);
    });

    it('a settlement currency without a rate: SETTLE_CONTRACT_NOT_MATCH naming the field, and nothing recorded', async () => {
      const body = hkdPay('10000', { settlementStrategy: { settlementCurrency: 'BRL' } });
      const refused = await t.call('payments/pay', body);
      expect(refused.body.result).toMatchObject({ resultCode: 'SETTLE_CONTRACT_NOT_MATCH', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toContain('settlementStrategy.settlementCurrency BRL');
      // The paymentRequestId stays free.
      const retried = await t.call('payments/pay', { ...body, settlementStrategy: { settlementCurrency: 'USD' } });
      expect(retried.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    });

    it('a buyer whose wallet holds another currency pays in it: actualPaymentAmount and paymentQuote, locked at creation', async () => {
      // GCASH holds PHP: USD 10.00 → PHP 560.00 at USD/PHP 56.
      const createdAt = clock.now();
      const paymentId = (await t.call('payments/pay', cashierPay({ paymentMethod: { paymentMethodType: 'GCASH' } }))).body.paymentId as string;
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.actualPaymentAmount).toBeUndefined();
      clock.advance(DAY);
      await t.complete(paymentId);
      const expected = {
        actualPaymentAmount: { currency: 'PHP', value: '56000' },
        paymentQuote: { quoteId: quoteIdOf('USD/PHP', createdAt), quoteCurrencyPair: 'USD/PHP', quotePrice: 56, guaranteed: true },
      };
      expect((await t.call('payments/inquiryPayment', { paymentId })).body).toMatchObject(expected);
      expect(await payBody(paymentId)).toMatchObject({ notifyType: 'PAYMENT_RESULT', ...expected });
      // A method whose offer names no account currency, or a wallet paid in its own currency: actualPaymentAmount is the payment amount, no quote.
      const card = (await t.call('payments/pay', cashierPay({ paymentMethod: { paymentMethodType: 'PAYPAY' } }))).body.paymentId as string;
      const own = (await t.call('payments/pay', hkdPay('2500'))).body.paymentId as string;
      await t.complete(card);
      await t.complete(own);
      const cardInquiry = (await t.call('payments/inquiryPayment', { paymentId: card })).body;
      expect(cardInquiry.paymentStatus).toBe('SUCCESS');
      expect(cardInquiry.actualPaymentAmount).toEqual({ currency: 'USD', value: '1000' });
      expect(cardInquiry.paymentQuote).toBeUndefined();
      const ownInquiry = (await t.call('payments/inquiryPayment', { paymentId: own })).body;
      expect(ownInquiry.actualPaymentAmount).toEqual({ currency: 'HKD', value: '2500' });
      expect(ownInquiry.paymentQuote).toBeUndefined();
    });

    it('an in-store payment code paid at once answers its settlement', async () => {
      const paid = await t.call('payments/pay', inStorePay({ settlementStrategy: { settlementCurrency: 'HKD' } }));
      expect(paid.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, grossSettlementAmount: { currency: 'HKD', value: '9360' }, settlementQuote: { quoteCurrencyPair: 'USD/HKD' } });
    });

    it('an Auto Debit payment, settled at once, answers its settlement in the S answer', async () => {
      const consult = await t.call('authorizations/consult', { customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('s'), terminalType: 'WEB' });
      const consultId = (consult.body.authUrl as string).split('/').pop() as string;
      const agreed = (await (await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/agree`, { method: 'POST', body: '{}' })).json()) as { authCode: string };
      const token = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: agreed.authCode });
      const paid = await t.call('payments/pay', agreementPay(token.body.accessToken as string, {
        paymentAmount: { currency: 'USD', value: '2000' },
        order: { referenceOrderId: uniqueId('o'), orderDescription: 'Plan', orderAmount: { currency: 'USD', value: '2000' } },
        settlementStrategy: { settlementCurrency: 'HKD' },
      }));
      expect(paid.body).toMatchObject({
        result: { resultCode: 'SUCCESS' },
        grossSettlementAmount: { currency: 'HKD', value: '15600' },
        settlementQuote: { quoteCurrencyPair: 'USD/HKD', quotePrice: 7.8 },
      });
    });
  });
});
