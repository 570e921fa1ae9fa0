/**
 * The resource products under concurrency and through the sandbox's own
 * controls, on SQLite and PostgreSQL:
 * - one email, one customer: concurrent creates with one email make one
 *   (the others CUSTOMER_EMAIL_DUPLICATED); deleting it frees the email;
 * - one promotion code per client, however many coupons race for it;
 * - the Business Account funded and spent through the control API
 *   (`/sandbox/aba/top-up`, `/sandbox/aba/cards/{assetId}/pay`): the balance
 *   and statement follow, and the card payment is notified as CARD_BILL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
if (!postgresOk) console.warn('resource-races: PostgreSQL is not reachable; its half of these tests is SKIPPED');

describe.each(DIALECTS)('resource products under concurrency on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const fixture = gatewayWithOtherClient(dialect);
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    it('one email makes one customer, however many creates race; deleting it frees the email', async () => {
      const email = `${uniqueId('race')}@example.com`;
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call('billing/customer/create', { customerRequestId: uniqueId(`cus${i}`), email: i % 2 === 0 ? email : email.toUpperCase() })));
      const codes = answers.map((a) => a.body.result.resultCode);
      expect(codes.filter((c) => c === 'SUCCESS')).toHaveLength(1);
      expect(codes.filter((c) => c === 'CUSTOMER_EMAIL_DUPLICATED')).toHaveLength(9);
      const winner = answers.find((a) => a.body.result.resultCode === 'SUCCESS')!.body.customerId as string;
      const listed = await t.call('billing/customer/inquireList', { email: email.toLowerCase(), limit: 100 });
      expect((listed.body.customers as Array<{ customerId: string }>).map((c) => c.customerId)).toEqual([winner]);

      expect((await t.call('billing/customer/delete', { customerId: winner })).body.result.resultCode).toBe('SUCCESS');
      const again = await t.call('billing/customer/create', { customerRequestId: uniqueId('cus'), email });
      expect(again.body.result.resultCode).toBe('SUCCESS');
      expect(again.body.customerId).not.toBe(winner);
      // Another client has its own emails.
      const theirs = await t.call('billing/customer/create', { customerRequestId: uniqueId('cus'), email }, fixture.asOther());
      expect(theirs.body.result.resultCode).toBe('SUCCESS');
    });

    it('one promotion code per client, however many coupons race for it', async () => {
      const coupon = await t.call('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'PERCENT', percentOff: '10', durationType: 'ONCE' });
      expect(coupon.body.result.resultCode).toBe('SUCCESS');
      const promo = `RACE${Date.now()}`.toUpperCase();
      const answers = await Promise.all(Array.from({ length: 8 }, () => t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('pc'), couponId: coupon.body.couponId, code: promo })));
      const codes = answers.map((a) => a.body.result.resultCode);
      expect(codes.filter((c) => c === 'SUCCESS')).toHaveLength(1);
      expect(codes.filter((c) => c === 'PROMOTION_CODE_DUPLICATED')).toHaveLength(7);
    });

    it('funds the Business Account and pays by card through the control API; the balance, statement and CARD_BILL follow', async () => {
      const clientId = t.client.client.clientId;
      const topUp = await fixture.post('/sandbox/aba/top-up', { clientId, amount: { currency: 'USD', value: '50000' } });
      expect(topUp.status).toBe(200);
      expect(topUp.json.topUpId).toMatch(/^TOP/);
      expect((await fixture.post('/sandbox/aba/top-up', { clientId: 'SANDBOX_NOBODY00000000', amount: { currency: 'USD', value: '1' } })).status).toBe(404);
      expect((await fixture.post('/sandbox/aba/top-up', { clientId, amount: { currency: 'USD' } })).status).toBe(400);

      const card = await t.call('aba/cards/applyCard', { requestId: uniqueId('card'), cardNickName: 'Ads' });
      expect(card.body.result.resultCode).toBe('SUCCESS');
      const assetId = card.body.assetId as string;
      const paid = await fixture.post(`/sandbox/aba/cards/${assetId}/pay`, { clientId, amount: { currency: 'USD', value: '12345' }, merchantName: 'Ad network' });
      expect(paid.json).toMatchObject({ status: 'SUCCESS' });

      const balance = await t.call('aba/accounts/inquiryBalance', { customerId: clientId, currencyList: ['USD'] });
      const usd = (balance.body.accountBalances as Array<{ currency: string; availableBalance: { value: string } }>).find((b) => b.currency === 'USD');
      expect(usd?.availableBalance.value).toBe(String(50000 - 12345));

      const bills = await t.gateway.database.db.selectFrom('notifications').select(['body']).where('client_id', '=', clientId).where('notify_type', '=', 'CARD_BILL').execute();
      const bill = bills.map((row) => JSON.parse(row.body) as Record<string, unknown>).find((b) => b.assetId === assetId);
      expect(bill).toMatchObject({ orderNo: paid.json.lifecycleId, merchantName: 'Ad network', tradeAmount: { currency: 'USD', value: '12345' }, billType: 'CARD_PAYMENT', billStatus: 'WAITING_CLEARANCE', cardNickName: 'Ads' });
      expect(JSON.stringify(bill)).not.toMatch(/"(cvv|cardNo)"/);

      // A payment larger than the balance fails, is billed as failed and moves nothing.
      const short = await fixture.post(`/sandbox/aba/cards/${assetId}/pay`, { clientId, amount: { currency: 'USD', value: '99999999' } });
      expect(short.json).toMatchObject({ status: 'FAIL' });
      const after = await t.call('aba/accounts/inquiryBalance', { customerId: clientId, currencyList: ['USD'] });
      expect((after.body.accountBalances as Array<{ availableBalance: { value: string } }>)[0]?.availableBalance.value).toBe(String(50000 - 12345));
    });
  });
});
