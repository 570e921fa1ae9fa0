import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VerificationService } from '../verification-service.js';

/**
 * Keyed by verifyRequestId: a repeat for the same payment answers the
 * recorded verification. The OTP is not a key field: the idempotency table
 * must not hold it in any form a lookup could reverse, so a repeat with
 * another OTP also answers the recorded attempt (send a new verifyRequestId
 * for each attempt).
 */
export function verifyAndCompletePaymentEndpoint(verifications: VerificationService): EndpointModule<'payments/verifyAndCompletePayment'> {
  return keyedEndpointModule({
    path: 'payments/verifyAndCompletePayment',
    idempotency: {
      scope: 'verify',
      fingerprint: (request) => ({
        paymentId: request.paymentId,
        'verifyMethod.verifyMethodType': request.verifyMethod.verifyMethodType,
      }),
    },
    handle: (context, request) => verifications.verify(context, request),
  });
}
