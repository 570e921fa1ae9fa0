/** The subscription inquiries: reads, keyed by nothing. */
import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubscriptionService } from '../subscription-service.js';

export function subscriptionsInquiryEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/inquiry'> {
  return endpointModule({ path: 'subscriptions/inquiry', handle: (context, request) => subscriptions.inquiry(context.clientId, request) });
}

export function inquireSubscriptionEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/inquireSubscription'> {
  return endpointModule({ path: 'subscriptions/inquireSubscription', handle: (context, request) => subscriptions.inquireSubscription(context.clientId, request) });
}

export function inquireSubscriptionListEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/inquireSubscriptionList'> {
  return endpointModule({ path: 'subscriptions/inquireSubscriptionList', handle: (context, request) => subscriptions.inquireList(context.clientId, request) });
}

export function inquireSubscriptionPaymentEndpoint(subscriptions: SubscriptionService): EndpointModule<'subscriptions/inquireSubscriptionPayment'> {
  return endpointModule({ path: 'subscriptions/inquireSubscriptionPayment', handle: (context, request) => subscriptions.inquirePayments(context.clientId, request) });
}

/** `payments/inquire`: the Java SDK's subscription inquiry. */
export function subscriptionInquireEndpoint(subscriptions: SubscriptionService): EndpointModule<'payments/inquire'> {
  return endpointModule({ path: 'payments/inquire', handle: (context, request) => subscriptions.inquire(context.clientId, request) });
}
