/**
 * The metering endpoints: meters, upload sessions, usage events and credit
 * grants, all on the resource engine. Billing reads usage and draws credit
 * through `usage.ts`.
 */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { creditGrantEndpoints } from './credit-grants.js';
import { eventEndpoints } from './events.js';
import { meterEndpoints } from './meters.js';
import { sessionEndpoints } from './sessions.js';

export { consumeCredits, meteredUsage } from './usage.js';

export function meteringEndpoints(deps: ResourceProductDeps) {
  return {
    ...meterEndpoints(deps),
    ...sessionEndpoints(deps),
    ...eventEndpoints(deps),
    ...creditGrantEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
