/**
 * `billing/promotionCode/*`: codes customers type to redeem an ACTIVE
 * coupon, unique per client (PROMOTION_CODE_DUPLICATED), each with its own
 * limits (expiry, redemptions, one customer, once per customer, minimum
 * amount). Also made with their coupon (`billing/coupon/create`).
 */
import { randomInt } from 'node:crypto';
import { AmsError, type EndpointRequest } from '@amsgate/protocol';
import { newResourceId } from '../../../ids.js';
import { pageAnswer, pageQueryOf } from '../../../resources/list-request.js';
import { changeEndpoint, createEndpoint, defined, detailsEndpoint, listEndpoint } from '../../../resources/resource-endpoints.js';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { claimUniqueValue, insertResource } from '../../../resources/resource-store.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { amountOf, maxRedemptionsOf, metadataOf, oneOf } from './fields.js';
import { COUPON, CUSTOMER, PROMOTION_CODE, type CouponDoc, type PromotionCodeDoc, type PromotionCodeStatus } from './kinds.js';
import { isoOf, parseFutureTime, storedTime } from './times.js';

/** Our choice: Antom's lists of promotion codes default to 20. */
const CODE_PAGE = 20;
/** Generated codes leave out the characters people misread (O 0 I 1 L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GENERATED_LENGTH = 12;

/** The fields a promotion code is made from, alone or with its coupon. */
export type PromotionCodeInput = Omit<EndpointRequest<'billing/promotionCode/create'>, 'couponId' | 'promotionCodeRequestId'> & { promotionCodeRequestId?: string };

function generatedCode(): string {
  return Array.from({ length: GENERATED_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/**
 * A new promotion code's document for coupon `couponId`, checked (the
 * coupon's status is the caller's to check). `field` prefixes the fields
 * named in refusals (`promotionCodes[0].`).
 */
export async function promotionCodeDoc(
  tx: Tx, engine: ResourceEngine, clientId: string, couponId: string, id: string, input: PromotionCodeInput, now: number, field = '',
): Promise<PromotionCodeDoc> {
  let code = input.code;
  if (code !== undefined) {
    if (!/^[A-Z0-9_-]{1,128}$/.test(code)) throw AmsError.paramIllegal(`${field}code`, 'must be 1 to 128 of A-Z, 0-9, - and _');
    if ((await claimUniqueValue(tx, PROMOTION_CODE, clientId, 'code', code, id)) !== undefined) {
      throw new AmsError('PROMOTION_CODE_DUPLICATED', `${field}code: ${code} is already a promotion code`, { field: `${field}code` });
    }
  } else {
    do code = generatedCode();
    while ((await claimUniqueValue(tx, PROMOTION_CODE, clientId, 'code', code, id)) !== undefined);
  }
  if (input.expiryTime !== undefined) parseFutureTime(input.expiryTime, `${field}expiryTime`, now);
  if (input.customerId !== undefined) {
    const customer = await engine.require(tx, CUSTOMER, clientId, input.customerId, `${field}customerId`);
    if (customer.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `${field}customerId: customer ${customer.id} is ${customer.status}`, { field: `${field}customerId` });
  }
  let minAmount: PromotionCodeDoc['minAmount'];
  if (input.minAmount !== undefined) {
    const { value, currency } = input.minAmount;
    if (value === undefined || currency === undefined) throw AmsError.paramIllegal(`${field}minAmount`, 'needs both currency and value');
    minAmount = amountOf({ value, currency }, `${field}minAmount`);
  }
  return defined({
    promotionCodeId: id,
    promotionCodeRequestId: input.promotionCodeRequestId,
    code,
    couponId,
    status: 'ACTIVE',
    maxRedemptions: maxRedemptionsOf(input.maxRedemptions, `${field}maxRedemptions`),
    redeemedCount: 0,
    expiryTime: input.expiryTime,
    minAmount,
    oneTimeOnly: input.oneTimeOnly ?? false,
    customerId: input.customerId,
    metadata: metadataOf(input.metadata, `${field}metadata`, 50),
    createTime: isoOf(now),
  });
}

/** Inserts a code made with its coupon (keyed by the coupon's request id, not its own). */
export async function insertPromotionCode(tx: Tx, clientId: string, doc: Omit<PromotionCodeDoc, 'promotionCodeId'>, id: string, now: number): Promise<void> {
  await insertResource(tx, PROMOTION_CODE, clientId, { id, status: 'ACTIVE', doc: { ...doc, promotionCodeId: id }, now, detail: `made with coupon ${doc.couponId}` });
}

export function newPromotionCodeId(now: number): string {
  return newResourceId(PROMOTION_CODE.idPrefix, now);
}

/** The coupon a new code is for must be ACTIVE and still redeemable. */
export function requireOpenCoupon(coupon: ResourceRecord<CouponDoc, string>, now: number): void {
  if (coupon.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `couponId: coupon ${coupon.id} is ${coupon.status}: promotion codes are only made for ACTIVE coupons`, { field: 'couponId' });
  if (coupon.doc.redeemBy !== undefined && storedTime(coupon.doc.redeemBy) <= now) {
    throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `couponId: coupon ${coupon.id} could be redeemed until ${coupon.doc.redeemBy}`, { field: 'couponId' });
  }
}

/** A code as answered (what it keeps for its own checks stays inside). */
function codeFields(record: ResourceRecord<PromotionCodeDoc, PromotionCodeStatus>) {
  const { redeemedByCustomers: _customers, ...doc } = record.doc;
  return { ...doc, promotionCodeId: record.id, status: record.status };
}

export function promotionCodeEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/promotionCode/create': createEndpoint(engine, PROMOTION_CODE, {
      path: 'billing/promotionCode/create',
      requestIdField: 'promotionCodeRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        const coupon = await engine.require(tx, COUPON, clientId, request.couponId, 'couponId');
        requireOpenCoupon(coupon, now);
        const { couponId, ...input } = request;
        return { status: 'ACTIVE', doc: await promotionCodeDoc(tx, engine, clientId, couponId, id, input, now) };
      },
      answer: (record) => ({ promotionCodeId: record.id, code: record.doc.code, status: record.status }),
    }),

    'billing/promotionCode/update': changeEndpoint(engine, PROMOTION_CODE, {
      path: 'billing/promotionCode/update',
      idOf: (request) => request.promotionCodeId,
      decide: (record, request, { now }) => {
        const status = oneOf(request.status, ['ACTIVE', 'INACTIVE'] as const, 'status') ?? record.status;
        if (request.expiryTime !== undefined) parseFutureTime(request.expiryTime, 'expiryTime', now);
        const doc: PromotionCodeDoc = defined({
          ...record.doc,
          status,
          ...(request.maxRedemptions !== undefined ? { maxRedemptions: maxRedemptionsOf(request.maxRedemptions, 'maxRedemptions', record.doc.redeemedCount ?? 0) } : {}),
          ...(request.expiryTime !== undefined ? { expiryTime: request.expiryTime } : {}),
          ...(request.metadata !== undefined ? { metadata: metadataOf(request.metadata, 'metadata', 50) } : {}),
        });
        return { status, doc, event: status === record.status ? 'updated' : status === 'ACTIVE' ? 'activated' : 'deactivated' };
      },
      answer: (record) => ({ promotionCodeId: record.id, status: record.status }),
    }),

    'billing/promotionCode/inquireDetails': detailsEndpoint(engine, PROMOTION_CODE, {
      path: 'billing/promotionCode/inquireDetails',
      idOf: (request) => ({ id: request.promotionCodeId, field: 'promotionCodeId' }),
      answer: codeFields,
    }),

    'billing/promotionCode/inquireList': listEndpoint(engine, PROMOTION_CODE, {
      path: 'billing/promotionCode/inquireList',
      query: (request) => pageQueryOf({ ...request, limit: request.limit ?? CODE_PAGE }, {
        couponId: request.couponId,
        status: oneOf(request.status, ['ACTIVE', 'INACTIVE'] as const, 'status'),
      }),
      answer: (page) => pageAnswer(page, 'promotionCodes', (record) => defined({
        promotionCodeId: record.id, code: record.doc.code, status: record.status, maxRedemptions: record.doc.maxRedemptions,
        redeemedCount: record.doc.redeemedCount, expiryTime: record.doc.expiryTime, createTime: record.doc.createTime,
      })) as never,
    }),
  };
}
