/**
 * The resource products (Billing, metering, tax, the Business Account),
 * composed: each is a set of resource kinds on the one engine
 * (`resources/`), and gets from the gateway only what it names here.
 */
import type { EndpointModules } from '../endpoints/contract.js';
import type { ResourceProductDeps } from './resource-product-deps.js';
import { billingEndpoints } from './billing/index.js';
import { meteringEndpoints } from './metering/index.js';
import { taxEndpoints } from './tax/index.js';
import { businessAccountEndpoints } from './business-account/index.js';


export type { ResourceProductDeps };

export function resourceProductEndpoints(deps: ResourceProductDeps) {
  return {
    ...billingEndpoints(deps),
    ...meteringEndpoints(deps),
    ...taxEndpoints(deps),
    ...businessAccountEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
