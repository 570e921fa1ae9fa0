/** `payments/pay` with `IN_STORE_PAYMENT`: the in-store part of the pay endpoint. */
import { payFingerprint } from '../payments/pay-fingerprint.js';
import type { PayProduct } from '../payments/endpoints/pay.js';
import { scenarioOf, type InStoreService } from './in-store-service.js';

export function inStorePayProduct(service: InStoreService): PayProduct<'IN_STORE_PAYMENT'> {
  return {
    fingerprint: (request) => payFingerprint(request, {
      'paymentFactor.inStorePaymentScenario': scenarioOf(request),
    }),
    pay: (context, request) => service.pay(context, request),
  };
}
