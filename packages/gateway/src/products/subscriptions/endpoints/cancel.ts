import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubscriptionService } from '../subscription-service.js';

/** Keyed by the subscription it acts on: cancelling it again the same way answers SUCCESS. */
export function subscriptionCancelEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/cancel'> {
  return endpointModule({ path: 'subscriptions/cancel', handle: (context, request) => subscriptions.cancel(context.clientId, request) });
}
