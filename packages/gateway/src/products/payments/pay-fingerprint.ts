/**
 * What must match when a `paymentRequestId` is reused (`pay` and
 * `createPaymentSession` share the key space): the fields every product
 * keys, plus a product's own. A field a product does not have is `null`, so
 * a key recorded by one product never matches another's request.
 */
import type { PayCashierRequest } from '@amsgate/protocol';
import { amountKeyFields, type Fingerprint } from '../../endpoints/idempotency.js';
import { authorizesOnly } from './payment-money.js';

export const PAY_SCOPE = 'pay';

interface PayKeyFields {
  productCode: string;
  paymentAmount: PayCashierRequest['paymentAmount'];
  paymentMethod: { paymentMethodType: string; paymentMethodId?: string };
  settlementStrategy?: { settlementCurrency?: string };
}

/** The fields every product keys; `own` adds (or overrides) a product's fields. */
export function payFingerprint(request: PayKeyFields, own: Fingerprint): Fingerprint {
  return {
    productCode: request.productCode,
    ...amountKeyFields('paymentAmount', request.paymentAmount),
    'paymentMethod.paymentMethodType': request.paymentMethod.paymentMethodType,
    'paymentMethod.paymentMethodId': request.paymentMethod.paymentMethodId ?? null,
    // null without one, so keys recorded before settlement existed still match.
    'settlementStrategy.settlementCurrency': request.settlementStrategy?.settlementCurrency ?? null,
    ...own,
  };
}

/** Cashier payments (and payment sessions, which make one). */
export function cashierPayFingerprint(request: PayKeyFields & Pick<PayCashierRequest, 'paymentFactor'> & { paymentMethod: { paymentMethodMetaData?: Record<string, unknown> } }): Fingerprint {
  const threeDS = request.paymentMethod.paymentMethodMetaData?.is3DSAuthentication;
  return payFingerprint(request, {
    // null for automatic capture, so keys recorded before authorisations existed still match.
    'paymentFactor.captureMode': authorizesOnly(request.paymentFactor) ? 'MANUAL' : null,
    // A card on file pays at once or waits for 3-D Secure by this flag: a repeat must not flip it. null when not asked.
    'paymentMethod.paymentMethodMetaData.is3DSAuthentication': threeDS === true || threeDS === 'true' ? 'true' : null,
  });
}
