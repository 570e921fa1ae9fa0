/**
 * Business events that Antom notifies merchants about, raised by the
 * services inside the database transaction that makes the change, so a
 * sink (`notifications.ts`, into the outbox) records them atomically with
 * it: no notification without the change, no change without its
 * notification.
 */
import type { Tx } from '../../schema.js';
import type { CaptureRecord, RefundRecord } from './operation-records.js';
import type { PaymentRecord, TransactionRecord } from './payment-record.js';

export type PaymentEvent =
  /** A payment reached a final state (SUCCESS, FAIL incl. closed, CANCELLED). */
  | { kind: 'payment-final'; payment: PaymentRecord }
  /**
   * A refund reached a final state (`refund.status` SUCCESS or FAIL): what
   * notifyRefund reports. `refund` carries refundId, refundRequestId,
   * amount, `refundedAt` (refundTime), result code and message,
   * `notifyUrl` (the request's refundNotifyUrl, null: the client's default)
   * and `metadata`; `payment` is the payment refunded.
   */
  | { kind: 'refund-final'; refund: RefundRecord; payment: PaymentRecord }
  /**
   * A capture reached a final state (`capture.status` SUCCESS or FAIL): what
   * notifyCapture reports. `capture` carries captureId, captureRequestId,
   * paymentId, amount, `capturedAt` (captureTime), result code and message;
   * capture has no notify URL of its own (the spec names none), so our
   * reading is `payment.notifyUrl` (the pay request's paymentNotifyUrl),
   * else the client's default for CAPTURE_RESULT.
   */
  | { kind: 'capture-final'; capture: CaptureRecord; payment: PaymentRecord }
  /**
   * The buyer has acted on a pending payment (submitted a bank transfer) but
   * the result is not final: notifyPayment PAYMENT_PENDING, once per payment.
   */
  | { kind: 'payment-pending'; payment: PaymentRecord; submittedAt: number }
  /**
   * An updateAmount reached its result (`update.status` SUCCESS or FAIL):
   * notifyPayment UPDATE_AMOUNT_RESULT. `payment` is the payment as it is
   * after it (its amount the new one on success).
   */
  | { kind: 'amount-update-final'; update: TransactionRecord; payment: PaymentRecord }
  /** Auto Debit: an auth code was issued (AUTHCODE_CREATED) or an agreement revoked (TOKEN_CANCELED): what notifyAuthorization reports. */
  | { kind: 'authorization'; notice: AuthorizationNotice };

/** One notifyAuthorization, as the Auto Debit service raises it (see `src/auto-debit/`). */
export interface AuthorizationNotice {
  clientId: string;
  authorizationNotifyType: 'AUTHCODE_CREATED' | 'TOKEN_CANCELED';
  /** One notification per key: `auth-code:<consultId>`, `token-canceled:<grantId>`. */
  eventKey: string;
  /** The consult the agreement came from (what `notifications.list({ resourceId })` finds). */
  resourceId: string;
  /** The consult's `authNotifyUrl`; null: the client's default for AUTHORIZATION. */
  notifyUrl: string | null;
  authClientId: string | null;
  authState: string;
  authCode?: string;
  accessToken?: string;
  reason?: string;
  userLoginId: string | null;
  userId: string | null;
}

export interface PaymentEventSink {
  record(tx: Tx, event: PaymentEvent, now: number): Promise<void>;
}
