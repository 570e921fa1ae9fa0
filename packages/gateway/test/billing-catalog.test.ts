/**
 * The Billing catalog through signed HTTP on SQLite and PostgreSQL:
 * customers (one per email, deleted as DELETED and still readable, portal
 * links), products, prices (on an existing, active product; METERED on a
 * meter; one default), coupons (percent XOR amount, durations, codes made
 * with them) and promotion codes (unique, on ACTIVE coupons only); creates
 * idempotent by request id, cursor pages without repeats or gaps, and
 * another client seeing none of it. Then the discount arithmetic alone.
 */
import { AmsError } from '@amsgate/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { discountOf, recordRedemption, redeemable } from '../src/products/billing/catalog/discounts.js';
import type { CouponDoc, PromotionCodeDoc } from '../src/products/billing/catalog/kinds.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
if (!postgresOk) console.warn('billing-catalog: PostgreSQL is not reachable; its half of these tests is SKIPPED');

const code = (answer: CallResult) => answer.body.result.resultCode;
const FUTURE = '2099-01-01T00:00:00Z';

describe.each(DIALECTS)('billing catalog on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const fixture = gatewayWithOtherClient(dialect);
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));
    const asOther = fixture.asOther;

    const customer = (overrides: Record<string, unknown> = {}) => ({ customerRequestId: uniqueId('cus'), email: `${uniqueId('buyer')}@example.com`, ...overrides });
    async function product(overrides: Record<string, unknown> = {}): Promise<string> {
      const answer = await t.call('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Pro plan', ...overrides });
      expect(code(answer)).toBe('SUCCESS');
      return answer.body.productId as string;
    }
    const unitPrice = (productId: string, value = '1999', overrides: Record<string, unknown> = {}) => ({ priceRequestId: uniqueId('prc'), productId, unitAmount: { currency: 'USD', value }, ...overrides });
    const percentCoupon = (overrides: Record<string, unknown> = {}) => ({ couponRequestId: uniqueId('cpn'), discountType: 'PERCENT', percentOff: '25', durationType: 'ONCE', ...overrides });
    async function coupon(overrides: Record<string, unknown> = {}): Promise<string> {
      const answer = await t.call('billing/coupon/create', percentCoupon(overrides));
      expect(code(answer)).toBe('SUCCESS');
      return answer.body.couponId as string;
    }

    describe('customers', () => {
      it('creates once per request id; other values for the id are REPEAT_REQ_INCONSISTENT naming them', async () => {
        const request = customer({ firstName: 'Ada' });
        const first = await t.call('billing/customer/create', request);
        expect(code(first)).toBe('SUCCESS');
        expect(first.body).toMatchObject({ customerRequestId: request.customerRequestId, email: request.email, status: 'ACTIVE' });
        const again = await t.call('billing/customer/create', request);
        expect(again.body.customerId).toBe(first.body.customerId);
        const other = await t.call('billing/customer/create', { ...request, firstName: 'Grace' });
        expect(code(other)).toBe('REPEAT_REQ_INCONSISTENT');
        expect(other.body.result.resultMessage).toContain('firstName');
      });

      it('refuses a second customer with the same email (any case) as CUSTOMER_EMAIL_DUPLICATED, and frees it once the first is deleted', async () => {
        const email = `${uniqueId('dup')}@example.com`;
        const first = await t.call('billing/customer/create', customer({ email }));
        expect(code(first)).toBe('SUCCESS');
        const clash = await t.call('billing/customer/create', customer({ email: email.toUpperCase() }));
        expect(code(clash)).toBe('CUSTOMER_EMAIL_DUPLICATED');
        expect(clash.body.result.resultMessage).toContain('email');
        expect(code(await t.call('billing/customer/delete', { customerId: first.body.customerId }))).toBe('SUCCESS');
        expect(code(await t.call('billing/customer/create', customer({ email })))).toBe('SUCCESS');
      });

      it('refuses what the fields do not allow, naming the field', async () => {
        const phone = await t.call('billing/customer/create', customer({ phoneNo: '5550100' }));
        expect(code(phone)).toBe('PARAM_ILLEGAL');
        expect(phone.body.result.resultMessage).toContain('countryCode');
        const method = await t.call('billing/customer/create', customer({ defaultPaymentMethod: 'pm_1' }));
        expect(code(method)).toBe('PARAM_ILLEGAL');
        expect(method.body.result.resultMessage).toContain('defaultPaymentMethod');
        const metadata = await t.call('billing/customer/create', customer({ metadata: '[1]' }));
        expect(code(metadata)).toBe('PARAM_ILLEGAL');
        expect(metadata.body.result.resultMessage).toContain('metadata');
      });

      it('updates, deletes as DELETED (still readable, listed by status, no longer updatable)', async () => {
        const created = await t.call('billing/customer/create', customer());
        const customerId = created.body.customerId as string;
        const updated = await t.call('billing/customer/update', { customerId, lastName: 'Lovelace', metadata: '{"tier":"gold"}' });
        expect(updated.body).toMatchObject({ customerId, status: 'ACTIVE' });
        expect((await t.call('billing/customer/inquireDetails', { customerId })).body).toMatchObject({ lastName: 'Lovelace', metadata: '{"tier":"gold"}', status: 'ACTIVE' });
        const deleted = await t.call('billing/customer/delete', { customerId });
        expect(deleted.body).toMatchObject({ customerId, status: 'DELETED' });
        expect(code(await t.call('billing/customer/delete', { customerId }))).toBe('SUCCESS');
        const details = await t.call('billing/customer/inquireDetails', { customerId });
        expect(details.body).toMatchObject({ customerId, status: 'DELETED', lastName: 'Lovelace' });
        expect(code(await t.call('billing/customer/update', { customerId, firstName: 'X' }))).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
        const listed = await t.call('billing/customer/inquireList', { status: 'DELETED', customerId });
        expect((listed.body.customers as Array<{ customerId: string }>).map((c) => c.customerId)).toEqual([customerId]);
        expect((await t.call('billing/customer/inquireList', { status: 'ACTIVE', customerId })).body.customers).toEqual([]);
      });

      it('pages customers newest first without repeats or gaps (email prefix, both directions)', async () => {
        const prefix = uniqueId('page').toLowerCase();
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push((await t.call('billing/customer/create', customer({ email: `${prefix}-${i}@example.com` }))).body.customerId as string);
        const newestFirst = [...ids].reverse();
        const seen: string[] = [];
        let cursor: string | undefined;
        const pages: string[][] = [];
        do {
          const page = await t.call('billing/customer/inquireList', { emailPrefix: prefix, limit: 3, includeTotal: true, ...(cursor ? { startingAfter: cursor } : {}) });
          expect(code(page)).toBe('SUCCESS');
          expect(page.body.total).toBe(7);
          const items = (page.body.customers as Array<{ customerId: string }>).map((c) => c.customerId);
          pages.push(items);
          seen.push(...items);
          cursor = page.body.hasMore ? (page.body.nextCursor as string) : undefined;
        } while (cursor !== undefined);
        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(seen).toEqual(newestFirst);
        const back = await t.call('billing/customer/inquireList', { emailPrefix: prefix, limit: 3, endingBefore: newestFirst[3] });
        expect((back.body.customers as Array<{ customerId: string }>).map((c) => c.customerId)).toEqual(newestFirst.slice(0, 3));
        const exact = await t.call('billing/customer/inquireList', { email: `${prefix}-2@example.com` });
        expect((exact.body.customers as Array<{ customerId: string }>).map((c) => c.customerId)).toEqual([ids[2]]);
      });

      it('makes a portal link under the gateway URL, expiring in 24 hours', async () => {
        const created = await t.call('billing/customer/create', customer());
        const link = await t.call('billing/customer/createPortalLink', { customerId: created.body.customerId, autoSend: true });
        expect(code(link)).toBe('SUCCESS');
        expect(link.body.portalUrl).toBe(`${t.baseUrl}/billing/portal/${link.body.token as string}`);
        expect(link.body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        const expires = Date.parse(`${(link.body.expiresAt as string).replace(' ', 'T')}Z`);
        expect(Math.abs(expires - (Date.now() + 24 * 3600_000))).toBeLessThan(120_000);
        expect(link.body.sendStatus).toBe('SENT');
        const byEmail = await t.call('billing/customer/createPortalLink', { email: created.body.email });
        expect(code(byEmail)).toBe('SUCCESS');
        expect(byEmail.body.token).not.toBe(link.body.token);
        expect(code(await t.call('billing/customer/createPortalLink', { customerId: 'CUS_NONE' }))).toBe('RECORD_NOT_FOUND');
        const feature = await t.call('billing/customer/createPortalLink', { customerId: created.body.customerId, features: ['BILLING'] });
        expect(code(feature)).toBe('PARAM_ILLEGAL');
        expect(feature.body.result.resultMessage).toContain('features[0]');
      });
    });

    describe('products and prices', () => {
      it('creates a product once per request id, updates it, deactivates it and attaches images', async () => {
        const request = { productRequestId: uniqueId('prd'), name: 'Seats', type: 'SERVICE', images: ['https://example.com/a.png'] };
        const first = await t.call('billing/product/create', request);
        expect(first.body).toMatchObject({ name: 'Seats', type: 'SERVICE', active: true });
        expect((await t.call('billing/product/create', request)).body.productId).toBe(first.body.productId);
        const inconsistent = await t.call('billing/product/create', { ...request, name: 'Chairs' });
        expect(code(inconsistent)).toBe('REPEAT_REQ_INCONSISTENT');
        expect(inconsistent.body.result.resultMessage).toContain('name');
        const productId = first.body.productId as string;
        const off = await t.call('billing/product/update', { productId, active: false, description: 'per seat' });
        expect(off.body).toMatchObject({ active: false, description: 'per seat' });
        expect(off.body.deactivatedAt).toEqual(expect.any(String));
        const image = await t.call('billing/product/uploadImage', { productId });
        expect(code(image)).toBe('SUCCESS');
        expect(image.body.imageUrl).toContain(`${t.baseUrl}/billing/products/${productId}/images/`);
        const details = await t.call('billing/product/inquireDetails', { productId });
        expect(details.body.images).toEqual(['https://example.com/a.png', image.body.imageUrl]);
        const badName = await t.call('billing/product/create', { productRequestId: uniqueId('prd'), name: 'A <b>' });
        expect(code(badName)).toBe('PARAM_ILLEGAL');
        expect(badName.body.result.resultMessage).toContain('name');
        const badType = await t.call('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Goods', type: 'DIGITAL' });
        expect(code(badType)).toBe('PARAM_ILLEGAL');
        expect(badType.body.result.resultMessage).toContain('type');
        const keyword = uniqueId('kw');
        const named = await product({ name: `Plan ${keyword}` });
        const found = await t.call('billing/product/inquireList', { keyword: keyword.toUpperCase(), active: true });
        expect((found.body.products as Array<{ productId: string }>).map((p) => p.productId)).toEqual([named]);
        expect(found.body.total).toBe(1);
      });

      it('refuses a price on a missing or inactive product, or a METERED one without a known meter', async () => {
        const missing = await t.call('billing/price/create', unitPrice('PRD_NONE'));
        expect(code(missing)).toBe('RECORD_NOT_FOUND');
        expect(missing.body.result.resultMessage).toContain('productId');
        const productId = await product();
        await t.call('billing/product/update', { productId, active: false });
        expect(code(await t.call('billing/price/create', unitPrice(productId)))).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
        const live = await product();
        const noMeter = await t.call('billing/price/create', unitPrice(live, '10', { usageType: 'METERED' }));
        expect(code(noMeter)).toBe('PARAM_ILLEGAL');
        expect(noMeter.body.result.resultMessage).toContain('meterId');
        const unknownMeter = await t.call('billing/price/create', unitPrice(live, '10', { usageType: 'METERED', meterId: 'api_calls' }));
        expect(code(unknownMeter)).toBe('METER_NOT_FOUND');
        const tiered = await t.call('billing/price/create', { priceRequestId: uniqueId('prc'), productId: live, pricingModel: 'TIERED', tiers: [{ upTo: 10, unitAmount: { currency: 'USD', value: '100' } }] });
        expect(code(tiered)).toBe('PARAM_ILLEGAL');
        expect(tiered.body.result.resultMessage).toContain('tiersMode');
        const badTiers = await t.call('billing/price/create', {
          priceRequestId: uniqueId('prc'), productId: live, tiersMode: 'GRADUATED',
          tiers: [{ upTo: 10, unitAmount: { currency: 'USD', value: '100' } }, { upTo: 5, unitAmount: { currency: 'USD', value: '90' } }],
        });
        expect(code(badTiers)).toBe('PARAM_ILLEGAL');
        expect(badTiers.body.result.resultMessage).toContain('tiers[1].upTo');
        const mixed = await t.call('billing/price/create', {
          priceRequestId: uniqueId('prc'), productId: live, tiersMode: 'VOLUME',
          tiers: [{ upTo: 10, unitAmount: { currency: 'USD', value: '100' } }, { unitAmount: { currency: 'EUR', value: '90' } }],
        });
        expect(mixed.body.result.resultMessage).toContain('tiers[1].unitAmount.currency');
        const good = await t.call('billing/price/create', {
          priceRequestId: uniqueId('prc'), productId: live, tiersMode: 'GRADUATED', recurring: { periodRule: { periodType: 'MONTH', periodCount: 1 } },
          tiers: [{ upTo: 10, unitAmount: { currency: 'USD', value: '100' } }, { unitAmount: { currency: 'USD', value: '90' }, flatAmount: { currency: 'USD', value: '500' } }],
        });
        expect(good.body).toMatchObject({ pricingModel: 'TIERED', usageType: 'LICENSED', active: true });
      });

      it('keeps one default price per product, and the product answers it', async () => {
        const productId = await product();
        const first = await t.call('billing/price/create', unitPrice(productId, '1000', { defaultPrice: true }));
        expect(first.body).toMatchObject({ defaultPrice: true, unitAmount: { currency: 'USD', value: '1000' } });
        const second = await t.call('billing/price/create', unitPrice(productId, '2000', { defaultPrice: true }));
        expect((await t.call('billing/price/inquireDetails', { priceId: first.body.priceId })).body.defaultPrice).toBe(false);
        let details = await t.call('billing/product/inquireDetails', { productId });
        expect((details.body.prices as Array<{ priceId: string }>).map((p) => p.priceId)).toEqual([second.body.priceId]);
        await t.call('billing/price/update', { priceId: first.body.priceId, defaultPrice: true, name: 'Monthly' });
        details = await t.call('billing/product/inquireDetails', { productId });
        expect((details.body.prices as Array<{ priceId: string; name: string }>)).toMatchObject([{ priceId: first.body.priceId, name: 'Monthly' }]);
        const both = await t.call('billing/price/update', { priceId: second.body.priceId, defaultPrice: true, active: false });
        expect(code(both)).toBe('PARAM_ILLEGAL');
        const off = await t.call('billing/price/update', { priceId: first.body.priceId, active: false });
        expect(off.body).toMatchObject({ active: false });
        expect(off.body.defaultPrice).toBeUndefined();
        expect((await t.call('billing/product/inquireDetails', { productId })).body.prices).toEqual([]);
      });

      it('pages a product\'s prices in threes without repeats or gaps, and filters by active', async () => {
        const productId = await product();
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push((await t.call('billing/price/create', unitPrice(productId, String(100 + i)))).body.priceId as string);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await t.call('billing/price/inquireList', { productId, limit: 3, ...(cursor ? { startingAfter: cursor } : {}) });
          expect(page.body.total).toBe(7);
          const items = (page.body.prices as Array<{ priceId: string }>).map((p) => p.priceId);
          seen.push(...items);
          pages++;
          if (page.body.hasMore !== true) break;
          cursor = items[items.length - 1];
        }
        expect(pages).toBe(3);
        expect(seen).toEqual([...ids].reverse());
        await t.call('billing/price/update', { priceId: ids[0], active: false });
        const inactive = await t.call('billing/price/inquireList', { productId, active: false });
        expect((inactive.body.prices as Array<{ priceId: string }>).map((p) => p.priceId)).toEqual([ids[0]]);
      });
    });

    describe('coupons and promotion codes', () => {
      it('creates a coupon once per request id, with its promotion codes in the same step', async () => {
        const request = percentCoupon({ couponName: 'Launch', promotionCodes: [{ promotionCodeRequestId: uniqueId('prm'), code: uniqueId('LAUNCH').toUpperCase().replace(/[^A-Z0-9_-]/g, '_') }, { promotionCodeRequestId: uniqueId('prm') }] });
        const first = await t.call('billing/coupon/create', request);
        expect(code(first)).toBe('SUCCESS');
        const codes = first.body.promotionCodes as Array<{ promotionCodeId: string; code: string; status: string }>;
        expect(codes).toHaveLength(2);
        expect(codes[1]!.code).toMatch(/^[A-HJKMNP-Z2-9]{12}$/);
        const again = await t.call('billing/coupon/create', request);
        expect(again.body).toEqual(first.body);
        const inconsistent = await t.call('billing/coupon/create', { ...request, percentOff: '30' });
        expect(code(inconsistent)).toBe('REPEAT_REQ_INCONSISTENT');
        expect(inconsistent.body.result.resultMessage).toContain('percentOff');
        const listed = await t.call('billing/promotionCode/inquireList', { couponId: first.body.couponId });
        expect((listed.body.promotionCodes as Array<{ promotionCodeId: string }>).map((c) => c.promotionCodeId).sort()).toEqual(codes.map((c) => c.promotionCodeId).sort());
        const details = await t.call('billing/coupon/inquireDetails', { couponId: first.body.couponId });
        expect(details.body).toMatchObject({ couponName: 'Launch', discountType: 'PERCENT', percentOff: '25', durationType: 'ONCE', status: 'ACTIVE', redeemedCount: 0 });
        expect(details.body.createdPromotionCodes).toBeUndefined();
        const clash = await t.call('billing/coupon/create', percentCoupon({ promotionCodes: [{ promotionCodeRequestId: uniqueId('prm'), code: codes[0]!.code }] }));
        expect(code(clash)).toBe('PARAM_ILLEGAL');
        expect(clash.body.result.resultMessage).toContain('promotionCodes[0].code');
      });

      it('refuses a coupon that is not a percentage XOR an amount, or a duration that does not fit', async () => {
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ percentOff: '0' }, 'percentOff'],
          [{ percentOff: '100.01' }, 'percentOff'],
          [{ percentOff: '33.333' }, 'percentOff'],
          [{ amountOff: { currency: 'USD', value: '500' } }, 'amountOff'],
          [{ discountType: 'AMOUNT', percentOff: undefined }, 'amountOff'],
          [{ discountType: 'AMOUNT', percentOff: undefined, amountOff: { currency: 'USD', value: '0' } }, 'amountOff.value'],
          [{ durationType: 'REPEATING' }, 'durationValue'],
          [{ durationType: 'REPEATING', durationValue: 3 }, 'durationUnit'],
          [{ durationType: 'FOREVER', durationValue: 3 }, 'durationValue'],
          [{ redeemBy: '2001-01-01T00:00:00Z' }, 'redeemBy'],
          [{ appliesTo: { productIds: ['PRD_NONE'] } }, 'appliesTo.productIds[0]'],
        ];
        for (const [overrides, field] of cases) {
          const answer = await t.call('billing/coupon/create', JSON.parse(JSON.stringify(percentCoupon(overrides))));
          expect([code(answer), answer.body.result.resultMessage], JSON.stringify(overrides)).toEqual(['PARAM_ILLEGAL', expect.stringContaining(field)]);
        }
        const amount = await t.call('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'AMOUNT', amountOff: { currency: 'USD', value: '500' }, durationType: 'REPEATING', durationValue: 3, durationUnit: 'MONTH' });
        expect(code(amount)).toBe('SUCCESS');
      });

      it('updates a coupon; a promotion code needs an ACTIVE coupon and a code no other has', async () => {
        const couponId = await coupon({ maxRedemptions: 5, redeemBy: FUTURE });
        const earlier = await t.call('billing/coupon/update', { couponId, redeemBy: '2098-01-01T00:00:00Z' });
        expect(code(earlier)).toBe('PARAM_ILLEGAL');
        expect(earlier.body.result.resultMessage).toContain('redeemBy');
        const value = uniqueId('SPRING').toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
        const made = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId, code: value, minAmount: { currency: 'USD', value: '1000' }, oneTimeOnly: true });
        expect(made.body).toMatchObject({ code: value, status: 'ACTIVE' });
        const duplicate = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId, code: value });
        expect(code(duplicate)).toBe('PROMOTION_CODE_DUPLICATED');
        expect(code(await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId, code: 'lower case' }))).toBe('PARAM_ILLEGAL');
        const missing = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId: 'CPN_NONE' });
        expect(code(missing)).toBe('RECORD_NOT_FOUND');
        expect(missing.body.result.resultMessage).toContain('couponId');
        const noCustomer = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId, customerId: 'CUS_NONE' });
        expect(code(noCustomer)).toBe('RECORD_NOT_FOUND');
        expect(noCustomer.body.result.resultMessage).toContain('customerId');
        const updated = await t.call('billing/coupon/update', { couponId, status: 'INACTIVE', couponName: 'Paused', maxRedemptions: 10 });
        expect(updated.body).toMatchObject({ couponId, status: 'INACTIVE' });
        expect((await t.call('billing/coupon/inquireDetails', { couponId })).body).toMatchObject({ couponName: 'Paused', maxRedemptions: 10, status: 'INACTIVE' });
        expect(code(await t.call('billing/coupon/update', { couponId, status: 'EXPIRED' }))).toBe('PARAM_ILLEGAL');
        const onInactive = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId });
        expect(code(onInactive)).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
        const promotionCodeId = made.body.promotionCodeId as string;
        expect((await t.call('billing/promotionCode/update', { promotionCodeId, status: 'INACTIVE', maxRedemptions: 3 })).body).toMatchObject({ promotionCodeId, status: 'INACTIVE' });
        const details = await t.call('billing/promotionCode/inquireDetails', { promotionCodeId });
        expect(details.body).toMatchObject({ couponId, code: value, status: 'INACTIVE', maxRedemptions: 3, redeemedCount: 0, oneTimeOnly: true, minAmount: { currency: 'USD', value: '1000' } });
        const inactive = await t.call('billing/promotionCode/inquireList', { couponId, status: 'INACTIVE' });
        expect((inactive.body.promotionCodes as Array<{ promotionCodeId: string }>).map((c) => c.promotionCodeId)).toEqual([promotionCodeId]);
        expect((await t.call('billing/promotionCode/inquireList', { couponId, status: 'ACTIVE' })).body.promotionCodes).toEqual([]);
      });

      it('lists coupons by status and discount type', async () => {
        const amount = await t.call('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'AMOUNT', amountOff: { currency: 'USD', value: '300' }, durationType: 'FOREVER' });
        const percent = await coupon();
        const list = await t.call('billing/coupon/inquireList', { discountType: 'AMOUNT', status: 'ACTIVE', limit: 100 });
        const coupons = list.body.coupons as Array<{ couponId: string; discountType: string; status: string }>;
        expect(coupons.map((c) => c.couponId)).toContain(amount.body.couponId);
        expect(coupons.map((c) => c.couponId)).not.toContain(percent);
        expect(coupons.every((c) => c.discountType === 'AMOUNT' && c.status === 'ACTIVE')).toBe(true);
      });
    });

    describe('redemptions', () => {
      it('counts redemptions of a coupon and its code, and refuses the one past the maximum', async () => {
        const couponId = await coupon({ maxRedemptions: 2 });
        const made = await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId, oneTimeOnly: true });
        const promotionCodeId = made.body.promotionCodeId as string;
        const { database, resources } = t.gateway;
        const clientId = t.client.client.clientId;
        await database.transaction((tx) => recordRedemption(tx, resources, clientId, couponId, promotionCodeId, 'CUS_A'));
        await database.transaction((tx) => recordRedemption(tx, resources, clientId, couponId));
        expect((await t.call('billing/coupon/inquireDetails', { couponId })).body.redeemedCount).toBe(2);
        const codeDetails = await t.call('billing/promotionCode/inquireDetails', { promotionCodeId });
        expect(codeDetails.body.redeemedCount).toBe(1);
        expect(codeDetails.body.redeemedByCustomers).toBeUndefined();
        await expect(database.transaction((tx) => recordRedemption(tx, resources, clientId, couponId))).rejects.toMatchObject({ code: 'PARAM_ILLEGAL', field: 'couponId' });
        expect((await t.call('billing/coupon/inquireDetails', { couponId })).body.redeemedCount).toBe(2);
        const lowered = await t.call('billing/coupon/update', { couponId, maxRedemptions: 1 });
        expect(code(lowered)).toBe('PARAM_ILLEGAL');
        expect(lowered.body.result.resultMessage).toContain('maxRedemptions');
        await expect(database.transaction((tx) => recordRedemption(tx, resources, 'SANDBOX_someone_else', couponId))).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' });
      });
    });

    describe('another client', () => {
      it('cannot read, change or list this client\'s catalog', async () => {
        const customerId = (await t.call('billing/customer/create', customer())).body.customerId as string;
        const productId = await product();
        const priceId = (await t.call('billing/price/create', unitPrice(productId))).body.priceId as string;
        const couponId = await coupon();
        const promotionCodeId = (await t.call('billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId })).body.promotionCodeId as string;
        const other = asOther();
        for (const [path, body] of [
          ['billing/customer/inquireDetails', { customerId }], ['billing/customer/update', { customerId, firstName: 'Eve' }], ['billing/customer/delete', { customerId }],
          ['billing/customer/createPortalLink', { customerId }], ['billing/product/inquireDetails', { productId }], ['billing/product/update', { productId, name: 'Mine' }],
          ['billing/product/uploadImage', { productId }], ['billing/price/inquireDetails', { priceId }], ['billing/price/update', { priceId, active: false }],
          ['billing/price/create', unitPrice(productId)], ['billing/coupon/inquireDetails', { couponId }], ['billing/coupon/update', { couponId, status: 'INACTIVE' }],
          ['billing/promotionCode/create', { promotionCodeRequestId: uniqueId('prm'), couponId }], ['billing/promotionCode/inquireDetails', { promotionCodeId }],
          ['billing/promotionCode/update', { promotionCodeId, status: 'INACTIVE' }],
        ] as const) {
          expect([path, code(await t.call(path, body, other))]).toEqual([path, 'RECORD_NOT_FOUND']);
        }
        expect((await t.call('billing/customer/inquireList', { customerId }, other)).body.customers).toEqual([]);
        expect((await t.call('billing/price/inquireList', { productId }, other)).body.prices).toEqual([]);
        expect((await t.call('billing/promotionCode/inquireList', { couponId }, other)).body.promotionCodes).toEqual([]);
        const coupons = (await t.call('billing/coupon/inquireList', { limit: 100 }, other)).body.coupons as Array<{ couponId: string }>;
        expect(coupons.map((c) => c.couponId)).not.toContain(couponId);
        // Nothing the other client tried changed anything.
        expect((await t.call('billing/customer/inquireDetails', { customerId })).body.status).toBe('ACTIVE');
        expect((await t.call('billing/coupon/inquireDetails', { couponId })).body.status).toBe('ACTIVE');
      });
    });
  });
});

describe('discounts', () => {
  const percent = (percentOff: string): CouponDoc => ({ couponId: 'CPN_1', discountType: 'PERCENT', percentOff, status: 'ACTIVE' });
  const amount = (value: string, currency = 'USD'): CouponDoc => ({ couponId: 'CPN_2', discountType: 'AMOUNT', amountOff: { currency, value }, status: 'ACTIVE' });

  it('rounds a percentage half up to the minor unit, in bigint', () => {
    expect(discountOf(percent('12.5'), 1n, 'USD')).toBe(0n);
    expect(discountOf(percent('12.5'), 4n, 'USD')).toBe(1n);
    expect(discountOf(percent('33.33'), 1999n, 'USD')).toBe(666n);
    expect(discountOf(percent('100'), 1999n, 'JPY')).toBe(1999n);
    expect(discountOf(percent('0.01'), 9_223_372_036_854_775_807n, 'USD')).toBe(922_337_203_685_478n);
  });

  it('takes an amount off in its own currency, never more than the subtotal', () => {
    expect(discountOf(amount('500'), 1999n, 'USD')).toBe(500n);
    expect(discountOf(amount('5000'), 1999n, 'USD')).toBe(1999n);
    expect(discountOf(amount('500'), 0n, 'USD')).toBe(0n);
    try {
      discountOf(amount('500', 'EUR'), 1999n, 'USD');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AmsError);
      expect((error as AmsError).code).toBe('PARAM_ILLEGAL');
      expect((error as AmsError).message).toContain('EUR');
    }
  });

  it('says why a coupon or promotion code cannot be redeemed', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const code = (fields: Partial<PromotionCodeDoc> = {}): PromotionCodeDoc => ({ promotionCodeId: 'PRM_1', code: 'SAVE', couponId: 'CPN_1', status: 'ACTIVE', ...fields });
    expect(redeemable(percent('10'), undefined, now)).toBeUndefined();
    expect(redeemable({ ...percent('10'), status: 'INACTIVE' }, undefined, now)).toContain('INACTIVE');
    expect(redeemable({ ...percent('10'), redeemBy: '2029-12-31T00:00:00Z' }, undefined, now)).toContain('until');
    expect(redeemable({ ...percent('10'), maxRedemptions: 2, redeemedCount: 2 }, undefined, now)).toContain('maximum');
    expect(redeemable({ ...percent('10'), maxRedemptions: 0, redeemedCount: 50 }, undefined, now)).toBeUndefined();
    expect(redeemable(percent('10'), code(), now, 'CUS_1', 100n, 'USD')).toBeUndefined();
    expect(redeemable(percent('10'), code({ couponId: 'CPN_9' }), now)).toContain('not for coupon');
    expect(redeemable(percent('10'), code({ status: 'INACTIVE' }), now)).toContain('INACTIVE');
    expect(redeemable(percent('10'), code({ expiryTime: '2029-01-01T00:00:00Z' }), now)).toContain('expired');
    expect(redeemable(percent('10'), code({ maxRedemptions: 1, redeemedCount: 1 }), now)).toContain('maximum');
    expect(redeemable(percent('10'), code({ customerId: 'CUS_2' }), now, 'CUS_1')).toContain('only for customer CUS_2');
    expect(redeemable(percent('10'), code({ oneTimeOnly: true, redeemedByCustomers: ['CUS_1'] }), now, 'CUS_1')).toContain('once per customer');
    expect(redeemable(percent('10'), code({ oneTimeOnly: true, redeemedByCustomers: ['CUS_1'] }), now, 'CUS_3')).toBeUndefined();
    expect(redeemable(percent('10'), code({ minAmount: { currency: 'USD', value: '1000' } }), now, undefined, 999n, 'USD')).toContain('at least 1000');
    expect(redeemable(percent('10'), code({ minAmount: { currency: 'USD', value: '1000' } }), now, undefined, 1000n, 'USD')).toBeUndefined();
    expect(redeemable(percent('10'), code({ minAmount: { currency: 'USD', value: '1000' } }), now, undefined, 5000n, 'EUR')).toContain('USD');
  });
});
