/** The subscription endpoints (`subscriptions/*`, and `payments/inquire`, the Java SDK's subscription inquiry), bound to the subscription service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { SubscriptionService } from '../subscription-service.js';
import { subscriptionCancelEndpoint } from './cancel.js';
import { subscriptionChangeEndpoint } from './change.js';
import { subscriptionCreateEndpoint } from './create.js';
import { inquireSubscriptionEndpoint, inquireSubscriptionListEndpoint, inquireSubscriptionPaymentEndpoint, subscriptionInquireEndpoint, subscriptionsInquiryEndpoint } from './inquiries.js';
import { subscriptionUpdateEndpoint } from './update.js';

export function subscriptionEndpoints(subscriptions: SubscriptionService) {
  return {
    'subscriptions/create': subscriptionCreateEndpoint(subscriptions),
    'subscriptions/change': subscriptionChangeEndpoint(subscriptions),
    'subscriptions/cancel': subscriptionCancelEndpoint(subscriptions),
    'subscriptions/update': subscriptionUpdateEndpoint(subscriptions),
    'subscriptions/inquiry': subscriptionsInquiryEndpoint(subscriptions),
    'subscriptions/inquireSubscription': inquireSubscriptionEndpoint(subscriptions),
    'subscriptions/inquireSubscriptionList': inquireSubscriptionListEndpoint(subscriptions),
    'subscriptions/inquireSubscriptionPayment': inquireSubscriptionPaymentEndpoint(subscriptions),
    'payments/inquire': subscriptionInquireEndpoint(subscriptions),
  } satisfies Partial<EndpointModules>;
}
