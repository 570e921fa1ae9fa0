/** The Billing catalog: customers, products, prices, coupons and promotion codes. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { couponEndpoints } from './coupons.js';
import { customerEndpoints } from './customers.js';
import { priceEndpoints } from './prices.js';
import { productEndpoints } from './products.js';
import { promotionCodeEndpoints } from './promotion-codes.js';

export { discountOf, recordRedemption, redeemable } from './discounts.js';
export * from './kinds.js';

export function billingCatalogEndpoints(deps: ResourceProductDeps) {
  return {
    ...customerEndpoints(deps),
    ...productEndpoints(deps),
    ...priceEndpoints(deps),
    ...couponEndpoints(deps),
    ...promotionCodeEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
