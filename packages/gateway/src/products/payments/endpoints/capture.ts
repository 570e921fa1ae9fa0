import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { amountKeyFields } from '../../../endpoints/idempotency.js';
import type { CaptureService } from '../capture-service.js';

export function captureEndpoint(captures: CaptureService): EndpointModule<'payments/capture'> {
  return keyedEndpointModule({
    path: 'payments/capture',
    idempotency: {
      scope: 'capture',
      fingerprint: (request) => ({
        paymentId: request.paymentId,
        ...amountKeyFields('captureAmount', request.captureAmount),
        isLastCapture: request.isLastCapture === true ? 'true' : null,
      }),
    },
    handle: (context, request) => captures.capture(context, request),
  });
}
