import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { PaymentService } from '../payment-service.js';

/** Keyed by the payment it cancels: a repeat answers the same (no request id). */
export function cancelEndpoint(payments: PaymentService): EndpointModule<'payments/cancel'> {
  return endpointModule({ path: 'payments/cancel', handle: (context, request) => payments.cancel(context.clientId, request) });
}
