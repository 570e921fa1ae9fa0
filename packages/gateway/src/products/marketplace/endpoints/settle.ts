import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { FundsService } from '../funds-service.js';

export function settleEndpoint(funds: FundsService): EndpointModule<'payments/settle'> {
  return keyedEndpointModule({
    path: 'payments/settle',
    idempotency: {
      scope: 'settle',
      fingerprint: (request) => ({
        paymentId: request.paymentId,
        settlementDetails: JSON.stringify(request.settlementDetails.map((detail) => [detail.settleTo, detail.settlementAmount.currency, detail.settlementAmount.value])),
      }),
    },
    handle: (context, request) => funds.settle(context, request),
  });
}
