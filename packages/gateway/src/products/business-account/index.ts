/** The business-account endpoints. */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-products.js';

export function businessAccountEndpoints(_deps: ResourceProductDeps) {
  return {} satisfies Partial<EndpointModules>;
}
