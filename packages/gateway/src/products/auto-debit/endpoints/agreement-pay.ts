/** `payments/pay` with `AGREEMENT_PAYMENT`: Auto Debit's part of the pay endpoint. */
import { payFingerprint } from '../../payments/pay-fingerprint.js';
import type { PayProduct } from '../../payments/endpoints/pay.js';
import type { AutoDebitService } from '../auto-debit-service.js';
import { hashSecret, storedPaymentMethodId } from '../secrets.js';

export function agreementPayProduct(service: AutoDebitService): PayProduct<'AGREEMENT_PAYMENT'> {
  return {
    fingerprint: (request) => payFingerprint(request, {
      // The token's digest, never the token: the key table is readable by whoever reads the database.
      'paymentMethod.paymentMethodId': storedPaymentMethodId(hashSecret(request.paymentMethod.paymentMethodId)),
      'paymentFactor.captureMode': null,
    }),
    pay: (context, request) => service.pay(context, request),
  };
}
