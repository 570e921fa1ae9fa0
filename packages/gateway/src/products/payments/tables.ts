/**
 * The tables of payments and the operations on them: payments and their
 * transactions (migration 0001, `payments-migration.ts`), authorisations,
 * refunds and captures (0002, `operations-migration.ts`) and scheduled
 * outcomes (0006, `scheduled-outcomes-migration.ts`), as Kysely sees them.
 */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

export type PaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';

export interface PaymentsTable {
  payment_id: string;
  client_id: string;
  payment_request_id: string;
  product_code: string;
  status: PaymentStatus;
  /** Why the payment is in its state (`SUCCESS`, `USER_BALANCE_NOT_ENOUGH`, `ORDER_IS_CLOSED`, …). */
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  payment_method_type: string;
  payment_method_id: string | null;
  reference_order_id: string;
  order_description: string;
  redirect_url: string | null;
  notify_url: string | null;
  /** The normalised request, for inquiry fields we echo and for debugging. */
  request_json: string;
  created_at: IntColumn;
  updated_at: IntColumn;
  expires_at: IntColumn;
  paid_at: NullableIntColumn;
  closed_at: NullableIntColumn;
  /** Set when the payment settles in another currency (`settlementStrategy`), locked at creation. */
  settlement_currency: string | null;
  settlement_amount: NullableIntColumn;
  settlement_price: string | null;
  /** The pay request's `metadata`, echoed back. */
  metadata: string | null;
  /** The tax calculation the pay request referenced (`taxCalculationId`), echoed by notifyPayment. */
  tax_calculation_id: string | null;
  /** Set when the buyer pays in their account's currency, not the payment's (`actualPaymentAmount`, `paymentQuote`). */
  actual_currency: string | null;
  actual_amount: NullableIntColumn;
  actual_price: string | null;
  /** JSON `CardOnPayment` (products/cards/card-result.ts): the card a card payment charged; null for other methods. */
  card_result: string | null;
  /** Migration 0016: the wallet account a wallet payment is paid from (`wallet-customer.ts`); null for other methods. */
  psp_customer_id: string | null;
  psp_display_customer_id: string | null;
}

/** Operations on a payment (the payment itself, cancel; refunds and captures later), as inquiryPayment lists them. */
export interface PaymentTransactionsTable {
  transaction_id: string;
  payment_id: string;
  client_id: string;
  /** `INCREMENTAL`: an updateAmount raising an authorisation (its amount is the new total). */
  transaction_type: 'PAYMENT' | 'CANCEL' | 'REFUND' | 'CAPTURE' | 'AUTHORIZATION' | 'VOID' | 'INCREMENTAL';
  request_id: string | null;
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
}

/**
 * Migration 0002. One row per authorise-only payment (`paymentFactor.captureMode`
 * MANUAL, or `isAuthorization` without a capture mode), written by `pay`. The
 * authorisation is live while its payment is SUCCESS and `closed_at` is null;
 * what is captured is the sum of its captures, what is held is in the journal.
 */
/** Why an authorisation holds no more: its last capture, a cancel, or 7 days without capture (Antom releases the funds). */
export type AuthorizationCloseReason = 'LAST_CAPTURE' | 'CANCELLED' | 'EXPIRED';

export interface AuthorizationsTable {
  payment_id: string;
  client_id: string;
  /** `MANUAL` (the only mode stored: automatic capture needs no row). */
  capture_mode: string;
  currency: string;
  /** The authorised amount: the payment amount. */
  amount: IntColumn;
  created_at: IntColumn;
  /** Set when the last capture, a cancel or the authorisation's expiry released what was not captured. */
  closed_at: NullableIntColumn;
  close_reason: AuthorizationCloseReason | null;
}

/** Status of a refund or a capture (inquiryRefund's `refundStatus` values). */
export type OperationStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/** Migration 0002. A refund of a payment; `(client_id, refund_request_id)` is unique. */
export interface RefundsTable {
  refund_id: string;
  client_id: string;
  payment_id: string;
  refund_request_id: string;
  /** The capture refunded, when the request named one. */
  capture_id: string | null;
  status: OperationStatus;
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  reference_refund_id: string | null;
  refund_reason: string | null;
  notify_url: string | null;
  /** The request's `metadata`, echoed by notifyRefund. */
  metadata: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** When the refund succeeded (`refundTime`). */
  refunded_at: NullableIntColumn;
  /** Set when the payment settles in another currency: the refund's settlement at the rate of its day. */
  settlement_currency: string | null;
  settlement_amount: NullableIntColumn;
  settlement_price: string | null;
}

/** Migration 0002. A capture of an authorisation; `(client_id, capture_request_id)` is unique. */
export interface CapturesTable {
  capture_id: string;
  client_id: string;
  payment_id: string;
  capture_request_id: string;
  status: OperationStatus;
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  /** 1 when this capture closed the authorisation (`isLastCapture`, or a method allowing one capture), else 0. */
  is_last_capture: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** When the capture succeeded (`captureTime`). */
  captured_at: NullableIntColumn;
}

/** An outcome a pending payment takes at `due_at` (its `expires_at`) unless something completes it first (sandbox triggers, in-store payment codes). */
export interface ScheduledOutcomesTable {
  payment_id: string;
  due_at: IntColumn;
  /** `SUCCESS` or an F result code. */
  result_code: string;
  /** null: the catalogue's message for the code. */
  result_message: string | null;
  created_at: IntColumn;
}

/**
 * Migration 0015 (`buyer-steps-migration.ts`). A pending payment that waits
 * for the buyer's one-time password (the sandbox trigger `verify-otp`):
 * `payments/verifyAndCompletePayment` checks the OTP against it.
 */
export interface PaymentVerificationsTable {
  payment_id: string;
  client_id: string;
  /** `SMS_OTP`, the one type the docs name. */
  verify_method_type: string;
  /** SHA-256 hex of the OTP the buyer was sent. */
  otp_hash: string;
  failed_attempts: IntColumn;
  /** Wrong OTPs allowed; the last one fails the payment. */
  max_attempts: IntColumn;
  created_at: IntColumn;
  verified_at: NullableIntColumn;
  /** When the last wrong OTP failed the payment. */
  locked_at: NullableIntColumn;
}

/** Migration 0015. One verifyAndCompletePayment that was answered (its verifyRequestId's recorded outcome). */
export interface PaymentVerificationAttemptsTable {
  attempt_id: string;
  client_id: string;
  payment_id: string;
  verify_request_id: string;
  /** `SUCCESS`, `VERIFY_UNMATCHED` or `VERIFY_TIMES_EXCEED_LIMIT`. */
  result_code: string;
  result_message: string;
  created_at: IntColumn;
}

/**
 * Migration 0015. A pending payment whose buyer has acted (submitted a bank
 * transfer) while the final result comes later: notified PAYMENT_PENDING
 * once, still PROCESSING for inquiries.
 */
export interface PaymentSubmissionsTable {
  payment_id: string;
  client_id: string;
  submitted_at: IntColumn;
}

export interface PaymentsTables {
  payments: PaymentsTable;
  payment_transactions: PaymentTransactionsTable;
  authorizations: AuthorizationsTable;
  refunds: RefundsTable;
  captures: CapturesTable;
  scheduled_outcomes: ScheduledOutcomesTable;
  payment_verifications: PaymentVerificationsTable;
  payment_verification_attempts: PaymentVerificationAttemptsTable;
  payment_submissions: PaymentSubmissionsTable;
}
