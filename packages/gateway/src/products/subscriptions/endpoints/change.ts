import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubscriptionService } from '../subscription-service.js';
import { optionalAmountKeyFields } from './key-fields.js';

export function subscriptionChangeEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/change'> {
  return keyedEndpointModule({
    path: 'subscriptions/change',
    idempotency: {
      scope: 'subscription-change',
      fingerprint: (request) => ({
        subscriptionId: request.subscriptionId,
        ...optionalAmountKeyFields('paymentAmount', request.paymentAmount),
        ...optionalAmountKeyFields('paymentAmountDifference', request.paymentAmountDifference),
        'periodRule.periodType': request.periodRule?.periodType ?? null,
        'periodRule.periodCount': request.periodRule === undefined ? null : String(request.periodRule.periodCount),
        subscriptionStartTime: request.subscriptionStartTime ?? null,
      }),
    },
    handle: (context, request) => subscriptions.change(context, request),
  });
}
