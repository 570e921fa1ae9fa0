/**
 * Business events that Antom notifies merchants about, raised by the
 * services inside the database transaction that makes the change, so a
 * sink (the notification outbox) can record them atomically with it: no
 * notification without the change, no change without its notification.
 */
import type { Tx } from '../store/database.js';
import type { CaptureRecord, RefundRecord } from './operation-records.js';
import type { PaymentRecord } from './payment-record.js';

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
  | { kind: 'capture-final'; capture: CaptureRecord; payment: PaymentRecord };

export interface PaymentEventSink {
  record(tx: Tx, event: PaymentEvent, now: number): Promise<void>;
}


/** An explicit "no notifications" sink, for services tested on their own; the gateway always wires the outbox. */
export const ignoreEvents: PaymentEventSink = { record: () => Promise.resolve() };
