/**
 * The Antom Business Account: balances and statements from the journal,
 * direct payments and refunds, quotes and exchanges, cards and their
 * transactions, all on the resource engine.
 */
import type { EndpointModules } from '../../endpoints/contract.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { cardTransactionEndpoints } from './card-transactions.js';
import { cardEndpoints } from './cards.js';
import { directPaymentEndpoints } from './direct-payments.js';
import { exchangeEndpoints } from './exchanges.js';
import { statementEndpoints } from './statements.js';

export { topUpBusinessAccount } from './account.js';
export { simulateCardPayment } from './card-transactions.js';

export function businessAccountEndpoints(deps: ResourceProductDeps) {
  return {
    ...statementEndpoints(deps.database),
    ...directPaymentEndpoints(deps),
    ...exchangeEndpoints(deps),
    ...cardEndpoints(deps),
    ...cardTransactionEndpoints(deps),
  } satisfies Partial<EndpointModules>;
}
