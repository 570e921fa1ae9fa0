/** The card-facts endpoints, answered from the sandbox test cards. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import { getCardInfoEndpoint } from './get-card-info.js';
import { inquireInstallmentEndpoint } from './inquire-installment.js';

export function cardsEndpoints() {
  return {
    'payments/getCardInfo': getCardInfoEndpoint(),
    'payments/inquireInstallment': inquireInstallmentEndpoint(),
  } satisfies Partial<EndpointModules>;
}
