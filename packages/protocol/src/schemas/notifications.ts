/**
 * Notifications Antom (or amsgate) posts to merchants, and the merchant's
 * acknowledgement (endpoints.md §13; in-store differences in `in-store.ts`).
 * In a notification `result` is the outcome of the payment / refund /
 * capture, not of a call.
 */
import type Type from 'typebox';
import { DateTime, Enum, JsonValue, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AcquirerInfoSchema, AmountSchema, PaymentResultInfoSchema, PspCustomerInfoSchema, QuoteSchema, ResultSchema } from './common.js';

/**
 * `PAYMENT_PENDING`: the user paid, the final result is pending;
 * `UPDATE_AMOUNT_RESULT`: the result of an updateAmount (its
 * `updateRequestId`; `paymentAmount` the amount now authorised).
 */
export const NotifyPaymentBodySchema = Obj({
  notifyType: Enum(['PAYMENT_RESULT', 'PAYMENT_PENDING', 'UPDATE_AMOUNT_RESULT']),
  result: ResultSchema,
  paymentRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  paymentAmount: AmountSchema,
  paymentCreateTime: DateTime(),
  paymentTime: Optional(DateTime()),
  // In the in-store body; harmless online.
  actualPaymentAmount: Optional(AmountSchema),
  paymentQuote: Optional(QuoteSchema),
  customsDeclarationAmount: Optional(AmountSchema),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  acquirerReferenceNo: Optional(Text(64)),
  paymentResultInfo: Optional(PaymentResultInfoSchema),
  acquirerInfo: Optional(AcquirerInfoSchema),
  paymentMethodType: Optional(Text(64)),
  promotionResult: Optional(JsonValue()),
  metadata: Optional(Text()),
  updateRequestId: Optional(Text(64)),
  authExpiryTime: Optional(DateTime()),
  /** The tax calculation the pay request referenced. */
  taxCalculationId: Optional(Text(64)),
});
export type NotifyPaymentBody = Type.Static<typeof NotifyPaymentBodySchema>;

/** Sent when the refund is final: `refundStatus` SUCCESS or FAIL. */
export const NotifyRefundBodySchema = Obj({
  notifyType: Enum(['REFUND_RESULT']),
  result: ResultSchema,
  refundStatus: Enum(['SUCCESS', 'FAIL']),
  refundRequestId: NonEmpty(64),
  refundId: NonEmpty(64),
  refundAmount: AmountSchema,
  refundTime: Optional(DateTime()),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  arn: Optional(Text()),
  metadata: Optional(Text()),
});
export type NotifyRefundBody = Type.Static<typeof NotifyRefundBodySchema>;

export const NotifyCaptureBodySchema = Obj({
  notifyType: Enum(['CAPTURE_RESULT']),
  result: ResultSchema,
  captureRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  captureId: NonEmpty(64),
  captureAmount: AmountSchema,
  captureTime: Optional(DateTime()),
  acquirerReferenceNo: Optional(Text(64)),
  acquirerInfo: Optional(AcquirerInfoSchema),
  paymentResultInfo: Optional(PaymentResultInfoSchema),
});
export type NotifyCaptureBody = Type.Static<typeof NotifyCaptureBodySchema>;

/**
 * Auto Debit authorisation events. The spec lists the fields without marking
 * any required; only the event type is required here (it is what a receiver
 * dispatches on), `result` included, everything else optional.
 */
export const NotifyAuthorizationBodySchema = Obj({
  authorizationNotifyType: Enum(['AUTHCODE_CREATED', 'TOKEN_CANCELED']),
  result: Optional(ResultSchema),
  authClientId: Optional(Text(64)),
  authState: Optional(Text(256)),
  authCode: Optional(Text(128)),
  accessToken: Optional(Text(128)),
  reason: Optional(Text()),
  userLoginId: Optional(Text(64)),
  userId: Optional(Text()),
});
export type NotifyAuthorizationBody = Type.Static<typeof NotifyAuthorizationBodySchema>;

/** What the merchant answers (HTTP 200, unsigned): `result` with SUCCESS. */
export const NotificationAckSchema = Obj({
  result: ResultSchema,
});
export type NotificationAck = Type.Static<typeof NotificationAckSchema>;
