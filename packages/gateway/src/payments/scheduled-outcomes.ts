/**
 * Outcomes scheduled for pending payments (migration 0006): what a payment
 * becomes at a time on the gateway clock unless the buyer, the control API
 * or a cancel gets there first.
 *
 * No timer of its own: the payment's `expires_at` is the due time, so the
 * path that closes expired payments (the sweeper, a sandbox clock advance,
 * inquiry, cancel, a repeated pay, the checkout page) reaches it then, and
 * `scheduledOutcomeDuePolicy` turns the closing into this outcome — the
 * mechanism in-store payment codes use with `in_store_payments.settle_at`.
 * Settling is PaymentService's conditional update from PROCESSING, so the
 * outcome applies at most once however many processes sweep, and never to a
 * payment that was completed or cancelled before it was due.
 */
import { preparedQuery } from '../store/prepared-query.js';
import type { Tx } from '../store/database.js';
import { toNumber } from '../store/schema.js';
import type { DuePolicy, Outcome } from './payment-service.js';

const insertRow = preparedQuery<'paymentId' | 'dueAt' | 'resultCode' | 'resultMessage' | 'now', unknown>((db, p) =>
  db.insertInto('scheduled_outcomes').values({
    payment_id: p('paymentId'), due_at: p('dueAt'), result_code: p('resultCode'), result_message: p('resultMessage'), created_at: p('now'),
  }),
);

const selectRow = preparedQuery<'paymentId', unknown>((db, p) =>
  db.selectFrom('scheduled_outcomes').select(['due_at', 'result_code', 'result_message']).where('payment_id', '=', p('paymentId')),
);

/** Records the outcome; the caller gives the payment `expires_at = dueAt` (see the module comment). */
export async function scheduleOutcome(tx: Tx, paymentId: string, outcome: Outcome, dueAt: number, now: number): Promise<void> {
  await insertRow(tx, {
    paymentId,
    dueAt,
    resultCode: outcome.kind === 'success' ? 'SUCCESS' : outcome.resultCode,
    resultMessage: outcome.kind === 'fail' ? (outcome.resultMessage ?? null) : null,
    now,
  });
}

export async function findScheduledOutcome(tx: Tx, paymentId: string): Promise<{ dueAt: number; outcome: Outcome } | undefined> {
  const row = (await selectRow(tx, { paymentId })).rows[0] as
    | { due_at: number | bigint | string; result_code: string; result_message: string | null }
    | undefined;
  if (!row) return undefined;
  const outcome: Outcome = row.result_code === 'SUCCESS'
    ? { kind: 'success' }
    : { kind: 'fail', resultCode: row.result_code, ...(row.result_message !== null ? { resultMessage: row.result_message } : {}) };
  return { dueAt: toNumber(row.due_at), outcome };
}

/** PaymentService's `duePolicy` for scheduled outcomes: a payment whose outcome is due settles to it. */
export const scheduledOutcomeDuePolicy: DuePolicy = async (tx, payment, now) => {
  const scheduled = await findScheduledOutcome(tx, payment.paymentId);
  return scheduled !== undefined && scheduled.dueAt <= now ? scheduled.outcome : undefined;
};

/** One `duePolicy` from several: the first outcome any of them gives. */
export function firstDuePolicy(...policies: readonly DuePolicy[]): DuePolicy {
  return async (tx, payment, now) => {
    for (const policy of policies) {
      const outcome = await policy(tx, payment, now);
      if (outcome) return outcome;
    }
    return undefined;
  };
}
