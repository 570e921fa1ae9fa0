import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { amountKeyFields } from '../../../endpoints/idempotency.js';
import type { RefundService } from '../refund-service.js';

export function refundEndpoint(refunds: RefundService): EndpointModule<'payments/refund'> {
  return keyedEndpointModule({
    path: 'payments/refund',
    idempotency: {
      scope: 'refund',
      fingerprint: (request) => ({
        paymentId: request.paymentId,
        ...amountKeyFields('refundAmount', request.refundAmount),
        // Which capture the refund draws on; null (no capture named) matches keys recorded before this field was keyed.
        captureId: request.captureId ?? null,
      }),
    },
    handle: (context, request) => refunds.refund(context, request),
  });
}
