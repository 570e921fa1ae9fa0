import type { Tx } from '../../schema.js';
import type { PaymentRecord } from './payment-record.js';
import type { CardOnPayment } from '../cards/card-result.js';

/** What a pending payment becomes when the buyer, a rule or a schedule settles it. */
export type Outcome = ({ kind: 'success' } | { kind: 'fail'; resultCode: string; resultMessage?: string }) & {
  /** A card payment: the card and its authorisation as the buyer's attempt left them (recorded with the outcome). */
  card?: CardOnPayment;
};

/**
 * Consulted, in the transaction, for a pending payment whose `expiresAt` has
 * passed: an outcome settles it (e.g. an in-store payment the simulated
 * wallet settles later), undefined closes it as expired.
 */
export type DuePolicy = (tx: Tx, payment: PaymentRecord, now: number) => Promise<Outcome | undefined>;
