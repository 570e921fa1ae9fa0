/**
 * `billing/coupon/*`: a discount (a percentage XOR an amount) for ONCE, a
 * number of periods (REPEATING) or FOREVER, redeemable until `redeemBy` and
 * at most `maxRedemptions` times across all its promotion codes.
 */
import { AmsError, type EndpointRequest } from '@amsgate/protocol';
import { pageAnswer, pageQueryOf } from '../../../resources/list-request.js';
import { changeEndpoint, createEndpoint, defined, detailsEndpoint, listEndpoint } from '../../../resources/resource-endpoints.js';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { percentHundredths } from './discounts.js';
import { amountOf, maxRedemptionsOf, metadataOf, noMarkup, oneOf } from './fields.js';
import { COUPON, PRODUCT, type CouponDoc, type CouponStatus } from './kinds.js';
import { insertPromotionCode, newPromotionCodeId, promotionCodeDoc } from './promotion-codes.js';
import { isoOf, parseFutureTime, storedTime } from './times.js';

/** Our choice: Antom's lists of coupons default to 20. */
const COUPON_PAGE = 20;
const DISCOUNT_TYPES = ['PERCENT', 'AMOUNT'] as const;
const DURATION_TYPES = ['ONCE', 'REPEATING', 'FOREVER'] as const;
const DURATION_UNITS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
const MAX_APPLIES_TO = 20;
const MAX_CODES_WITH_COUPON = 10;

type CouponRequest = EndpointRequest<'billing/coupon/create'>;

/** The discount: `percentOff` for PERCENT, `amountOff` for AMOUNT, never both. */
function discount(request: CouponRequest): Pick<CouponDoc, 'discountType' | 'percentOff' | 'amountOff'> {
  const discountType = oneOf(request.discountType, DISCOUNT_TYPES, 'discountType')!;
  if (discountType === 'PERCENT') {
    if (request.amountOff !== undefined) throw AmsError.paramIllegal('amountOff', 'is only for an AMOUNT coupon');
    if (request.percentOff === undefined) throw AmsError.paramIllegal('percentOff', 'is required for a PERCENT coupon');
    if (percentHundredths(request.percentOff) === undefined) throw AmsError.paramIllegal('percentOff', `must be more than 0 and at most 100, with at most 2 decimals, got ${JSON.stringify(request.percentOff)}`);
    return { discountType, percentOff: request.percentOff };
  }
  if (request.percentOff !== undefined) throw AmsError.paramIllegal('percentOff', 'is only for a PERCENT coupon');
  if (request.amountOff === undefined) throw AmsError.paramIllegal('amountOff', 'is required for an AMOUNT coupon');
  return { discountType, amountOff: amountOf(request.amountOff, 'amountOff', true) };
}

/** How long a redeemed coupon keeps discounting: durationValue and durationUnit only (and always) for REPEATING. */
function duration(request: CouponRequest): Pick<CouponDoc, 'durationType' | 'durationValue' | 'durationUnit'> {
  const durationType = oneOf(request.durationType, DURATION_TYPES, 'durationType')!;
  if (durationType !== 'REPEATING') {
    if (request.durationValue !== undefined) throw AmsError.paramIllegal('durationValue', 'is only for a REPEATING coupon');
    if (request.durationUnit !== undefined) throw AmsError.paramIllegal('durationUnit', 'is only for a REPEATING coupon');
    return { durationType };
  }
  if (request.durationValue === undefined) throw AmsError.paramIllegal('durationValue', 'is required for a REPEATING coupon');
  if (request.durationUnit === undefined) throw AmsError.paramIllegal('durationUnit', `is required for a REPEATING coupon: one of ${DURATION_UNITS.join(', ')}`);
  return { durationType, durationValue: request.durationValue, durationUnit: oneOf(request.durationUnit, DURATION_UNITS, 'durationUnit')! };
}

/** The products the coupon is limited to, as its details answer them (a snapshot taken at creation). */
async function appliesTo(tx: Tx, engine: ResourceEngine, clientId: string, request: CouponRequest): Promise<CouponDoc['appliesTo']> {
  const ids = request.appliesTo?.productIds;
  if (ids === undefined || ids.length === 0) return undefined;
  if (ids.length > MAX_APPLIES_TO) throw AmsError.paramIllegal('appliesTo.productIds', `may name at most ${MAX_APPLIES_TO} products`);
  if (new Set(ids).size !== ids.length) throw AmsError.paramIllegal('appliesTo.productIds', 'names a product twice');
  const products = [];
  for (const [index, id] of ids.entries()) {
    // coupon/create declares no RECORD_NOT_FOUND: an unknown product is a bad parameter here.
    const product = await engine.require(tx, PRODUCT, clientId, id).catch((error: unknown) => {
      if (error instanceof AmsError && error.code === 'RECORD_NOT_FOUND') throw AmsError.paramIllegal(`appliesTo.productIds[${index}]`, `no product ${id}`);
      throw error;
    });
    products.push(defined({ productId: product.id, productName: product.doc.name, status: product.status }));
  }
  return { products };
}

/** Codes made with the coupon: their refusals name them, with the codes coupon/create declares (PARAM_ILLEGAL). */
async function codesWithCoupon(tx: Tx, engine: ResourceEngine, clientId: string, couponId: string, request: CouponRequest, now: number) {
  const inputs = request.promotionCodes ?? [];
  if (inputs.length > MAX_CODES_WITH_COUPON) throw AmsError.paramIllegal('promotionCodes', `may have at most ${MAX_CODES_WITH_COUPON} codes`);
  const requestIds = new Set<string>();
  const codes = new Set<string>();
  const made = [];
  for (const [index, input] of inputs.entries()) {
    const field = `promotionCodes[${index}].`;
    if (input.promotionCodeRequestId === undefined || input.promotionCodeRequestId === '') throw AmsError.paramIllegal(`${field}promotionCodeRequestId`, 'is required');
    if (requestIds.has(input.promotionCodeRequestId)) throw AmsError.paramIllegal(`${field}promotionCodeRequestId`, 'is given to another code of this coupon');
    requestIds.add(input.promotionCodeRequestId);
    if (input.code !== undefined && codes.has(input.code)) throw AmsError.paramIllegal(`${field}code`, `${input.code} is given to another code of this coupon`);
    const id = newPromotionCodeId(now);
    const doc = await promotionCodeDoc(tx, engine, clientId, couponId, id, { ...input, minAmount: input.minAmount }, now, field).catch((error: unknown) => {
      if (error instanceof AmsError && error.code !== 'PARAM_ILLEGAL' && error.field !== undefined) throw AmsError.paramIllegal(error.field, error.message.slice(error.field.length + 2));
      throw error;
    });
    codes.add(doc.code!);
    await insertPromotionCode(tx, clientId, doc, id, now);
    made.push({ promotionCodeId: id, code: doc.code!, status: 'ACTIVE' });
  }
  return made;
}

/** A coupon as its details answer it. */
function couponFields(record: ResourceRecord<CouponDoc, CouponStatus>) {
  const { createdPromotionCodes: _codes, ...doc } = record.doc;
  return { ...doc, couponId: record.id, status: record.status };
}

export function couponEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/coupon/create': createEndpoint(engine, COUPON, {
      path: 'billing/coupon/create',
      requestIdField: 'couponRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        const fields = { ...discount(request), ...duration(request) };
        if (request.redeemBy !== undefined) parseFutureTime(request.redeemBy, 'redeemBy', now);
        const doc: CouponDoc = defined({
          couponId: id,
          couponRequestId: request.couponRequestId,
          couponName: request.couponName === undefined ? undefined : noMarkup(request.couponName, 'couponName'),
          ...fields,
          redeemBy: request.redeemBy,
          appliesTo: await appliesTo(tx, engine, clientId, request),
          status: 'ACTIVE',
          metadata: metadataOf(request.metadata, 'metadata', 50),
          gmtCreate: isoOf(now),
          maxRedemptions: maxRedemptionsOf(request.maxRedemptions, 'maxRedemptions'),
          redeemedCount: 0,
        });
        const codes = await codesWithCoupon(tx, engine, clientId, id, request, now);
        return { status: 'ACTIVE', doc: codes.length === 0 ? doc : { ...doc, createdPromotionCodes: codes } };
      },
      answer: (record) => defined({
        couponId: record.id, couponName: record.doc.couponName, discountType: record.doc.discountType, status: record.status,
        promotionCodes: record.doc.createdPromotionCodes?.map((code) => ({ ...code })),
      }),
    }),

    'billing/coupon/update': changeEndpoint(engine, COUPON, {
      path: 'billing/coupon/update',
      idOf: (request) => request.couponId,
      decide: (record, request, { now }) => {
        const status = oneOf(request.status === '' ? undefined : request.status, ['ACTIVE', 'INACTIVE'] as const, 'status') ?? record.status;
        if (request.redeemBy !== undefined) {
          const until = parseFutureTime(request.redeemBy, 'redeemBy', now);
          if (record.doc.redeemBy !== undefined && until < storedTime(record.doc.redeemBy)) throw AmsError.paramIllegal('redeemBy', `can only be extended: it is ${record.doc.redeemBy}`);
        }
        const doc: CouponDoc = defined({
          ...record.doc,
          status,
          ...(request.couponName !== undefined ? { couponName: noMarkup(request.couponName, 'couponName') } : {}),
          ...(request.redeemBy !== undefined ? { redeemBy: request.redeemBy } : {}),
          ...(request.maxRedemptions !== undefined ? { maxRedemptions: maxRedemptionsOf(request.maxRedemptions, 'maxRedemptions', record.doc.redeemedCount ?? 0) } : {}),
          ...(request.metadata !== undefined ? { metadata: metadataOf(request.metadata, 'metadata', 50) } : {}),
        });
        return { status, doc, event: status === record.status ? 'updated' : status === 'ACTIVE' ? 'activated' : 'deactivated' };
      },
      answer: (record) => ({ couponId: record.id, status: record.status }),
    }),

    'billing/coupon/inquireDetails': detailsEndpoint(engine, COUPON, {
      path: 'billing/coupon/inquireDetails',
      idOf: (request) => ({ id: request.couponId, field: 'couponId' }),
      answer: couponFields,
    }),

    'billing/coupon/inquireList': listEndpoint(engine, COUPON, {
      path: 'billing/coupon/inquireList',
      query: (request) => pageQueryOf({ ...request, limit: request.limit ?? COUPON_PAGE }, {
        status: oneOf(request.status, ['ACTIVE', 'INACTIVE'] as const, 'status'),
        discountType: oneOf(request.discountType, DISCOUNT_TYPES, 'discountType'),
      }),
      answer: (page) => pageAnswer(page, 'coupons', (record) => defined({
        couponId: record.id, couponName: record.doc.couponName, discountType: record.doc.discountType, percentOff: record.doc.percentOff, amountOff: record.doc.amountOff,
        redeemBy: record.doc.redeemBy, status: record.status, maxRedemptions: record.doc.maxRedemptions, redeemedCount: record.doc.redeemedCount,
      })) as never,
    }),
  };
}
