/**
 * The Billing catalog's resource kinds: customers, products, prices,
 * coupons and promotion codes. A document is what its `inquireDetails`
 * answers (without `result`), plus a few internal fields the answers strip.
 */
import type { EndpointResponse } from '@amsgate/protocol';
import { defineResourceKind } from '../../../resources/resource-kind.js';

type Details<P extends 'billing/customer/inquireDetails' | 'billing/product/inquireDetails' | 'billing/price/inquireDetails' | 'billing/coupon/inquireDetails' | 'billing/promotionCode/inquireDetails'> = Omit<EndpointResponse<P>, 'result'>;

export type CustomerDoc = Details<'billing/customer/inquireDetails'>;
/** `prices` is assembled when answered (the product's active default prices), never stored. */
export type ProductDoc = Omit<Details<'billing/product/inquireDetails'>, 'prices'> & {
  /** The last uploaded image's name (uploadImage answers it). */
  readonly imageName?: string;
};
export type PriceDoc = Details<'billing/price/inquireDetails'>;
export type CouponDoc = Details<'billing/coupon/inquireDetails'> & {
  /** The promotion codes made with the coupon, as its create answers them (never in details). */
  readonly createdPromotionCodes?: ReadonlyArray<{ readonly promotionCodeId: string; readonly code: string; readonly status: string }>;
};
export type PromotionCodeDoc = Details<'billing/promotionCode/inquireDetails'> & {
  /** Customers who redeemed the code (kept for `oneTimeOnly`; never answered). */
  readonly redeemedByCustomers?: readonly string[];
};

export const CUSTOMER_STATUSES = ['ACTIVE', 'DELETED'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
/** Products and prices: the status mirrors the document's `active` flag. */
export const ACTIVE_FLAG_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type ActiveFlagStatus = (typeof ACTIVE_FLAG_STATUSES)[number];
/** Coupons and promotion codes: EXPIRED is never stored; expiry is `redeemBy` / `expiryTime` against now. */
export const COUPON_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
export type PromotionCodeStatus = CouponStatus;

export const CUSTOMER = defineResourceKind<CustomerDoc, CustomerStatus>({
  kind: 'billing.customer',
  idPrefix: 'CUS',
  noun: 'customer',
  idField: 'customerId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: CUSTOMER_STATUSES,
  filters: {
    email: (doc) => doc.email?.toLowerCase(),
    countryCode: (doc) => doc.countryCode,
    phoneNo: (doc) => doc.phoneNo,
    country: (doc) => doc.country,
    customerId: (doc) => doc.customerId,
  },
});

export const PRODUCT = defineResourceKind<ProductDoc, ActiveFlagStatus>({
  kind: 'billing.product',
  idPrefix: 'PRD',
  noun: 'product',
  idField: 'productId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ACTIVE_FLAG_STATUSES,
  filters: {
    type: (doc) => doc.type,
  },
});

export const PRICE = defineResourceKind<PriceDoc, ActiveFlagStatus>({
  kind: 'billing.price',
  idPrefix: 'PRC',
  noun: 'price',
  idField: 'priceId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ACTIVE_FLAG_STATUSES,
  filters: {
    productId: (doc) => doc.productId,
    pricingModel: (doc) => doc.pricingModel,
    usageType: (doc) => doc.usageType,
    defaultOf: (doc) => (doc.defaultPrice === true ? doc.productId : undefined),
  },
});

export const COUPON = defineResourceKind<CouponDoc, CouponStatus>({
  kind: 'billing.coupon',
  idPrefix: 'CPN',
  noun: 'coupon',
  idField: 'couponId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: COUPON_STATUSES,
  filters: {
    discountType: (doc) => doc.discountType,
  },
});

export const PROMOTION_CODE = defineResourceKind<PromotionCodeDoc, PromotionCodeStatus>({
  kind: 'billing.promotionCode',
  idPrefix: 'PRM',
  noun: 'promotion code',
  idField: 'promotionCodeId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: COUPON_STATUSES,
  filters: {
    couponId: (doc) => doc.couponId,
    code: (doc) => doc.code,
    customerId: (doc) => doc.customerId,
  },
});

/** A customer portal link: the token the portal page is opened with, until it expires. */
export interface PortalLinkDoc {
  readonly token: string;
  readonly customerId: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly features: readonly string[];
}

export const PORTAL_LINK = defineResourceKind<PortalLinkDoc, 'ISSUED'>({
  kind: 'billing.portalLink',
  idPrefix: 'PTL',
  noun: 'portal link',
  idField: 'token',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ['ISSUED'],
  filters: {
    token: (doc) => doc.token,
    customerId: (doc) => doc.customerId,
  },
});
