/**
 * Business events that Antom notifies merchants about, raised by the
 * services inside the database transaction that makes the change, so a
 * sink (the notification outbox) can record them atomically with it: no
 * notification without the change, no change without its notification.
 */
import type { Tx } from '../store/database.js';
import type { PaymentRecord } from './payment-record.js';

export type PaymentEvent =
  /** A payment reached a final state (SUCCESS, FAIL incl. closed, CANCELLED). */
  { kind: 'payment-final'; payment: PaymentRecord };

export interface PaymentEventSink {
  record(tx: Tx, event: PaymentEvent, now: number): Promise<void>;
}

/** For tools that change payments without notifying (none yet) and for tests. */
export const ignoreEvents: PaymentEventSink = { record: () => Promise.resolve() };
