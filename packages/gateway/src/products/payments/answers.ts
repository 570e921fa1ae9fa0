/** Response bodies built from payment records: the only place the wire shape of a payment is decided. */
import { cardFields } from '../cards/card-result.js';
import { buildResult, formatResponseTime, SUCCESS_RESULT, type Result } from '@amsgate/protocol';
import type { PaymentRecord, TransactionRecord } from './payment-record.js';
import { buyerPaymentFields, settlementFields } from './settlement.js';
import { authExpiryOf } from './payment-money.js';
import type { AuthorizationRecord } from './operation-records.js';
import { acquiredOperation, acquiredPayment, acquirerFields } from './acquirer.js';
import { appLinksOf } from './app-links.js';
import { pspCustomerFields } from './wallet-customer.js';

export type ResponseBody = { result: Result } & Record<string, unknown>;

export function wireTime(ms: number): string {
  return formatResponseTime(ms);
}

/** A record's amount as the wire carries it: `{ currency, value }`, value in minor units. */
export function amountOf(record: { currency: string; amount: bigint }): { currency: string; value: string } {
  return { currency: record.currency, value: record.amount.toString() };
}

/**
 * What `pay` answers for a payment in its current state (also for repeats of
 * the same request). `env`: the request's, whose terminal decides the app
 * links of a pending wallet payment (`app-links.ts`).
 */
export function payAnswer(payment: PaymentRecord, checkoutUrl: string, env?: { terminalType?: string }): ResponseBody {
  const base = {
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: amountOf(payment),
    paymentCreateTime: wireTime(payment.createdAt),
  };
  switch (payment.status) {
    case 'PROCESSING': {
      const redirectActionForm = { method: 'GET', redirectUrl: checkoutUrl, actionFormType: 'RedirectActionForm' };
      return {
        result: buildResult('PAYMENT_IN_PROCESS', 'payment in process'),
        ...base,
        normalUrl: checkoutUrl,
        ...(payment.walletCustomer !== null ? appLinksOf(checkoutUrl, env?.terminalType) : undefined),
        redirectActionForm,
        paymentActionForm: JSON.stringify({ method: 'GET', paymentActionFormType: 'RedirectActionForm', redirectUrl: checkoutUrl }),
      };
    }
    case 'SUCCESS':
      return { result: { ...SUCCESS_RESULT }, ...base, paymentTime: payment.paidAt === null ? undefined : wireTime(payment.paidAt), ...buyerPaymentFields(payment), ...settlementFields(payment), ...pspCustomerFields(payment), ...acquirerFields(acquiredPayment(payment), { info: true }), ...cardFields(payment) };
    case 'CANCELLED':
      return { result: buildResult('ORDER_IS_CANCELED') };
    case 'FAIL':
      return payment.resultCode === 'ORDER_IS_CLOSED'
        ? { result: buildResult('ORDER_IS_CLOSED') }
        : { result: { resultCode: payment.resultCode, resultStatus: 'F', resultMessage: payment.resultMessage }, ...base, ...acquirerFields(acquiredPayment(payment), { info: true }), ...cardFields(payment) };
  }
}

/** `authorization`: set for an authorise-only payment (its `authExpiryTime` is answered once it succeeded). */
export function inquiryAnswer(payment: PaymentRecord, transactions: readonly TransactionRecord[], checkoutUrl: string, authorization?: AuthorizationRecord): ResponseBody {
  const authExpiry = authorization !== undefined ? authExpiryOf(payment) : undefined;
  return {
    result: { ...SUCCESS_RESULT },
    paymentStatus: payment.status,
    paymentResultCode: payment.resultCode,
    paymentResultMessage: payment.resultMessage,
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: amountOf(payment),
    paymentCreateTime: wireTime(payment.createdAt),
    // Returned on success only (endpoints.md §3), not for a payment paid and then cancelled.
    ...(payment.paidAt !== null && payment.status === 'SUCCESS' ? { paymentTime: wireTime(payment.paidAt) } : {}),
    ...(authExpiry !== undefined ? { authExpiryTime: wireTime(authExpiry) } : {}),
    paymentMethodType: payment.paymentMethodType,
    ...buyerPaymentFields(payment),
    ...settlementFields(payment),
    ...pspCustomerFields(payment),
    ...acquirerFields(acquiredPayment(payment), { info: true, referenceNo: true }),
    ...cardFields(payment, { cardInfo: true }),
    ...(payment.metadata !== null ? { metadata: payment.metadata } : {}),
    // The in-store inquiry (in-store.md §7) has no redirect: the buyer is at the till.
    ...(payment.status === 'PROCESSING' && payment.productCode !== 'IN_STORE_PAYMENT' ? { redirectActionForm: { method: 'GET', redirectUrl: checkoutUrl, actionFormType: 'RedirectActionForm' } } : {}),
    ...transactionsField(payment.clientId, transactions),
  };
}

/**
 * `transactions`: the actions on the payment after it (refunds, captures,
 * cancel, void), each with its acquirer once final. Left out when there are
 * none (the SDK's note: returned when a refund or capture exists).
 */
function transactionsField(clientId: string, transactions: readonly TransactionRecord[]): Record<string, unknown> {
  const listed = transactions.filter((t) => t.type !== 'PAYMENT');
  if (listed.length === 0) return {};
  return {
    transactions: listed.map((t) => ({
      transactionResult: { resultCode: t.resultCode, resultStatus: t.status === 'SUCCESS' ? 'S' : t.status === 'PROCESSING' ? 'U' : 'F', resultMessage: t.resultMessage },
      transactionId: t.transactionId,
      transactionType: t.type,
      transactionStatus: t.status,
      transactionAmount: amountOf(t),
      ...(t.requestId !== null ? { transactionRequestId: t.requestId } : {}),
      transactionTime: wireTime(t.updatedAt),
      ...acquirerFields(acquiredOperation(clientId, t.transactionId, t), { info: true }),
    })),
  };
}

export function cancelAnswer(payment: PaymentRecord, cancelledAt: number): ResponseBody {
  return {
    result: { ...SUCCESS_RESULT },
    paymentId: payment.paymentId,
    paymentRequestId: payment.paymentRequestId,
    cancelTime: wireTime(cancelledAt),
  };
}
