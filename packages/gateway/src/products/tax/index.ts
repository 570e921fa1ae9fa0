/** The tax endpoints: settings, registrations, calculations and their tax transactions. */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { calculationEndpoints } from './calculation-endpoints.js';
import { registrationEndpoints } from './registration-endpoints.js';
import { settingsEndpoints } from './settings.js';

export { DEFAULT_TAX_RATES, DEFAULT_TAX_RATE_TABLE, TaxRateTable, taxOn, taxRateFor } from './rates.js';

export function taxEndpoints(deps: ResourceProductDeps) {
  return {
    ...settingsEndpoints(deps),
    ...registrationEndpoints(deps),
    ...calculationEndpoints(deps, deps.taxRates),
  } satisfies Partial<EndpointModules>;
}
