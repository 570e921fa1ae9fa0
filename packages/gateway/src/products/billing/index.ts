/** The billing endpoints. */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { billingCatalogEndpoints } from './catalog/index.js';
import { billingInvoicingEndpoints } from './invoicing/index.js';

export function billingEndpoints(deps: ResourceProductDeps) {
  return {
    ...billingCatalogEndpoints(deps),
    ...billingInvoicingEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
