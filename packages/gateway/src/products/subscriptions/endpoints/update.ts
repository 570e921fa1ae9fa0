import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubscriptionService } from '../subscription-service.js';
import { optionalAmountKeyFields } from './key-fields.js';

export function subscriptionUpdateEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/update'> {
  return keyedEndpointModule({
    path: 'subscriptions/update',
    idempotency: {
      scope: 'subscription-update',
      fingerprint: (request) => ({
        subscriptionId: request.subscriptionId,
        ...optionalAmountKeyFields('paymentAmount', request.paymentAmount),
        'periodRule.periodType': request.periodRule?.periodType ?? null,
        'periodRule.periodCount': request.periodRule === undefined ? null : String(request.periodRule.periodCount),
        nextSubscriptionDate: request.nextSubscriptionDate ?? null,
        'prorationSettings.prorationMode': request.prorationSettings?.prorationMode ?? null,
        ...optionalAmountKeyFields('prorationSettings.customAmount', request.prorationSettings?.customAmount),
      }),
    },
    handle: (context, request) => subscriptions.update(context, request),
  });
}
