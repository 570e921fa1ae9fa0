/** The billing endpoints. */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-products.js';

export function billingEndpoints(_deps: ResourceProductDeps) {
  return {} satisfies Partial<EndpointModules>;
}
