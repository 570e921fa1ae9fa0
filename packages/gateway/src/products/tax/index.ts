/** The tax endpoints. */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-products.js';

export function taxEndpoints(_deps: ResourceProductDeps) {
  return {} satisfies Partial<EndpointModules>;
}
