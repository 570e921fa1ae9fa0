import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { cashierPayFingerprint, PAY_SCOPE } from '../pay-fingerprint.js';
import { sessionPaymentMethod, type PaymentSessionService } from '../payment-session-service.js';

/** A session makes a cashier payment: same key space and key fields as `pay`, so one paymentRequestId is one payment. */
export function createPaymentSessionEndpoint(sessions: PaymentSessionService): EndpointModule<'payments/createPaymentSession'> {
  return keyedEndpointModule({
    path: 'payments/createPaymentSession',
    idempotency: {
      scope: PAY_SCOPE,
      fingerprint: (request) => cashierPayFingerprint({
        productCode: 'CASHIER_PAYMENT',
        paymentAmount: request.paymentAmount,
        paymentMethod: sessionPaymentMethod(request),
        paymentFactor: request.paymentFactor,
      }),
    },
    handle: (context, request) => sessions.create(context, request),
  });
}
