/**
 * What Antom sends for each notified event (endpoints.md §13): the body is
 * fixed when the event happens and sent unchanged on every attempt.
 */
import { buildResult, SUCCESS_RESULT, type Result } from '@amsgate/protocol';
import { wireTime } from '../payments/answers.js';
import type { PaymentRecord } from '../payments/payment-record.js';

/** notifyPayment with `PAYMENT_RESULT`: success, failure or closure of a payment. */
export function paymentResultBody(payment: PaymentRecord): Record<string, unknown> {
  const result: Result = payment.status === 'SUCCESS'
    ? { ...SUCCESS_RESULT }
    : payment.resultCode === 'ORDER_IS_CLOSED'
      ? buildResult('ORDER_IS_CLOSED', 'The payment expired before the buyer paid')
      : { resultCode: payment.resultCode, resultStatus: 'F', resultMessage: payment.resultMessage };
  return {
    notifyType: 'PAYMENT_RESULT',
    result,
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentCreateTime: wireTime(payment.createdAt),
    ...(payment.status === 'SUCCESS' && payment.paidAt !== null ? { paymentTime: wireTime(payment.paidAt) } : {}),
    paymentMethodType: payment.paymentMethodType,
  };
}
