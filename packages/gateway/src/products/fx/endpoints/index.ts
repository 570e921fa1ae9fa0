/** The exchange-rate endpoints, bound to the sandbox rate table. */
import type { Clock } from '../../../clock.js';
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { RateTable } from '../rate-table.js';
import { inquireExchangeRateEndpoint } from './inquire-exchange-rate.js';

export function fxEndpoints(services: { rates: RateTable; clock: Clock }) {
  return {
    'payments/inquireExchangeRate': inquireExchangeRateEndpoint(services.rates, services.clock),
  } satisfies Partial<EndpointModules>;
}
