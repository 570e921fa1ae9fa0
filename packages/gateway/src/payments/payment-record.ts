/** A payment as the services see it, and its mapping from the database row. */
import type { Selectable } from 'kysely';
import type { PaymentStatus, PaymentsTable, PaymentTransactionsTable } from '../store/schema.js';
import { toBigInt, toNullableNumber, toNumber } from '../store/schema.js';

export interface PaymentRecord {
  paymentId: string;
  clientId: string;
  paymentRequestId: string;
  productCode: string;
  status: PaymentStatus;
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  paymentMethodType: string;
  paymentMethodId: string | null;
  referenceOrderId: string;
  orderDescription: string;
  redirectUrl: string | null;
  notifyUrl: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  paidAt: number | null;
  closedAt: number | null;
}

export interface TransactionRecord {
  transactionId: string;
  paymentId: string;
  type: PaymentTransactionsTable['transaction_type'];
  requestId: string | null;
  status: PaymentTransactionsTable['status'];
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  createdAt: number;
  updatedAt: number;
}

export function paymentFromRow(row: Omit<Selectable<PaymentsTable>, 'request_json'>): PaymentRecord {
  return {
    paymentId: row.payment_id,
    clientId: row.client_id,
    paymentRequestId: row.payment_request_id,
    productCode: row.product_code,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    paymentMethodType: row.payment_method_type,
    paymentMethodId: row.payment_method_id,
    referenceOrderId: row.reference_order_id,
    orderDescription: row.order_description,
    redirectUrl: row.redirect_url,
    notifyUrl: row.notify_url,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    expiresAt: toNumber(row.expires_at),
    paidAt: toNullableNumber(row.paid_at),
    closedAt: toNullableNumber(row.closed_at),
  };
}

export function transactionFromRow(row: Selectable<PaymentTransactionsTable>): TransactionRecord {
  return {
    transactionId: row.transaction_id,
    paymentId: row.payment_id,
    type: row.transaction_type,
    requestId: row.request_id,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

/** Pending payments whose expiry has passed are closed: this is the condition, in one place. */
export function isExpired(payment: PaymentRecord, now: number): boolean {
  return payment.status === 'PROCESSING' && payment.expiresAt <= now;
}
