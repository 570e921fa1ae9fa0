/**
 * What Antom sends for each notified event (endpoints.md §13): the body is
 * fixed when the event happens and sent unchanged on every attempt.
 */
import { cardFields, cardRefundReferences } from '../cards/card-result.js';
import { buildResult, SUCCESS_RESULT, type Result } from '@amsgate/protocol';
import { wireTime } from './answers.js';
import type { AuthorizationNotice } from './events.js';
import type { CaptureRecord, RefundRecord } from './operation-records.js';
import type { PaymentRecord, TransactionRecord } from './payment-record.js';
import { authExpiryOf } from './payment-money.js';
import { buyerPaymentFields, settlementFields } from './settlement.js';
import { acquiredOperation, acquiredPayment, acquirerFields } from './acquirer.js';
import { pspCustomerFields } from './wallet-customer.js';

/** notifyPayment with `PAYMENT_RESULT`: success, failure or closure of a payment. */
export function paymentResultBody(payment: PaymentRecord): Record<string, unknown> {
  const result = payment.status !== 'SUCCESS' && payment.resultCode === 'ORDER_IS_CLOSED'
    ? buildResult('ORDER_IS_CLOSED', 'The payment expired before the buyer paid')
    : operationResult(payment);
  return {
    notifyType: 'PAYMENT_RESULT',
    result,
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentCreateTime: wireTime(payment.createdAt),
    ...(payment.status === 'SUCCESS' && payment.paidAt !== null ? { paymentTime: wireTime(payment.paidAt) } : {}),
    paymentMethodType: payment.paymentMethodType,
    ...buyerPaymentFields(payment),
    ...settlementFields(payment),
    ...pspCustomerFields(payment),
    ...acquirerFields(acquiredPayment(payment), { info: true, referenceNo: true }),
    ...cardFields(payment),
    ...(payment.metadata !== null ? { metadata: payment.metadata } : {}),
    ...(payment.taxCalculationId !== null ? { taxCalculationId: payment.taxCalculationId } : {}),
  };
}

/**
 * notifyPayment with `PAYMENT_PENDING`: the buyer has acted (submitted a
 * bank transfer) and the result is not final. The spec's reading of
 * `result` for this type is "`S`: the user paid, the final result is
 * pending"; the payment itself stays PROCESSING.
 */
export function paymentPendingBody(payment: PaymentRecord): Record<string, unknown> {
  return {
    notifyType: 'PAYMENT_PENDING',
    result: buildResult('SUCCESS', 'The buyer has paid; the final result is pending'),
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentCreateTime: wireTime(payment.createdAt),
    paymentMethodType: payment.paymentMethodType,
    ...(payment.metadata !== null ? { metadata: payment.metadata } : {}),
  };
}

/**
 * notifyPayment with `UPDATE_AMOUNT_RESULT`: the result of an updateAmount
 * (`update`, its INCREMENTAL transaction). `paymentAmount` is what is
 * authorised now: the new amount on success, the unchanged one on failure.
 */
export function updateAmountResultBody(payment: PaymentRecord, update: TransactionRecord): Record<string, unknown> {
  const authExpiry = authExpiryOf(payment);
  return {
    notifyType: 'UPDATE_AMOUNT_RESULT',
    result: operationResult(update),
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentCreateTime: wireTime(payment.createdAt),
    ...(payment.paidAt !== null ? { paymentTime: wireTime(payment.paidAt) } : {}),
    paymentMethodType: payment.paymentMethodType,
    ...buyerPaymentFields(payment),
    ...settlementFields(payment),
    ...(payment.metadata !== null ? { metadata: payment.metadata } : {}),
    ...(update.requestId !== null ? { updateRequestId: update.requestId } : {}),
    ...(authExpiry !== undefined ? { authExpiryTime: wireTime(authExpiry) } : {}),
  };
}

/** SUCCESS, or F with the record's code and message: the `result` of a final payment, refund or capture. */
function operationResult(record: { status: string; resultCode: string; resultMessage: string }): Result {
  return record.status === 'SUCCESS' ? { ...SUCCESS_RESULT } : { resultCode: record.resultCode, resultStatus: 'F', resultMessage: record.resultMessage };
}

/** notifyRefund with `REFUND_RESULT`, sent when a refund is final. */
export function refundResultBody(refund: RefundRecord, paymentMethodType: string): Record<string, unknown> {
  // notifyRefund's model has the arn, not the rrn.
  const { arn } = cardRefundReferences(refund, paymentMethodType);
  return {
    notifyType: 'REFUND_RESULT',
    result: operationResult(refund),
    refundStatus: refund.status === 'SUCCESS' ? 'SUCCESS' : 'FAIL',
    refundRequestId: refund.refundRequestId,
    refundId: refund.refundId,
    refundAmount: { currency: refund.currency, value: refund.amount.toString() },
    ...(refund.refundedAt !== null ? { refundTime: wireTime(refund.refundedAt) } : {}),
    ...settlementFields(refund),
    ...(arn !== undefined ? { arn } : {}),
    ...(refund.metadata !== null ? { metadata: refund.metadata } : {}),
  };
}

/** notifyCapture with `CAPTURE_RESULT`, sent when a capture is final. */
export function captureResultBody(capture: CaptureRecord): Record<string, unknown> {
  return {
    notifyType: 'CAPTURE_RESULT',
    result: operationResult(capture),
    captureRequestId: capture.captureRequestId,
    paymentId: capture.paymentId,
    captureId: capture.captureId,
    captureAmount: { currency: capture.currency, value: capture.amount.toString() },
    ...(capture.capturedAt !== null ? { captureTime: wireTime(capture.capturedAt) } : {}),
    ...acquirerFields(acquiredOperation(capture.clientId, capture.captureId, capture), { info: true, referenceNo: true }),
  };
}

/**
 * notifyAuthorization (Auto Debit): `AUTHCODE_CREATED` carries the auth code
 * (the one place it is kept in clear: the body is fixed at the event and
 * the code is single-use and short-lived), `TOKEN_CANCELED` the revoked
 * access token.
 */
export function authorizationBody(notice: AuthorizationNotice): Record<string, unknown> {
  return {
    authorizationNotifyType: notice.authorizationNotifyType,
    result: { ...SUCCESS_RESULT },
    ...(notice.authClientId !== null ? { authClientId: notice.authClientId } : {}),
    authState: notice.authState,
    ...(notice.authCode !== undefined ? { authCode: notice.authCode } : {}),
    ...(notice.accessToken !== undefined ? { accessToken: notice.accessToken } : {}),
    ...(notice.reason !== undefined ? { reason: notice.reason } : {}),
    ...(notice.userLoginId !== null ? { userLoginId: notice.userLoginId } : {}),
    ...(notice.userId !== null ? { userId: notice.userId } : {}),
  };
}
