import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { amountKeyFields } from '../../../endpoints/idempotency.js';
import type { SubscriptionService } from '../subscription-service.js';

export function subscriptionCreateEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/create'> {
  return keyedEndpointModule({
    path: 'subscriptions/create',
    idempotency: {
      scope: 'subscription',
      fingerprint: (request) => ({
        ...amountKeyFields('paymentAmount', request.paymentAmount),
        'periodRule.periodType': request.periodRule.periodType,
        'periodRule.periodCount': String(request.periodRule.periodCount),
        subscriptionStartTime: request.subscriptionStartTime,
        'paymentMethod.paymentMethodType': request.paymentMethod.paymentMethodType,
      }),
    },
    handle: (context, request) => subscriptions.create(context, request),
  });
}
