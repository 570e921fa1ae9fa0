/**
 * What happens to a payment after `pay`: inquiryPayment, cancel, refund,
 * inquiryRefund, capture (endpoints.md §3–7; the in-store pages use the same
 * shapes, in-store.md §6–9).
 */
import type Type from 'typebox';
import { ArrayOf, Bool, DateTime, Enum, HttpUrl, JsonObject, JsonValue, NonEmpty, Obj, Optional, Refine, Text, oneOfRequired } from './builder.js';
import {
  AcquirerInfoSchema,
  AmountSchema,
  MerchantAccountId,
  PaymentResultInfoSchema,
  PspCustomerInfoSchema,
  QuoteSchema,
  RedirectActionFormSchema,
  TransactionSchema,
  responseBase,
} from './common.js';

// ---------------------------------------------------------------------------
// inquiryPayment

/** `paymentId` wins when both are given (a handler's rule, not the schema's). */
export const InquiryPaymentRequestSchema = Refine(
  Obj({
    paymentRequestId: Optional(NonEmpty(64)),
    paymentId: Optional(NonEmpty(64)),
    merchantAccountId: MerchantAccountId(),
  }),
  oneOfRequired(['paymentId', 'paymentRequestId']),
);
export type InquiryPaymentRequest = Type.Static<typeof InquiryPaymentRequestSchema>;

export const PAYMENT_STATUSES = ['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING'] as const;
export const PaymentStatusSchema = Enum([...PAYMENT_STATUSES]);
export type PaymentStatus = Type.Static<typeof PaymentStatusSchema>;

/** The inquiryPayment response fields other than `paymentStatus` (shared with the in-store variant). */
export const inquiryPaymentResponseProperties = {
  ...responseBase,
  paymentResultCode: Optional(Text(64)),
  paymentResultMessage: Optional(Text(256)),
  paymentRequestId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  paymentAmount: Optional(AmountSchema),
  actualPaymentAmount: Optional(AmountSchema),
  paymentQuote: Optional(QuoteSchema),
  paymentCreateTime: Optional(DateTime()),
  paymentTime: Optional(DateTime()),
  authExpiryTime: Optional(DateTime()),
  redirectActionForm: Optional(RedirectActionFormSchema),
  cardInfo: Optional(JsonObject()),
  transactions: Optional(ArrayOf(TransactionSchema)),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  paymentResultInfo: Optional(PaymentResultInfoSchema),
  acquirerInfo: Optional(AcquirerInfoSchema),
  acquirerReferenceNo: Optional(Text(64)),
  paymentMethodType: Optional(Text(64)),
  customsDeclarationAmount: Optional(AmountSchema),
  promotionResults: Optional(JsonValue()),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  metadata: Optional(Text()),
};

/** `result` describes the call; `paymentStatus` the payment. */
export const InquiryPaymentResponseSchema = Obj({
  ...inquiryPaymentResponseProperties,
  paymentStatus: Optional(PaymentStatusSchema),
});
export type InquiryPaymentResponse = Type.Static<typeof InquiryPaymentResponseSchema>;

// ---------------------------------------------------------------------------
// cancel

/** Full cancellation only; `paymentId` wins when both are given. */
export const CancelRequestSchema = Refine(
  Obj({
    paymentId: Optional(NonEmpty(64)),
    paymentRequestId: Optional(NonEmpty(64)),
    merchantAccountId: MerchantAccountId(),
  }),
  oneOfRequired(['paymentId', 'paymentRequestId']),
);
export type CancelRequest = Type.Static<typeof CancelRequestSchema>;

export const CancelResponseSchema = Obj({
  ...responseBase,
  paymentId: Optional(Text(64)),
  paymentRequestId: Optional(Text(64)),
  cancelTime: Optional(DateTime()),
});
export type CancelResponse = Type.Static<typeof CancelResponseSchema>;

// ---------------------------------------------------------------------------
// refund

/**
 * The docs say `refundRequestId` takes no "special characters" without
 * defining them [?]; not enforced. `refundDetails` / `refundToBankInfo` are
 * SDK models the spec does not detail, passed through.
 */
export const RefundRequestSchema = Obj({
  refundRequestId: NonEmpty(64, { description: 'idempotency key of refund' }),
  paymentId: NonEmpty(64),
  refundAmount: AmountSchema,
  referenceRefundId: Optional(Text(64)),
  refundReason: Optional(Text(256)),
  refundNotifyUrl: Optional(HttpUrl(1024)),
  isAsyncRefund: Optional(Bool()),
  captureId: Optional(Text(64)),
  refundDetails: Optional(ArrayOf(JsonObject())),
  refundToBankInfo: Optional(JsonObject()),
  extendInfo: Optional(Text()),
  metadata: Optional(Text()),
  merchantAccountId: MerchantAccountId(),
});
export type RefundRequest = Type.Static<typeof RefundRequestSchema>;

export const RefundResponseSchema = Obj({
  ...responseBase,
  refundRequestId: Optional(Text(64)),
  refundId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  refundAmount: Optional(AmountSchema),
  refundTime: Optional(DateTime()),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  acquirerReferenceNo: Optional(Text(64)),
  acquirerInfo: Optional(AcquirerInfoSchema),
  actualRefundAmount: Optional(AmountSchema),
});
export type RefundResponse = Type.Static<typeof RefundResponseSchema>;

// ---------------------------------------------------------------------------
// inquiryRefund

/** `refundId` wins when both are given. */
export const InquiryRefundRequestSchema = Refine(
  Obj({
    refundRequestId: Optional(NonEmpty(64)),
    refundId: Optional(NonEmpty(64)),
    merchantAccountId: MerchantAccountId(),
  }),
  oneOfRequired(['refundId', 'refundRequestId']),
);
export type InquiryRefundRequest = Type.Static<typeof InquiryRefundRequestSchema>;

export const REFUND_STATUSES = ['SUCCESS', 'PROCESSING', 'FAIL'] as const;
export const RefundStatusSchema = Enum([...REFUND_STATUSES]);
export type RefundStatus = Type.Static<typeof RefundStatusSchema>;

/** Fields are null (here: absent) when the refund is not found or the call is F/U. */
export const InquiryRefundResponseSchema = Obj({
  ...responseBase,
  refundId: Optional(Text(64)),
  refundRequestId: Optional(Text(64)),
  refundAmount: Optional(AmountSchema),
  refundStatus: Optional(RefundStatusSchema),
  refundTime: Optional(DateTime()),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  arn: Optional(Text()),
  rrn: Optional(Text()),
  acquirerInfo: Optional(AcquirerInfoSchema),
  actualRefundAmount: Optional(AmountSchema),
  metadata: Optional(Text()),
});
export type InquiryRefundResponse = Type.Static<typeof InquiryRefundResponseSchema>;

// ---------------------------------------------------------------------------
// capture

export const CaptureRequestSchema = Obj({
  captureRequestId: NonEmpty(64, { description: 'idempotency key of capture' }),
  paymentId: NonEmpty(64),
  captureAmount: AmountSchema,
  isLastCapture: Optional(Bool()),
});
export type CaptureRequest = Type.Static<typeof CaptureRequestSchema>;

export const CaptureResponseSchema = Obj({
  ...responseBase,
  captureRequestId: Optional(Text(64)),
  captureId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  captureAmount: Optional(AmountSchema),
  captureTime: Optional(DateTime()),
  acquirerReferenceNo: Optional(Text(64)),
});
export type CaptureResponse = Type.Static<typeof CaptureResponseSchema>;
