/**
 * Changes to a payment after `pay`: `payments/updateAmount` (incremental
 * authorisation of a payment authorised with `captureMode` MANUAL) and
 * `payments/verifyAndCompletePayment` (the buyer's SMS one-time password
 * for a payment that waits for it).
 */
import type Type from 'typebox';
import { DateTime, Enum, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AcquirerInfoSchema, AmountSchema, responseBase } from './common.js';

// ---------------------------------------------------------------------------
// updateAmount

/**
 * `amount` is the new authorised total, not the increment: it must be more
 * than the amount authorised so far, in the payment's currency (business
 * rules: they need the payment).
 */
export const UpdateAmountRequestSchema = Obj({
  updateRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  amount: AmountSchema,
});
export type UpdateAmountRequest = Type.Static<typeof UpdateAmountRequestSchema>;

export const UpdateAmountResponseSchema = Obj({
  ...responseBase,
  updateRequestId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  amount: Optional(AmountSchema),
});
export type UpdateAmountResponse = Type.Static<typeof UpdateAmountResponseSchema>;

// ---------------------------------------------------------------------------
// verifyAndCompletePayment

/** The docs name one verification type, `SMS_OTP`; the OTP is at most 32 characters. */
export const VerifyMethodSchema = Obj({
  verifyMethodType: Enum(['SMS_OTP'], { caseInsensitive: true }),
  otpValue: NonEmpty(32),
});
export type VerifyMethod = Type.Static<typeof VerifyMethodSchema>;

export const VerifyAndCompletePaymentRequestSchema = Obj({
  verifyMethod: VerifyMethodSchema,
  verifyRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
});
export type VerifyAndCompletePaymentRequest = Type.Static<typeof VerifyAndCompletePaymentRequestSchema>;

export const VerifyAndCompletePaymentResponseSchema = Obj({
  ...responseBase,
  paymentRequestId: Optional(Text(64)),
  verifyRequestId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  paymentAmount: Optional(AmountSchema),
  paymentCreateTime: Optional(DateTime()),
  acquirerInfo: Optional(AcquirerInfoSchema),
});
export type VerifyAndCompletePaymentResponse = Type.Static<typeof VerifyAndCompletePaymentResponseSchema>;
