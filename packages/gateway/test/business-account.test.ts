/**
 * The Business Account end to end through signed HTTP on SQLite and
 * PostgreSQL: balances from the journal (funded by the sandbox top-up), an
 * exchange at its quote's rate and its refusal once the quote expired,
 * direct payments and refunds (never more than paid), concurrent payments
 * that never overdraw, statements that are the journal's lines, cards whose
 * number and CVV only their own endpoint shows, and another client seeing
 * nothing of this one's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointResponse } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { toBigInt } from '../src/store/columns.js';
import { topUpBusinessAccount } from '../src/products/business-account/index.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const DAY = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('business account on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));
    const clientId = () => t.client.client.clientId;
    const topUp = (currency: string, value: string, id = clientId()) => topUpBusinessAccount(t.gateway.database, clock, id, { currency, value });

    async function balance(currency: string): Promise<string> {
      const answer = await t.call('aba/accounts/inquiryBalance', { currencyList: [currency], customerId: 'me' });
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      return ((answer.body.accountBalances as Array<{ availableBalance: { value: string } }>)[0]!).availableBalance.value;
    }

    async function journalBalance(currency: string): Promise<bigint> {
      const rows = await t.gateway.database.db.selectFrom('journal_entries').select('amount').where('account', '=', `aba:${clientId()}`).where('currency', '=', currency).execute();
      return rows.reduce((sum, row) => sum + toBigInt(row.amount), 0n);
    }

    const pay = (value: string, currency = 'SGD', paymentRequestId = uniqueId('dp')) => t.call('aba/funds/createDirectPayment', {
      paymentRequestId, order: {}, payToMethod: { paymentMethodType: 'BALANCE', customerId: 'supplier-1' }, payFromAmount: { currency, value }, payToAmount: { currency, value },
    });

    it('exchanges at the quoted rate with exact amounts, once per quote, and refuses QUOTE_EXPIRED once the quote expired', async () => {
      await topUp('USD', '100000');
      const quoted = await t.call('aba/funds/createQuote', { sellAmount: { currency: 'USD', value: '10000' }, buyAmount: { currency: 'HKD', value: '0' }, exchangeTradeType: 'SPOT' });
      expect(quoted.body.result.resultCode).toBe('SUCCESS');
      const quote = quoted.body.quote as Record<string, unknown>;
      expect(quote.quoteCurrencyPair).toBe('USD/HKD');
      expect(quote.quotePrice).toBe(7.8);
      expect(quoted.body.buyAmount).toEqual({ currency: 'HKD', value: '78000' });
      const exchangeRequestId = uniqueId('ex');
      const exchange = { exchangeRequestId, sellAmount: { currency: 'USD', value: '10000' }, buyAmount: { currency: 'HKD', value: '78000' }, exchangeTradeType: 'SPOT', exchangeMode: 'APPOINTED' };
      const made = await t.call('aba/funds/createExchange', exchange);
      expect(made.body.result.resultCode).toBe('SUCCESS');
      expect((made.body.quote as Record<string, unknown>).quoteId).toBe(quote.quoteId);
      expect(await balance('USD')).toBe('90000');
      expect(await balance('HKD')).toBe('78000');
      // A repeat answers the same exchange; the quote is not used again.
      expect((await t.call('aba/funds/createExchange', exchange)).body.result.resultCode).toBe('SUCCESS');
      expect(await balance('USD')).toBe('90000');
      const again = await t.call('aba/funds/createExchange', { ...exchange, exchangeRequestId: uniqueId('ex') });
      expect(again.body.result.resultCode).toBe('RECORD_NOT_FOUND');
      const inquired = await t.call('aba/funds/inquireExchange', { exchangeRequestId });
      expect(inquired.body.exchangeResult).toMatchObject({ resultStatus: 'S' });
      expect(inquired.body.buyAmount).toEqual({ currency: 'HKD', value: '78000' });

      // Buying a fixed amount: the sell side rounds up (1000 HKD at 7.8 = 128.2051… USD → 12821 cents).
      const byBuy = await t.call('aba/funds/createQuote', { sellAmount: { currency: 'USD', value: '0' }, buyAmount: { currency: 'HKD', value: '100000' } });
      expect(byBuy.body.sellAmount).toEqual({ currency: 'USD', value: '12821' });
      clock.advance(5 * 60 * 1000 + 1);
      const late = await t.call('aba/funds/createExchange', { exchangeRequestId: uniqueId('ex'), sellAmount: { currency: 'USD', value: '12821' }, buyAmount: { currency: 'HKD', value: '100000' } });
      expect(late.body.result.resultCode).toBe('QUOTE_EXPIRED');
      expect(await balance('USD')).toBe('90000');

      const both = await t.call('aba/funds/createQuote', { sellAmount: { currency: 'USD', value: '100' }, buyAmount: { currency: 'HKD', value: '780' } });
      expect(both.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      const unknown = await t.call('aba/funds/createQuote', { sellAmount: { currency: 'USD', value: '100' }, buyAmount: { currency: 'BRL', value: '0' } });
      expect(unknown.body.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
      const short = await t.call('aba/funds/createQuote', { sellAmount: { currency: 'USD', value: '1000000' }, buyAmount: { currency: 'EUR', value: '0' } });
      const refused = await t.call('aba/funds/createExchange', { exchangeRequestId: uniqueId('ex'), sellAmount: { currency: 'USD', value: '1000000' }, buyAmount: short.body.buyAmount });
      expect(refused.body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');
    });

    it('pays directly and refunds, never more than paid (REFUND_AMOUNT_EXCEED), short balances BALANCE_NOT_ENOUGH', async () => {
      await topUp('EUR', '5000');
      const paid = await pay('3000', 'EUR');
      expect(paid.body.result.resultCode).toBe('SUCCESS');
      const paymentId = paid.body.paymentId as string;
      expect(await balance('EUR')).toBe('2000');
      const refund = (value: string) => t.call('aba/funds/createDirectRefund', { paymentId, refundRequestId: uniqueId('dr'), refundFromMethod: { customerId: 'supplier-1' }, refundFromAmount: { currency: 'EUR', value } });
      expect((await refund('1000')).body.result.resultCode).toBe('SUCCESS');
      expect((await refund('2001')).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      const rest = await refund('2000');
      expect(rest.body.result.resultCode).toBe('SUCCESS');
      expect(await balance('EUR')).toBe('5000');
      expect((await refund('1')).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      const inquired = await t.call('aba/funds/inquireDirectRefund', { refundId: rest.body.refundId, refundRequestId: 'x' });
      expect(inquired.body).toMatchObject({ refundStatus: 'SUCCESS', paymentId, refundFromAmount: { currency: 'EUR', value: '2000' } });
      const missing = await t.call('aba/funds/createDirectRefund', { paymentId: 'DPY000', refundRequestId: uniqueId('dr'), refundFromMethod: {}, refundFromAmount: { currency: 'EUR', value: '1' } });
      expect(missing.body.result.resultCode).toBe('ORDER_NOT_EXIST');

      const requestId = uniqueId('dp');
      const tooMuch = await pay('5001', 'EUR', requestId);
      expect(tooMuch.body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');
      expect((await pay('5001', 'EUR', requestId)).body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');
      const failed = await t.call('aba/funds/inquireDirectPayment', { paymentId: tooMuch.body.paymentId, paymentRequestId: requestId });
      expect(failed.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'BALANCE_NOT_ENOUGH' });
      expect(await balance('EUR')).toBe('5000');
      const notified = await t.gateway.database.db.selectFrom('notifications').select(['notify_type', 'body']).where('client_id', '=', clientId()).where('resource_id', '=', paymentId).execute();
      expect(notified.map((n) => n.notify_type)).toEqual(['DIRECT_PAYMENT_RESULT']);
      expect(JSON.parse(notified[0]!.body)).toMatchObject({ paymentId, paymentStatus: 'SUCCESS' });
    });

    it('never overdraws under 20 concurrent payments of 70 against 1000: exactly 14 succeed', async () => {
      await topUp('SGD', '1000');
      const answers = await Promise.all(Array.from({ length: 20 }, () => pay('70')));
      const codes = answers.map((answer) => answer.body.result.resultCode);
      expect(codes.filter((code) => code === 'SUCCESS')).toHaveLength(14);
      expect(codes.filter((code) => code === 'BALANCE_NOT_ENOUGH')).toHaveLength(6);
      expect(await balance('SGD')).toBe('20');
      expect(await journalBalance('SGD')).toBe(20n);
    });

    it('lists statement entries that are the journal lines, with running balances, filtered by type, currency and time', async () => {
      await topUp('GBP', '900');
      await pay('400', 'GBP');
      const range = { startTime: new Date(clock.now() - DAY).toISOString(), endTime: new Date(clock.now() + 1000).toISOString() };
      const all = await t.call('aba/accounts/inquiryStatement', { customerId: 'me', accessToken: 'x', ...range, currencyList: ['GBP'], pageSize: 10, pageNumber: 1 });
      expect(all.body.result.resultCode).toBe('SUCCESS');
      const list = all.body.statementList as NonNullable<EndpointResponse<'aba/accounts/inquiryStatement'>['statementList']>;
      expect(list.map((s) => [s.transactionType, s.transactionAmount?.value, s.accountBalance?.value])).toEqual([['TOPUP', '900', '900'], ['DIRECT_PAYMENT', '400', '500']]);
      const lines = await t.gateway.database.db.selectFrom('journal_entries').select(['entry_id', 'amount']).where('account', '=', `aba:${clientId()}`).where('currency', '=', 'GBP').orderBy('created_at').orderBy('entry_id').execute();
      expect(list.map((s) => s.statementId)).toEqual(lines.map((l) => l.entry_id));
      const typed = await t.call('aba/accounts/inquiryStatementList', { customerId: 'me', accessToken: 'x', ...range, transactionTypeList: ['DIRECT_PAYMENT'], currencyList: ['GBP'], pageSize: '1', pageNumber: '1' });
      expect((typed.body.statementList as unknown[]).length).toBe(1);
      expect(typed.body.totalCount).toEqual({ totalPageNumber: '1', currentPageNumber: '1' });
      const detail = await t.call('aba/accounts/inquiryStatementDetail', { statementId: list[1]!.statementId });
      expect(detail.body.statement).toMatchObject({ transactionType: 'DIRECT_PAYMENT', accountBalance: { currency: 'GBP', value: '500' } });
      const wide = await t.call('aba/accounts/inquiryStatement', { customerId: 'me', accessToken: 'x', startTime: new Date(clock.now() - 101 * DAY).toISOString(), endTime: range.endTime, pageSize: 10, pageNumber: 1 });
      expect(wide.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(wide.body.result.resultMessage).toContain('endTime');
      const twoTypes = await t.call('aba/accounts/inquiryStatement', { customerId: 'me', accessToken: 'x', ...range, transactionTypeList: ['TOPUP', 'EXCHANGE'], pageSize: 10, pageNumber: 1 });
      expect(twoTypes.body.result.resultMessage).toContain('transactionTypeList');
    });

    it('issues a card whose number and CVV only inquireCardSensitiveInfo shows; freezes, unfreezes, cancels; records card payments', async () => {
      const applied = await t.call('aba/cards/applyCard', { requestId: uniqueId('card'), cardNickName: 'travel' });
      expect(applied.body).toMatchObject({ status: 'SUCCESS' });
      const assetId = applied.body.assetId as string;
      const sensitive = await t.call('aba/cards/inquireCardSensitiveInfo', { assetId });
      const cardNo = sensitive.body.cardNo as string;
      const cvv = sensitive.body.cvv as string;
      expect(cardNo).toMatch(/^5\d{15}$/);
      expect(cvv).toMatch(/^\d{3}$/);
      expect(applied.body.cardNo).toBe(cardNo);
      const detail = await t.call('aba/cards/inquireCardDetail', { assetId });
      expect(detail.body).toMatchObject({ cardStatus: 'ACTIVE', cardBrand: 'MASTERCARD', maskedCardNo: `${cardNo.slice(0, 6)}******${cardNo.slice(-4)}` });
      const listed = await t.call('aba/cards/inquireCard', { pageNumber: 1, pageSize: 10, lastFourDigits: cardNo.slice(-4) });
      expect((listed.body.cardList as Array<{ assetId: string }>).map((c) => c.assetId)).toContain(assetId);
      for (const text of [detail.text, listed.text]) {
        expect(text).not.toContain(cardNo);
        expect(text).not.toContain(`"cvv"`);
      }
      const stored = await t.gateway.database.db.selectFrom('resources').select('document').where('id', '=', assetId).executeTakeFirstOrThrow();
      expect(stored.document).not.toContain(cardNo);

      const status = (operateType: string) => t.call('aba/cards/updateCardStatus', { assetId, requestId: uniqueId('st'), operateType });
      expect((await status('UNFREEZE')).body.result.resultCode).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
      expect((await status('FREEZE')).body.result.resultCode).toBe('SUCCESS');
      await expect(t.gateway.businessAccountSandbox.cardPayment(clientId(), { assetId, amount: { currency: 'USD', value: '100' } })).rejects.toThrow(/FROZEN/);
      expect((await status('UNFREEZE')).body.result.resultCode).toBe('SUCCESS');
      const usdBefore = BigInt(await balance('USD'));
      const spent = await t.gateway.businessAccountSandbox.cardPayment(clientId(), { assetId, amount: { currency: 'USD', value: '2500' } });
      expect(spent.status).toBe('SUCCESS');
      expect(BigInt(await balance('USD'))).toBe(usdBefore - 2500n);
      const lifecycle = await t.call('aba/cards/inquireCardTransactionLifecycleDetail', { lifecycleId: spent.lifecycleId });
      expect((lifecycle.body.lifecycle as { events: Array<{ eventType: string }> }).events.map((e) => e.eventType)).toEqual(['AUTH', 'CAPTURE']);
      const events = await t.call('aba/cards/inquireCardTransactionEvent', { assetIdList: [assetId], eventTypeList: ['CAPTURE'], pageSize: 10, pageNumber: 1 });
      expect(events.body.totalCount).toBe(1);
      expect((await status('CANCEL')).body.result.resultCode).toBe('SUCCESS');
      expect((await status('UNFREEZE')).body.result.resultCode).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
      const notes = await t.gateway.database.db.selectFrom('notifications').select('body').where('notify_type', '=', 'CARD_STATUS').where('resource_id', '=', assetId).execute();
      expect(notes.map((n) => JSON.parse(n.body).operateType)).toEqual(['ADD', 'FREEZE', 'UNFREEZE', 'CANCEL']);
    });

    it('shows another client nothing of this one\'s', async () => {
      const paid = await pay('10', 'SGD');
      const card = await t.call('aba/cards/applyCard', { requestId: uniqueId('card') });
      const other = fixture.asOther();
      expect((await t.call('aba/funds/inquireDirectPayment', { paymentId: paid.body.paymentId, paymentRequestId: 'x' }, other)).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect((await t.call('aba/cards/inquireCardSensitiveInfo', { assetId: card.body.assetId }, other)).body.result.resultCode).toBe('RECORD_NOT_FOUND');
      expect((await t.call('aba/cards/inquireCard', { pageNumber: 1, pageSize: 50 }, other)).body.totalCount).toBe(0);
      const balances = await t.call('aba/accounts/inquiryBalance', { currencyList: [], customerId: 'me' }, other);
      expect(balances.body.accountBalances).toEqual([]);
      const statements = await t.call('aba/accounts/inquiryStatement', { customerId: 'me', accessToken: 'x', startTime: new Date(clock.now() - DAY).toISOString(), endTime: new Date(clock.now() + 1000).toISOString(), pageSize: 10, pageNumber: 1 }, other);
      expect(statements.body.totalCount).toBe(0);
      const refund = await t.call('aba/funds/createDirectRefund', { paymentId: paid.body.paymentId, refundRequestId: uniqueId('dr'), refundFromMethod: {}, refundFromAmount: { currency: 'SGD', value: '1' } }, other);
      expect(refund.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });
  });
});
