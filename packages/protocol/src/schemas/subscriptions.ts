/**
 * Subscriptions: a buyer authorises periodic payments once (the page at
 * `normalUrl` that `subscriptions/create` answers), then Antom charges each
 * period when it starts and notifies the merchant of each payment
 * (notifyPayment with the subscription fields) and of the subscription's
 * status (notifySubscription). Fields, models and enums as the official
 * SDKs know them (AlipaySubscription*, AlipayInquireSubscription*,
 * PeriodRule, Trial, OrderInfo, SubscriptionInfo, SubscriptionTransaction,
 * Paginator).
 */
import type Type from 'typebox';
import { ArrayOf, Bool, CurrencyCode, DateTime, Enum, HttpUrl, Int, JsonValue, NonEmpty, Obj, Optional, Refine, Text, Url, oneOfRequired } from './builder.js';
import { AcquirerInfoSchema, AmountSchema, MerchantAccountId, OnlineEnvSchema, PaymentMethodSchema, PaymentResultInfoSchema, PspCustomerInfoSchema, QuoteSchema, ResultSchema, SettlementStrategySchema, responseBase } from './common.js';
import { CustomizedInfoSchema } from './vaults.js';

// ---------------------------------------------------------------------------
// Enums and models

export const SUBSCRIPTION_STATUSES = ['ACTIVE', 'CANCELLED', 'TERMINATED'] as const;
export const SubscriptionStatusSchema = Enum([...SUBSCRIPTION_STATUSES]);
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const PERIOD_TYPES = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'HALF_YEAR', 'YEAR'] as const;
export const PeriodTypeSchema = Enum([...PERIOD_TYPES]);
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** What notifySubscription reports (`subscriptionNotificationType`). */
export const SUBSCRIPTION_NOTIFICATION_TYPES = ['CREATE', 'CHANGE', 'CANCEL', 'UPDATE', 'TERMINATE'] as const;
export const SubscriptionNotificationTypeSchema = Enum([...SUBSCRIPTION_NOTIFICATION_TYPES]);
export type SubscriptionNotificationType = (typeof SUBSCRIPTION_NOTIFICATION_TYPES)[number];

/** `subscriptions/cancel`: CANCEL ends the service when the current period ends, TERMINATE at once. */
export const CancellationTypeSchema = Enum(['CANCEL', 'TERMINATE']);
export type CancellationType = Type.Static<typeof CancellationTypeSchema>;

/** The billing period: `periodCount` × `periodType` (MONTH × 2: every two months). `period` and `price` are carried as sent. */
export const PeriodRuleSchema = Obj({
  periodType: PeriodTypeSchema,
  period: Optional(Int({ minimum: 1 })),
  price: Optional(AmountSchema),
  periodCount: Int({ minimum: 1 }),
});
export type PeriodRule = Type.Static<typeof PeriodRuleSchema>;

/**
 * A trial: periods `trialStartPeriod` to `trialEndPeriod` (default: the
 * start period) are charged `trialAmount` (0: free). `trialPeriod`, when
 * given without `trialEndPeriod`, is the number of trial periods.
 */
export const TrialSchema = Obj({
  trialPeriod: Optional(Int({ minimum: 1 })),
  trialAmount: AmountSchema,
  trialStartPeriod: Int({ minimum: 1 }),
  trialEndPeriod: Optional(Int({ minimum: 1 })),
});
export type Trial = Type.Static<typeof TrialSchema>;

export const OrderInfoSchema = Obj({ orderAmount: AmountSchema });
export type OrderInfo = Type.Static<typeof OrderInfoSchema>;

/** SDK model CreateSubscriptionInfo (the SDKs' notes: PIX recurrence retries). */
export const CreateSubscriptionInfoSchema = Obj({
  allowRetry: Optional(Bool()),
  retryMode: Optional(Enum(['MANUAL', 'AUTOMATIC'])),
  maxAmountFloor: Optional(AmountSchema),
  fixedAmount: Optional(AmountSchema),
});

export const TrialPhaseSchema = Obj({ phaseNo: Int({ minimum: 1 }), trialAmount: AmountSchema });
export const TrialPlanSchema = Obj({
  trialEndTime: Optional(DateTime()),
  freeTrialDays: Optional(Int({ minimum: 0 })),
  phases: Optional(ArrayOf(TrialPhaseSchema)),
});

/** SDK model SubscriptionInfo: a subscription as the inquiries answer it. */
export const SubscriptionInfoSchema = Obj({
  subscriptionId: Optional(Text(64)),
  description: Optional(Text(256)),
  subscriptionDescription: Text(256),
  status: Optional(SubscriptionStatusSchema),
  subscriptionStartTime: DateTime(),
  subscriptionEndTime: Optional(DateTime()),
  periodType: Optional(PeriodTypeSchema),
  periodCount: Optional(Int({ minimum: 1 })),
  periodRule: PeriodRuleSchema,
  currentPeriodStart: Optional(DateTime()),
  currentPeriodEnd: Optional(DateTime()),
  currentPhaseNo: Optional(Int({ minimum: 0 })),
  paymentMethod: Optional(PaymentMethodSchema),
  paymentAmount: Optional(AmountSchema),
  lastUpdateTime: Optional(DateTime()),
  relatedSubscriptionId: Optional(Text(64)),
  trialPlan: Optional(TrialPlanSchema),
  trials: Optional(ArrayOf(TrialSchema)),
  subscriptionNotifyUrl: Text(2048),
  subscriptionExpiryTime: Optional(DateTime()),
  allowRetry: Optional(Bool()),
  maxAmountFloor: Optional(AmountSchema),
  fixedAmount: Optional(AmountSchema),
  retryMode: Optional(Text(9)),
  subscriptionOrderId: Optional(Text(32)),
});
export type SubscriptionInfo = Type.Static<typeof SubscriptionInfoSchema>;

/** SDK model SubscriptionTransaction: one payment of a subscription (`status` SUCCESS or FAIL). */
export const SubscriptionTransactionSchema = Obj({
  paymentId: Text(64),
  status: Enum(['SUCCESS', 'FAIL']),
  phaseNo: Int({ minimum: 1 }),
  paymentMethod: PaymentMethodSchema,
  paymentAmount: AmountSchema,
  paymentTime: Optional(DateTime()),
  disputeId: Optional(Text(64)),
});
export type SubscriptionTransaction = Type.Static<typeof SubscriptionTransactionSchema>;

export const PaginatorSchema = Obj({
  currentPage: Int({ minimum: 1 }),
  pageSize: Int({ minimum: 1 }),
  totalPage: Int({ minimum: 0 }),
  totalCount: Int({ minimum: 0 }),
});
export type Paginator = Type.Static<typeof PaginatorSchema>;

/** SDK model RetryInfo: the attempts of a period's payment and how many retries are left. */
export const RetryInfoSchema = Obj({
  availableRetries: Int({ minimum: 0 }),
  orderId: Text(32),
  paymentAttempts: ArrayOf(Obj({ attemptAt: DateTime(), attemptResponse: Text(64) })),
});

// ---------------------------------------------------------------------------
// subscriptions/create

export const SubscriptionCreateRequestSchema = Obj({
  customizedInfo: Optional(CustomizedInfoSchema),
  merchantAccountId: MerchantAccountId(),
  allowAccumulate: Optional(Bool()),
  maxAccumulateAmount: Optional(AmountSchema),
  allowRetry: Optional(Bool({ description: 'retry a period\'s payment that failed for insufficient balance (once, a day later)' })),
  maxAmountFloor: Optional(AmountSchema),
  subscriptionRequestId: NonEmpty(64),
  subscriptionDescription: NonEmpty(256),
  subscriptionRedirectUrl: Url(2048),
  subscriptionStartTime: DateTime(),
  subscriptionEndTime: Optional(DateTime()),
  periodRule: PeriodRuleSchema,
  subscriptionExpiryTime: Optional(DateTime({ description: 'until when the buyer can authorise (default 30 minutes; at most 48 hours after the request)' })),
  paymentMethod: PaymentMethodSchema,
  subscriptionNotificationUrl: HttpUrl(2048),
  paymentNotificationUrl: HttpUrl(2048),
  orderInfo: OrderInfoSchema,
  paymentAmount: AmountSchema,
  settlementStrategy: SettlementStrategySchema,
  env: OnlineEnvSchema,
  trials: Optional(ArrayOf(TrialSchema, { maxItems: 100 })),
  subscriptionInfo: Optional(CreateSubscriptionInfoSchema),
});
export type SubscriptionCreateRequest = Type.Static<typeof SubscriptionCreateRequestSchema>;

export const SubscriptionCreateResponseSchema = Obj({
  ...responseBase,
  schemeUrl: Optional(Text(2048)),
  applinkUrl: Optional(Text(2048)),
  normalUrl: Optional(Text(2048)),
  appIdentifier: Optional(Text(128)),
});

// ---------------------------------------------------------------------------
// subscriptions/change, subscriptions/update, subscriptions/cancel

export const SubscriptionChangeRequestSchema = Obj({
  allowAccumulate: Optional(Bool()),
  maxAccumulateAmount: Optional(AmountSchema),
  subscriptionChangeRequestId: NonEmpty(64),
  subscriptionId: NonEmpty(64),
  subscriptionDescription: Optional(NonEmpty(256)),
  subscriptionStartTime: Optional(DateTime()),
  subscriptionEndTime: Optional(DateTime()),
  periodRule: Optional(PeriodRuleSchema),
  subscriptionExpiryTime: Optional(DateTime()),
  orderInfo: Optional(OrderInfoSchema),
  paymentAmount: Optional(AmountSchema),
  paymentAmountDifference: Optional(AmountSchema),
});
export type SubscriptionChangeRequest = Type.Static<typeof SubscriptionChangeRequestSchema>;

export const ProrationSettingsSchema = Obj({
  prorationMode: Enum(['IMMEDIATE_PAY_CUSTOM_AMOUNT', 'IMMEDIATE_REFUND_CUSTOM_AMOUNT']),
  customAmount: Optional(AmountSchema),
});
export type ProrationSettings = Type.Static<typeof ProrationSettingsSchema>;

export const SubscriptionUpdateRequestSchema = Obj({
  subscriptionUpdateRequestId: NonEmpty(64),
  subscriptionId: NonEmpty(64),
  subscriptionDescription: Optional(NonEmpty(256)),
  periodRule: Optional(PeriodRuleSchema),
  paymentAmount: Optional(AmountSchema),
  subscriptionEndTime: Optional(DateTime()),
  orderInfo: OrderInfoSchema,
  prorationSettings: Optional(ProrationSettingsSchema),
  nextSubscriptionDate: Optional(DateTime({ description: 'the next deduction time: within one period of the scheduled one and at least 24 hours ahead' })),
});
export type SubscriptionUpdateRequest = Type.Static<typeof SubscriptionUpdateRequestSchema>;

export const SubscriptionCancelRequestSchema = Refine(
  Obj({
    subscriptionId: Optional(NonEmpty(64)),
    subscriptionRequestId: Optional(NonEmpty(64)),
    cancellationType: CancellationTypeSchema,
  }),
  oneOfRequired(['subscriptionId', 'subscriptionRequestId']),
);
export type SubscriptionCancelRequest = Type.Static<typeof SubscriptionCancelRequestSchema>;

/** change, update and cancel answer only their `result`. */
export const SubscriptionResultOnlyResponseSchema = Obj({ ...responseBase });

// ---------------------------------------------------------------------------
// Inquiries

export const SubscriptionsInquiryRequestSchema = Refine(
  Obj({ subscriptionId: Optional(NonEmpty(64)), subscriptionRequestId: Optional(NonEmpty(64)) }),
  oneOfRequired(['subscriptionId', 'subscriptionRequestId']),
);
export type SubscriptionsInquiryRequest = Type.Static<typeof SubscriptionsInquiryRequestSchema>;

/** `subscriptionStatus` is a string here (PROCESSING while the buyer has not authorised yet); `allowRetry` a string too, as the SDKs type it. */
export const SubscriptionsInquiryResponseSchema = Obj({
  ...responseBase,
  allowRetry: Optional(Text()),
  maxAmountFloor: Optional(AmountSchema),
  paymentAmount: Optional(AmountSchema),
  periodRule: Optional(PeriodRuleSchema),
  subscriptionEndTime: Optional(DateTime()),
  subscriptionRequestId: Optional(Text(64)),
  subscriptionStartTime: Optional(DateTime()),
  subscriptionStatus: Optional(Text(32)),
});

export const InquireSubscriptionRequestSchema = Obj({ merchantAccountId: Optional(Text(64)), subscriptionId: NonEmpty(64) });
export type InquireSubscriptionRequest = Type.Static<typeof InquireSubscriptionRequestSchema>;
export const InquireSubscriptionResponseSchema = Obj({ ...responseBase, subscription: Optional(SubscriptionInfoSchema) });

export const MAX_SUBSCRIPTION_LIST_PAGE_SIZE = 100;
export const InquireSubscriptionListRequestSchema = Obj({
  merchantAccountId: Optional(Text(64)),
  startTimeFrom: Optional(DateTime({ description: 'subscriptions that start at or after it (default: 7 days ago)' })),
  startTimeTo: Optional(DateTime({ description: 'subscriptions that start at or before it (default: now)' })),
  statuses: Optional(ArrayOf(SubscriptionStatusSchema, { maxItems: 3 })),
  paymentMethodTypes: Optional(ArrayOf(NonEmpty(64), { maxItems: 100 })),
  currencies: Optional(ArrayOf(CurrencyCode(), { maxItems: 100 })),
  periodTypes: Optional(ArrayOf(PeriodTypeSchema, { maxItems: 6 })),
  currentPage: Optional(Int({ minimum: 1, maximum: 2147483647 })),
  pageSize: Optional(Int({ minimum: 1, maximum: MAX_SUBSCRIPTION_LIST_PAGE_SIZE })),
});
export type InquireSubscriptionListRequest = Type.Static<typeof InquireSubscriptionListRequestSchema>;
export const InquireSubscriptionListResponseSchema = Obj({
  ...responseBase,
  subscriptions: Optional(ArrayOf(SubscriptionInfoSchema)),
  paginator: Optional(PaginatorSchema),
});

/** Antom's page: 1 to 10 payments a page. */
export const MAX_SUBSCRIPTION_PAYMENT_PAGE_SIZE = 10;
export const InquireSubscriptionPaymentRequestSchema = Obj({
  merchantAccountId: Optional(Text(64)),
  subscriptionId: NonEmpty(64),
  paymentStatuses: Optional(ArrayOf(Enum(['SUCCESS', 'FAIL']), { maxItems: 3 })),
  currentPage: Optional(Int({ minimum: 1, maximum: 2147483647 })),
  pageSize: Optional(Int({ minimum: 1, maximum: MAX_SUBSCRIPTION_PAYMENT_PAGE_SIZE })),
});
export type InquireSubscriptionPaymentRequest = Type.Static<typeof InquireSubscriptionPaymentRequestSchema>;
export const InquireSubscriptionPaymentResponseSchema = Obj({
  ...responseBase,
  payments: Optional(ArrayOf(SubscriptionTransactionSchema)),
  paginator: Optional(PaginatorSchema),
});

/** `payments/inquire` (the Java SDK's AlipaySubscriptionInquireRequest): by subscriptionId, or by the merchant's id (its subscriptionRequestId). */
export const SubscriptionInquireRequestSchema = Refine(
  Obj({ subscriptionId: Optional(NonEmpty(64)), merchantSubscriptionId: Optional(NonEmpty(64)) }),
  oneOfRequired(['subscriptionId', 'merchantSubscriptionId']),
);
export type SubscriptionInquireRequest = Type.Static<typeof SubscriptionInquireRequestSchema>;
export const SubscriptionInquireResponseSchema = Obj({
  ...responseBase,
  subscriptionId: Optional(Text(64)),
  subscriptionRequestId: Optional(Text(64)),
  subscriptionStatus: Optional(Text(32)),
  paymentAmount: Optional(AmountSchema),
  allowAccumulate: Optional(Bool()),
  maxAccumulateAmount: Optional(AmountSchema),
  periodRule: Optional(PeriodRuleSchema),
  phaseNo: Optional(Text(64)),
  subscriptionStartTime: Optional(DateTime()),
  subscriptionEndTime: Optional(DateTime()),
});

// ---------------------------------------------------------------------------
// Notifications

/**
 * notifySubscription (SDK AlipaySubscriptionNotify): a subscription's
 * status changed. The docs list no `notifyType`: the event is
 * `subscriptionNotificationType`. `subscriptionId` is absent when the
 * creation failed (the buyer refused or never authorised).
 */
export const NotifySubscriptionBodySchema = Obj({
  notifyType: Optional(Text(32)),
  result: Optional(ResultSchema),
  subscriptionRequestId: NonEmpty(64),
  subscriptionId: Optional(Text(64)),
  subscriptionStatus: SubscriptionStatusSchema,
  subscriptionNotificationType: SubscriptionNotificationTypeSchema,
  subscriptionStartTime: DateTime(),
  subscriptionEndTime: DateTime(),
  periodRule: PeriodRuleSchema,
  allowAccumulate: Optional(Bool()),
  maxAccumulateAmount: Optional(AmountSchema),
});
export type NotifySubscriptionBody = Type.Static<typeof NotifySubscriptionBodySchema>;

/** notifyPayment of a subscription period (SDK AlipaySubscriptionPayNotify): notifyPayment's fields and the period's. */
export const NotifySubscriptionPaymentBodySchema = Obj({
  notifyType: Enum(['PAYMENT_RESULT']),
  result: ResultSchema,
  paymentRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  paymentAmount: AmountSchema,
  paymentCreateTime: DateTime(),
  paymentTime: Optional(DateTime()),
  customsDeclarationAmount: Optional(AmountSchema),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  acquirerReferenceNo: Optional(Text(64)),
  paymentResultInfo: Optional(PaymentResultInfoSchema),
  acquirerInfo: Optional(AcquirerInfoSchema),
  promotionResult: Optional(JsonValue()),
  paymentMethodType: Optional(Text(64)),
  customizedInfo: Optional(CustomizedInfoSchema),
  paymentQuote: Optional(QuoteSchema),
  actualPaymentAmount: Optional(AmountSchema),
  processingAmount: Optional(AmountSchema),
  metadata: Optional(Text()),
  subscriptionOrderId: Optional(Text(32)),
  retryInfo: Optional(RetryInfoSchema),
  updateRequestId: Optional(Text(64)),
  authExpiryTime: Optional(DateTime()),
  taxCalculationId: Optional(Text(64)),
  subscriptionRequestId: NonEmpty(64),
  subscriptionId: NonEmpty(64),
  periodStartTime: DateTime(),
  periodEndTime: DateTime(),
  phaseNo: NonEmpty(64),
});
export type NotifySubscriptionPaymentBody = Type.Static<typeof NotifySubscriptionPaymentBodySchema>;

/**
 * SDK AlipaySubscriptionCancelNotify: the merchant cancelled or terminated
 * a subscription (`subscriptionOrderStatus`); it names the last paid
 * period (its payment `subscriptionTransId`, and `periodEndTime`, until
 * which a CANCEL keeps the service).
 */
export const NotifySubscriptionCancelBodySchema = Obj({
  notifyType: Optional(Text(32)),
  result: Optional(ResultSchema),
  paymentAmount: Optional(AmountSchema),
  paymentCreateTime: Optional(DateTime()),
  paymentTime: Optional(DateTime()),
  periodEndTime: Optional(DateTime()),
  phaseNo: Optional(Text(64)),
  subscriptionId: NonEmpty(64),
  subscriptionOrderId: Optional(Text(32)),
  subscriptionOrderStatus: Enum(['CANCEL', 'TERMINATE']),
  subscriptionRequestId: NonEmpty(64),
  subscriptionTransId: Optional(Text(64)),
});
export type NotifySubscriptionCancelBody = Type.Static<typeof NotifySubscriptionCancelBodySchema>;
