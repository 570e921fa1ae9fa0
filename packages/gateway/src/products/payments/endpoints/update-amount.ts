import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { amountKeyFields } from '../../../endpoints/idempotency.js';
import type { AmountUpdateService } from '../amount-update-service.js';

/** Keyed by updateRequestId: the same payment and new amount answer the recorded update; anything else is REPEAT_REQ_INCONSISTENT. */
export function updateAmountEndpoint(updates: AmountUpdateService): EndpointModule<'payments/updateAmount'> {
  return keyedEndpointModule({
    path: 'payments/updateAmount',
    idempotency: {
      scope: 'update-amount',
      fingerprint: (request) => ({ paymentId: request.paymentId, ...amountKeyFields('amount', request.amount) }),
    },
    handle: (context, request) => updates.update(context, request),
  });
}
